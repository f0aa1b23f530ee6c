"""What the reporting app contributes to the lower apps' registries (design.md §2). Called from ``AppConfig.ready``."""

from __future__ import annotations

from typing import Any

from contrat_ville.core.registries import HomePanel, NavigationEntry, contribute, members_only
from contrat_ville.reporting.document_contract import build_contract_document
from contrat_ville.reporting.document_diagnostic import build_diagnostic
from contrat_ville.reporting.document_selectors import generated_documents
from contrat_ville.reporting.outline import DocumentKind, document_kinds, register_document_kind


def _documents_context(contract: Any, membership: Any) -> dict[str, Any]:
    """The home panel « Documents »: the kinds, and the latest documents produced (one query)."""
    return {"kinds": list(document_kinds.values()), "latest": list(generated_documents(contract=contract)[:3])}


def register() -> None:
    contribute(
        navigation={
            "reporting-open-data": NavigationEntry("Données ouvertes", "reporting:open_data", order=880),
            "reporting-documents": NavigationEntry(
                "Documents", "reporting:document_list", order=870, is_visible=members_only
            ),
        },
        panels={
            "reporting-documents": HomePanel(
                "Documents du contrat",
                "reporting/panels/_documents.html",
                _documents_context,
                order=870,
                is_visible=members_only,
            ),
        },
    )
    register_document_kind(DocumentKind("diagnostic", "Diagnostic partagé", build_diagnostic))
    register_document_kind(DocumentKind("contract", "Contrat de ville", build_contract_document, yearly=True))
    # The evaluation (issue 12 §5): its menu entry, dashboard panel, decision targets and awaiting items.
    from contrat_ville.reporting.evaluations import registrations as evaluation_registrations

    evaluation_registrations.register()

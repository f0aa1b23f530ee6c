"""What the reporting app contributes to the lower apps' registries (design.md §2). Called from ``AppConfig.ready``."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from contrat_ville.core.registries import (
    AwaitingSource,
    ConsultableKind,
    HomePanel,
    NavigationEntry,
    contribute,
    members_only,
)
from contrat_ville.reporting.document_contract import build_contract_document
from contrat_ville.reporting.document_diagnostic import build_diagnostic
from contrat_ville.reporting.document_selectors import generated_documents
from contrat_ville.reporting.outline import DocumentKind, document_kinds, register_document_kind

ANNUAL_REPORT_KIND = "reporting.annualreport"


def _documents_context(contract: Any, membership: Any) -> dict[str, Any]:
    """The home panel « Documents »: the kinds, and the latest documents produced (one query)."""
    return {"kinds": list(document_kinds.values()), "latest": list(generated_documents(contract=contract)[:3])}


def _report_url(report: Any, contract: Any) -> str:
    return reverse("reporting:annual_report_detail", kwargs={"contract_slug": contract.slug, "report_id": report.pk})


def _report_candidates(contract: Any) -> Any:
    """None in the consultation form: the report is submitted from its own page (« Soumettre pour avis »), which sends
    it to the municipal councils too, with the deadline of at least one month the decree sets."""
    from contrat_ville.reporting.models import AnnualReport

    return AnnualReport.objects.none()


def _awaiting_approvals(user: Any) -> Any:
    from contrat_ville.reporting.annual_report_selectors import awaiting_approvals

    return awaiting_approvals(user, timezone.localdate())


def _annual_report_outline(contract: Any, year: int | None) -> Any:
    from contrat_ville.reporting.annual_report_outline import annual_report_outline

    return annual_report_outline(contract, year)


def register() -> None:
    contribute(
        navigation={
            "reporting-open-data": NavigationEntry("Données ouvertes", "reporting:open_data", order=880),
            "reporting-annual-reports": NavigationEntry("Rapport annuel", "reporting:annual_report_list", order=860),
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
        consultable=[
            ConsultableKind(
                ANNUAL_REPORT_KIND,
                "Rapport annuel politique de la ville",
                "annual_reports",
                candidates=_report_candidates,
                describe=lambda report: f"Rapport annuel politique de la ville {report.year}",
                url=_report_url,
                order=40,
            )
        ],
        awaiting={
            "reporting.annual_report_approvals": AwaitingSource(
                "Rapports annuels à faire approuver", _awaiting_approvals, order=60
            )
        },
    )
    register_document_kind(
        DocumentKind("annual_report", "Rapport annuel politique de la ville", _annual_report_outline, yearly=True)
    )
    register_document_kind(DocumentKind("diagnostic", "Diagnostic partagé", build_diagnostic))
    register_document_kind(DocumentKind("contract", "Contrat de ville", build_contract_document, yearly=True))
    # The evaluation (issue 12 §5): its menu entry, dashboard panel, decision targets and awaiting items.
    from contrat_ville.reporting.evaluations import registrations as evaluation_registrations

    evaluation_registrations.register()

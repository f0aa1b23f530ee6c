"""Reads of the generated documents (issue 12 §2-4): the kinds a contract may generate, the years of the yearly
kinds, the documents already generated (a fixed number of queries whatever their number)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from contrat_ville.contracts.models import Contract
from contrat_ville.core.lookups import found_or_404
from contrat_ville.reporting.enums import DocumentStatus
from contrat_ville.reporting.models import GeneratedDocument
from contrat_ville.reporting.outline import DocumentKind, document_kinds
from contrat_ville.strategy.models import ActionPlan


def document_years(*, contract: Contract) -> list[int]:
    """The years a yearly document may be generated for: those with an action plan, newest first (one query)."""
    return list(ActionPlan.objects.filter(contract=contract).values_list("year", flat=True).order_by("-year"))


def kind_label(kind: str) -> str:
    document_kind = document_kinds.get(kind)
    return document_kind.label if document_kind is not None else kind


@dataclass(frozen=True)
class KindRow:
    """A kind of document the page offers, with the years it may be generated for (yearly kinds)."""

    kind: DocumentKind
    years: list[int]

    @property
    def available(self) -> bool:
        return not self.kind.yearly or bool(self.years)


def kind_rows(*, contract: Contract) -> list[KindRow]:
    years = document_years(contract=contract)
    return [KindRow(kind=kind, years=years if kind.yearly else []) for kind in document_kinds.values()]


def generated_documents(*, contract: Contract) -> QuerySet[GeneratedDocument]:
    """The contract's generated documents, newest first, with who asked (one query)."""
    return (
        GeneratedDocument.objects.filter(contract=contract)
        .select_related("requested_by", "contract")
        .order_by("-requested_at", "-pk")
    )


def generated_document_get(*, contract: Contract, document_id: int) -> GeneratedDocument:
    return found_or_404(generated_documents(contract=contract).filter(pk=document_id).first(), "Document introuvable.")


def latest_done_document(*, contract: Contract, kind: str, year: int | None) -> GeneratedDocument | None:
    """The latest document of ``kind`` (for ``year``) whose files are ready, or None (one query)."""
    return (
        GeneratedDocument.objects.filter(contract=contract, kind=kind, year=year, status=DocumentStatus.DONE)
        .order_by("-finished_at", "-pk")
        .first()
    )

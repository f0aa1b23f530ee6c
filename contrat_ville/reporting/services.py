"""Requests of generated documents (issue 12 §4): the web request creates the row and enqueues the task; a worker
builds the files (``reporting.tasks.generate_document``), never the request itself when a worker backend is set."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from contrat_ville.contracts.models import Contract
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.reporting.document_selectors import document_years

# The evaluation's services, re-exported under the name the import rule allows other apps (the demo) to use.
from contrat_ville.reporting.evaluations.services import EvaluationFields as EvaluationFields
from contrat_ville.reporting.evaluations.services import FindingsFields as FindingsFields
from contrat_ville.reporting.evaluations.services import QuestionFields as QuestionFields
from contrat_ville.reporting.evaluations.services import evaluation_create as evaluation_create
from contrat_ville.reporting.evaluations.services import evaluation_record_findings as evaluation_record_findings
from contrat_ville.reporting.evaluations.services import evaluation_set_status as evaluation_set_status
from contrat_ville.reporting.evaluations.services import question_create as question_create
from contrat_ville.reporting.models import GeneratedDocument
from contrat_ville.reporting.outline import document_kinds


def document_request(*, contract: Contract, kind: str, year: int | None, by: Any) -> GeneratedDocument:
    """Queue the generation of a document of ``kind`` (for ``year`` when the kind is yearly: a year with a plan)."""
    document_kind = document_kinds.get(kind)
    if document_kind is None:
        raise BusinessRuleError("Ce type de document n'existe pas.", field="kind")
    if document_kind.yearly:
        years = document_years(contract=contract)
        if not years:
            raise BusinessRuleError(
                "Aucun plan d'actions n'est encore établi : ce document se produit pour l'année d'un plan.",
                field="year",
            )
        if year is None:
            year = years[0]
        if year not in years:
            raise BusinessRuleError(
                f"Aucun plan d'actions pour {year} : choisissez l'une des années "
                f"{', '.join(str(item) for item in years)}.",
                field="year",
            )
    else:
        year = None
    document = GeneratedDocument.objects.create(
        contract=contract,
        kind=kind,
        year=year,
        requested_by=by if getattr(by, "is_authenticated", False) else None,
    )
    transaction.on_commit(lambda: enqueue_generation(document.pk))
    return document


def enqueue_generation(document_id: int) -> None:
    from contrat_ville.reporting.tasks import generate_document

    generate_document.enqueue(document_id)

"""Requests of generated documents (issue 12 §4): the web request creates the row and enqueues the task; a worker
builds the files (``reporting.tasks.generate_document``), never the request itself when a worker backend is set."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from contrat_ville.contracts.models import Contract
from contrat_ville.core.exceptions import BusinessRuleError

# The annual report's and the evaluation's services, re-exported under the name the import rule allows other
# apps (the demo) to use.
from contrat_ville.reporting.annual_report_services import ReportTexts as ReportTexts
from contrat_ville.reporting.annual_report_services import annual_report_approve as annual_report_approve
from contrat_ville.reporting.annual_report_services import annual_report_create as annual_report_create
from contrat_ville.reporting.annual_report_services import annual_report_publish as annual_report_publish
from contrat_ville.reporting.annual_report_services import annual_report_submit as annual_report_submit
from contrat_ville.reporting.annual_report_services import annual_report_texts_update as annual_report_texts_update
from contrat_ville.reporting.annual_report_services import dsu_line_add as dsu_line_add
from contrat_ville.reporting.annual_report_services import dsu_line_delete as dsu_line_delete
from contrat_ville.reporting.annual_report_services import earliest_deadline as earliest_deadline
from contrat_ville.reporting.annual_report_services import municipal_opinion_record as municipal_opinion_record
from contrat_ville.reporting.document_selectors import document_years
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

"""Writes of the reporting app, for the apps above it (the demo): the annual report's procedure lives in
``annual_report_services``; this is its public name (design.md §2: an app imports another's ``services``)."""

from contrat_ville.reporting.annual_report_services import (
    ReportTexts,
    annual_report_approve,
    annual_report_create,
    annual_report_publish,
    annual_report_submit,
    annual_report_texts_update,
    dsu_line_add,
    dsu_line_delete,
    earliest_deadline,
    municipal_opinion_record,
)

__all__ = [
    "ReportTexts",
    "annual_report_approve",
    "annual_report_create",
    "annual_report_publish",
    "annual_report_submit",
    "annual_report_texts_update",
    "dsu_line_add",
    "dsu_line_delete",
    "earliest_deadline",
    "municipal_opinion_record",
]

"""Writes of the reporting app that other apps call (the demo): each area's services, re-exported under the name
the import rule allows (``<app>.services``, tests/test_conventions.py)."""

from contrat_ville.reporting.evaluations.services import (
    EvaluationFields,
    FindingsFields,
    QuestionFields,
    evaluation_create,
    evaluation_record_findings,
    evaluation_set_status,
    question_create,
)

__all__ = [
    "EvaluationFields",
    "FindingsFields",
    "QuestionFields",
    "evaluation_create",
    "evaluation_record_findings",
    "evaluation_set_status",
    "question_create",
]

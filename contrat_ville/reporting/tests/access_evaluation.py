"""Rows of the access matrix for the evaluation's URLs (see tests/access_rows.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile

from contrat_ville.reporting.evaluations import services
from contrat_ville.reporting.tests.evaluation_factories import make_evaluation, make_question
from tests.access_rows import API_CONTRACT_PUBLIC, CONTRACT_PRIVATE, CONTRACT_PUBLIC, Row, _contract_id, _slug

EVALUATION = "reporting_evaluation"
QUESTION = "reporting_evaluation_question"


def _evaluation(world: Any, contract: Any) -> dict[str, Any]:
    return {"contract_slug": contract.slug, "evaluation_id": world.objects[contract.pk][EVALUATION].pk}


def _question(world: Any, contract: Any) -> dict[str, Any]:
    return {"contract_slug": contract.slug, "question_id": world.objects[contract.pk][QUESTION].pk}


def _row(scope: str, kwargs: Callable[[Any, Any], dict[str, Any]], method: str = "get") -> Row:
    return Row(scope, kwargs, method=method)


ACCESS_ROWS: dict[str, Row] = {
    # public on a published contract: the completed evaluations (the world's evaluation is completed)
    "reporting:evaluation_list": _row(CONTRACT_PUBLIC, _slug),
    "reporting:evaluation_detail": _row(CONTRACT_PUBLIC, _evaluation),
    "reporting:evaluation_report": _row(CONTRACT_PUBLIC, _evaluation),
    "reporting:evaluation_create": _row(CONTRACT_PRIVATE, _slug),
    "reporting:evaluation_update": _row(CONTRACT_PRIVATE, _evaluation),
    "reporting:evaluation_findings": _row(CONTRACT_PRIVATE, _evaluation),
    "reporting:evaluation_request_validation": _row(CONTRACT_PRIVATE, _evaluation, method="post"),
    "reporting:question_create": _row(CONTRACT_PRIVATE, _evaluation),
    "reporting:question_update": _row(CONTRACT_PRIVATE, _question),
    "reporting:question_delete": _row(CONTRACT_PRIVATE, _question),
    "api-1:reporting_evaluation_list": _row(API_CONTRACT_PUBLIC, _contract_id),
}


def access_objects(contract: Any, objects: dict[str, Any]) -> dict[str, Any]:
    """A completed evaluation of ``contract`` with its report, and one evaluative question."""
    evaluation = make_evaluation(contract, title="Évaluation de test")
    question = make_question(evaluation, text="Question évaluative de test ?")
    services.evaluation_record_findings(
        evaluation=evaluation,
        fields=services.FindingsFields(
            findings="Constats de test.", completed=True, report_file=ContentFile(b"%PDF-1.4", name="rapport.pdf")
        ),
    )
    return {EVALUATION: evaluation, QUESTION: question}

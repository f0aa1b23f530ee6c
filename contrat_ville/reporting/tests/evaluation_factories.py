"""Test builders of the evaluation, through the services (so the rules apply)."""

from __future__ import annotations

from datetime import date
from typing import Any

from contrat_ville.contracts.models import Contract
from contrat_ville.reporting.evaluations import services
from contrat_ville.reporting.evaluations.enums import EvaluationKind
from contrat_ville.reporting.evaluations.models import Evaluation, EvaluativeQuestion


def make_evaluation(
    contract: Contract,
    *,
    title: str = "Évaluation à mi-parcours du contrat",
    kind: str = EvaluationKind.MID_TERM,
    planned_start_on: date = date(2027, 1, 15),
    planned_end_on: date = date(2027, 9, 30),
    **fields: Any,
) -> Evaluation:
    return services.evaluation_create(
        contract=contract,
        fields=services.EvaluationFields(
            kind=kind, title=title, planned_start_on=planned_start_on, planned_end_on=planned_end_on, **fields
        ),
    )


def make_question(
    evaluation: Evaluation,
    *,
    text: str = "Le contrat a-t-il amélioré l'accès à l'emploi des habitants des quartiers ?",
    **fields: Any,
) -> EvaluativeQuestion:
    return services.question_create(evaluation=evaluation, fields=services.QuestionFields(text=text, **fields))

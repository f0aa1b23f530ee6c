"""API of the evaluation, mounted under /contracts in config/api.py: the same visibility as the page (members read
every evaluation, anyone reads the completed ones of a published contract; 404 outside the tenancy)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from contrat_ville.contracts.access import api_contract_access
from contrat_ville.core.api_endpoints import Endpoints
from contrat_ville.core.schemas import Id
from contrat_ville.reporting.evaluations import selectors
from contrat_ville.reporting.evaluations.schemas import (
    EvaluationIndicatorOut,
    EvaluationObjectiveOut,
    EvaluationOut,
    EvaluativeQuestionOut,
)

router = Router(tags=["Évaluation"])
endpoints = Endpoints(router, "reporting")


# An indicator's figures, from the state of the objective it measures (none without one).
FIGURES = ("latest_value", "latest_year", "baseline_value", "target_value")


def _question(row: selectors.QuestionRow) -> EvaluativeQuestionOut:
    return EvaluativeQuestionOut.of(
        row.question,
        validated=row.is_validated,
        decision=row.decision,
        objectives=[
            EvaluationObjectiveOut.of(line.objective, status=line.state.status, status_label=line.state.status_label)
            for line in row.objectives
        ],
        indicators=[
            EvaluationIndicatorOut.of(
                line.indicator,
                objective_id=line.objective.pk if line.objective else None,
                **{name: getattr(line.state, name, None) for name in FIGURES},
            )
            for line in row.indicators
        ],
    )


def _evaluation(row: selectors.EvaluationRow) -> EvaluationOut:
    return EvaluationOut.of(
        row.evaluation,
        commissioned=row.is_validated,
        decision=row.decision,
        questions=[_question(question) for question in row.questions],
    )


@endpoints.reads("/{contract_id}/evaluations", list[EvaluationOut], summary="Évaluations du contrat")
def evaluation_list(request: HttpRequest, contract_id: Id) -> Any:
    """Les évaluations (à mi-parcours, finale, thématiques) avec leur structure responsable, leur calendrier, leur
    budget, leur état, la décision du comité de pilotage qui les commande, leurs questions évaluatives (objectifs
    opérationnels et indicateurs examinés, dernière valeur face à la référence et à la cible, validation) et leurs
    constats. Les membres du contrat les lisent toutes ; sur un contrat publié, chacun lit les évaluations
    achevées."""
    access = api_contract_access(request, contract_id, private=False)
    return [_evaluation(row) for row in selectors.evaluation_rows(contract=access.contract, access=access)]

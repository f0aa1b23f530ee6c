"""API of the evaluation, mounted under /contracts in config/api.py: the same visibility as the page (members read
every evaluation, anyone reads the completed ones of a published contract; 404 outside the tenancy)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from contrat_ville.contracts.access import api_contract_access
from contrat_ville.core.api_endpoints import Endpoints
from contrat_ville.core.schemas import Id
from contrat_ville.governance.models import Decision
from contrat_ville.reporting.evaluations import selectors
from contrat_ville.reporting.evaluations.schemas import (
    EvaluationDecisionOut,
    EvaluationIndicatorOut,
    EvaluationObjectiveOut,
    EvaluationOut,
    EvaluativeQuestionOut,
)

router = Router(tags=["Évaluation"])
endpoints = Endpoints(router, "reporting")


def _decision(decision: Decision | None) -> EvaluationDecisionOut | None:
    if decision is None:
        return None
    return EvaluationDecisionOut(
        verdict=decision.verdict,
        verdict_label=decision.get_verdict_display(),
        decided_on=timezone.localdate(decision.meeting.starts_at),
        body_name=decision.meeting.body.name,
    )


def _question(row: selectors.QuestionRow) -> EvaluativeQuestionOut:
    question = row.question
    return EvaluativeQuestionOut(
        id=question.pk,
        order=question.order,
        text=question.text,
        pillar=question.pillar.label if question.pillar_id else None,
        axis=question.axis.label if question.axis_id else None,
        answer=question.answer,
        validated=row.is_validated,
        decision=_decision(row.decision),
        objectives=[
            EvaluationObjectiveOut(
                id=line.objective.pk,
                code=line.objective.code,
                title=line.objective.title,
                status=line.state.status,
                status_label=line.state.status_label,
            )
            for line in row.objectives
        ],
        indicators=[
            EvaluationIndicatorOut(
                id=line.indicator.pk,
                code=line.indicator.code,
                label=line.indicator.label,
                unit=line.indicator.unit,
                latest_value=line.state.latest_value if line.state else None,
                latest_year=line.state.latest_year if line.state else None,
                baseline_value=line.state.baseline_value if line.state else None,
                target_value=line.state.target_value if line.state else None,
                objective_id=line.objective.pk if line.objective else None,
            )
            for line in row.indicators
        ],
    )


def _evaluation(row: selectors.EvaluationRow) -> EvaluationOut:
    evaluation = row.evaluation
    return EvaluationOut(
        id=evaluation.pk,
        kind=evaluation.kind,
        kind_label=evaluation.get_kind_display(),
        title=evaluation.title,
        owner=str(evaluation.owner) if evaluation.owner_id else None,
        evaluator=evaluation.evaluator,
        planned_start_on=evaluation.planned_start_on,
        planned_end_on=evaluation.planned_end_on,
        started_on=evaluation.started_on,
        ended_on=evaluation.ended_on,
        budget=evaluation.budget,
        status=evaluation.status,
        status_label=evaluation.get_status_display(),
        commissioned=row.is_validated,
        decision=_decision(row.decision),
        findings=evaluation.findings,
        recommendations=evaluation.recommendations,
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

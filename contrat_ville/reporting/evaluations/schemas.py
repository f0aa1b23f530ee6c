"""Output of the evaluation's API (``GET /api/v1/contracts/{id}/evaluations``). Names unique across the API."""

from __future__ import annotations

from datetime import date

from ninja import Field

from contrat_ville.core.schemas import OutputSchema, VerdictOut
from contrat_ville.reporting.evaluations.models import Evaluation, EvaluativeQuestion


class EvaluationDecisionOut(VerdictOut):
    pass


class EvaluationObjectiveOut(OutputSchema):
    id: int
    code: str
    title: str
    status: str
    status_label: str


class EvaluationIndicatorOut(OutputSchema):
    id: int
    code: str
    label: str
    unit: str
    latest_value: float | None
    latest_year: int | None
    baseline_value: float | None
    target_value: float | None
    objective_id: int | None


class EvaluativeQuestionOut(OutputSchema):
    id: int
    order: int
    text: str
    pillar: str | None
    axis: str | None
    answer: str
    validated: bool
    decision: EvaluationDecisionOut | None
    objectives: list[EvaluationObjectiveOut]
    indicators: list[EvaluationIndicatorOut]

    @staticmethod
    def resolve_pillar(question: EvaluativeQuestion) -> str | None:
        return question.pillar.label if question.pillar_id else None

    @staticmethod
    def resolve_axis(question: EvaluativeQuestion) -> str | None:
        return question.axis.label if question.axis_id else None


class EvaluationOut(OutputSchema):
    id: int
    kind: str
    kind_label: str = Field(validation_alias="get_kind_display")
    title: str
    owner: str | None
    evaluator: str
    planned_start_on: date
    planned_end_on: date
    started_on: date | None
    ended_on: date | None
    budget: int | None
    status: str
    status_label: str = Field(validation_alias="get_status_display")
    commissioned: bool
    decision: EvaluationDecisionOut | None
    findings: str
    recommendations: str
    questions: list[EvaluativeQuestionOut]

    @staticmethod
    def resolve_owner(evaluation: Evaluation) -> str | None:
        return str(evaluation.owner) if evaluation.owner_id else None

"""Output of the evaluation's API (``GET /api/v1/contracts/{id}/evaluations``). Names unique across the API."""

from __future__ import annotations

from datetime import date

from ninja import Schema


class EvaluationDecisionOut(Schema):
    verdict: str
    verdict_label: str
    decided_on: date
    body_name: str


class EvaluationObjectiveOut(Schema):
    id: int
    code: str
    title: str
    status: str
    status_label: str


class EvaluationIndicatorOut(Schema):
    id: int
    code: str
    label: str
    unit: str
    latest_value: float | None
    latest_year: int | None
    baseline_value: float | None
    target_value: float | None
    objective_id: int | None


class EvaluativeQuestionOut(Schema):
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


class EvaluationOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    owner: str | None
    evaluator: str
    planned_start_on: date
    planned_end_on: date
    started_on: date | None
    ended_on: date | None
    budget: int | None
    status: str
    status_label: str
    commissioned: bool
    decision: EvaluationDecisionOut | None
    findings: str
    recommendations: str
    questions: list[EvaluativeQuestionOut]

"""Reads of the evaluation (issue 12 §5), in a bounded number of queries whatever the data.

Who sees what: the contract's members read every evaluation; a visitor of a published contract reads the completed
ones (their questions, findings and recommendations: a completed evaluation is public, like the annual report it
feeds), never those in preparation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet

from contrat_ville.contracts.models import Contract, Pillar, TransversalAxis
from contrat_ville.contracts.permissions import STEERING
from contrat_ville.contracts.selectors import ContractAccess
from contrat_ville.core.historised import in_force
from contrat_ville.core.lookups import found_or_404
from contrat_ville.governance.models import Decision
from contrat_ville.governance.selectors.decisions import DecidedRow, decision_validates, validations_for
from contrat_ville.observation.models import Indicator
from contrat_ville.reporting.evaluations.enums import EvaluationStatus
from contrat_ville.reporting.evaluations.models import Evaluation, EvaluativeQuestion
from contrat_ville.strategy.models import Objective
from contrat_ville.strategy.selectors import ObjectiveState, objective_states


def _is_member(access: ContractAccess | None) -> bool:
    return access is not None and access.is_member


def evaluations_visible(*, contract: Contract, access: ContractAccess | None) -> QuerySet[Evaluation]:
    """The contract's evaluations ``access`` may read: all of them for a member, the completed ones otherwise."""
    evaluations = Evaluation.objects.filter(contract=contract)
    if not _is_member(access):
        evaluations = evaluations.filter(status=EvaluationStatus.COMPLETED)
    return evaluations


def evaluation_get(*, contract: Contract, evaluation_id: int, access: ContractAccess | None) -> Evaluation:
    """One visible evaluation of the contract, or 404 (the same answer whether it is elsewhere or hidden)."""
    return found_or_404(
        evaluations_visible(contract=contract, access=access)
        .select_related("contract", "owner")
        .filter(pk=evaluation_id)
        .first(),
        "Évaluation introuvable.",
    )


def question_get(*, contract: Contract, question_id: int) -> EvaluativeQuestion:
    """A question of one of the contract's evaluations (for its edit pages: members only), or 404."""
    return found_or_404(
        EvaluativeQuestion.objects.filter(contract=contract, evaluation__contract=contract, pk=question_id)
        .select_related("evaluation", "evaluation__contract", "contract")
        .first(),
        "Question évaluative introuvable.",
    )


# --- choices of the forms ---------------------------------------------------------------------------------------


def objective_choices(*, contract: Contract, keep: Iterable[int] = ()) -> QuerySet[Objective]:
    """The contract's operational objectives in force (and those a question already cites), in tree order."""
    return (
        Objective.objects.filter(orientation__contract=contract)
        .filter(in_force(keep))
        .select_related("orientation", "orientation__pillar")
        .order_by("orientation__pillar__order", "orientation__order", "orientation__pk", "order", "pk")
    )


def indicator_choices(*, contract: Contract) -> QuerySet[Indicator]:
    """The catalogue indicators that measure an operational objective of the contract (they have a baseline and a
    target there)."""
    measured = Objective.objects.filter(orientation__contract=contract, indicator__isnull=False).values("indicator_id")
    return Indicator.objects.filter(pk__in=measured).order_by("order", "code")


def pillar_choices(*, contract: Contract) -> QuerySet[Pillar]:
    return Pillar.objects.filter(contract=contract).current().order_by("order", "pk")


def axis_choices(*, contract: Contract) -> QuerySet[TransversalAxis]:
    return TransversalAxis.objects.filter(contract=contract).current().order_by("order", "pk")


# --- the evaluation page ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectiveLine:
    """An objective a question looks at, with where it stands (latest value against baseline and target)."""

    objective: Objective
    state: ObjectiveState


@dataclass(frozen=True)
class IndicatorLine:
    """An indicator a question looks at: its latest value against the baseline and target of the contract's
    objective that it measures (``objective``; the question's own objectives first)."""

    indicator: Indicator
    objective: Objective | None
    state: ObjectiveState | None


@dataclass(frozen=True)
class QuestionRow(DecidedRow):
    question: EvaluativeQuestion
    decision: Decision | None
    objectives: list[ObjectiveLine]
    indicators: list[IndicatorLine]


@dataclass(frozen=True)
class EvaluationRow(DecidedRow):
    """Validated: the comité de pilotage commissioned the evaluation."""

    evaluation: Evaluation
    decision: Decision | None
    questions: list[QuestionRow] = field(default_factory=list)

    @property
    def validated_question_count(self) -> int:
        return sum(1 for row in self.questions if row.is_validated)


def _questions_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "questions",
        queryset=EvaluativeQuestion.objects.select_related("pillar", "axis").prefetch_related(
            Prefetch(
                "objectives",
                queryset=Objective.objects.select_related("indicator", "orientation").order_by(
                    "orientation__order", "order", "pk"
                ),
            ),
            Prefetch("indicators", queryset=Indicator.objects.order_by("order", "code")),
        ),
    )


def evaluation_rows(
    *, contract: Contract, access: ContractAccess | None, evaluation_id: int | None = None
) -> list[EvaluationRow]:
    """The visible evaluations (or one) with their commission decision, questions, validations, objectives and
    indicators and where each stands: eight queries whatever the number of evaluations and questions."""
    evaluations = list(
        evaluations_visible(contract=contract, access=access)
        .filter(**({"pk": evaluation_id} if evaluation_id is not None else {}))
        .select_related("owner")
        .prefetch_related(_questions_prefetch())
        .order_by("planned_start_on", "pk")
    )
    questions = [question for evaluation in evaluations for question in evaluation.questions.all()]
    evaluation_decisions = validations_for(evaluations)
    question_decisions = validations_for(questions)
    indicator_ids = {indicator.pk for question in questions for indicator in question.indicators.all()}
    # The contract's objectives measuring the questions' indicators: their baseline and target (one query).
    measuring: dict[int, Objective] = {}
    if indicator_ids:
        for measured in (
            Objective.objects.filter(orientation__contract=contract, indicator_id__in=indicator_ids)
            .select_related("indicator", "orientation")
            .order_by("orientation__order", "order", "pk")
        ):
            measuring.setdefault(measured.indicator_id, measured)  # type: ignore[arg-type]
    linked = {objective.pk: objective for question in questions for objective in question.objectives.all()}
    states = objective_states(
        [*linked.values(), *(item for item in measuring.values() if item.pk not in linked)],
        contract=contract,
        access=access,
    )
    rows = []
    for evaluation in evaluations:
        question_rows = []
        for question in evaluation.questions.all():
            own = list(question.objectives.all())
            indicator_lines = []
            for indicator in question.indicators.all():
                objective: Objective | None = next(
                    (item for item in own if item.indicator_id == indicator.pk), measuring.get(indicator.pk)
                )
                indicator_lines.append(
                    IndicatorLine(
                        indicator=indicator,
                        objective=objective,
                        state=states.get(objective.pk) if objective is not None else None,
                    )
                )
            question_rows.append(
                QuestionRow(
                    question=question,
                    decision=question_decisions.get(question.pk),
                    objectives=[ObjectiveLine(objective, states[objective.pk]) for objective in own],
                    indicators=indicator_lines,
                )
            )
        rows.append(EvaluationRow(evaluation, evaluation_decisions.get(evaluation.pk), question_rows))
    return rows


# --- the dashboard panel ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Milestone:
    evaluation: Evaluation
    label: str  # « début prévu », « fin prévue »
    on: date


@dataclass(frozen=True)
class EvaluationSummary:
    evaluation_count: int
    completed_count: int
    question_count: int
    validated_question_count: int
    next_milestone: Milestone | None

    @property
    def pending_question_count(self) -> int:
        return self.question_count - self.validated_question_count


def evaluation_summary(*, contract: Contract, today: date) -> EvaluationSummary:
    """The panel of the contract's dashboard: how many evaluations and questions, how many questions the comité
    de pilotage validated, and the next milestone of an evaluation not completed (three queries)."""
    evaluations = list(Evaluation.objects.filter(contract=contract).order_by("planned_start_on", "pk"))
    questions = list(EvaluativeQuestion.objects.filter(contract=contract).only("pk"))
    decisions = validations_for(questions)
    milestones = []
    for evaluation in evaluations:
        if evaluation.status == EvaluationStatus.PLANNED and evaluation.planned_start_on >= today:
            milestones.append(Milestone(evaluation, "début prévu", evaluation.planned_start_on))
        elif evaluation.status != EvaluationStatus.COMPLETED:
            milestones.append(Milestone(evaluation, "fin prévue", evaluation.planned_end_on))
    return EvaluationSummary(
        evaluation_count=len(evaluations),
        completed_count=sum(1 for evaluation in evaluations if evaluation.is_completed),
        question_count=len(questions),
        validated_question_count=sum(1 for decision in decisions.values() if decision_validates(decision)),
        next_milestone=min(milestones, key=lambda milestone: milestone.on, default=None),
    )


# --- what awaits the pilot ----------------------------------------------------------------------------------------


def awaiting_findings(*, user: Any, today: date) -> list[Evaluation]:
    """The evaluations whose planned end has passed without findings, in the contracts where ``user`` keeps the
    evaluation (``permissions.can_manage_evaluations``: the pilot and the State; one query)."""
    return list(
        Evaluation.objects.filter(
            contract__roles__user=user,
            contract__roles__role__in=list(STEERING),
            planned_end_on__lt=today,
            findings="",
        )
        .select_related("contract")
        .order_by("planned_end_on", "pk")
        .distinct()
    )

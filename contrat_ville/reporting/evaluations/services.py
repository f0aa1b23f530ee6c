"""Writes of the evaluation (issue 12 §5): an evaluation, its findings, its evaluative questions.

Every write is one transactional function; every refusal is a ``BusinessRuleError`` with a French message, on the
form field it concerns. The comité de pilotage commissions an evaluation and validates its questions through
governance's decisions (nothing is stored here: ``governance.selectors.decisions`` projects the latest decision).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from contrat_ville.accounts.models import Organization
from contrat_ville.contracts.models import Contract, Pillar, TransversalAxis
from contrat_ville.core.attachments import delete_file_on_commit
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.saving import save_by
from contrat_ville.core.services import assign_fields, object_delete, required_text, status_change
from contrat_ville.core.uploads import check_upload
from contrat_ville.observation.models import Indicator
from contrat_ville.reporting.evaluations.enums import EVALUATION_TRANSITIONS, EvaluationKind, EvaluationStatus
from contrat_ville.reporting.evaluations.models import Evaluation, EvaluativeQuestion
from contrat_ville.strategy.models import Objective
from contrat_ville.strategy.selectors import organization_choices

PLANNED_ORDER_MESSAGE = "La fin prévue de l'évaluation doit suivre son début prévu."
ACTUAL_ORDER_MESSAGE = "La fin effective de l'évaluation doit suivre son début effectif."
COMPLETED_WITHOUT_FINDINGS = "Consignez les constats de l'évaluation avant de la déclarer achevée."


@dataclass(frozen=True)
class EvaluationFields:
    """What the pilot states of an evaluation (the names of the model's fields and the form's)."""

    kind: str
    title: str
    planned_start_on: date
    planned_end_on: date
    owner: Organization | None = None
    evaluator: str = ""
    started_on: date | None = None
    ended_on: date | None = None
    budget: int | None = None


@dataclass(frozen=True)
class FindingsFields:
    """What the evaluation found: its findings, recommendations, actual end and report; ``completed`` closes it."""

    findings: str = ""
    recommendations: str = ""
    ended_on: date | None = None
    report_file: Any = None
    completed: bool = False


@dataclass(frozen=True)
class QuestionFields:
    """An evaluative question and what it looks at."""

    text: str
    pillar: Pillar | None = None
    axis: TransversalAxis | None = None
    objectives: Iterable[Objective] = field(default_factory=list)
    indicators: Iterable[Indicator] = field(default_factory=list)
    answer: str = ""
    order: int = 100


# --- checks -----------------------------------------------------------------------------------------------------


def _check_calendar(
    *, planned_start_on: date, planned_end_on: date, started_on: date | None, ended_on: date | None
) -> None:
    if planned_end_on < planned_start_on:
        raise BusinessRuleError(PLANNED_ORDER_MESSAGE, field="planned_end_on")
    if started_on is not None and ended_on is not None and ended_on < started_on:
        raise BusinessRuleError(ACTUAL_ORDER_MESSAGE, field="ended_on")


def _check_owner(owner: Organization | None, *, contract: Contract) -> None:
    """The owner is one of the organisations the contract may name (``strategy.selectors.organization_choices``:
    its partners, not a local authority of another territory)."""
    if owner is not None and not organization_choices(contract=contract).filter(pk=owner.pk).exists():
        raise BusinessRuleError(
            f"« {owner} » ne peut pas conduire une évaluation de ce contrat : choisissez une de ses organisations.",
            field="owner",
        )


def _check_budget(budget: int | None) -> None:
    if budget is not None and budget < 0:
        raise BusinessRuleError("Le budget de l'évaluation ne peut pas être négatif.", field="budget")


def _check_kind(kind: str) -> None:
    if kind not in EvaluationKind.values:
        raise BusinessRuleError("Choisissez le type d'évaluation : à mi-parcours, finale ou thématique.", field="kind")


def _set_fields(evaluation: Evaluation, fields: EvaluationFields) -> None:
    _check_kind(fields.kind)
    _check_calendar(
        planned_start_on=fields.planned_start_on,
        planned_end_on=fields.planned_end_on,
        started_on=fields.started_on,
        ended_on=fields.ended_on,
    )
    _check_owner(fields.owner, contract=evaluation.contract)
    _check_budget(fields.budget)
    assign_fields(evaluation, fields, stripped=("evaluator",), leave_out=("title",))
    evaluation.title = required_text(fields.title, "L'intitulé de l'évaluation est obligatoire.", field="title")


# --- evaluations ------------------------------------------------------------------------------------------------


@transaction.atomic
def evaluation_create(*, contract: Contract, fields: EvaluationFields, by: Any = None) -> Evaluation:
    """Plan an evaluation (domain.md §5.2: at mid-term and at the end, or on a theme): « prévue » until it starts.

    The comité de pilotage commissions it by a decision on it (decision target ``reporting.evaluation``)."""
    evaluation = Evaluation(contract=contract)
    _set_fields(evaluation, fields)
    return save_by(evaluation, by)


@transaction.atomic
def evaluation_update(
    *, evaluation: Evaluation, fields: EvaluationFields, status: str | None = None, by: Any = None
) -> Evaluation:
    """Edit an evaluation; a change of ``status`` goes through ``evaluation_set_status`` (history, rules)."""
    _set_fields(evaluation, fields)
    save_by(evaluation, by)
    if status is not None and status != evaluation.status:
        evaluation_set_status(evaluation=evaluation, status=status, by=by)
    return evaluation


@transaction.atomic
def evaluation_set_status(*, evaluation: Evaluation, status: str, by: Any = None, comment: str = "") -> Evaluation:
    """Planned → in progress → completed (or back one step), recorded in the status history. A completed
    evaluation states its findings; starting it sets its actual start to today when none was given."""
    if status == EvaluationStatus.COMPLETED and not evaluation.findings.strip():
        raise BusinessRuleError(COMPLETED_WITHOUT_FINDINGS, field="status")
    status_change(
        obj=evaluation,
        to_status=status,
        transitions=EVALUATION_TRANSITIONS,
        labels=dict(EvaluationStatus.choices),
        by=by,
        comment=comment,
    )
    if status == EvaluationStatus.IN_PROGRESS and evaluation.started_on is None:
        evaluation.started_on = timezone.localdate()
        save_by(evaluation, by, "started_on")
    return evaluation


@transaction.atomic
def evaluation_record_findings(*, evaluation: Evaluation, fields: FindingsFields, by: Any = None) -> Evaluation:
    """Record what the evaluation found (findings, recommendations, actual end, report); with ``completed`` it is
    declared « achevée » (a planned one is started first), which requires findings."""
    if fields.ended_on is not None and evaluation.started_on is not None and fields.ended_on < evaluation.started_on:
        raise BusinessRuleError(ACTUAL_ORDER_MESSAGE, field="ended_on")
    if fields.completed and not (fields.findings or "").strip():
        raise BusinessRuleError(COMPLETED_WITHOUT_FINDINGS, field="findings")
    if fields.report_file:
        check_upload(fields.report_file)
        if evaluation.report_file:
            delete_file_on_commit(evaluation.report_file)
        evaluation.report_file = fields.report_file
    evaluation.findings = (fields.findings or "").strip()
    evaluation.recommendations = (fields.recommendations or "").strip()
    evaluation.ended_on = fields.ended_on
    save_by(evaluation, by)
    if fields.completed and evaluation.status != EvaluationStatus.COMPLETED:
        if evaluation.status == EvaluationStatus.PLANNED:
            evaluation_set_status(evaluation=evaluation, status=EvaluationStatus.IN_PROGRESS, by=by)
        evaluation_set_status(evaluation=evaluation, status=EvaluationStatus.COMPLETED, by=by)
    return evaluation


@transaction.atomic
def evaluation_remove_report(*, evaluation: Evaluation, by: Any = None) -> Evaluation:
    if not evaluation.report_file:
        raise BusinessRuleError("Cette évaluation n'a pas de rapport joint.")
    delete_file_on_commit(evaluation.report_file)
    evaluation.report_file = ""
    return save_by(evaluation, by, "report_file")


@transaction.atomic
def evaluation_delete(*, evaluation: Evaluation, by: Any = None) -> None:
    """Delete an evaluation and its questions while no decision of the comité de pilotage names them."""
    for question in list(evaluation.questions.all()):
        object_delete(obj=question, by=by)
    object_delete(obj=evaluation, by=by)


# --- evaluative questions ---------------------------------------------------------------------------------------


def _check_question(contract: Contract, fields: QuestionFields) -> tuple[list[Objective], list[Indicator]]:
    if fields.pillar is not None and fields.pillar.contract_id != contract.pk:
        raise BusinessRuleError("Ce pilier n'est pas un pilier du contrat.", field="pillar")
    if fields.axis is not None and fields.axis.contract_id != contract.pk:
        raise BusinessRuleError("Cet axe n'est pas un axe transversal du contrat.", field="axis")
    objectives = list(fields.objectives)
    foreign_ids = {objective.pk for objective in objectives} - set(
        Objective.objects.filter(
            pk__in=[objective.pk for objective in objectives], orientation__contract=contract
        ).values_list("pk", flat=True)
    )
    if foreign_ids:
        listed = ", ".join(f"« {objective} »" for objective in objectives if objective.pk in foreign_ids)
        raise BusinessRuleError(f"Ces objectifs ne sont pas des objectifs du contrat : {listed}.", field="objectives")
    indicators = list(fields.indicators)
    measured = set(
        Objective.objects.filter(orientation__contract=contract, indicator__isnull=False).values_list(
            "indicator_id", flat=True
        )
    )
    unmeasured = [indicator for indicator in indicators if indicator.pk not in measured]
    if unmeasured:
        listed = ", ".join(f"« {indicator} »" for indicator in unmeasured)
        raise BusinessRuleError(
            f"Ces indicateurs ne mesurent aucun objectif du contrat : {listed}. Rattachez d'abord l'indicateur à un "
            "objectif opérationnel (valeur de référence et cible).",
            field="indicators",
        )
    return objectives, indicators


def _question_save(question: EvaluativeQuestion, fields: QuestionFields, by: Any) -> EvaluativeQuestion:
    objectives, indicators = _check_question(question.contract, fields)
    question.text = required_text(fields.text, "Rédigez la question évaluative.", field="text")
    question.pillar = fields.pillar
    question.axis = fields.axis
    question.answer = (fields.answer or "").strip()
    question.order = fields.order
    save_by(question, by)
    question.objectives.set(objectives)
    question.indicators.set(indicators)
    return question


@transaction.atomic
def question_create(*, evaluation: Evaluation, fields: QuestionFields, by: Any = None) -> EvaluativeQuestion:
    """An evaluative question of ``evaluation``, on objectives and indicators of its contract; the comité de
    pilotage validates it by a decision on it (decision target ``reporting.evaluativequestion``)."""
    question = EvaluativeQuestion(evaluation=evaluation, contract_id=evaluation.contract_id)
    question.contract = evaluation.contract
    return _question_save(question, fields, by)


@transaction.atomic
def question_update(*, question: EvaluativeQuestion, fields: QuestionFields, by: Any = None) -> EvaluativeQuestion:
    return _question_save(question, fields, by)


@transaction.atomic
def question_delete(*, question: EvaluativeQuestion, by: Any = None) -> None:
    """Remove a question, refused once a decision of a body names it (governance's deletion guard)."""
    object_delete(obj=question, by=by)


def next_order(evaluation: Evaluation) -> int:
    """The order of a new question: after the others (10, 20, 30…)."""
    last = (
        EvaluativeQuestion.objects.filter(evaluation=evaluation)
        .order_by("-order")
        .values_list("order", flat=True)
        .first()
    )
    return 10 if last is None else min(last + 10, 32000)

"""The mid-term evaluation of the demo (issue 12 §5, domain.md §5.2).

Contract « val-de-sorne-2024 »: a mid-term evaluation planned three years after the contract's start, owned by the
EPCI, with its external evaluator and budget, and three evaluative questions like those Montpellier's COPIL validated
(economy and employment, access to rights, youth), linked to objectives of the demo's strategic tree and to the
catalogue indicators that measure them. The steering committee commissions the evaluation and validates the three
questions in its latest past meeting (``M``).

Idempotent: the evaluation is looked up by contract and title, the questions by their text, the decisions by their
text. Every write goes through the services of ``reporting`` and ``governance``. The content is data, in
``demo/data/evaluation.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from contrat_ville.accounts.models import User
from contrat_ville.contracts.models import Contract, Pillar
from contrat_ville.core.datafiles import load_record, load_records
from contrat_ville.demo.context import DemoContext
from contrat_ville.demo.steps.diagnostic import record_decision, steering_meeting
from contrat_ville.demo.users import PILOT, SLUG_VAL_DE_SORNE
from contrat_ville.governance.enums import Verdict
from contrat_ville.observation.models import Indicator
from contrat_ville.reporting import services
from contrat_ville.reporting.models import Evaluation, EvaluativeQuestion
from contrat_ville.strategy.models import Objective

PACKAGE, DATA_FILE = "contrat_ville.demo", "data/evaluation.yaml"


@dataclass(frozen=True)
class EvaluationSpec:
    title: str
    kind: str
    owner: str  # organisation key in the demo catalogue
    evaluator: str
    start_year_offset: int
    start_month: int
    end_month: int
    budget: int
    commission: str


@dataclass(frozen=True)
class QuestionSpec:
    text: str
    pillar: str
    objectives: tuple[str, ...]
    indicators: tuple[str, ...]
    validation: str


EVALUATION = load_record(EvaluationSpec, PACKAGE, DATA_FILE, section="evaluation")
QUESTIONS: tuple[QuestionSpec, ...] = load_records(QuestionSpec, PACKAGE, DATA_FILE, section="questions", key="text")


def step_evaluation(context: DemoContext) -> None:
    """The Val de Sorne contract's mid-term evaluation, its three questions and the committee's decisions."""
    # Looked up when the context lacks them: the step may run alone, after a full load.
    contract = context.contracts.get(SLUG_VAL_DE_SORNE) or Contract.objects.get(slug=SLUG_VAL_DE_SORNE)
    pilot = context.users.get(PILOT) or User.objects.get(email=PILOT)
    spec = EVALUATION
    year = contract.start_on.year + spec.start_year_offset
    evaluation = Evaluation.objects.filter(contract=contract, title=spec.title).first()
    if evaluation is None:
        evaluation = services.evaluation_create(
            contract=contract,
            fields=services.EvaluationFields(
                kind=spec.kind,
                title=spec.title,
                owner=context.organizations.get(spec.owner) or pilot.organization,
                evaluator=spec.evaluator,
                planned_start_on=date(year, spec.start_month, 15),
                planned_end_on=date(year, spec.end_month, 30),
                budget=spec.budget,
            ),
            by=pilot,
        )
    pillars = {pillar.code: pillar for pillar in Pillar.objects.filter(contract=contract)}
    objectives = {objective.code: objective for objective in Objective.objects.filter(orientation__contract=contract)}
    codes = {code for question in QUESTIONS for code in question.indicators}
    indicators = {indicator.code: indicator for indicator in Indicator.objects.filter(code__in=codes)}
    existing = set(EvaluativeQuestion.objects.filter(evaluation=evaluation).values_list("text", flat=True))
    questions = []
    for order, question_spec in enumerate(QUESTIONS, start=1):
        text = " ".join(question_spec.text.split())
        question = None
        if text not in existing:
            question = services.question_create(
                evaluation=evaluation,
                fields=services.QuestionFields(
                    text=text,
                    pillar=pillars.get(question_spec.pillar),
                    objectives=[objectives[code] for code in question_spec.objectives if code in objectives],
                    indicators=[indicators[code] for code in question_spec.indicators if code in indicators],
                    order=order * 10,
                ),
                by=pilot,
            )
        questions.append((question_spec, question or EvaluativeQuestion.objects.get(evaluation=evaluation, text=text)))
    meeting = steering_meeting(contract, context)
    if meeting is not None:
        record_decision(meeting, verdict=Verdict.VALIDATED, text=spec.commission, target=evaluation, by=pilot)
        for question_spec, question in questions:
            record_decision(
                meeting, verdict=Verdict.VALIDATED, text=question_spec.validation, target=question, by=pilot
            )
    context.log(
        f"  évaluation à mi-parcours du Val de Sorne ({year}) et ses {len(questions)} questions évaluatives"
        + (" validées par le comité de pilotage" if meeting is not None else "")
    )

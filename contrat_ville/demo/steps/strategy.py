"""The strategic tree and the annual action plans of the demo (seed 004, phases 3.2 and 4, « Synthèse » and its three
« Exemples de déclinaison orientation/objectif/plan d'actions »).

Contract « val-de-sorne-2024 » (in preparation). Each pillar has its orientations drawn from the retained stakes of
``steps.diagnostic`` — the seed's three worked examples word for word, plus one or two more —, validated by the
steering committee in its latest past meeting (``M``), except « 3.3 », drawn from a stake the committee will examine
at its next meeting, so that « non validée » shows. Objectives carry an indicator (from the catalogue where one fits:
CS-08 brevet, CV-06 incivilities, DE-04 youth unemployment; free text otherwise), the territory it is measured on,
a baseline (the latest figure of the observation data when the observation step loaded it, a plausible figure
otherwise) and a target at the end of the contract. In the seed's wording « x% » stays in the titles; the
description says which figure it stands for in the demo. Actions have their lead, partners, QPVs, axes, dates,
status and progress.

Two yearly plans: the plan of ``M``'s year, validated by the committee in ``M`` (its items frozen as they were),
then — the actions having progressed since — next year's plan, prepared with « Préparer le plan de l'année suivante »
(unfinished actions carried over), with two new actions and one carried-over action abandoned, so that the comparison
shows added, changed, carried-over and stopped actions.

Contract « coteaux-orbe-2024 » (published, signed in March 2024): a small validated tree, one orientation per pillar
with an objective and an action, and its 2024 plan, validated in the steering committee of 14 March 2024, so that
the public tree and plan pages have content.

Idempotent: nodes are looked up by their numéro in the contract, plans by contract (the years are those of the first
load), decisions by meeting and text; the year-to-year changes (progress, carry-over, new and abandoned actions) are
made only when next year's plan does not exist yet. Every write goes through the services of ``strategy`` and
``governance``.

The content (who, what, when) is data, in ``demo/data/strategy.yaml``; this module holds the logic that loads it.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from contrat_ville.accounts.models import User
from contrat_ville.contracts.models import Contract, Pillar, TransversalAxis
from contrat_ville.core.datafiles import load_record, load_records
from contrat_ville.demo.context import DemoContext
from contrat_ville.demo.steps.diagnostic import (
    demo_territory,
    latest_figure,
    record_decision,
    stakes_by_key,
    steering_meeting,
)
from contrat_ville.demo.steps.governance import SeatSpec
from contrat_ville.demo.users import PILOT, SLUG_COTEAUX_ORBE, SLUG_VAL_DE_SORNE
from contrat_ville.diagnostic.models import Consultation
from contrat_ville.diagnostic.selectors.consultations import council_list
from contrat_ville.diagnostic.services.consultations import consultation_create
from contrat_ville.governance.enums import AttendanceStatus, BodyKind, Verdict
from contrat_ville.governance.models import Body, BodyMember, Meeting
from contrat_ville.governance.services.bodies import body_create, body_member_add
from contrat_ville.governance.services.meetings import attendance_record, meeting_schedule
from contrat_ville.observation.models import Indicator
from contrat_ville.observation.presenters import format_value
from contrat_ville.observation.services import catalogue_load
from contrat_ville.strategy.enums import ActionStatus
from contrat_ville.strategy.models import Action, ActionPlan, Objective, Orientation
from contrat_ville.strategy.services import (
    ActionFields,
    ObjectiveFields,
    action_create,
    action_plan_add_action,
    action_plan_create,
    action_plan_prepare_next,
    action_plan_update,
    action_set_status,
    objective_create,
    orientation_create,
)

PILOT_COTEAUX = "pilote2@exemple.fr"

PLANNED = ActionStatus.PLANNED


# --- specifications -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """Where an action stands some months after the first plan's validation (before next year's plan)."""

    status: str
    progress: int
    comment: str = ""


FIRST = "first"  # in the validated plan (carried over to next year's plan while unfinished)
NEXT = "next"  # added to next year's draft plan


@dataclass(frozen=True)
class ActionSpec:
    code: str
    title: str
    description: str
    lead: str  # organisation key in the demo catalogue
    lead_contact: str = ""
    lead_email: str = ""
    partners: tuple[str, ...] = ()
    qpvs: tuple[str, ...] = ()
    axes: tuple[str, ...] = ()
    start_month: int = 1  # in the year of its plan
    end_month: int = 0  # in the year of its plan; 0: runs until the end of the contract
    status: str = PLANNED  # when the first plan is validated
    progress: int = 0
    later: Progress | None = None
    plan: str = FIRST
    abandoned: str = ""  # reason: abandoned in next year's plan


@dataclass(frozen=True)
class ObjectiveSpec:
    code: str
    title: str
    # May use {baseline}, {baseline_year}, {target}, {target_year} and {change} (formatted in French).
    description: str
    territory: str  # QPV or EPCI code
    baseline: float  # when the observation data has no figure for the indicator on the territory
    change: float  # target = baseline + change, or baseline * (1 + change) when ``relative``
    # The year of reference: the latest figure up to that year when the observation data has one; 0: the year before
    # the first plan (a figure the working group records).
    baseline_year: int = 0
    relative: bool = False
    indicator: str = ""  # catalogue code
    indicator_text: str = ""
    direction: str = ""
    unit: str = "%"
    decimals: int = 1
    # The last figure the working group recorded, in the first plan's year (indicators without published figures).
    observed: float | None = None
    actions: tuple[ActionSpec, ...] = ()


@dataclass(frozen=True)
class OrientationSpec:
    code: str
    pillar: str
    title: str
    description: str
    objectives: tuple[ObjectiveSpec, ...]
    stakes: tuple[str, ...] = ()  # StakeSpec keys of ``steps.diagnostic``
    verdict: str = Verdict.VALIDATED  # "" : left for the steering committee's next meeting
    decision_text: str = ""

    @property
    def text(self) -> str:
        return (
            self.decision_text
            or f"Le comité de pilotage valide l'orientation stratégique {self.code} « {self.title} »."
        )


@dataclass
class TreeContext:
    """What building a tree needs: the contract, who writes, the plan's year, the end of the contract."""

    context: DemoContext
    contract: Contract
    by: User
    year: int
    pillars: dict[str, Pillar] = field(default_factory=dict)
    axes: dict[str, TransversalAxis] = field(default_factory=dict)


@dataclass(frozen=True)
class SeedExample:
    """One of the seed's worked examples, word for word."""

    pillar: str
    orientation: str
    objective: str
    actions: str


@dataclass(frozen=True)
class PlanNotes:
    first: str
    next: str


@dataclass(frozen=True)
class CommitteeSpec:
    """The Coteaux de l'Orbe's steering committee and the meeting that validated its tree and its plan."""

    name: str
    seats: tuple[SeatSpec, ...]
    meeting_title: str
    meeting_on: date
    meeting_start: time
    location: str
    agenda: tuple[tuple[str, str], ...]
    plan_year: int


PACKAGE, DATA_FILE = "contrat_ville.demo", "data/strategy.yaml"
SEED_EXAMPLES: tuple[tuple[str, str, str, str], ...] = tuple(
    (example.pillar, example.orientation, example.objective, example.actions)
    for example in load_records(SeedExample, PACKAGE, DATA_FILE, section="seed_examples")
)
VAL_DE_SORNE_TREE: tuple[OrientationSpec, ...] = load_records(
    OrientationSpec, PACKAGE, DATA_FILE, section="val_de_sorne_tree", key="code"
)
PLAN_NOTES = load_record(PlanNotes, PACKAGE, DATA_FILE, section="plan_notes")
COTEAUX_COMMITTEE = load_record(CommitteeSpec, PACKAGE, DATA_FILE, section="coteaux_orbe_committee")
COTEAUX_ORBE_TREE: tuple[OrientationSpec, ...] = load_records(
    OrientationSpec, PACKAGE, DATA_FILE, section="coteaux_orbe_tree", key="code"
)


# --- building the tree ------------------------------------------------------------------------------------------


def _objective_fields(spec: ObjectiveSpec, tree: TreeContext, indicators: dict[str, Indicator]) -> ObjectiveFields:
    territory = demo_territory(tree.context, spec.territory)
    indicator = indicators.get(spec.indicator) if spec.indicator else None
    baseline_year = spec.baseline_year or tree.year - 1
    baseline = float(spec.baseline)
    figure = None
    if indicator is not None:
        figure = latest_figure(indicator, territory, tree.contract, until=spec.baseline_year or None)
    if figure is not None:
        baseline_year, baseline = figure[0], round(figure[1], spec.decimals)
    target = baseline * (1 + spec.change) if spec.relative else baseline + spec.change
    target = round(target, spec.decimals)
    target_year = max(tree.contract.end_on.year, baseline_year)
    if spec.relative:
        change = format_value(abs(spec.change) * 100, decimals=0, unit="%")
    elif spec.unit == "%":
        change = f"{format_value(abs(spec.change), decimals=0, unit='')} points"
    else:
        change = format_value(abs(spec.change), decimals=spec.decimals, unit=spec.unit)
    description = spec.description.format(
        baseline=format_value(baseline, decimals=spec.decimals, unit=spec.unit),
        baseline_year=baseline_year,
        target=format_value(target, decimals=spec.decimals, unit=spec.unit),
        target_year=target_year,
        change=change,
    )
    return ObjectiveFields(
        title=spec.title,
        code=spec.code,
        description=description,
        indicator=indicator,
        indicator_text=spec.indicator_text,
        territory=territory,
        baseline_value=baseline,
        baseline_year=baseline_year,
        target_value=target,
        target_year=target_year,
        direction=spec.direction,
        observed_value=spec.observed,
        observed_year=tree.year if spec.observed is not None else None,
    )


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _action_fields(spec: ActionSpec, tree: TreeContext) -> ActionFields:
    organizations = tree.context.organizations
    year = tree.year + (1 if spec.plan == NEXT else 0)
    end_on = _last_day(year, spec.end_month) if spec.end_month else tree.contract.end_on
    # The contract in preparation starts some months before « today »: an action of its first year starts no earlier.
    start_on = max(date(year, spec.start_month, 1), tree.contract.start_on)
    return ActionFields(
        title=spec.title,
        code=spec.code,
        description=spec.description,
        lead_organization=organizations[spec.lead],
        lead_contact=spec.lead_contact,
        lead_email=spec.lead_email,
        partners=[organizations[key] for key in spec.partners],
        qpvs=[demo_territory(tree.context, code) for code in spec.qpvs],
        axes=[tree.axes[code] for code in spec.axes],
        start_on=start_on,
        end_on=max(end_on, start_on),
    )


def _tree_upsert(
    specs: tuple[OrientationSpec, ...], tree: TreeContext, stakes: dict[str, Any]
) -> tuple[dict[str, Orientation], dict[str, Action]]:
    """Orientations, objectives and actions of ``specs``, created once each (looked up by numéro)."""
    contract = tree.contract
    indicators = {item.code: item for item in Indicator.objects.all()}
    orientations = {item.code: item for item in Orientation.objects.filter(contract=contract)}
    objectives = {item.code: item for item in Objective.objects.filter(orientation__contract=contract)}
    actions = {item.code: item for item in Action.objects.filter(objective__orientation__contract=contract)}
    for order, spec in enumerate(specs, start=1):
        orientation = orientations.get(spec.code)
        if orientation is None:
            orientation = orientations[spec.code] = orientation_create(
                contract=contract,
                pillar=tree.pillars[spec.pillar],
                title=spec.title,
                code=spec.code,
                description=spec.description,
                stakes=[stakes[key] for key in spec.stakes],
                order=order * 10,
                by=tree.by,
            )
        for objective_order, objective_spec in enumerate(spec.objectives, start=1):
            objective = objectives.get(objective_spec.code)
            if objective is None:
                objective = objectives[objective_spec.code] = objective_create(
                    orientation=orientation,
                    fields=_objective_fields(objective_spec, tree, indicators),
                    order=objective_order * 10,
                    by=tree.by,
                )
            for action_spec in objective_spec.actions:
                if action_spec.code in actions:
                    continue
                action = action_create(objective=objective, fields=_action_fields(action_spec, tree), by=tree.by)
                if action_spec.status != PLANNED or action_spec.progress:
                    action_set_status(
                        action=action,
                        status=action_spec.status,
                        progress=action_spec.progress,
                        comment="Lancement de l'action.",
                        by=tree.by,
                    )
                actions[action_spec.code] = action
    return orientations, actions


def _action_specs(specs: tuple[OrientationSpec, ...]) -> list[ActionSpec]:
    return [action for spec in specs for objective in spec.objectives for action in objective.actions]


def _validate_tree(
    specs: tuple[OrientationSpec, ...], orientations: dict[str, Orientation], meeting: Meeting, by: User
) -> None:
    for spec in specs:
        if spec.verdict:
            record_decision(meeting, verdict=spec.verdict, text=spec.text, target=orientations[spec.code], by=by)


def _plan_text(year: int) -> str:
    return (
        f"Le comité de pilotage valide le plan d'actions {year}, après la synthèse des propositions des groupes de "
        "travail par le comité technique."
    )


def _tree_context(context: DemoContext, contract: Contract, by: User, year: int) -> TreeContext:
    return TreeContext(
        context=context,
        contract=contract,
        by=by,
        year=year,
        pillars={pillar.code: pillar for pillar in Pillar.objects.filter(contract=contract)},
        axes={axis.code: axis for axis in TransversalAxis.objects.filter(contract=contract)},
    )


# --- contract « val-de-sorne-2024 » -------------------------------------------------------------------------------


def _next_year(first: ActionPlan, actions: dict[str, Action], by: User) -> ActionPlan:
    """The year after the validated plan: progress since, « Préparer le plan de l'année suivante », two new
    actions and one abandoned (done once: only when next year's plan does not exist yet)."""
    specs = _action_specs(VAL_DE_SORNE_TREE)
    for spec in specs:
        if spec.plan == FIRST and spec.later is not None:
            action_set_status(
                action=actions[spec.code],
                status=spec.later.status,
                progress=spec.later.progress,
                comment=spec.later.comment,
                by=by,
            )
    plan = action_plan_prepare_next(plan=first, by=by)
    action_plan_update(plan=plan, notes=PLAN_NOTES.next, by=by)
    for spec in specs:
        if spec.plan == NEXT:
            action_plan_add_action(plan=plan, action=actions[spec.code], by=by)
        if spec.abandoned:
            action_set_status(action=actions[spec.code], status=ActionStatus.ABANDONED, comment=spec.abandoned, by=by)
    return plan


def _val_de_sorne(context: DemoContext) -> tuple[int, int]:
    contract = context.contracts[SLUG_VAL_DE_SORNE]
    pilot = context.users[PILOT]
    meeting = steering_meeting(contract, context)
    plans = list(ActionPlan.objects.filter(contract=contract).order_by("year"))
    if plans:
        year = plans[0].year
    else:
        year = timezone.localtime(meeting.starts_at).year if meeting is not None else context.today.year
    tree = _tree_context(context, contract, pilot, year)
    orientations, actions = _tree_upsert(VAL_DE_SORNE_TREE, tree, stakes_by_key(contract))

    first = plans[0] if plans else None
    if first is None:
        in_first = [actions[spec.code] for spec in _action_specs(VAL_DE_SORNE_TREE) if spec.plan == FIRST]
        first = action_plan_create(contract=contract, year=year, actions=in_first, notes=PLAN_NOTES.first, by=pilot)
    if meeting is not None:
        _validate_tree(VAL_DE_SORNE_TREE, orientations, meeting, pilot)
        record_decision(meeting, verdict=Verdict.VALIDATED, text=_plan_text(first.year), target=first, by=pilot)
        first.refresh_from_db()
    else:
        context.log("    ⚠ aucune séance passée du comité de pilotage : orientations et plan restent à valider.")
    if not ActionPlan.objects.filter(contract=contract, year=first.year + 1).exists():
        _next_year(first, actions, pilot)
    _consult_on_next_plan(context, contract, ActionPlan.objects.get(contract=contract, year=first.year + 1), pilot)
    return first.year, first.year + 1


def _consult_on_next_plan(context: DemoContext, contract: Contract, plan: ActionPlan, by: User) -> None:
    """Next year's plan, in preparation, submitted to both conseils citoyens and open on the demo's today (issue 11
    §4): a council member who logs in finds it in « Ce qui vous attend » (done once, found again by its title)."""
    title = f"Avis des conseils citoyens sur le plan d'actions {plan.year}"
    councils = list(council_list(contract=contract))
    if not councils or Consultation.objects.filter(contract=contract, title=title).exists():
        return
    consultation_create(
        contract=contract,
        title=title,
        message="Le plan de l'année prochaine est en préparation : dites-nous ce qui manque pour vos quartiers.",
        deadline=context.today + timedelta(days=30),
        councils=councils,
        objects=[plan],
        by=by,
        today=context.today,
    )


# --- contract « coteaux-orbe-2024 » -------------------------------------------------------------------------------


def _coteaux_meeting(context: DemoContext, contract: Contract, by: User) -> Meeting:
    """The Coteaux de l'Orbe's steering committee and its meeting of 14 March 2024, held, through governance."""
    body = Body.objects.filter(contract=contract, kind=BodyKind.STEERING_COMMITTEE).first()
    if body is None:
        body = body_create(contract=contract, kind=BodyKind.STEERING_COMMITTEE, name=COTEAUX_COMMITTEE.name, by=by)
        for seat in COTEAUX_COMMITTEE.seats:
            body_member_add(
                body=body,
                organization=context.organizations[seat.organization],
                role=seat.role,
                user=context.users[seat.user] if seat.user else None,
                person_name=seat.person,
                by=by,
            )
    meeting = Meeting.objects.filter(body=body, title=COTEAUX_COMMITTEE.meeting_title).first()
    if meeting is None:
        starts_at = timezone.make_aware(
            datetime.combine(COTEAUX_COMMITTEE.meeting_on, COTEAUX_COMMITTEE.meeting_start)
        )
        meeting = meeting_schedule(
            body=body,
            title=COTEAUX_COMMITTEE.meeting_title,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
            location=COTEAUX_COMMITTEE.location,
            agenda=COTEAUX_COMMITTEE.agenda,
            by=by,
        )
        members = BodyMember.objects.filter(body=body).values_list("pk", flat=True)
        attendance_record(meeting=meeting, entries=dict.fromkeys(members, (AttendanceStatus.PRESENT, "")), by=by)
    return meeting


def _coteaux_orbe(context: DemoContext) -> None:
    contract = context.contracts[SLUG_COTEAUX_ORBE]
    pilot = context.users[PILOT_COTEAUX]
    tree = _tree_context(context, contract, pilot, COTEAUX_COMMITTEE.plan_year)
    orientations, actions = _tree_upsert(COTEAUX_ORBE_TREE, tree, {})
    meeting = _coteaux_meeting(context, contract, pilot)
    _validate_tree(COTEAUX_ORBE_TREE, orientations, meeting, pilot)
    plan = ActionPlan.objects.filter(contract=contract, year=COTEAUX_COMMITTEE.plan_year).first()
    if plan is None:
        plan = action_plan_create(
            contract=contract,
            year=COTEAUX_COMMITTEE.plan_year,
            actions=[actions[spec.code] for spec in _action_specs(COTEAUX_ORBE_TREE)],
            notes="Plan d'actions de la première année du contrat, validé avant sa signature.",
            by=pilot,
        )
    record_decision(meeting, verdict=Verdict.VALIDATED, text=_plan_text(plan.year), target=plan, by=pilot)


def step_strategy(context: DemoContext) -> None:
    """Strategic trees and annual action plans of both demo contracts."""
    catalogue_load()  # the indicators the objectives refer to (idempotent; the observation step loads it too)
    first_year, next_year = _val_de_sorne(context)
    _coteaux_orbe(context)
    context.log(
        f"  arbres stratégiques des deux contrats (dont les trois exemples de la note de cadrage) ; plans d'actions "
        f"{first_year} (validé) et {next_year} (en préparation) du Val de Sorne, 2024 (validé) des Coteaux de l'Orbe"
    )

"""Writes of the strategic tree and the annual action plans (seed 004 phases 3.2 and 4).

Seed 004: the stakes, once redefined, « seront traduits en orientations stratégiques qui seront soumises à la
validation du Comité de pilotage » (3.1); the working groups then « finaliseront les objectifs et les plans
d'actions » (3.2) and define « pour chaque orientation ou objectif stratégique un plan d'actions actualisable
annuellement », which « le comité de pilotage validera » (4). Every write is one transactional function; every
refusal is a ``BusinessRuleError`` with a French message.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any, Required, TypedDict, Unpack

from django.db import transaction
from django.db.models import Model, Q

from contrat_ville.accounts.models import Organization
from contrat_ville.contracts.models import Contract, Pillar, TransversalAxis
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.personal_data import ANONYMISED, Person, scrub
from contrat_ville.core.saving import save_by
from contrat_ville.core.services import (
    acting_user,
    assign_fields,
    history_user_set,
    object_archive,
    object_delete,
    required_text,
    status_change,
)
from contrat_ville.diagnostic.enums import StakeStatus
from contrat_ville.diagnostic.models import Stake
from contrat_ville.diagnostic.selectors.rules import debate_refusal
from contrat_ville.governance.enums import BodyKind
from contrat_ville.governance.selectors.decisions import decision_validates, is_validated, validations_for
from contrat_ville.observation.enums import Direction
from contrat_ville.observation.models import Indicator
from contrat_ville.strategy.enums import (
    ACTION_PLAN_TRANSITIONS,
    ACTION_TRANSITIONS,
    UNFINISHED_ACTION_STATUSES,
    ActionPlanStatus,
    ActionStatus,
)

# The year bounds live on the model's fields; re-exported here for the spreadsheet importer.
from contrat_ville.strategy.models import MAX_YEAR as MAX_YEAR
from contrat_ville.strategy.models import MIN_YEAR as MIN_YEAR
from contrat_ville.strategy.models import (
    Action,
    ActionPlan,
    ActionPlanItem,
    Objective,
    Orientation,
)
from contrat_ville.strategy.snapshots import SNAPSHOT_FIELDS, action_snapshot, display_value, node_label
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import Territory


def _title(title: str) -> str:
    return required_text(title, "L'intitulé est obligatoire.", field="title")


def check_year(year: int | None, *, label: str, field: str) -> None:
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        raise BusinessRuleError(
            f"{label.capitalize()} doit être comprise entre {MIN_YEAR} et {MAX_YEAR} (valeur saisie : {year}).",
            field=field,
        )


def _check_code_unique(model: type[Model], code: str, scope: Q, *, exclude_pk: int | None, what: str) -> str:
    """A non-empty number (« 1.2 ») names one node of its level in the contract: imports and exports use it."""
    code = (code or "").strip()
    if not code:
        return ""
    duplicates = model._default_manager.filter(scope, code=code)
    if exclude_pk is not None:
        duplicates = duplicates.exclude(pk=exclude_pk)
    if duplicates.exists():
        raise BusinessRuleError(f"Le numéro « {code} » est déjà celui d'un(e) autre {what} du contrat.", field="code")
    return code


# The statuses of actions and plans move along their transitions, each change recorded with its author and comment.
_action_status_change = partial(status_change, transitions=ACTION_TRANSITIONS, labels=dict(ActionStatus.choices))
_plan_status_change = partial(
    status_change, transitions=ACTION_PLAN_TRANSITIONS, labels=dict(ActionPlanStatus.choices)
)


def _set_node_text(
    node: Orientation | Objective | Action, title: str, code: str, description: str, *, scope: Q, what: str
) -> None:
    """The text of every node of the tree: a title (required), a number unique at its level in the contract
    (``scope``), a description."""
    node.title = _title(title)
    node.code = _check_code_unique(type(node), code, scope, exclude_pk=node.pk, what=what)
    node.description = description.strip()


# --- orientations ---------------------------------------------------------------------------------------------


def _check_orientation(*, contract: Contract, pillar: Pillar, stakes: Iterable[Stake]) -> list[Stake]:
    if pillar.contract_id != contract.pk:
        raise BusinessRuleError("Ce pilier n'est pas un pilier de ce contrat.", field="pillar")
    stakes = list(stakes)
    for stake in stakes:
        if stake.contract_id != contract.pk:
            raise BusinessRuleError(f"L'enjeu « {stake} » n'appartient pas à ce contrat.", field="stakes")
        if stake.status == StakeStatus.REJECTED:
            raise BusinessRuleError(
                f"L'enjeu « {stake} » a été écarté : une orientation ne peut pas s'y fonder.", field="stakes"
            )
        if stake.pillar_id != pillar.pk:
            raise BusinessRuleError(
                f"L'enjeu « {stake} » relève d'un autre pilier : une orientation se fonde sur des enjeux de son "
                f"pilier (« {pillar.label} »).",
                field="stakes",
            )
    return stakes


class OrientationFields(TypedDict, total=False):
    """What an orientation's form, the import and the demo give."""

    pillar: Required[Pillar]
    title: Required[str]
    code: str
    description: str
    stakes: Iterable[Stake]
    axes: Iterable[TransversalAxis] | None


@transaction.atomic
def orientation_create(
    *, contract: Contract, order: int = 100, by: Any = None, **fields: Unpack[OrientationFields]
) -> Orientation:
    """An *orientation stratégique* of a pillar, drawn from stakes of that pillar (seed 004 phase 3.1).

    It takes effect once the comité de pilotage validates it (phase 3.2, rule R14): until then pages mark it
    « non validée ».
    """
    return _orientation_save(Orientation(contract=contract, order=order), by=by, **fields)


@transaction.atomic
def orientation_update(
    *, orientation: Orientation, by: Any = None, **fields: Unpack[OrientationFields]
) -> Orientation:
    """Edit an orientation; the history keeps every version (who, when, what)."""
    return _orientation_save(orientation, by=by, **fields)


def _orientation_save(
    orientation: Orientation,
    *,
    pillar: Pillar,
    title: str,
    code: str = "",
    description: str = "",
    stakes: Iterable[Stake] = (),
    axes: Iterable[TransversalAxis] | None = None,
    by: Any,
) -> Orientation:
    contract = orientation.contract
    stakes = _check_orientation(contract=contract, pillar=pillar, stakes=stakes)
    if axes is not None:
        axes = check_axes(axes, contract=contract)
    orientation.pillar = pillar
    _set_node_text(orientation, title, code, description, scope=Q(contract=contract), what="orientation")
    save_by(orientation, by)
    orientation.stakes.set(stakes)
    if axes is not None:
        orientation.axes.set(axes)
    return orientation


def check_axes(axes: Iterable[TransversalAxis], *, contract: Contract) -> list[TransversalAxis]:
    """The transversal axes an orientation, an objective or an action cites: axes of its contract (issue 10 §2)."""
    axes = list(axes)
    foreign = [axis.label for axis in axes if axis.contract_id != contract.pk]
    if foreign:
        raise BusinessRuleError(f"Ces axes ne sont pas des axes du contrat : {', '.join(foreign)}.", field="axes")
    return axes


def orientation_on_decision(decision: Any, by: Any) -> None:
    """Hook of the decision-target registry (``strategy.orientation``), run inside governance's transaction.

    An orientation's validation is the projection of the comité de pilotage's decisions (``is_validated``: nothing
    is stored). The debate rule of the stakes applies to the orientations drawn from them (rules R13-R14): when the
    committee's latest decision validates the orientation, each of its stakes must have been debated as the
    contract's generation requires (``diagnostic.selectors.rules.debate_refusal``), else the decision is refused.
    """
    orientation = decision.target
    if not isinstance(orientation, Orientation) or decision.meeting.body.kind != BodyKind.STEERING_COMMITTEE:
        return
    if not is_validated(orientation):
        return
    for stake in orientation.stakes.select_related("contract").order_by("pk"):
        refusal = debate_refusal(stake)
        if refusal is not None:
            raise BusinessRuleError(
                f"L'orientation « {orientation} » ne peut pas être validée : {refusal[0].lower()}{refusal[1:]}"
            )


# --- objectives -----------------------------------------------------------------------------------------------


@dataclass
class NodeFields:
    """The text every node of the tree has: its title, its number and its description."""

    title: str
    code: str = ""
    description: str = ""


@dataclass
class ObjectiveFields(NodeFields):
    """What an objective's form, the import and the API give (clean Python values)."""

    indicator: Indicator | None = None
    indicator_text: str = ""
    territory: Territory | None = None
    baseline_value: float | None = None
    baseline_year: int | None = None
    target_value: float | None = None
    target_year: int | None = None
    direction: str = ""
    observed_value: float | None = None
    observed_year: int | None = None
    # ``None``: the axes stay as they are (an import or an API write that does not name them).
    axes: list[TransversalAxis] | None = None


def contract_territory_ids(contract: Contract) -> set[int]:
    """The territories an objective may be measured on: the contract's QPVs, its EPCI and the EPCI's communes."""
    qpvs = set(contract.qpvs.values_list("pk", flat=True))
    communes = set(
        Territory.objects.filter(kind=TerritoryKind.COMMUNE, parent_links__parent=contract.epci_id).values_list(
            "pk", flat=True
        )
    )
    return {contract.epci_id, *qpvs, *communes}


def check_objective_fields_shape(fields: ObjectiveFields) -> None:
    """The rules of an objective that need no database (seed 004 « Synthèse »: objectives to reach by the end of
    the contract, with indicators to follow them): a value goes with its year, the target year is not before the
    baseline year, years are plausible."""
    _title(fields.title)
    check_year(fields.baseline_year, label="l'année de référence", field="baseline_year")
    check_year(fields.target_year, label="l'année cible", field="target_year")
    check_year(fields.observed_year, label="l'année de la dernière valeur constatée", field="observed_year")
    pairs = (
        (fields.baseline_value, fields.baseline_year, "baseline_year", "de la valeur de référence"),
        (fields.target_value, fields.target_year, "target_year", "de la valeur cible"),
        (fields.observed_value, fields.observed_year, "observed_year", "de la dernière valeur constatée"),
    )
    for value, year, field_name, what in pairs:
        if value is not None and year is None:
            raise BusinessRuleError(f"Indiquez l'année {what}.", field=field_name)
    if (
        fields.baseline_year is not None
        and fields.target_year is not None
        and fields.target_year < fields.baseline_year
    ):
        raise BusinessRuleError(
            f"L'année cible ({fields.target_year}) doit être égale ou postérieure à l'année de référence "
            f"({fields.baseline_year}).",
            field="target_year",
        )
    if fields.direction and fields.direction not in Direction.values:
        raise BusinessRuleError(f"Sens de l'indicateur inconnu : « {fields.direction} ».", field="direction")


def check_objective_fields(fields: ObjectiveFields, *, contract: Contract) -> None:
    """All the rules of an objective, including its territory of measure: one of the contract's."""
    check_objective_fields_shape(fields)
    if fields.territory is not None and fields.territory.pk not in contract_territory_ids(contract):
        raise BusinessRuleError(
            f"« {fields.territory.name} » n'est pas un territoire du contrat (ses quartiers prioritaires, ses "
            "communes ou l'intercommunalité).",
            field="territory",
        )
    if fields.axes is not None:
        check_axes(fields.axes, contract=contract)


def _apply_objective_fields(objective: Objective, fields: ObjectiveFields, *, contract: Contract) -> None:
    check_objective_fields(fields, contract=contract)
    scope = Q(orientation__contract=contract)
    _set_node_text(objective, fields.title, fields.code, fields.description, scope=scope, what="objectif")
    # The node's text is checked above; the axes are a many-to-many relation, set once the objective is saved.
    assign_fields(objective, fields, stripped=("indicator_text",), leave_out=("title", "code", "description", "axes"))


@transaction.atomic
def objective_create(
    *, orientation: Orientation, fields: ObjectiveFields, order: int = 100, by: Any = None
) -> Objective:
    """An *objectif opérationnel* of an orientation: an indicator (from the catalogue, or free text), the
    territory it is measured on, a baseline and a target (seed 004 phase 3.2 and « Synthèse »)."""
    objective = Objective(orientation=orientation, order=order)
    _apply_objective_fields(objective, fields, contract=orientation.contract)
    save_by(objective, by)
    if fields.axes is not None:
        objective.axes.set(fields.axes)
    return objective


@transaction.atomic
def objective_update(*, objective: Objective, fields: ObjectiveFields, by: Any = None) -> Objective:
    _apply_objective_fields(objective, fields, contract=objective.orientation.contract)
    save_by(objective, by)
    if fields.axes is not None:
        objective.axes.set(fields.axes)
    return objective


# --- actions --------------------------------------------------------------------------------------------------


@dataclass
class ActionFields(NodeFields):
    """What an action's form, the import and the API give (clean Python values)."""

    lead_organization: Organization | None = None
    lead_contact: str = ""
    lead_email: str = ""
    partners: list[Organization] = field(default_factory=list)
    qpvs: list[Territory] = field(default_factory=list)
    axes: list[TransversalAxis] = field(default_factory=list)
    start_on: date | None = None
    end_on: date | None = None
    status: str = ActionStatus.PLANNED
    progress: int = 0


def check_within_contract(day: date | None, *, contract: Contract, label: str, field: str) -> None:
    """An action runs during its contract: its dates fall within the contract's period (loi 2014-173 art. 6)."""
    if day is not None and not contract.start_on <= day <= contract.end_on:
        raise BusinessRuleError(
            f"{label.capitalize()} ({day:%d/%m/%Y}) doit être dans la période du contrat, du "
            f"{contract.start_on:%d/%m/%Y} au {contract.end_on:%d/%m/%Y}.",
            field=field,
        )


def check_action_fields(fields: ActionFields, *, contract: Contract) -> None:
    _title(fields.title)
    if fields.start_on and fields.end_on and fields.end_on < fields.start_on:
        raise BusinessRuleError("La date de fin de l'action doit suivre sa date de début.", field="end_on")
    check_within_contract(fields.start_on, contract=contract, label="la date de début de l'action", field="start_on")
    check_within_contract(fields.end_on, contract=contract, label="la date de fin de l'action", field="end_on")
    if not 0 <= fields.progress <= 100:
        raise BusinessRuleError("L'avancement est un pourcentage, entre 0 et 100.", field="progress")
    if fields.status not in ActionStatus.values:
        raise BusinessRuleError(f"État d'action inconnu : « {fields.status} ».", field="status")
    contract_qpvs = set(contract.qpvs.values_list("pk", flat=True))
    foreign = [qpv.name for qpv in fields.qpvs if qpv.pk not in contract_qpvs]
    if foreign:
        raise BusinessRuleError(
            f"Ces quartiers ne sont pas des quartiers prioritaires du contrat : {', '.join(foreign)}.", field="qpvs"
        )
    check_axes(fields.axes, contract=contract)


def _apply_action_fields(action: Action, fields: ActionFields, *, contract: Contract, with_status: bool) -> None:
    check_action_fields(fields, contract=contract)
    scope = Q(objective__orientation__contract=contract)
    _set_node_text(action, fields.title, fields.code, fields.description, scope=scope, what="action")
    action.lead_organization = fields.lead_organization
    action.lead_contact = fields.lead_contact.strip()
    action.lead_email = fields.lead_email.strip()
    action.start_on = fields.start_on
    action.end_on = fields.end_on
    action.progress = fields.progress
    if with_status:
        action.status = fields.status


def _set_action_relations(action: Action, fields: ActionFields) -> None:
    action.partners.set(fields.partners)
    action.qpvs.set(fields.qpvs)
    action.axes.set(fields.axes)


@transaction.atomic
def action_create(*, objective: Objective, fields: ActionFields, by: Any = None) -> Action:
    """An action serving an objective (seed 004 phase 4 and its three worked examples): its lead (an organisation
    and/or a named contact), partners, targeted QPVs, transversal axes, dates, status and progress."""
    action = Action(objective=objective)
    _apply_action_fields(action, fields, contract=objective.orientation.contract, with_status=True)
    save_by(action, by)
    _set_action_relations(action, fields)
    return action


@transaction.atomic
def action_update(*, action: Action, fields: ActionFields, comment: str = "", by: Any = None) -> Action:
    """Edit an action; a change of status goes through ``action_set_status`` (it is recorded with its author)."""
    _apply_action_fields(action, fields, contract=action.objective.orientation.contract, with_status=False)
    save_by(action, by)
    _set_action_relations(action, fields)
    if fields.status != action.status:
        action_set_status(action=action, status=fields.status, comment=comment, by=by)
    return action


@transaction.atomic
def action_set_status(
    *, action: Action, status: str, progress: int | None = None, comment: str = "", by: Any = None
) -> Action:
    """Move an action to ``status`` (planned, in progress, done, abandoned), optionally with its progress.

    A finished action may be reopened, an abandoned one resumed; each change is recorded (who, when, why).
    """
    if progress is not None:
        if not 0 <= progress <= 100:
            raise BusinessRuleError("L'avancement est un pourcentage, entre 0 et 100.", field="progress")
        action.progress = progress
        save_by(action, by, "progress")
    if status != action.status:
        history_user_set(action, acting_user(by))
        _action_status_change(obj=action, to_status=status, by=acting_user(by), comment=comment)
    return action


# --- annual action plans --------------------------------------------------------------------------------------


# --- deletion and archive (issue 10 §6) -------------------------------------------------------------------------


def _refuse_with_parts(node: Model, count: int, what: str) -> None:
    """A node whose children would be deleted with it is archived instead: it may be deleted once they are gone."""
    if count:
        raise BusinessRuleError(f"« {node} » a {count} {what} : suppression impossible, archivez plutôt.")


@transaction.atomic
def orientation_delete(*, orientation: Orientation, by: Any = None) -> None:
    """Delete an orientation set down by mistake: one without objectives, nor decisions (``core.object_delete``)."""
    count = orientation.objectives.count()
    _refuse_with_parts(orientation, count, "objectif(s) opérationnel(s)")
    object_delete(obj=orientation, by=by)


@transaction.atomic
def objective_delete(*, objective: Objective, by: Any = None) -> None:
    """Delete an objective without actions; one with actions is archived."""
    _refuse_with_parts(objective, objective.actions.count(), "action(s)")
    object_delete(obj=objective, by=by)


@transaction.atomic
def action_delete(*, action: Action, by: Any = None) -> None:
    """Delete an action no yearly plan holds; one in a plan is archived (the plan keeps its snapshot)."""
    _refuse_with_parts(action, action.plan_items.count(), "plan(s) d'actions qui la citent")
    object_delete(obj=action, by=by)


@transaction.atomic
def node_archive(*, node: Orientation | Objective | Action, on: date, by: Any = None) -> Any:
    """Withdraw an orientation, an objective or an action from the tree and the forms: its page stays, the plans,
    decisions and exports that cite it keep it."""
    return object_archive(obj=node, on=on, by=by)


def _check_draft(plan: ActionPlan) -> None:
    if not plan.is_draft:
        raise BusinessRuleError(
            f"Le plan d'actions {plan.year} a été validé par le comité de pilotage : il ne peut plus être modifié. "
            "Préparez le plan de l'année suivante, ou faites revenir le comité sur sa décision."
        )


def _check_action_of_contract(action: Action, contract: Contract) -> None:
    if action.objective.orientation.contract_id != contract.pk:
        raise BusinessRuleError(f"L'action « {action} » n'appartient pas à ce contrat.", field="actions")


def _actions_with_relations(actions: Iterable[Action]) -> list[Action]:
    ids = [action.pk for action in actions]
    return list(
        Action.objects.filter(pk__in=ids)
        .select_related("objective__orientation", "lead_organization")
        .prefetch_related("qpvs")
        .order_by("code", "pk")
    )


def _check_plan_year(contract: Contract, year: int) -> None:
    """A yearly plan carries out the contract: its year is one of the contract's years (seed 004 phase 4)."""
    check_year(year, label="l'année du plan", field="year")
    if not contract.start_on.year <= year <= contract.end_on.year:
        raise BusinessRuleError(
            f"L'année du plan ({year}) doit être une année du contrat, de {contract.start_on.year} à "
            f"{contract.end_on.year}.",
            field="year",
        )


@transaction.atomic
def action_plan_create(
    *, contract: Contract, year: int, actions: Iterable[Action] = (), notes: str = "", by: Any = None
) -> ActionPlan:
    """The draft *plan d'actions annuel* of ``year`` with the chosen actions (seed 004 phase 4).

    The plan of the year before, if any, becomes its ``previous``; an action that was already in it is marked as
    carried over.
    """
    _check_plan_year(contract, year)
    if ActionPlan.objects.filter(contract=contract, year=year).exists():
        raise BusinessRuleError(f"Le contrat a déjà un plan d'actions pour {year}.", field="year")
    previous = ActionPlan.objects.filter(contract=contract, year=year - 1).first()
    plan = ActionPlan(contract=contract, year=year, previous=previous, notes=notes.strip())
    save_by(plan, by)
    previous_ids = set(previous.items.values_list("action_id", flat=True)) if previous else set()
    for action in _actions_with_relations(actions):
        _check_action_of_contract(action, contract)
        ActionPlanItem.objects.create(
            plan=plan,
            action=action,
            carried_over=action.pk in previous_ids,
            snapshot=action_snapshot(action),
            added_by=acting_user(by),
        )
    return plan


@transaction.atomic
def action_plan_update(*, plan: ActionPlan, notes: str, by: Any = None) -> ActionPlan:
    _check_draft(plan)
    plan.notes = notes.strip()
    save_by(plan, by)
    return plan


@transaction.atomic
def action_plan_add_action(*, plan: ActionPlan, action: Action, by: Any = None) -> ActionPlanItem:
    """Add an action of the contract to a draft plan."""
    _check_draft(plan)
    _check_action_of_contract(action, plan.contract)
    if plan.items.filter(action=action).exists():
        raise BusinessRuleError(f"L'action « {action} » figure déjà dans le plan d'actions {plan.year}.")
    carried_over = bool(plan.previous_id and plan.previous.items.filter(action=action).exists())
    (action,) = _actions_with_relations([action])
    return ActionPlanItem.objects.create(
        plan=plan, action=action, carried_over=carried_over, snapshot=action_snapshot(action), added_by=acting_user(by)
    )


@transaction.atomic
def action_plan_remove_action(*, plan: ActionPlan, action: Action, by: Any = None) -> None:
    """Take an action out of a draft plan (it stays in the strategic tree)."""
    _check_draft(plan)
    deleted, _ = plan.items.filter(action=action).delete()
    if not deleted:
        raise BusinessRuleError(f"L'action « {action} » ne figure pas dans le plan d'actions {plan.year}.")


@transaction.atomic
def action_plan_prepare_next(*, plan: ActionPlan, by: Any = None) -> ActionPlan:
    """« Préparer le plan de l'année suivante »: a draft plan for ``plan.year + 1`` that carries over the
    unfinished actions (planned or in progress) of ``plan`` (seed 004 phase 4: « actualisable annuellement »)."""
    year = plan.year + 1
    _check_plan_year(plan.contract, year)
    if ActionPlan.objects.filter(contract=plan.contract_id, year=year).exists():
        raise BusinessRuleError(f"Le plan d'actions {year} existe déjà.")
    next_plan = ActionPlan(contract=plan.contract, year=year, previous=plan)
    save_by(next_plan, by)
    unfinished = Action.objects.filter(plan_items__plan=plan, status__in=UNFINISHED_ACTION_STATUSES)
    for action in _actions_with_relations(unfinished):
        ActionPlanItem.objects.create(
            plan=next_plan,
            action=action,
            carried_over=True,
            snapshot=action_snapshot(action),
            added_by=acting_user(by),
        )
    return next_plan


def _plan_items_with_actions(plan: ActionPlan) -> list[ActionPlanItem]:
    return list(
        plan.items.select_related(
            "action__objective__orientation", "action__objective", "action__lead_organization"
        ).prefetch_related("action__qpvs")
    )


def _check_plan_can_be_validated(plan: ActionPlan, items: list[ActionPlanItem]) -> None:
    """A plan carries actions, and its actions serve orientations the comité de pilotage has validated (rule R14:
    an orientation takes effect only once validated)."""
    if not items:
        raise BusinessRuleError(f"Le plan d'actions {plan.year} ne contient aucune action : il ne peut être validé.")
    orientations = {item.action.objective.orientation_id: item.action.objective.orientation for item in items}
    decisions = validations_for(list(orientations.values()))
    pending = sorted(
        str(orientation) for pk, orientation in orientations.items() if not decision_validates(decisions.get(pk))
    )
    if pending:
        raise BusinessRuleError(
            f"Le plan d'actions {plan.year} ne peut pas être validé : des actions relèvent d'orientations que le "
            f"comité de pilotage n'a pas encore validées ({', '.join(f'« {title} »' for title in pending)}). "
            "Faites d'abord valider ces orientations."
        )


@transaction.atomic
def action_plan_validate(*, plan: ActionPlan, comment: str = "", by: Any = None) -> ActionPlan:
    """Validate a draft plan and freeze the state of each of its actions (title, status, progress, lead, dates,
    QPVs, objective) as the comité de pilotage validated it. Called when such a decision is recorded."""
    items = _plan_items_with_actions(plan)
    _check_plan_can_be_validated(plan, items)
    for item in items:
        item.snapshot = action_snapshot(item.action)
    ActionPlanItem.objects.bulk_update(items, ["snapshot"])
    history_user_set(plan, acting_user(by))
    _plan_status_change(obj=plan, to_status=ActionPlanStatus.VALIDATED, by=acting_user(by), comment=comment)
    return plan


@transaction.atomic
def action_plan_reopen(*, plan: ActionPlan, comment: str = "", by: Any = None) -> ActionPlan:
    """Back to draft, when a later decision of the comité de pilotage withdraws its validation."""
    history_user_set(plan, acting_user(by))
    _plan_status_change(obj=plan, to_status=ActionPlanStatus.DRAFT, by=acting_user(by), comment=comment)
    return plan


def action_plan_on_decision(decision: Any, by: Any) -> None:
    """Hook of the decision-target registry (``strategy.actionplan``), run inside governance's transaction.

    A validating decision of the comité de pilotage (validated, validated with amendments) validates the plan and
    freezes its items; a rejection or a postponement leaves it in draft, or sends a validated plan back to draft
    when it withdraws the validation (only the latest decision of the comité counts).
    """
    plan = decision.target
    if not isinstance(plan, ActionPlan) or decision.meeting.body.kind != BodyKind.STEERING_COMMITTEE:
        return
    plan.refresh_from_db(fields=["status"])
    verdict_label = decision.get_verdict_display()
    comment = f"Décision du comité de pilotage ({verdict_label}) : {decision.text}"[:2000]
    validated = is_validated(plan)
    if validated and plan.status == ActionPlanStatus.DRAFT:
        action_plan_validate(plan=plan, comment=comment, by=by)
    elif not validated and plan.status == ActionPlanStatus.VALIDATED:
        action_plan_reopen(plan=plan, comment=comment, by=by)


# --- year-to-year comparison (pure) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanState:
    """A plan as compared: its year and, for each action id, the recorded state (``snapshots.action_snapshot``)
    plus ``carried_over``."""

    year: int
    items: Mapping[int, Mapping[str, Any]]


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class ComparedAction:
    action_id: int
    label: str
    previous: Mapping[str, Any] | None
    current: Mapping[str, Any] | None
    changes: list[FieldChange]
    carried_over: bool = False
    reason: str = ""

    @property
    def status_label(self) -> str:
        state = self.current or self.previous or {}
        return display_value("status", state.get("status"))


@dataclass(frozen=True)
class PlanComparison:
    """What changed between two yearly plans (seed 004 phase 4: the plan is updated every year)."""

    previous_year: int | None
    current_year: int
    added: list[ComparedAction]
    changed: list[ComparedAction]
    carried_over: list[ComparedAction]
    stopped: list[ComparedAction]

    @property
    def has_differences(self) -> bool:
        return bool(self.added or self.changed or self.stopped)


def _changes(previous: Mapping[str, Any], current: Mapping[str, Any]) -> list[FieldChange]:
    return [
        FieldChange(
            field=name,
            label=label,
            before=display_value(name, previous.get(name)),
            after=display_value(name, current.get(name)),
        )
        for name, label in SNAPSHOT_FIELDS.items()
        if previous.get(name) != current.get(name)
    ]


def _label(state: Mapping[str, Any]) -> str:
    return node_label(str(state.get("code") or ""), str(state.get("title") or ""))


def action_plan_compare(previous: PlanState | None, current: PlanState) -> PlanComparison:
    """Compare two plans' states, action by action (pure: no database).

    - added: in the current plan only;
    - carried over: in both plans (and not abandoned now); also « changed » when a field of its state differs;
    - changed: in both plans, with the field-by-field differences (numéro, intitulé, objectif, état, avancement,
      pilote, dates, quartiers);
    - stopped: in the previous plan and absent from the current one, or abandoned in the current one.
    """
    before = previous.items if previous is not None else {}
    added: list[ComparedAction] = []
    changed: list[ComparedAction] = []
    carried_over: list[ComparedAction] = []
    stopped: list[ComparedAction] = []
    for action_id, state in current.items.items():
        old = before.get(action_id)
        if old is None:
            added.append(ComparedAction(action_id, _label(state), None, state, [], bool(state.get("carried_over"))))
            continue
        entry = ComparedAction(
            action_id, _label(state), old, state, _changes(old, state), bool(state.get("carried_over"))
        )
        if state.get("status") == ActionStatus.ABANDONED and old.get("status") != ActionStatus.ABANDONED:
            stopped.append(
                ComparedAction(
                    entry.action_id,
                    entry.label,
                    old,
                    state,
                    entry.changes,
                    entry.carried_over,
                    reason=f"abandonnée dans le plan {current.year}",
                )
            )
            continue
        carried_over.append(entry)
        if entry.changes:
            changed.append(entry)
    previous_year = previous.year if previous is not None else None
    for action_id, old in before.items():
        if action_id not in current.items:
            stopped.append(
                ComparedAction(action_id, _label(old), old, None, [], reason=f"absente du plan {current.year}")
            )

    def key(entry: ComparedAction) -> tuple[str, int]:
        return (entry.label, entry.action_id)

    return PlanComparison(
        previous_year=previous_year,
        current_year=current.year,
        added=sorted(added, key=key),
        changed=sorted(changed, key=key),
        carried_over=sorted(carried_over, key=key),
        stopped=sorted(stopped, key=key),
    )


def action_lead_erase(person: Person, apply: bool) -> list[str]:
    """Actions whose named lead has that e-mail: lead « Personne anonymisée », e-mail emptied, in the actions and
    their history."""
    if not person.normalised_email:
        return []
    actions = list(Action.objects.filter(lead_email__iexact=person.normalised_email))
    lines = [f"Action {action.code} « {action.title} » : référent {action.lead_contact or '—'}" for action in actions]
    if apply:
        scrub(actions, {"lead_contact": ANONYMISED, "lead_email": ""})
    return lines

"""Reads of the strategic tree and the annual action plans, in a fixed number of queries whatever the data.

Validation by the comité de pilotage is asked of governance (``validations_for``: one query for a list); an
objective's status comes from the latest value of its indicator (observation) or the value the group recorded.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Model, Prefetch, Q, QuerySet

from contrat_ville.accounts.models import Organization
from contrat_ville.contracts.models import Contract, Pillar, TransversalAxis
from contrat_ville.contracts.selectors import ContractAccess, epci_communes
from contrat_ville.core.historised import in_force
from contrat_ville.core.lookups import filter_given, found_or_404
from contrat_ville.core.selectors import StatusRow, status_rows
from contrat_ville.diagnostic.enums import StakeStatus
from contrat_ville.diagnostic.models import Stake
from contrat_ville.diagnostic.selectors.stakes import StakeRow, stake_rows_of, steering_meetings_for_validation
from contrat_ville.governance.models import Decision, Meeting
from contrat_ville.governance.selectors.bodies import organizations_for_seats
from contrat_ville.governance.selectors.decisions import (
    DecidedRow,
    decision_history,
    decision_validates,
    validations_for,
)
from contrat_ville.observation import presenters as observation_presenters
from contrat_ville.observation.enums import Direction
from contrat_ville.observation.models import Indicator
from contrat_ville.observation.selectors import PUBLIC, Scope, latest_measured_values, objective_status
from contrat_ville.strategy.enums import ActionPlanStatus, ActionStatus
from contrat_ville.strategy.models import Action, ActionPlan, ActionPlanItem, Objective, Orientation
from contrat_ville.strategy.services import PlanComparison, PlanState, action_plan_compare
from contrat_ville.strategy.snapshots import action_snapshot, display_value
from contrat_ville.territories.models import Territory

# Shown beside every objective status (observation's rule, in French).
OBJECTIVE_RULE = observation_presenters.OBJECTIVE_STATUS_RULE


# --- reference lists of the contract --------------------------------------------------------------------------


def pillar_list(*, contract: Contract) -> list[Pillar]:
    return list(Pillar.objects.filter(contract=contract).order_by("order", "pk"))


def axis_list(*, contract: Contract) -> list[TransversalAxis]:
    return list(TransversalAxis.objects.filter(contract=contract).order_by("order", "pk"))


def qpv_list(*, contract: Contract) -> list[Territory]:
    return list(contract.qpvs.order_by("code"))


@dataclass(frozen=True)
class TerritoryGroup:
    label: str
    territories: list[Territory]


def territory_groups(*, contract: Contract) -> list[TerritoryGroup]:
    """Where an objective may be measured: the contract's QPVs, the EPCI's communes, the EPCI (two queries)."""
    return [
        TerritoryGroup("Quartiers prioritaires", qpv_list(contract=contract)),
        TerritoryGroup("Communes", epci_communes(epci=contract.epci)),
        TerritoryGroup("Intercommunalité", [contract.epci]),
    ]


def organization_choices(*, contract: Contract) -> QuerySet[Organization]:
    """Organisations that may lead or partner an action (the same list as the seats of the bodies)."""
    return organizations_for_seats(contract=contract)


def indicator_choices() -> QuerySet[Indicator]:
    return Indicator.objects.order_by("order", "code")


def copil_meetings(*, contract: Contract) -> list[Meeting]:
    """Started meetings of the comité de pilotage, newest first: where a validation can be recorded."""
    return list(steering_meetings_for_validation(contract=contract))


def orientation_stakes(*, contract: Contract, keep: Iterable[int] = ()) -> QuerySet[Stake]:
    """The stakes an orientation may be drawn from: the contract's stakes in force (and those of ``keep``) that
    were not rejected nor merged into another one (retained ones first in the process, but the group may link one
    still under debate)."""
    return (
        Stake.objects.filter(contract=contract, duplicate_of__isnull=True)
        .filter(in_force(keep))
        .exclude(status=StakeStatus.REJECTED)
        .select_related("pillar")
        .order_by("pillar__order", "order", "pk")
    )


def stake_rows(*, contract: Contract) -> list[StakeRow]:
    """Those stakes with their COPIL validation (orientation form): a fixed number of queries."""
    return stake_rows_of(orientation_stakes(contract=contract).prefetch_related("versions"))


# --- one node -------------------------------------------------------------------------------------------------


def orientation_get(*, contract: Contract, orientation_id: int) -> Orientation:
    return found_or_404(
        (
            Orientation.objects.filter(contract=contract, pk=orientation_id)
            .select_related("contract", "pillar")
            .prefetch_related(Prefetch("stakes", queryset=Stake.objects.select_related("pillar")))
            .first()
        ),
        "Orientation introuvable.",
    )


def objective_get(*, contract: Contract, objective_id: int) -> Objective:
    return found_or_404(
        (
            Objective.objects.filter(orientation__contract=contract, pk=objective_id)
            .select_related("orientation__contract", "orientation__pillar", "indicator", "territory")
            .first()
        ),
        "Objectif introuvable.",
    )


def _actions() -> QuerySet[Action]:
    return Action.objects.select_related(
        "objective__orientation__contract", "objective__orientation__pillar", "lead_organization"
    ).prefetch_related(
        Prefetch("qpvs", queryset=Territory.objects.order_by("code")),
        Prefetch("axes", queryset=TransversalAxis.objects.order_by("order", "pk")),
        Prefetch("partners", queryset=Organization.objects.order_by("name")),
    )


def action_get(*, contract: Contract, action_id: int) -> Action:
    return found_or_404(
        _actions().filter(objective__orientation__contract=contract, pk=action_id).first(), "Action introuvable."
    )


def contract_actions(*, contract: Contract) -> list[Action]:
    """Every action of the contract with its objective and orientation, in tree order (one query)."""
    return list(
        Action.objects.filter(objective__orientation__contract=contract)
        .filter(in_force())
        .select_related("objective__orientation__pillar")
        .order_by(
            "objective__orientation__pillar__order", "objective__orientation__order", "objective__order", "code", "pk"
        )
    )


# --- objective status -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectiveState:
    """Where an objective stands: its latest value (from the indicator's figures or recorded by the group) and
    the status ``objective_status`` computes from it (rule text: ``OBJECTIVE_RULE``). Figures read as observation
    writes them (``observation.presenters``): one format for a number on every page."""

    status: str
    latest_value: float | None
    latest_year: int | None
    source: str
    unit: str
    decimals: int
    baseline_value: float | None = None
    target_value: float | None = None

    @property
    def status_label(self) -> str:
        return observation_presenters.objective_status_label(self.status)

    @property
    def latest_text(self) -> str:
        return self.format(self.latest_value)

    @property
    def baseline_text(self) -> str:
        return self.format(self.baseline_value)

    @property
    def target_text(self) -> str:
        return self.format(self.target_value)

    def format(self, value: float | None) -> str:
        return observation_presenters.format_value(value, decimals=self.decimals, unit=self.unit)


def _latest_values(
    objectives: list[Objective], *, contract: Contract, with_private: bool
) -> dict[tuple[int, int], tuple[float, int]]:
    """The latest visible, non-confidential value for each objective's (indicator, territory), in one query
    (``observation.selectors.latest_measured_values``): public values for everyone, the contract's own values for
    its members, winning over a public value of the same year."""
    pairs = {(item.indicator_id, item.territory_id) for item in objectives if item.indicator_id and item.territory_id}
    scope = Scope(contract=contract) if with_private else PUBLIC
    return latest_measured_values(pairs=pairs, scope=scope)


def _objective_state(objective: Objective, latest: dict[tuple[int, int], tuple[float, int]]) -> ObjectiveState:
    indicator = objective.indicator
    direction = objective.direction or (indicator.direction if indicator is not None else Direction.CONTEXT)
    value: float | None = None
    year: int | None = None
    source = ""
    measured = latest.get((objective.indicator_id, objective.territory_id))  # type: ignore[arg-type]
    if measured is not None:
        value, year = measured
        source = "indicateur du catalogue"
    observed_year = objective.observed_year
    if objective.observed_value is not None and observed_year is not None and (year is None or observed_year > year):
        value, year = objective.observed_value, observed_year
        source = "valeur constatée saisie par le groupe de travail"
    status = objective_status(
        direction=direction,
        baseline_value=objective.baseline_value,
        baseline_year=objective.baseline_year,
        target_value=objective.target_value,
        target_year=objective.target_year,
        latest_value=value,
        latest_year=year,
    )
    return ObjectiveState(
        status=str(status),
        latest_value=value,
        latest_year=year,
        source=source,
        unit=indicator.unit if indicator is not None else "",
        decimals=indicator.decimals if indicator is not None else 1,
        baseline_value=objective.baseline_value,
        target_value=objective.target_value,
    )


def objective_states(
    objectives: Iterable[Objective], *, contract: Contract, access: ContractAccess | None
) -> dict[int, ObjectiveState]:
    """Each objective's state (objectives loaded with their indicator), in one query for all of them."""
    objectives = list(objectives)
    latest = _latest_values(objectives, contract=contract, with_private=bool(access is not None and access.is_member))
    return {objective.pk: _objective_state(objective, latest) for objective in objectives}


# --- the tree -------------------------------------------------------------------------------------------------

VALIDATED_YES = "oui"
VALIDATED_NO = "non"


@dataclass(frozen=True)
class TreeFilters:
    """The tree page's filters; empty values filter nothing."""

    pillar_id: int | None = None
    axis_id: int | None = None
    qpv_id: int | None = None
    lead_id: int | None = None
    status: str = ""
    validated: str = ""
    q: str = ""

    @property
    def has_action_filter(self) -> bool:
        return bool(self.axis_id or self.qpv_id or self.lead_id or self.status)

    @property
    def is_active(self) -> bool:
        return bool(self.pillar_id or self.validated or self.q.strip() or self.has_action_filter)


@dataclass
class ObjectiveNode:
    objective: Objective
    state: ObjectiveState
    actions: list[Action] = field(default_factory=list)


@dataclass
class OrientationNode(DecidedRow):
    orientation: Orientation
    decision: Decision | None
    objectives: list[ObjectiveNode] = field(default_factory=list)


@dataclass
class PillarNode:
    pillar: Pillar
    orientations: list[OrientationNode] = field(default_factory=list)


@dataclass
class StrategyTree:
    """The tree pillar → orientation → objective → action, as filtered, with its counts."""

    pillars: list[PillarNode]
    filters: TreeFilters

    @property
    def orientations(self) -> list[OrientationNode]:
        return [node for pillar in self.pillars for node in pillar.orientations]

    @property
    def objectives(self) -> list[ObjectiveNode]:
        return [node for orientation in self.orientations for node in orientation.objectives]

    @property
    def actions(self) -> list[Action]:
        return [action for objective in self.objectives for action in objective.actions]

    @property
    def orientation_count(self) -> int:
        return len(self.orientations)

    @property
    def validated_count(self) -> int:
        return sum(1 for node in self.orientations if node.is_validated)

    @property
    def objective_count(self) -> int:
        return len(self.objectives)

    @property
    def action_count(self) -> int:
        return len(self.actions)

    @property
    def status_counts(self) -> list[tuple[str, str, int]]:
        """(status, label, count) of the shown actions, in the statuses' order."""
        counts = Counter(action.status for action in self.actions)
        return [(value, str(label), counts[value]) for value, label in ActionStatus.choices]


def _matches(text: str, *values: str) -> bool:
    return any(text in (value or "").casefold() for value in values)


def _action_passes(action: Action, filters: TreeFilters) -> bool:
    if filters.status and action.status != filters.status:
        return False
    if filters.lead_id and action.lead_organization_id != filters.lead_id:
        return False
    if filters.axis_id and filters.axis_id not in {axis.pk for axis in action.axes.all()}:
        return False
    return not (filters.qpv_id and filters.qpv_id not in {qpv.pk for qpv in action.qpvs.all()})


@dataclass(frozen=True)
class TreeChoices:
    """What the tree's filters offer (four queries)."""

    pillars: list[Pillar]
    axes: list[TransversalAxis]
    qpvs: list[Territory]
    leads: list[Organization]


def tree_choices(*, contract: Contract) -> TreeChoices:
    return TreeChoices(
        pillars=pillar_list(contract=contract),
        axes=axis_list(contract=contract),
        qpvs=qpv_list(contract=contract),
        leads=list(
            Organization.objects.filter(led_actions__objective__orientation__contract=contract)
            .distinct()
            .order_by("name")
        ),
    )


def strategy_tree(
    *,
    contract: Contract,
    access: ContractAccess | None,
    filters: TreeFilters | None = None,
    pillars: list[Pillar] | None = None,
) -> StrategyTree:
    """The contract's strategic tree as filtered (queries: pillars, orientations, objectives, actions and their
    QPVs, axes and partners, validations, indicator values — whatever the data).

    The search matches the numéro, title and description of every level: a node is shown when it matches, when
    a node above it matches, or when a node below it does. Action filters (axis, QPV, lead, status) keep the
    actions that pass them and the objectives and orientations above them.
    """
    filters = filters or TreeFilters()
    pillars = pillar_list(contract=contract) if pillars is None else pillars
    orientations = list(Orientation.objects.filter(in_force(), contract=contract).order_by("order", "code", "pk"))
    objectives = list(
        Objective.objects.filter(orientation__contract=contract)
        .filter(in_force())
        .select_related("indicator", "territory")
        .order_by("order", "code", "pk")
    )
    actions = list(_actions().filter(in_force(), objective__orientation__contract=contract).order_by("code", "pk"))
    decisions = validations_for(orientations)
    states = objective_states(objectives, contract=contract, access=access)
    text = filters.q.strip().casefold()
    actions_by_objective: dict[int, list[Action]] = {}
    for action in actions:
        actions_by_objective.setdefault(action.objective_id, []).append(action)
    objectives_by_orientation: dict[int, list[Objective]] = {}
    for objective in objectives:
        objectives_by_orientation.setdefault(objective.orientation_id, []).append(objective)

    nodes_by_pillar: dict[int, list[OrientationNode]] = {}
    for orientation in orientations:
        if filters.pillar_id and orientation.pillar_id != filters.pillar_id:
            continue
        decision = decisions.get(orientation.pk)
        if filters.validated == VALIDATED_YES and not decision_validates(decision):
            continue
        if filters.validated == VALIDATED_NO and decision_validates(decision):
            continue
        orientation_match = not text or _matches(text, orientation.code, orientation.title, orientation.description)
        node = OrientationNode(orientation=orientation, decision=decision)
        for objective in objectives_by_orientation.get(orientation.pk, []):
            objective_match = orientation_match or _matches(
                text, objective.code, objective.title, objective.description, objective.indicator_text
            )
            kept = [
                action
                for action in actions_by_objective.get(objective.pk, [])
                if _action_passes(action, filters)
                and (objective_match or _matches(text, action.code, action.title, action.description))
            ]
            if kept or (objective_match and not filters.has_action_filter):
                node.objectives.append(ObjectiveNode(objective=objective, state=states[objective.pk], actions=kept))
        if node.objectives or (orientation_match and not filters.has_action_filter):
            nodes_by_pillar.setdefault(orientation.pillar_id, []).append(node)

    return StrategyTree(
        pillars=[
            PillarNode(pillar=pillar, orientations=nodes_by_pillar.get(pillar.pk, []))
            for pillar in pillars
            if pillar.pk in nodes_by_pillar or not filters.is_active
        ],
        filters=filters,
    )


# --- history of a node ----------------------------------------------------------------------------------------

HISTORY_KINDS = {"+": "création", "~": "modification", "-": "suppression"}
HISTORY_IGNORED_FIELDS = ("created_at", "updated_at")


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    who: str
    kind: str
    changes: list[str]


def _history_value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    text = str(value)
    return text if len(text) <= 80 else f"{text[:79]}…"


def node_history(obj: Model) -> list[HistoryEntry]:
    """Who changed what when (django-simple-history), newest first: one query, diffs computed in memory.

    Foreign keys are reported as changed, without their values (that would cost one query each).
    """
    records = list(obj.history.select_related("history_user").order_by("history_date", "history_id"))  # type: ignore[attr-defined]
    entries = []
    previous = None
    for record in records:
        changes: list[str] = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, excluded_fields=HISTORY_IGNORED_FIELDS)
            for change in delta.changes:
                model_field = obj._meta.get_field(change.field)
                label = str(getattr(model_field, "verbose_name", change.field))
                if model_field.is_relation:
                    changes.append(f"{label} modifié(e)")
                else:
                    changes.append(f"{label} : {_history_value(change.old)} → {_history_value(change.new)}")
        user = record.history_user
        entries.append(
            HistoryEntry(
                at=record.history_date,
                who=user.display_name if user is not None else "—",
                kind=HISTORY_KINDS.get(record.history_type, record.history_type),
                changes=changes,
            )
        )
        previous = record
    return list(reversed(entries))


@dataclass(frozen=True)
class NodePage:
    """What a node's page shows besides the node: decisions (as ``access`` may read them), history, status changes."""

    decisions: list[Decision]
    history: list[HistoryEntry]
    status_changes: list[StatusRow]


def node_page(obj: Model, *, access: ContractAccess | None, user: Any, with_status: bool = False) -> NodePage:
    """Decisions for everyone who sees the node (published ones for visitors); history for members only."""
    member = access is not None and access.is_member
    return NodePage(
        decisions=list(decision_history(obj, access=access if member else None, user=user)),
        history=node_history(obj) if member else [],
        status_changes=status_rows(obj) if with_status and member else [],
    )


def orientation_validations(orientations: Iterable[Orientation]) -> dict[Any, Decision | None]:
    """The latest decision of the comité de pilotage on each orientation, by id (one query)."""
    return validations_for(list(orientations))


def orientation_validation(orientation: Orientation) -> Decision | None:
    """The latest decision of the comité de pilotage on the orientation (one query)."""
    return validations_for([orientation]).get(orientation.pk)


def action_plans(action: Action) -> list[ActionPlan]:
    """The yearly plans an action is part of, newest first (one query)."""
    return list(ActionPlan.objects.filter(items__action=action).order_by("-year"))


def orientation_stake_rows(orientation: Orientation) -> list[StakeRow]:
    """The stakes an orientation is drawn from, with their COPIL validation."""
    stakes = orientation.stakes.select_related("pillar").prefetch_related("versions").order_by("order", "pk")
    return stake_rows_of(stakes)


def orientation_objectives(*, orientation: Orientation, access: ContractAccess | None) -> list[ObjectiveNode]:
    objectives = list(
        orientation.objectives.filter(in_force())
        .select_related("indicator", "territory")
        .order_by("order", "code", "pk")
    )
    states = objective_states(objectives, contract=orientation.contract, access=access)
    counts = dict(
        Action.objects.filter(objective__in=objectives)
        .filter(in_force())
        .values_list("objective_id")
        .annotate(count=Count("pk"))
    )
    nodes = [ObjectiveNode(objective=objective, state=states[objective.pk]) for objective in objectives]
    for node in nodes:
        node.objective.action_count = counts.get(node.objective.pk, 0)  # type: ignore[attr-defined]
    return nodes


def objective_actions(*, objective: Objective) -> list[Action]:
    return list(_actions().filter(objective=objective).filter(in_force()).order_by("code", "pk"))


# --- action plans ---------------------------------------------------------------------------------------------


def action_plan_list(*, contract: Contract) -> list[ActionPlan]:
    """The contract's yearly plans, newest first, with their item counts (one query)."""
    return list(
        ActionPlan.objects.filter(contract=contract)
        .annotate(
            item_count=Count("items", distinct=True),
            carried_over_count=Count("items", filter=Q(items__carried_over=True), distinct=True),
        )
        .order_by("-year")
    )


def action_plan_get(*, contract: Contract, plan_id: int) -> ActionPlan:
    return found_or_404(
        ActionPlan.objects.filter(contract=contract, pk=plan_id).select_related("contract", "previous").first(),
        "Plan d'actions introuvable.",
    )


def plan_items(*, plan: ActionPlan) -> list[ActionPlanItem]:
    """The plan's items with their action, objective, orientation, pillar, lead and QPVs (two queries)."""
    return list(
        ActionPlanItem.objects.filter(plan=plan)
        .select_related("action__objective__orientation__pillar", "action__lead_organization", "added_by")
        .prefetch_related(Prefetch("action__qpvs", queryset=Territory.objects.order_by("code")))
        .order_by(
            "action__objective__orientation__pillar__order",
            "action__objective__orientation__order",
            "action__objective__order",
            "action__code",
            "pk",
        )
    )


def item_state(item: ActionPlanItem, plan: ActionPlan) -> dict[str, Any]:
    """An item's state as its plan shows it: frozen once the plan is validated, live while it is a draft."""
    if plan.status == ActionPlanStatus.VALIDATED and item.snapshot:
        state = dict(item.snapshot)
    else:
        state = action_snapshot(item.action)
    state["carried_over"] = item.carried_over
    return state


@dataclass(frozen=True)
class PlanRow:
    item: ActionPlanItem
    state: dict[str, Any]

    @property
    def action(self) -> Action:
        return self.item.action

    @property
    def status_label(self) -> str:
        """The action's status as the plan recorded it, in French."""
        return display_value("status", self.state.get("status"))


def plan_rows(*, plan: ActionPlan) -> list[PlanRow]:
    return [PlanRow(item=item, state=item_state(item, plan)) for item in plan_items(plan=plan)]


def pending_orientation_ids(rows: list[PlanRow]) -> set[int]:
    """Orientations of the plan's actions that the comité de pilotage has not validated (one query)."""
    orientations = {row.action.objective.orientation_id: row.action.objective.orientation for row in rows}
    decisions = orientation_validations(orientations.values()) if orientations else {}
    return {pk for pk in orientations if not decision_validates(decisions.get(pk))}


def action_plan_state(plan: ActionPlan, rows: list[PlanRow] | None = None) -> PlanState:
    rows = plan_rows(plan=plan) if rows is None else rows
    return PlanState(year=plan.year, items={row.item.action_id: row.state for row in rows})


def plan_comparison(*, plan: ActionPlan, previous: ActionPlan | None = None) -> PlanComparison:
    """``plan`` against ``previous`` (by default the plan it was prepared from, or the plan of the year before),
    in a fixed number of queries."""
    if previous is None:
        previous = plan.previous or ActionPlan.objects.filter(contract=plan.contract_id, year=plan.year - 1).first()
    return action_plan_compare(action_plan_state(previous) if previous else None, action_plan_state(plan))


def plan_addable_actions(*, plan: ActionPlan) -> list[Action]:
    """The contract's actions not yet in the plan (two queries)."""
    present = set(plan.items.values_list("action_id", flat=True))
    return [action for action in contract_actions(contract=plan.contract) if action.pk not in present]


def next_plan_exists(plan: ActionPlan) -> bool:
    return ActionPlan.objects.filter(contract=plan.contract_id, year=plan.year + 1).exists()


# --- submitted to the conseils citoyens (issue 11 §4) ---------------------------------------------------------


def consultable_orientations(contract: Contract) -> QuerySet[Orientation]:
    """The orientations in force the pilot may submit to the conseils citoyens (one query)."""
    return (
        Orientation.objects.filter(contract=contract)
        .filter(in_force())
        .select_related("pillar")
        .order_by("pillar__order", "order", "code", "pk")
    )


def consultable_plans(contract: Contract) -> QuerySet[ActionPlan]:
    """The contract's yearly action plans, newest first, that the pilot may submit to the conseils citoyens."""
    return ActionPlan.objects.filter(contract=contract).order_by("-year")


# --- API lists ------------------------------------------------------------------------------------------------


def orientation_list(*, contract: Contract, pillar_code: str = "") -> list[Orientation]:
    orientations = (
        Orientation.objects.filter(contract=contract)
        .filter(in_force())
        .select_related("pillar")
        .prefetch_related("stakes", "axes")
        .order_by("pillar__order", "order", "code", "pk")
    )
    if pillar_code:
        orientations = orientations.filter(pillar__code=pillar_code)
    return list(orientations)


def objective_list(*, contract: Contract, pillar_code: str = "", orientation_id: int | None = None) -> list[Objective]:
    objectives = (
        Objective.objects.filter(orientation__contract=contract)
        .filter(in_force())
        .select_related("orientation__pillar", "indicator", "territory")
        .prefetch_related("axes")
        .order_by("orientation__pillar__order", "orientation__order", "order", "code", "pk")
    )
    objectives = filter_given(objectives, orientation__pillar__code=pillar_code, orientation_id=orientation_id)
    return list(objectives)


def action_list(
    *, contract: Contract, status: str = "", pillar_code: str = "", qpv_code: str = "", objective_id: int | None = None
) -> list[Action]:
    actions = _actions().filter(objective__orientation__contract=contract).filter(in_force())
    actions = filter_given(
        actions, status=status, objective__orientation__pillar__code=pillar_code, objective_id=objective_id
    )
    if qpv_code:
        actions = actions.filter(qpvs__code=qpv_code).distinct()
    return list(
        actions.order_by(
            "objective__orientation__pillar__order", "objective__orientation__order", "objective__order", "code", "pk"
        )
    )


# --- contract home panel and phase rules ----------------------------------------------------------------------


@dataclass(frozen=True)
class StrategySummary:
    orientation_count: int
    validated_count: int
    objective_count: int
    action_counts: list[tuple[str, int]]
    plans: list[ActionPlan]

    @property
    def action_count(self) -> int:
        return sum(count for _, count in self.action_counts)

    @property
    def pending_count(self) -> int:
        return self.orientation_count - self.validated_count


def strategy_summary(*, contract: Contract) -> StrategySummary:
    """Counts for the contract home's « Stratégie » panel: three queries (four once there are orientations)."""
    orientations = list(
        Orientation.objects.filter(contract=contract)
        .filter(in_force())
        .annotate(objective_count=Count("objectives", filter=Q(objectives__archived_on__isnull=True)))
        .only("pk")
    )
    decisions = orientation_validations(orientations) if orientations else {}
    counts = dict(
        Action.objects.filter(objective__orientation__contract=contract)
        .filter(in_force())
        .values_list("status")
        .annotate(count=Count("pk"))
    )
    return StrategySummary(
        orientation_count=len(orientations),
        validated_count=sum(1 for decision in decisions.values() if decision_validates(decision)),
        objective_count=sum(orientation.objective_count for orientation in orientations),
        action_counts=[(str(label), counts.get(value, 0)) for value, label in ActionStatus.choices],
        plans=list(ActionPlan.objects.filter(contract=contract).order_by("-year")[:3]),
    )


@dataclass(frozen=True)
class StrategyProgress:
    """The dashboard's charts: actions by pillar then status, objectives by the status their latest value gives."""

    pillars: list[Pillar]
    actions_by_pillar: dict[tuple[int, str], int]
    objective_statuses: dict[str, int]


def strategy_progress(*, contract: Contract, access: ContractAccess | None) -> StrategyProgress:
    """In four queries: the pillars, the actions counted by pillar and status, the objectives and their latest
    values (those the viewer may see)."""
    by_pillar = {
        (pillar_id, status): count
        for pillar_id, status, count in Action.objects.filter(objective__orientation__contract=contract)
        .filter(in_force())
        .values_list("objective__orientation__pillar_id", "status")
        .annotate(count=Count("pk"))
    }
    objectives = Objective.objects.filter(orientation__contract=contract, archived_on__isnull=True)
    states = objective_states(objectives.select_related("indicator"), contract=contract, access=access)
    return StrategyProgress(
        pillars=list(Pillar.objects.filter(contract=contract)),
        actions_by_pillar=by_pillar,
        objective_statuses=dict(Counter(state.status for state in states.values())),
    )


def orientations_phase_done(contract: Contract) -> bool | None:
    """Phase 3.2: every pillar has at least one orientation, and the comité de pilotage validated them all."""
    pillar_ids = set(Pillar.objects.filter(contract=contract).values_list("pk", flat=True))
    if not pillar_ids:
        return None
    orientations = list(Orientation.objects.filter(contract=contract).filter(in_force()).only("pk", "pillar_id"))
    if not pillar_ids <= {orientation.pillar_id for orientation in orientations}:
        return False
    decisions = validations_for(orientations)
    return all(decision_validates(decisions.get(orientation.pk)) for orientation in orientations)


def action_plan_phase_done(contract: Contract) -> bool:
    """Phase 4: the comité de pilotage has validated an annual action plan and the contract is formalised: signed
    (seed 004 phase 4: « il formalisera le contrat de ville »)."""
    if not contract.is_signed:
        return False
    return ActionPlan.objects.filter(contract=contract, status=ActionPlanStatus.VALIDATED).exists()

"""Test builders of the strategic tree, through the services (so the rules apply)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from contrat_ville.contracts.models import Contract, Pillar
from contrat_ville.contracts.services import contract_set_qpvs
from contrat_ville.governance.enums import BodyKind, MeetingStatus, Verdict
from contrat_ville.governance.models import Body, Decision, Meeting
from contrat_ville.governance.services.decisions import decision_record
from contrat_ville.strategy import services
from contrat_ville.strategy.models import Action, ActionPlan, Objective, Orientation
from contrat_ville.territories.models import Territory, TerritoryLink
from contrat_ville.territories.tests.factories import TerritoryFactory


def add_qpv(contract: Contract, *, code: str = "", name: str = "") -> Territory:
    """A QPV of the contract's generation, inside a commune of its EPCI."""
    commune = TerritoryFactory.create()
    TerritoryLink.objects.create(parent=contract.epci, child=commune)
    kwargs: dict[str, Any] = {"qpv": True}
    if code:
        kwargs["code"] = code
    if name:
        kwargs["name"] = name
    qpv = TerritoryFactory.create(**kwargs)
    TerritoryLink.objects.create(parent=commune, child=qpv)
    contract_set_qpvs(contract=contract, qpvs=[*contract.qpvs.all(), qpv])
    return qpv


def pillar(contract: Contract, code: str = "cohesion_sociale") -> Pillar:
    return Pillar.objects.get(contract=contract, code=code)


def make_orientation(
    contract: Contract, *, title: str = "Améliorer la sécurité des habitants", **kwargs: Any
) -> Orientation:
    kwargs.setdefault("pillar", pillar(contract, kwargs.pop("pillar_code", "cadre_de_vie")))
    return services.orientation_create(contract=contract, title=title, **kwargs)


def make_objective(
    orientation: Orientation, *, title: str = "Réduire les incivilités dans les halls d'immeuble", **fields: Any
) -> Objective:
    return services.objective_create(orientation=orientation, fields=services.ObjectiveFields(title=title, **fields))


def make_action(
    objective: Objective,
    *,
    title: str = "Mettre en place des correspondants de nuit, des mesures de médiation sociale",
    **fields: Any,
) -> Action:
    return services.action_create(objective=objective, fields=services.ActionFields(title=title, **fields))


def copil_meeting(contract: Contract, *, days_ago: int = 3) -> Meeting:
    body = Body.objects.filter(contract=contract, kind=BodyKind.STEERING_COMMITTEE).first()
    if body is None:
        body = Body.objects.create(contract=contract, kind=BodyKind.STEERING_COMMITTEE, name="Comité de pilotage")
    return Meeting.objects.create(
        body=body,
        title="Comité de pilotage",
        starts_at=timezone.now() - timedelta(days=days_ago),
        status=MeetingStatus.HELD,
    )


def decide(
    target: Any, *, verdict: str = Verdict.VALIDATED, meeting: Meeting | None = None, **kwargs: Any
) -> Decision:
    contract = target if isinstance(target, Contract) else target.contract
    meeting = meeting or copil_meeting(contract)
    return decision_record(
        meeting=meeting,
        verdict=verdict,
        text=kwargs.pop("text", "Le comité valide."),
        target=target,
        by=kwargs.pop("by", None),
        **kwargs,
    )


def make_tree(
    contract: Contract, *, validated: bool = True, action_count: int = 1
) -> tuple[Orientation, Objective, list[Action]]:
    orientation = make_orientation(contract)
    if validated:
        decide(orientation)
    objective = make_objective(orientation, baseline_value=120, baseline_year=2022, target_value=60, target_year=2030)
    actions = [
        make_action(objective, title=f"Action {index}", code=f"A{index}", start_on=date(2025, 1, 1))
        for index in range(1, action_count + 1)
    ]
    return orientation, objective, actions


def make_plan(contract: Contract, year: int = 2025, actions: list[Action] | None = None) -> ActionPlan:
    return services.action_plan_create(contract=contract, year=year, actions=actions or [])

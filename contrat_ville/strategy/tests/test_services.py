"""Services of the strategic tree and the yearly plans: rules, carry-over, validation hook, read-only plans."""

from datetime import date

import pytest
from django.utils import timezone

from contrat_ville.accounts.tests.factories import UserFactory
from contrat_ville.contracts.enums import ContractStatus
from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.tests.factories import make_contract
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.models import StatusChange
from contrat_ville.diagnostic.enums import StakeStatus
from contrat_ville.diagnostic.models import Stake
from contrat_ville.governance.enums import BodyKind, MeetingStatus, Verdict
from contrat_ville.governance.models import Body, Decision, Meeting
from contrat_ville.governance.services.decisions import decision_update
from contrat_ville.strategy import selectors, services
from contrat_ville.strategy.enums import ActionPlanStatus, ActionStatus
from contrat_ville.strategy.models import ActionPlan, ActionPlanItem
from contrat_ville.strategy.tests.factories import (
    add_qpv,
    copil_meeting,
    decide,
    make_action,
    make_objective,
    make_orientation,
    make_plan,
    make_tree,
    pillar,
)
from contrat_ville.territories.tests.factories import TerritoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract():
    return make_contract(name="Contrat de ville du Val Fictif")


# --- orientations ---------------------------------------------------------------------------------------------


def test_orientation_is_drawn_from_stakes_of_its_pillar(contract):
    own = Stake.objects.create(contract=contract, pillar=pillar(contract, "cadre_de_vie"), title="Sécurité")
    other = Stake.objects.create(contract=contract, pillar=pillar(contract, "cohesion_sociale"), title="Réussite")
    orientation = make_orientation(contract, stakes=[own])
    assert list(orientation.stakes.all()) == [own]
    with pytest.raises(BusinessRuleError, match="relève d'un autre pilier") as refused:
        make_orientation(contract, title="Autre", stakes=[other])
    assert refused.value.field == "stakes"


def test_orientation_cannot_rest_on_a_rejected_stake(contract):
    rejected = Stake.objects.create(
        contract=contract, pillar=pillar(contract, "cadre_de_vie"), title="Écarté", status=StakeStatus.REJECTED
    )
    with pytest.raises(BusinessRuleError, match="a été écarté"):
        make_orientation(contract, stakes=[rejected])
    assert rejected not in selectors.orientation_stakes(contract=contract)


def test_orientation_refuses_a_pillar_of_another_contract(contract):
    other = make_contract(name="Autre contrat")
    with pytest.raises(BusinessRuleError, match="pas un pilier de ce contrat"):
        services.orientation_create(contract=contract, pillar=pillar(other), title="Orientation")


def test_orientation_numbers_are_unique_in_the_contract(contract):
    make_orientation(contract, code="1.1")
    with pytest.raises(BusinessRuleError, match=r"« 1\.1 » est déjà"):
        make_orientation(contract, title="Autre", code="1.1")
    make_orientation(make_contract(name="Autre contrat"), code="1.1")


# --- objectives -----------------------------------------------------------------------------------------------


def test_objective_target_year_cannot_precede_baseline_year(contract):
    orientation = make_orientation(contract)
    with pytest.raises(BusinessRuleError) as refused:
        make_objective(orientation, baseline_value=50, baseline_year=2024, target_value=40, target_year=2022)
    assert refused.value.field == "target_year"
    assert (
        refused.value.message == "L'année cible (2022) doit être égale ou postérieure à l'année de référence (2024)."
    )


@pytest.mark.parametrize(
    ("fields", "message", "field"),
    [
        ({"baseline_value": 12.5}, "Indiquez l'année de la valeur de référence.", "baseline_year"),
        ({"target_value": 10}, "Indiquez l'année de la valeur cible.", "target_year"),
        ({"baseline_year": 1890}, "L'année de référence doit être comprise entre 1990 et 2100", "baseline_year"),
        ({"title": "  "}, "L'intitulé est obligatoire.", "title"),
    ],
)
def test_objective_rules(contract, fields, message, field):
    orientation = make_orientation(contract)
    with pytest.raises(BusinessRuleError) as refused:
        make_objective(orientation, **fields)
    assert message in refused.value.message
    assert refused.value.field == field


def test_objective_is_measured_on_a_territory_of_the_contract(contract):
    qpv = add_qpv(contract)
    orientation = make_orientation(contract)
    objective = make_objective(orientation, territory=qpv)
    assert objective.territory == qpv
    assert make_objective(orientation, title="Sur l'EPCI", territory=contract.epci).territory == contract.epci
    with pytest.raises(BusinessRuleError, match="n'est pas un territoire du contrat"):
        make_objective(orientation, title="Ailleurs", territory=TerritoryFactory.create(qpv=True))


# --- actions --------------------------------------------------------------------------------------------------


def test_action_rules(contract):
    _, objective, _ = make_tree(contract, action_count=0)
    with pytest.raises(BusinessRuleError, match="date de fin de l'action doit suivre"):
        make_action(objective, start_on=date(2025, 6, 1), end_on=date(2025, 1, 1))
    with pytest.raises(BusinessRuleError, match="pas des quartiers prioritaires du contrat"):
        make_action(objective, qpvs=[TerritoryFactory.create(qpv=True)])
    with pytest.raises(BusinessRuleError, match="entre 0 et 100"):
        make_action(objective, progress=120)
    other_axis = make_contract(name="Autre").axes.first()
    with pytest.raises(BusinessRuleError, match="pas des axes du contrat"):
        make_action(objective, axes=[other_axis])


def test_action_status_changes_are_recorded_and_checked(contract):
    user = UserFactory.create()
    _, _, (action,) = make_tree(contract)
    services.action_set_status(action=action, status=ActionStatus.DONE, progress=100, comment="Fini", by=user)
    action.refresh_from_db()
    assert (action.status, action.progress) == (ActionStatus.DONE, 100)
    change = StatusChange.objects.get(object_id=action.pk, to_status=ActionStatus.DONE)
    assert (change.from_status, change.changed_by, change.comment) == (ActionStatus.PLANNED, user, "Fini")
    with pytest.raises(BusinessRuleError, match="Passage impossible de « réalisée » à « prévue »"):
        services.action_set_status(action=action, status=ActionStatus.PLANNED)


def test_action_update_moves_the_status_through_the_workflow(contract):
    _, _, (action,) = make_tree(contract)
    fields = services.ActionFields(title="Nouveau titre", status=ActionStatus.IN_PROGRESS, progress=30)
    services.action_update(action=action, fields=fields, comment="Lancée")
    action.refresh_from_db()
    assert (action.title, action.status, action.progress) == ("Nouveau titre", ActionStatus.IN_PROGRESS, 30)
    assert StatusChange.objects.filter(object_id=action.pk, comment="Lancée").exists()


# --- plans ----------------------------------------------------------------------------------------------------


def test_plan_of_a_year_is_unique_and_links_the_previous_year(contract):
    _, _, actions = make_tree(contract, action_count=2)
    plan_2025 = make_plan(contract, 2025, actions[:1])
    with pytest.raises(BusinessRuleError, match="déjà un plan d'actions pour 2025"):
        make_plan(contract, 2025)
    plan_2026 = make_plan(contract, 2026, actions)
    assert plan_2026.previous == plan_2025
    flags = dict(plan_2026.items.values_list("action__title", "carried_over"))
    assert flags == {"Action 1": True, "Action 2": False}


def test_plan_refuses_an_action_of_another_contract(contract):
    _, _, (foreign,) = make_tree(make_contract(name="Autre contrat"))
    with pytest.raises(BusinessRuleError, match="n'appartient pas à ce contrat"):
        make_plan(contract, 2025, [foreign])
    plan = make_plan(contract, 2025)
    with pytest.raises(BusinessRuleError, match="n'appartient pas à ce contrat"):
        services.action_plan_add_action(plan=plan, action=foreign)


def test_add_and_remove_actions_of_a_draft_plan(contract):
    _, _, (first, second) = make_tree(contract, action_count=2)
    plan = make_plan(contract, 2025, [first])
    item = services.action_plan_add_action(plan=plan, action=second)
    assert item.snapshot["title"] == "Action 2"
    with pytest.raises(BusinessRuleError, match="figure déjà"):
        services.action_plan_add_action(plan=plan, action=second)
    services.action_plan_remove_action(plan=plan, action=first)
    assert list(plan.items.values_list("action", flat=True)) == [second.pk]
    with pytest.raises(BusinessRuleError, match="ne figure pas"):
        services.action_plan_remove_action(plan=plan, action=first)


def test_prepare_next_year_carries_over_unfinished_actions(contract):
    _, _, (planned, running, done, abandoned) = make_tree(contract, action_count=4)
    services.action_set_status(action=running, status=ActionStatus.IN_PROGRESS)
    services.action_set_status(action=done, status=ActionStatus.DONE)
    services.action_set_status(action=abandoned, status=ActionStatus.ABANDONED)
    plan = make_plan(contract, 2025, [planned, running, done, abandoned])
    next_plan = services.action_plan_prepare_next(plan=plan)
    assert (next_plan.year, next_plan.status, next_plan.previous) == (2026, ActionPlanStatus.DRAFT, plan)
    items = ActionPlanItem.objects.filter(plan=next_plan)
    assert {item.action for item in items} == {planned, running}
    assert all(item.carried_over for item in items)
    with pytest.raises(BusinessRuleError, match=r"Le plan d'actions 2026 existe déjà\."):
        services.action_plan_prepare_next(plan=plan)


def test_a_copil_decision_validates_the_plan_and_freezes_its_items(contract):
    user = UserFactory.create()
    _, _, (action,) = make_tree(contract)
    plan = make_plan(contract, 2025, [action])
    services.action_set_status(action=action, status=ActionStatus.IN_PROGRESS, progress=40)
    decision = decide(plan, verdict=Verdict.VALIDATED_WITH_AMENDMENTS, by=user)
    plan.refresh_from_db()
    assert plan.status == ActionPlanStatus.VALIDATED
    item = plan.items.get()
    assert (item.snapshot["status"], item.snapshot["progress"]) == (ActionStatus.IN_PROGRESS, 40)
    assert item.snapshot["objective"] == "Réduire les incivilités dans les halls d'immeuble"
    change = StatusChange.objects.get(object_id=plan.pk, to_status=ActionPlanStatus.VALIDATED)
    assert change.changed_by == user
    assert "validé avec amendements" in change.comment
    # The action lives on; the validated plan keeps the state the committee validated.
    services.action_set_status(action=action, status=ActionStatus.DONE, progress=100)
    (row,) = selectors.plan_rows(plan=plan)
    assert (row.state["status"], row.state["progress"]) == (ActionStatus.IN_PROGRESS, 40)
    # A later correction that withdraws the validation sends the plan back to draft.
    decision_update(decision=decision, verdict=Verdict.POSTPONED, text="Ajourné.", is_published=False, by=user)
    plan.refresh_from_db()
    assert plan.status == ActionPlanStatus.DRAFT


def test_a_rejection_leaves_the_plan_in_draft(contract):
    _, _, (action,) = make_tree(contract)
    plan = make_plan(contract, 2025, [action])
    decide(plan, verdict=Verdict.REJECTED)
    plan.refresh_from_db()
    assert plan.status == ActionPlanStatus.DRAFT
    assert Decision.objects.filter(verdict=Verdict.REJECTED).exists()


def test_a_plan_needs_actions_under_validated_orientations(contract):
    empty = make_plan(contract, 2024)
    with pytest.raises(BusinessRuleError, match="ne contient aucune action"):
        decide(empty)
    _, _, (action,) = make_tree(contract, validated=False)
    plan = make_plan(contract, 2025, [action])
    with pytest.raises(BusinessRuleError, match="pas encore validées"):
        decide(plan)
    assert not Decision.objects.filter(target_id=plan.pk).exists()
    plan.refresh_from_db()
    assert plan.status == ActionPlanStatus.DRAFT


def test_a_decision_of_another_body_does_not_validate(contract):
    _, _, (action,) = make_tree(contract)
    plan = make_plan(contract, 2025, [action])
    body = Body.objects.create(contract=contract, kind=BodyKind.TECHNICAL_COMMITTEE, name="Comité technique")
    meeting = Meeting.objects.create(
        body=body, title="Comité technique", starts_at=timezone.now(), status=MeetingStatus.HELD
    )
    decide(plan, meeting=meeting)
    plan.refresh_from_db()
    assert plan.status == ActionPlanStatus.DRAFT


def test_a_validated_plan_is_read_only(contract):
    _, _, (first, second) = make_tree(contract, action_count=2)
    plan = make_plan(contract, 2025, [first])
    decide(plan)
    plan.refresh_from_db()
    message = "a été validé par le comité de pilotage : il ne peut plus être modifié"
    with pytest.raises(BusinessRuleError, match=message):
        services.action_plan_add_action(plan=plan, action=second)
    with pytest.raises(BusinessRuleError, match=message):
        services.action_plan_remove_action(plan=plan, action=first)
    with pytest.raises(BusinessRuleError, match=message):
        services.action_plan_update(plan=plan, notes="Nouveau texte")
    # The next year's plan is prepared from it.
    assert services.action_plan_prepare_next(plan=plan).items.count() == 1


# --- phase rules ----------------------------------------------------------------------------------------------


def test_phase_3_2_needs_a_validated_orientation_in_every_pillar(contract):
    assert selectors.orientations_phase_done(contract) is False
    orientations = [
        make_orientation(contract, title=f"Orientation {code}", pillar_code=code)
        for code in contract.pillars.values_list("code", flat=True)
    ]
    assert selectors.orientations_phase_done(contract) is False
    meeting = copil_meeting(contract)
    for orientation in orientations:
        decide(orientation, meeting=meeting)
    assert selectors.orientations_phase_done(contract) is True
    make_orientation(contract, title="Encore une")
    assert selectors.orientations_phase_done(contract) is False


def test_phase_4_is_done_once_a_plan_is_validated_and_the_contract_signed(contract):
    _, _, (action,) = make_tree(contract)
    plan = make_plan(contract, 2025, [action])
    assert selectors.action_plan_phase_done(contract) is False
    decide(plan)
    assert selectors.action_plan_phase_done(contract) is False
    Contract.objects.filter(pk=contract.pk).update(status=ContractStatus.SIGNED)
    contract.refresh_from_db()
    assert selectors.action_plan_phase_done(contract) is True


# --- history --------------------------------------------------------------------------------------------------


def test_node_history_says_who_changed_what(contract):
    user = UserFactory.create(first_name="Alix", last_name="Pilote")
    orientation = make_orientation(contract, by=user)
    services.orientation_update(
        orientation=orientation, pillar=orientation.pillar, title="Renforcer la tranquillité publique", by=user
    )
    latest, creation = selectors.node_history(orientation)
    assert creation.kind == "création"
    assert latest.kind == "modification"
    assert latest.who == user.display_name
    assert any("intitulé" in change and "Renforcer la tranquillité publique" in change for change in latest.changes)


def test_plans_keep_their_year_order(contract):
    make_plan(contract, 2024)
    make_plan(contract, 2026)
    assert [plan.year for plan in ActionPlan.objects.filter(contract=contract)] == [2026, 2024]

"""Deleting and archiving the tree's nodes (issue 10 §6): a node nothing depends on is deleted after a confirmation,
a validated or cited one is archived — it leaves the tree, the lists and the forms, its page stays — and both are
recorded in its history."""

from html import unescape

import pytest
from django.urls import reverse

from contrat_ville.accounts.tests.factories import UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.diagnostic.services.stakes import stake_archive, stake_delete
from contrat_ville.diagnostic.tests.factories import make_stake
from contrat_ville.strategy import selectors, services
from contrat_ville.strategy.forms import ActionPlanForm, OrientationForm
from contrat_ville.strategy.models import Action, Objective, Orientation
from contrat_ville.strategy.tests.factories import (
    decide,
    make_action,
    make_objective,
    make_orientation,
    make_plan,
    pillar,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pilot():
    return UserFactory.create(first_name="Alix", last_name="Pilote")


@pytest.fixture
def contract(pilot):
    contract = make_contract(name="Contrat de ville du Val Fictif", published=True)
    grant(contract, pilot, Role.PILOT)
    return contract


def url(name, contract, **kwargs):
    return reverse(f"strategy:{name}", kwargs={"contract_slug": contract.slug, **kwargs})


def text(response):
    assert response.status_code == 200, response.status_code
    return " ".join(unescape(response.content.decode()).split())


def test_a_mistaken_node_is_deleted_leaves_first_and_the_deletion_is_in_its_history(pilot, contract):
    orientation = make_orientation(contract)
    objective = make_objective(orientation)
    action = make_action(objective)
    orientation_id, action_id = orientation.pk, action.pk
    with pytest.raises(BusinessRuleError, match="a 1 objectif"):
        services.orientation_delete(orientation=orientation, by=pilot)
    with pytest.raises(BusinessRuleError, match="a 1 action"):
        services.objective_delete(objective=objective, by=pilot)
    services.action_delete(action=action, by=pilot)
    services.objective_delete(objective=objective, by=pilot)
    services.orientation_delete(orientation=orientation, by=pilot)
    assert not Orientation.objects.exists()
    last = Orientation.history.filter(id=orientation_id).latest("history_date")
    assert (last.history_type, last.history_user) == ("-", pilot)
    assert Action.history.filter(id=action_id, history_type="-", history_user=pilot).exists()


def test_deletion_is_refused_when_a_decision_targets_the_orientation_or_a_plan_holds_the_action(pilot, contract):
    orientation = make_orientation(contract)
    decide(orientation)
    with pytest.raises(BusinessRuleError, match="décision"):
        services.orientation_delete(orientation=orientation, by=pilot)
    action = make_action(make_objective(make_orientation(contract, title="Autre")))
    make_plan(contract, actions=[action])
    with pytest.raises(BusinessRuleError, match="plan"):
        services.action_delete(action=action, by=pilot)
    assert Orientation.objects.filter(pk=orientation.pk).exists()
    assert Action.objects.filter(pk=action.pk).exists()


def test_an_archived_node_leaves_the_tree_lists_and_forms_and_keeps_its_page(client, pilot, contract):
    orientation = make_orientation(contract)
    decide(orientation)
    objective = make_objective(orientation, title="Réduire les incivilités")
    action = make_action(objective, title="Correspondants de nuit")
    kept = make_action(objective, title="Chantiers éducatifs")
    plan = make_plan(contract, actions=[action])
    client.force_login(pilot)

    response = client.post(url("action_archive", contract, action_id=action.pk), follow=True)
    assert "archivé(e) : retiré(e) de l'arbre" in text(response)
    action.refresh_from_db()
    assert action.is_archived
    assert Action.history.filter(id=action.pk).latest("history_date").history_user == pilot
    assert [item.pk for item in selectors.objective_actions(objective=objective)] == [kept.pk]
    assert action.pk not in [item.pk for item in selectors.action_list(contract=contract)]
    assert "Correspondants de nuit" not in text(client.get(url("tree", contract)))
    page = text(client.get(url("action_detail", contract, action_id=action.pk)))
    assert "Archivé le" in page
    assert "Archiver" not in page
    # The plan that holds it still cites it, and may still be edited with it.
    assert "Correspondants de nuit" in text(client.get(url("plan_detail", contract, plan_id=plan.pk)))
    form = ActionPlanForm(contract=contract, initial={"actions": [action.pk]})
    assert {choice.pk for choice in form.fields["actions"].queryset} == {action.pk, kept.pk}
    assert set(ActionPlanForm(contract=contract).fields["actions"].queryset) == {kept}

    response = client.post(url("action_archive", contract, action_id=action.pk), follow=True)
    assert "est déjà archivé" in text(response)

    client.post(url("orientation_archive", contract, orientation_id=orientation.pk))
    orientation.refresh_from_db()
    assert orientation.is_archived
    assert selectors.orientation_list(contract=contract) == []
    assert selectors.strategy_summary(contract=contract).orientation_count == 0


def test_the_confirmation_page_deletes_or_says_why_not(client, pilot, contract):
    orientation = make_orientation(contract, title="Orientation à supprimer")
    objective = make_objective(orientation)
    client.force_login(pilot)
    page = text(client.get(url("orientation_delete", contract, orientation_id=orientation.pk)))
    assert "Supprimer « Orientation à supprimer »" in page
    refused = text(client.post(url("orientation_delete", contract, orientation_id=orientation.pk)))
    assert "suppression impossible, archivez plutôt" in refused
    detail = text(client.get(url("objective_detail", contract, objective_id=objective.pk)))
    assert "Supprimer" in detail and "Archiver" in detail
    response = client.post(url("objective_delete", contract, objective_id=objective.pk))
    assert response.status_code == 302
    assert response["Location"] == url("orientation_detail", contract, orientation_id=orientation.pk)
    assert not Objective.objects.exists()
    assert client.post(url("orientation_delete", contract, orientation_id=orientation.pk)).status_code == 302
    assert not Orientation.objects.exists()


@pytest.mark.parametrize("role", [Role.PARTNER, Role.OBSERVER, Role.COUNCIL])
def test_only_those_who_build_the_strategy_delete_or_archive(client, contract, role):
    orientation = make_orientation(contract)
    user = UserFactory.create()
    grant(contract, user, role)
    client.force_login(user)
    assert client.get(url("orientation_delete", contract, orientation_id=orientation.pk)).status_code == 403
    assert client.post(url("orientation_archive", contract, orientation_id=orientation.pk)).status_code == 403
    assert "Archiver" not in text(client.get(url("orientation_detail", contract, orientation_id=orientation.pk)))
    orientation.refresh_from_db()
    assert not orientation.is_archived


def test_a_stake_an_orientation_cites_is_archived_and_stays_on_the_orientation_and_its_form(contract, pilot):
    cited = make_stake(contract, title="Cité", pillar=pillar(contract, "cadre_de_vie"))
    orientation = make_orientation(contract, stakes=[cited])
    with pytest.raises(BusinessRuleError, match="orientation"):
        stake_delete(stake=cited, by=pilot)
    stake_archive(stake=cited, on=cited.created_at.date(), by=pilot)
    assert cited not in selectors.orientation_stakes(contract=contract)
    assert [row.stake for row in selectors.orientation_stake_rows(orientation)] == [cited]
    form = OrientationForm(contract=contract, stake_rows=[], initial={"stakes": [cited.pk]})
    assert cited in form.fields["stakes"].queryset

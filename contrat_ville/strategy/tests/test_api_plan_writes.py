"""API writes of the yearly action plans (issue 10 §7): create a plan, edit its presentation, add and remove
actions, prepare next year's — the same services, permissions and French messages as the plan pages."""

from __future__ import annotations

import pytest
from django.test import Client

from contrat_ville.accounts.tests.factories import UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.strategy.enums import ActionStatus
from contrat_ville.strategy.models import ActionPlan
from contrat_ville.strategy.tests.factories import decide, make_action, make_plan, make_tree
from contrat_ville.strategy.tests.test_api import api_url, bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def pilot():
    return UserFactory.create()


@pytest.fixture
def contract(pilot):
    contract = make_contract(name="Contrat des plans", published=True)
    grant(contract, pilot, Role.PILOT)
    return contract


@pytest.fixture
def partner(contract):
    user = UserFactory.create()
    grant(contract, user, Role.PARTNER)
    return user


def post(path, payload, headers=None):
    return Client().post(path, payload, content_type="application/json", headers=headers or {})


def test_plan_create_answers_201_401_403_404_422_in_french(contract, pilot, partner):
    _, _, (action,) = make_tree(contract)
    url = api_url(contract, "action-plans")
    payload = {"year": 2025, "notes": "Première année.", "action_ids": [action.pk]}
    assert post(url, payload).status_code == 401
    refused = post(url, payload, bearer(partner))
    assert refused.status_code == 403
    assert post(url, payload, bearer(UserFactory.create())).status_code == 404
    outside = post(url, {**payload, "year": 2040}, bearer(pilot))
    assert (outside.status_code, outside.json()["detail"]) == (
        422,
        "L'année du plan (2040) doit être une année du contrat, de 2024 à 2030.",
    )
    unknown = post(url, {**payload, "action_ids": [999999]}, bearer(pilot))
    assert (unknown.status_code, unknown.json()["detail"]) == (422, "Actions inconnues dans ce contrat, ou archivées.")
    assert post(url, {**payload, "year": 99999}, bearer(pilot)).status_code == 422

    created = post(url, payload, bearer(pilot))
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["year"], body["status"], body["notes"], [item["action_id"] for item in body["items"]]) == (
        2025,
        "draft",
        "Première année.",
        [action.pk],
    )
    again = post(url, payload, bearer(pilot))
    assert (again.status_code, again.json()["detail"]) == (422, "Le contrat a déjà un plan d'actions pour 2025.")


def test_plan_update_add_and_remove_actions(contract, pilot, partner):
    _, objective, (action,) = make_tree(contract)
    other = make_action(objective, title="Une deuxième action")
    plan = make_plan(contract, 2025, [action])
    url = api_url(contract, f"action-plans/{plan.pk}")
    assert Client().put(url, {"notes": "x"}, content_type="application/json").status_code == 401
    assert (
        Client().put(url, {"notes": "x"}, content_type="application/json", headers=bearer(partner)).status_code == 403
    )
    updated = Client().put(url, {"notes": "Présentation."}, content_type="application/json", headers=bearer(pilot))
    assert (updated.status_code, updated.json()["notes"]) == (200, "Présentation.")

    actions_url = f"{url}/actions"
    assert post(actions_url, {"action_id": other.pk}).status_code == 401
    assert post(actions_url, {"action_id": other.pk}, bearer(partner)).status_code == 403
    assert post(actions_url, {"action_id": other.pk}, bearer(UserFactory.create())).status_code == 404
    assert post(actions_url, {"action_id": 999999}, bearer(pilot)).status_code == 422
    added = post(actions_url, {"action_id": other.pk}, bearer(pilot))
    assert added.status_code == 201, added.content
    assert sorted(item["action_id"] for item in added.json()["items"]) == sorted([action.pk, other.pk])
    twice = post(actions_url, {"action_id": other.pk}, bearer(pilot))
    assert (twice.status_code, "figure déjà" in twice.json()["detail"]) == (422, True)

    client = Client()
    assert client.delete(f"{actions_url}/{other.pk}").status_code == 401
    assert client.delete(f"{actions_url}/{other.pk}", headers=bearer(partner)).status_code == 403
    assert client.delete(f"{actions_url}/{other.pk}", headers=bearer(pilot)).status_code == 204
    absent = client.delete(f"{actions_url}/{other.pk}", headers=bearer(pilot))
    assert (absent.status_code, "ne figure pas" in absent.json()["detail"]) == (422, True)
    assert client.delete(f"{actions_url}/999999", headers=bearer(pilot)).status_code == 404

    decide(plan)
    frozen = Client().put(url, {"notes": "Après."}, content_type="application/json", headers=bearer(pilot))
    assert frozen.status_code == 422
    assert "validé par le comité de pilotage" in frozen.json()["detail"]
    assert post(actions_url, {"action_id": other.pk}, bearer(pilot)).status_code == 422


def test_plan_prepare_next_carries_over_unfinished_actions(contract, pilot, partner):
    _, objective, (action,) = make_tree(contract)
    done = make_action(objective, title="Action réalisée", status=ActionStatus.DONE)
    plan = make_plan(contract, 2025, [action, done])
    url = api_url(contract, f"action-plans/{plan.pk}/next")
    assert post(url, {}).status_code == 401
    assert post(url, {}, bearer(partner)).status_code == 403
    other = make_contract(name="Autre contrat")
    assert post(api_url(other, f"action-plans/{plan.pk}/next"), {}, bearer(pilot)).status_code == 404
    created = post(url, {}, bearer(pilot))
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["year"], body["previous_id"], [item["action_id"] for item in body["items"]]) == (
        2026,
        plan.pk,
        [action.pk],
    )
    assert body["items"][0]["carried_over"] is True
    again = post(url, {}, bearer(pilot))
    assert (again.status_code, again.json()["detail"]) == (422, "Le plan d'actions 2026 existe déjà.")
    assert ActionPlan.objects.filter(contract=contract).count() == 2

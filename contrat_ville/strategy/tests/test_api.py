"""The strategy API: public reads on a published contract (private otherwise), writes through the services."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.services import api_token_create
from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.core.models import StatusChange
from contrat_ville.strategy import services
from contrat_ville.strategy.enums import ActionStatus
from contrat_ville.strategy.models import Action
from contrat_ville.strategy.tests.factories import (
    add_qpv,
    decide,
    make_action,
    make_orientation,
    make_plan,
    make_tree,
)

pytestmark = pytest.mark.django_db


def bearer(user: Any) -> dict[str, str]:
    _, raw_token = api_token_create(user=user)
    return {"Authorization": f"Bearer {raw_token}"}


def api_url(contract: Any, path: str) -> str:
    return f"/api/v1/contracts/{contract.pk}/{path}"


@pytest.fixture
def pilot():
    return UserFactory.create()


@pytest.fixture
def contract(pilot):
    contract = make_contract(name="Contrat publié", published=True)
    grant(contract, pilot, Role.PILOT)
    return contract


def test_reads_are_public_on_a_published_contract(contract):
    qpv = add_qpv(contract, code="QN09650M")
    orientation, _, (action,) = make_tree(contract)
    services.action_update(action=action, fields=services.ActionFields(title=action.title, qpvs=[qpv]))
    make_orientation(contract, title="En attente", pillar_code="cohesion_sociale")
    client = Client()
    orientations = client.get(api_url(contract, "orientations")).json()
    assert [(item["title"], item["is_validated"]) for item in orientations] == [
        ("En attente", False),
        (orientation.title, True),
    ]
    assert orientations[1]["validation"]["verdict_label"] == "validé"
    objectives = client.get(api_url(contract, "objectives")).json()
    assert objectives[0]["status"] == "unknown" and objectives[0]["baseline_year"] == 2022
    actions = client.get(api_url(contract, "actions") + "?qpv=QN09650M").json()
    assert [item["id"] for item in actions] == [action.pk]
    assert actions[0]["qpvs"] == [{"code": "QN09650M", "label": qpv.name}]
    assert client.get(api_url(contract, "actions") + "?status=done").json() == []
    assert client.get(api_url(contract, "actions") + "?pillar=cohesion_sociale").json() == []


def test_reads_are_private_on_an_unpublished_contract(pilot):
    contract = make_contract(name="Contrat privé")
    grant(contract, pilot, Role.PILOT)
    make_tree(contract)
    assert Client().get(api_url(contract, "orientations")).status_code == 404
    assert Client().get(api_url(contract, "actions"), headers=bearer(UserFactory.create())).status_code == 404
    assert len(Client().get(api_url(contract, "actions"), headers=bearer(pilot)).json()) == 1


def test_action_plans_with_their_recorded_items(contract):
    _, _, (action,) = make_tree(contract)
    plan = make_plan(contract, 2025, [action])
    decide(plan)
    services.action_set_status(action=action, status=ActionStatus.DONE, progress=100)
    client = Client()
    plans = client.get(api_url(contract, "action-plans")).json()
    assert [(item["year"], item["status"], item["item_count"]) for item in plans] == [(2025, "validated", 1)]
    detail = client.get(api_url(contract, f"action-plans/{plan.pk}")).json()
    (item,) = detail["items"]
    assert (item["action_id"], item["state"]["status"], item["state"]["progress"]) == (action.pk, "planned", 0)
    other = make_plan(make_contract(name="Autre"), 2025)
    assert client.get(api_url(contract, f"action-plans/{other.pk}")).status_code == 404


def test_pilot_creates_an_action(contract, pilot):
    qpv = add_qpv(contract, code="QN09650M")
    _, objective, _ = make_tree(contract, action_count=0)
    lead = OrganizationFactory.create()
    payload = {
        "objective_id": objective.pk,
        "title": "Médiation sociale",
        "lead_organization_id": lead.pk,
        "qpv_codes": ["QN09650M"],
        "axis_codes": ["jeunesse"],
        "status": "in_progress",
        "progress": 10,
    }
    response = Client().post(
        api_url(contract, "actions"), payload, content_type="application/json", headers=bearer(pilot)
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["title"], body["status_label"], body["qpvs"][0]["code"]) == (
        "Médiation sociale",
        "en cours",
        qpv.code,
    )
    assert Action.objects.get().lead_organization == lead


def test_action_writes_answer_401_403_404_422(contract, pilot):
    _, objective, _ = make_tree(contract)
    payload = {"objective_id": objective.pk, "title": "Action"}
    client = Client()
    assert client.post(api_url(contract, "actions"), payload, content_type="application/json").status_code == 401
    partner = UserFactory.create()
    grant(contract, partner, Role.PARTNER)
    response = client.post(
        api_url(contract, "actions"), payload, content_type="application/json", headers=bearer(partner)
    )
    assert response.status_code == 403
    stranger = bearer(UserFactory.create())
    response = client.post(api_url(contract, "actions"), payload, content_type="application/json", headers=stranger)
    assert response.status_code == 404
    bad = {**payload, "start_on": "2025-06-01", "end_on": "2025-01-01"}
    response = client.post(api_url(contract, "actions"), bad, content_type="application/json", headers=bearer(pilot))
    assert response.status_code == 422
    assert "date de fin" in response.json()["detail"]
    response = client.post(
        api_url(contract, "actions"),
        {**payload, "qpv_codes": ["QN0"]},
        content_type="application/json",
        headers=bearer(pilot),
    )
    assert response.status_code == 422


def test_status_update_by_the_lead_partner_is_recorded(contract, pilot):
    organization = OrganizationFactory.create(kind=OrganizationKind.ASSOCIATION)
    partner = UserFactory.create(organization=organization)
    grant(contract, partner, Role.PARTNER)
    _, _, (own, other) = make_tree(contract, action_count=2)
    services.action_update(action=own, fields=services.ActionFields(title=own.title, lead_organization=organization))
    client = Client()
    url = api_url(contract, f"actions/{own.pk}")
    response = client.patch(
        url,
        {"status": "done", "progress": 100, "comment": "Terminée"},
        content_type="application/json",
        headers=bearer(partner),
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "done"
    assert StatusChange.objects.get(object_id=own.pk).changed_by == partner
    response = client.patch(url, {"status": "planned"}, content_type="application/json", headers=bearer(partner))
    assert response.status_code == 422
    assert "Passage impossible" in response.json()["detail"]
    response = client.patch(
        api_url(contract, f"actions/{other.pk}"),
        {"status": "done"},
        content_type="application/json",
        headers=bearer(partner),
    )
    assert response.status_code == 403


def test_action_list_runs_a_constant_number_of_queries(contract, query_count):
    _, objective, _ = make_tree(contract, action_count=1)
    client = Client()
    client.get(api_url(contract, "actions"))
    with query_count() as small:
        client.get(api_url(contract, "actions"))
    for index in range(5):
        make_action(objective, title=f"Autre action {index}", qpvs=list(contract.qpvs.all()))
    with query_count() as large:
        assert len(client.get(api_url(contract, "actions")).json()) == 6
    assert len(small) == len(large)

"""API writes of the tree's nodes (issue 10 §7): create and update orientations and objectives, update actions,
delete or archive orientations, objectives and actions — the same services, permissions and French messages as
the pages."""

from __future__ import annotations

import pytest
from django.test import Client

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.core.models import StatusChange
from contrat_ville.strategy.models import Objective, Orientation
from contrat_ville.strategy.tests.factories import decide, make_action, make_objective, make_orientation, pillar
from contrat_ville.strategy.tests.test_api import api_url, bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def pilot():
    return UserFactory.create()


@pytest.fixture
def contract(pilot):
    contract = make_contract(name="Contrat publié", published=True)
    grant(contract, pilot, Role.PILOT)
    return contract


def post(path, payload, headers=None):
    return Client().post(path, payload, content_type="application/json", headers=headers or {})


def test_orientation_create_answers_201_401_403_404_422_in_french(contract, pilot):
    youth = contract.axes.order_by("order", "pk").first()
    payload = {"pillar": "cadre_de_vie", "title": "Tranquillité publique", "axis_codes": [youth.code]}
    url = api_url(contract, "orientations")
    assert post(url, payload).status_code == 401
    partner = UserFactory.create()
    grant(contract, partner, Role.PARTNER)
    assert post(url, payload, bearer(partner)).status_code == 403
    assert post(url, payload, bearer(UserFactory.create())).status_code == 404
    unknown = post(url, {**payload, "pillar": "inconnu"}, bearer(pilot))
    assert (unknown.status_code, unknown.json()["detail"]) == (
        422,
        "Code de pilier inconnu dans ce contrat : « inconnu ».",
    )
    assert "axes inconnus" in post(url, {**payload, "axis_codes": ["zz"]}, bearer(pilot)).json()["detail"]
    assert "intitulé est obligatoire" in post(url, {**payload, "title": " "}, bearer(pilot)).json()["detail"]

    response = post(url, payload, bearer(pilot))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["title"], body["pillar"]["code"], body["axes"]) == (
        "Tranquillité publique",
        "cadre_de_vie",
        [{"code": youth.code, "label": youth.label}],
    )
    assert Orientation.objects.get(pk=body["id"]).history.first().history_user == pilot


def test_objective_create_answers_201_404_422(contract, pilot):
    orientation = make_orientation(contract)
    url = api_url(contract, "objectives")
    payload = {"orientation_id": orientation.pk, "title": "Réduire les incivilités", "baseline_value": 120}
    response = post(url, payload, bearer(pilot))
    assert (response.status_code, response.json()["detail"]) == (422, "Indiquez l'année de la valeur de référence.")
    assert post(url, {**payload, "orientation_id": 999999}, bearer(pilot)).status_code == 404
    assert post(url, payload).status_code == 401
    response = post(url, {**payload, "baseline_year": 2022, "target_value": 60, "target_year": 2030}, bearer(pilot))
    assert response.status_code == 201, response.content
    assert Objective.objects.get(pk=response.json()["id"]).orientation == orientation


def test_nodes_are_deleted_or_archived_through_the_api(contract, pilot):
    validated = make_orientation(contract, title="Validée")
    decide(validated)
    objective = make_objective(make_orientation(contract, title="Brouillon", pillar=pillar(contract, "cadre_de_vie")))
    action = make_action(objective)
    client = Client()
    headers = bearer(pilot)
    assert client.delete(api_url(contract, f"orientations/{validated.pk}")).status_code == 401
    refused = client.delete(api_url(contract, f"orientations/{validated.pk}"), headers=headers)
    assert refused.status_code == 422
    assert "décision" in refused.json()["detail"]
    refused = client.delete(api_url(contract, f"objectives/{objective.pk}"), headers=headers)
    assert (refused.status_code, "archivez plutôt" in refused.json()["detail"]) == (422, True)
    assert client.delete(api_url(contract, f"actions/{action.pk}"), headers=headers).status_code == 204
    assert client.delete(api_url(contract, f"objectives/{objective.pk}"), headers=headers).status_code == 204
    assert client.delete(api_url(contract, f"objectives/{objective.pk}"), headers=headers).status_code == 404

    partner = UserFactory.create()
    grant(contract, partner, Role.PARTNER)
    assert post(api_url(contract, f"orientations/{validated.pk}/archive"), {}, bearer(partner)).status_code == 403
    assert post(api_url(contract, f"orientations/{validated.pk}/archive"), {}, headers).status_code == 204
    again = post(api_url(contract, f"orientations/{validated.pk}/archive"), {}, headers)
    assert (again.status_code, again.json()["detail"]) == (422, "« Validée » est déjà archivé.")
    listed = Client().get(api_url(contract, "orientations")).json()
    assert validated.pk not in [item["id"] for item in listed]


def put(path, payload, headers=None):
    return Client().put(path, payload, content_type="application/json", headers=headers or {})


def test_orientation_update_answers_200_401_403_404_422_in_french(contract, pilot):
    orientation = make_orientation(contract, title="Brouillon")
    youth = contract.axes.order_by("order", "pk").first()
    url = api_url(contract, f"orientations/{orientation.pk}")
    payload = {"pillar": "cadre_de_vie", "title": "Tranquillité publique", "code": "O1", "axis_codes": [youth.code]}
    assert put(url, payload).status_code == 401
    partner = UserFactory.create()
    grant(contract, partner, Role.PARTNER)
    refused = put(url, payload, bearer(partner))
    assert refused.status_code == 403
    assert put(url, payload, bearer(UserFactory.create())).status_code == 404
    assert put(api_url(contract, "orientations/999999"), payload, bearer(pilot)).status_code == 404
    unknown = put(url, {**payload, "pillar": "inconnu"}, bearer(pilot))
    assert (unknown.status_code, unknown.json()["detail"]) == (
        422,
        "Code de pilier inconnu dans ce contrat : « inconnu ».",
    )
    assert "intitulé est obligatoire" in put(url, {**payload, "title": " "}, bearer(pilot)).json()["detail"]
    duplicate = make_orientation(contract, title="Autre", code="O2")
    taken = put(url, {**payload, "code": duplicate.code}, bearer(pilot))
    assert taken.status_code == 422

    response = put(url, payload, bearer(pilot))
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["title"], body["code"], body["axes"]) == (
        "Tranquillité publique",
        "O1",
        [{"code": youth.code, "label": youth.label}],
    )
    orientation.refresh_from_db()
    assert (orientation.title, orientation.history.first().history_user) == ("Tranquillité publique", pilot)


def test_objective_update_keeps_what_the_api_does_not_carry(contract, pilot):
    orientation = make_orientation(contract)
    objective = make_objective(orientation, observed_value=90, observed_year=2024)
    url = api_url(contract, f"objectives/{objective.pk}")
    payload = {"title": "Réduire les incivilités", "baseline_value": 120}
    assert put(url, payload).status_code == 401
    partner = UserFactory.create()
    grant(contract, partner, Role.PARTNER)
    assert put(url, payload, bearer(partner)).status_code == 403
    assert put(url, payload, bearer(UserFactory.create())).status_code == 404
    refused = put(url, payload, bearer(pilot))
    assert (refused.status_code, refused.json()["detail"]) == (422, "Indiquez l'année de la valeur de référence.")
    response = put(url, {**payload, "baseline_year": 2022, "target_value": 60, "target_year": 2030}, bearer(pilot))
    assert response.status_code == 200, response.content
    assert (response.json()["title"], response.json()["target_value"]) == ("Réduire les incivilités", 60)
    objective.refresh_from_db()
    assert (objective.observed_value, objective.observed_year, objective.orientation) == (90, 2024, orientation)


def test_action_update_answers_200_401_403_404_422_and_lets_the_lead_partner_edit(contract, pilot):
    lead = OrganizationFactory.create(kind=OrganizationKind.ASSOCIATION)
    action = make_action(make_objective(make_orientation(contract)), lead_organization=lead)
    other = make_action(action.objective, title="Une autre action")
    url = api_url(contract, f"actions/{action.pk}")
    payload = {"title": "Correspondants de nuit", "lead_organization_id": lead.pk, "status": "in_progress"}
    assert put(url, payload).status_code == 401
    leader = UserFactory.create(organization=lead)
    grant(contract, leader, Role.PARTNER)
    refused = put(api_url(contract, f"actions/{other.pk}"), payload, bearer(leader))
    assert refused.status_code == 403
    assert put(url, payload, bearer(UserFactory.create())).status_code == 404
    late = put(url, {**payload, "end_on": "2099-01-01"}, bearer(pilot))
    assert late.status_code == 422
    assert "doit être dans la période du contrat" in late.json()["detail"]
    assert put(url, {**payload, "qpv_codes": ["QN000"]}, bearer(pilot)).json()["detail"] == (
        "Codes inconnus dans ce contrat : QN000."
    )

    response = put(url, {**payload, "comment": "Recrutements faits.", "progress": 30}, bearer(leader))
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["title"], body["status"], body["progress"], body["lead_organization"]) == (
        "Correspondants de nuit",
        "in_progress",
        30,
        str(lead),
    )
    change = StatusChange.objects.get(object_id=action.pk)
    assert (change.to_status, change.comment, change.changed_by) == ("in_progress", "Recrutements faits.", leader)

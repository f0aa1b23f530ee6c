"""The commitments API: the same services, predicates and French messages as the pages (issue 14 §6)."""

from __future__ import annotations

import pytest
from django.test import Client

from contrat_ville.accounts.tests.factories import UserFactory, bearer
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.funding.models import CommitmentYear, MainstreamCommitment
from contrat_ville.funding.tests.factories import make_commitment, partner_member
from contrat_ville.strategy.tests.factories import make_objective, make_orientation

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract():
    return make_contract(name="Contrat publié", published=True)


@pytest.fixture
def pilot(contract):
    user = UserFactory.create()
    grant(contract, user, Role.PILOT)
    return user


def api_url(contract, path):
    return f"/api/v1/contracts/{contract.pk}/{path}"


def call(method, path, payload=None, headers=None):
    client = Client()
    if payload is None:
        return getattr(client, method)(path, headers=headers or {})
    return getattr(client, method)(path, payload, content_type="application/json", headers=headers or {})


def test_commitments_are_private_even_on_a_published_contract(contract, pilot):
    _, caf = partner_member(contract)
    make_commitment(contract, caf, years={2024: (2, 2)})
    path = api_url(contract, "commitments")
    assert call("get", path).status_code == 401
    assert call("get", path, headers=bearer(UserFactory.create())).status_code == 404
    response = call("get", path, headers=bearer(pilot))
    assert response.status_code == 200
    [body] = response.json()
    assert (body["partner"]["name"], body["unit_label"], body["years"][0]["realised"]) == (
        "Caisse d'allocations familiales",
        "euros",
        2.0,
    )
    assert call("get", api_url(contract, "commitment-balance"), headers=bearer(pilot)).json()["commitment_count"] == 1


def test_a_partner_commits_its_own_organisation_only(contract):
    user, caf = partner_member(contract, "Caisse d'allocations familiales")
    _, other = partner_member(contract, "France Travail")
    objective = make_objective(make_orientation(contract))
    path = api_url(contract, "commitments")
    payload = {"partner_id": caf.pk, "title": "Crédits", "nature": "financial", "objective_id": objective.pk}
    refused = call("post", path, {**payload, "partner_id": other.pk}, bearer(user))
    assert refused.status_code == 403 and "sa propre organisation" in refused.json()["detail"]
    created = call("post", path, payload, bearer(user))
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["objective_id"], body["pillar"]["code"]) == (objective.pk, objective.orientation.pillar.code)
    other_commitment = make_commitment(contract, other)
    edit = call(
        "put",
        api_url(contract, f"commitments/{other_commitment.pk}"),
        {**payload, "partner_id": other.pk},
        bearer(user),
    )
    assert edit.status_code == 403
    assert (
        call("delete", api_url(contract, f"commitments/{other_commitment.pk}"), headers=bearer(user)).status_code
        == 403
    )


def test_years_are_set_with_the_services_rules(contract, pilot):
    _, caf = partner_member(contract)
    commitment = make_commitment(contract, caf)
    path = api_url(contract, f"commitments/{commitment.pk}/years")
    future = call("put", f"{path}/2030", {"planned": "5", "realised": "5"}, bearer(pilot))
    assert future.status_code == 422 and "ne peut pas être saisi avant cette année" in future.json()["detail"]
    negative = call("put", f"{path}/2025", {"planned": "-5"}, bearer(pilot))
    assert negative.status_code == 422
    outside = call("put", f"{path}/2040", {"planned": "5"}, bearer(pilot))
    assert outside.status_code == 422 and "hors de la période du contrat" in outside.json()["detail"]
    assert not CommitmentYear.objects.exists()
    done = call("put", f"{path}/2025", {"planned": "5", "realised": "4.5", "note": "rentrée"}, bearer(pilot))
    assert done.status_code == 200
    assert done.json()["years"] == [
        {"year": 2025, "planned": 5.0, "realised": 4.5, "note": "rentrée", "awaiting": False}
    ]


def test_a_commitment_is_deleted_and_unknown_references_are_refused_in_french(contract, pilot):
    _, caf = partner_member(contract)
    commitment = make_commitment(contract, caf)
    path = api_url(contract, "commitments")
    unknown = call(
        "post", path, {"partner_id": caf.pk, "title": "X", "nature": "staff", "pillar": "zz"}, bearer(pilot)
    )
    assert (
        unknown.status_code == 422 and unknown.json()["detail"] == "Code de pilier inconnu dans ce contrat : « zz »."
    )
    other_objective = make_objective(make_orientation(make_contract(name="Autre")))
    stranger = call(
        "post",
        path,
        {"partner_id": caf.pk, "title": "X", "nature": "staff", "objective_id": other_objective.pk},
        bearer(pilot),
    )
    assert stranger.status_code == 422
    assert call("delete", f"{path}/{commitment.pk}", headers=bearer(pilot)).status_code == 204
    assert not MainstreamCommitment.objects.exists()

import pytest

from contrat_ville.accounts.services import api_token_create
from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import Role, SignatoryKind
from contrat_ville.contracts.services import contract_set_qpvs, signatory_add
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.territories.tests.factories import TerritoryFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/contracts"


def bearer(user) -> dict[str, str]:
    _, raw_token = api_token_create(user=user)
    return {"Authorization": f"Bearer {raw_token}"}


@pytest.fixture
def pilot1():
    return UserFactory()


@pytest.fixture
def pilot2():
    return UserFactory()


@pytest.fixture
def contract1(pilot1):
    contract = make_contract(name="Contrat un")
    contract_set_qpvs(contract=contract, qpvs=[TerritoryFactory.create(qpv=True, name="Les Acacias", code="QN09611M")])
    signatory_add(contract=contract, organization=OrganizationFactory(name="Préfecture"), kind=SignatoryKind.STATE)
    grant(contract, pilot1, Role.PILOT)
    return contract


@pytest.fixture
def contract2(pilot2):
    contract = make_contract(name="Contrat deux")
    grant(contract, pilot2, Role.PILOT)
    return contract


def test_anonymous_list_shows_only_published_contracts(client, contract1):
    published = make_contract(name="Contrat publié", published=True)
    response = client.get(LIST_URL)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert [item["id"] for item in body["items"]] == [published.pk]
    assert body["items"][0]["epci"]["code"] == published.epci.code
    assert body["items"][0]["is_published"] is True


def test_token_lists_the_callers_private_contracts(client, pilot1, contract1, contract2):
    body = client.get(LIST_URL, headers=bearer(pilot1)).json()
    assert [item["name"] for item in body["items"]] == ["Contrat un"]
    assert body["items"][0]["qpv_count"] == 1


def test_list_is_paginated(client):
    for index in range(3):
        make_contract(name=f"Contrat publié {index}", published=True)
    body = client.get(LIST_URL, {"page": 2, "page_size": 2}).json()
    assert body["count"] == 3
    assert [item["name"] for item in body["items"]] == ["Contrat publié 2"]


def test_list_query_count_is_bounded(client, pilot1, query_count):
    for index in range(2):
        grant(make_contract(name=f"A{index}"), pilot1, Role.PILOT)
    headers = bearer(pilot1)
    with query_count() as few:
        client.get(LIST_URL, headers=headers)
    for index in range(20):
        contract = make_contract(name=f"B{index}", published=index % 2 == 0)
        contract_set_qpvs(contract=contract, qpvs=[TerritoryFactory.create(qpv=True)])
        grant(contract, pilot1, Role.PARTNER)
    with query_count() as many:
        response = client.get(LIST_URL, headers=headers)
    assert response.json()["count"] == 22
    assert len(few) == len(many)


def test_detail_of_a_visible_contract(client, pilot1, contract1):
    response = client.get(f"{LIST_URL}/{contract1.pk}", headers=bearer(pilot1))
    assert response.status_code == 200
    body = response.json()
    epci = contract1.epci
    # The territory's id, kind and vintage, as the schema says: enough to follow it to /territories/{id}.
    assert body["epci"] == {
        "id": epci.pk,
        "kind": "epci",
        "code": epci.code,
        "vintage": epci.vintage,
        "name": epci.name,
    }
    assert body["generation"] == "2024"
    assert body["status"] == "in_preparation"
    assert [(qpv["kind"], qpv["code"], qpv["name"]) for qpv in body["qpvs"]] == [("qpv", "QN09611M", "Les Acacias")]
    assert [pillar["code"] for pillar in body["pillars"]] == [
        "cohesion_sociale",
        "cadre_de_vie",
        "developpement_economique",
    ]
    assert len(body["axes"]) == 3
    assert body["signatories"][0]["organization"] == "Préfecture"
    assert body["signatories"][0]["is_signed"] is False


def test_token_of_pilot2_gets_404_on_contract1_and_its_members(client, pilot2, contract1, contract2):
    headers = bearer(pilot2)
    assert client.get(f"{LIST_URL}/{contract1.pk}", headers=headers).status_code == 404
    assert client.get(f"{LIST_URL}/{contract1.pk}/members", headers=headers).status_code == 404
    assert client.get(f"{LIST_URL}/{contract2.pk}/members", headers=headers).status_code == 200


def test_unknown_contract_is_404_like_an_invisible_one(client, pilot2):
    assert client.get(f"{LIST_URL}/999999", headers=bearer(pilot2)).status_code == 404
    assert client.get(f"{LIST_URL}/999999/members", headers=bearer(pilot2)).status_code == 404


def test_anonymous_gets_404_on_unpublished_detail_and_401_on_members(client, contract1):
    assert client.get(f"{LIST_URL}/{contract1.pk}").status_code == 404
    assert client.get(f"{LIST_URL}/{contract1.pk}/members").status_code == 401
    contract1.is_published = True
    contract1.save()
    assert client.get(f"{LIST_URL}/{contract1.pk}").status_code == 200
    assert client.get(f"{LIST_URL}/{contract1.pk}/members").status_code == 401


def test_members_of_a_contract_for_its_member(client, pilot1, contract1):
    body = client.get(f"{LIST_URL}/{contract1.pk}/members", headers=bearer(pilot1)).json()
    assert body == [
        {
            "user_id": pilot1.pk,
            "name": pilot1.display_name,
            "organization": None,
            "role": "pilot",
            "role_label": "pilote (EPCI)",
        }
    ]


def test_bad_token_is_401(client, contract1):
    headers = {"Authorization": "Bearer cv_inconnu"}
    assert client.get(LIST_URL, headers=headers).status_code == 401
    assert client.get(f"{LIST_URL}/{contract1.pk}", headers=headers).status_code == 401


def test_session_user_can_read_the_api(client, pilot1, contract1):
    client.force_login(pilot1)
    assert client.get(f"{LIST_URL}/{contract1.pk}/members").status_code == 200


def test_openapi_schema_builds(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/contracts" in paths
    assert "/api/v1/contracts/{contract_id}" in paths
    assert "/api/v1/contracts/{contract_id}/members" in paths

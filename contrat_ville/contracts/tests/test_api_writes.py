"""Writes of the contracts API (issue 10 §7): the same services, permissions and French messages as the web —
opening a space, completing it, its territories, its pillars and axes, its avenants, its invitations."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.test import Client

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.models import Organization
from contrat_ville.accounts.services import api_token_create
from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import ContractStatus, Role
from contrat_ville.contracts.models import Contract, Invitation
from contrat_ville.contracts.services import contract_create, contract_set_territories, contract_sign, signatory_add
from contrat_ville.contracts.tests.factories import grant, make_contract

pytestmark = pytest.mark.django_db

CONTRACTS = "/api/v1/contracts"


def bearer(user) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token_create(user=user)[1]}"}


@pytest.fixture
def contract(territory):
    return contract_create(name="Contrat de ville de Rennes Métropole", epci=territory["epci"], generation="2024")


@pytest.fixture
def pilot(contract):
    user = UserFactory.create()
    grant(contract, user, Role.PILOT)
    return user


@pytest.fixture
def partner(contract):
    user = UserFactory.create()
    grant(contract, user, Role.PARTNER)
    return user


def _sign(contract: Contract) -> None:
    organization = OrganizationFactory.create(kind=OrganizationKind.STATE_SERVICE)
    signatory = signatory_add(contract=contract, organization=organization, kind="state")
    contract_sign(contract=contract, signed_on=date(2024, 6, 14), signatures={signatory.pk: ("Le préfet", None)})


# --- POST /contracts --------------------------------------------------------------------------------------------


def test_a_state_agent_opens_a_space_for_an_epci_of_their_departement(client, territory):
    agent = UserFactory.create(
        organization=OrganizationFactory.create(kind=OrganizationKind.STATE_SERVICE, departement_code="35")
    )
    payload = {"name": "Contrat de Rennes", "epci_id": territory["epci"].pk, "generation": "2024"}
    response = client.post(CONTRACTS, payload, content_type="application/json", headers=bearer(agent))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["epci"]["id"] == territory["epci"].pk
    assert [pillar["code"] for pillar in body["pillars"]][:1] == ["cohesion_sociale"]
    contract = Contract.objects.get(pk=body["id"])
    assert contract.roles.get().user == agent


@pytest.mark.parametrize(
    ("who", "status", "message"),
    [
        ("anonymous", 401, None),
        ("pilot_elsewhere", 403, "Seuls un administrateur de la plateforme et les agents des services de l'État"),
        ("agent_29", 422, "pour une intercommunalité de votre département"),
    ],
)
def test_opening_a_space_is_refused_in_french(client, territory, who, status, message):
    headers = {}
    if who == "pilot_elsewhere":
        headers = bearer(UserFactory.create())
    elif who == "agent_29":
        organization = OrganizationFactory.create(kind=OrganizationKind.STATE_SERVICE, departement_code="29")
        headers = bearer(UserFactory.create(organization=organization))
    payload = {"name": "Contrat", "epci_id": territory["epci"].pk, "generation": "2024"}
    response = client.post(CONTRACTS, payload, content_type="application/json", headers=headers)
    assert response.status_code == status
    if message:
        assert message in response.json()["detail"]
    assert not Contract.objects.exists()


def test_a_name_too_long_or_a_commune_as_epci_is_a_422(client, territory):
    admin = UserFactory.create(is_staff=True)
    too_long = {"name": "x" * 256, "epci_id": territory["epci"].pk, "generation": "2024"}
    response = client.post(CONTRACTS, too_long, content_type="application/json", headers=bearer(admin))
    assert response.status_code == 422
    assert response.json()["errors"][0]["location"] == "body.name"
    commune = {"name": "Contrat", "epci_id": territory["rennes"].pk, "generation": "2024"}
    response = client.post(CONTRACTS, commune, content_type="application/json", headers=bearer(admin))
    assert response.status_code == 422
    assert "Intercommunalité (EPCI) inconnue" in response.json()["detail"]


# --- PUT /contracts/{id}, /territories ---------------------------------------------------------------------------


def test_the_pilot_renames_the_levels_and_sets_the_territories(client, contract, pilot, partner, territory):
    url = f"{CONTRACTS}/{contract.pk}"
    payload = {
        "name": contract.name,
        "start_on": "2024-01-01",
        "end_on": "2030-12-31",
        "pillar_term": "défi",
        "pillar_term_plural": "défis",
    }
    assert client.put(url, payload, content_type="application/json", headers=bearer(partner)).status_code == 403
    response = client.put(url, payload, content_type="application/json", headers=bearer(pilot))
    assert response.status_code == 200
    contract.refresh_from_db()
    assert contract.pillar_term_plural == "défis"

    territories = {"qpv_ids": [territory["brest_qpv"].pk], "commune_ids": [territory["rennes"].pk]}
    refused = client.put(f"{url}/territories", territories, content_type="application/json", headers=bearer(pilot))
    assert refused.status_code == 422
    assert "ne se trouve dans aucune commune de l'intercommunalité" in refused.json()["detail"]
    territories["qpv_ids"] = [territory["maurepas"].pk]
    saved = client.put(f"{url}/territories", territories, content_type="application/json", headers=bearer(pilot))
    assert saved.status_code == 200
    assert [qpv["code"] for qpv in saved.json()["qpvs"]] == ["QN03501M"]


# --- pillars and axes ---------------------------------------------------------------------------------------------


def test_pillars_and_axes_are_created_renamed_archived_and_deleted(client, contract, pilot):
    axes = f"{CONTRACTS}/{contract.pk}/axes"
    created = client.post(axes, {"label": "Numérique"}, content_type="application/json", headers=bearer(pilot))
    assert created.status_code == 201
    axis_id = created.json()["id"]
    renamed = client.put(
        f"{axes}/{axis_id}", {"label": "Inclusion numérique"}, content_type="application/json", headers=bearer(pilot)
    )
    assert renamed.json()["label"] == "Inclusion numérique"
    duplicate = client.post(axes, {"label": "jeunesse"}, content_type="application/json", headers=bearer(pilot))
    assert duplicate.status_code == 422
    assert duplicate.json()["detail"] == "Le contrat a déjà un(e) axe transversal « jeunesse »."
    archived = client.post(f"{axes}/{axis_id}/archive", headers=bearer(pilot))
    assert archived.json()["archived_on"] is not None
    assert client.delete(f"{axes}/{axis_id}", headers=bearer(pilot)).status_code == 204
    listed = client.get(axes).status_code  # the structure of an unpublished contract stays private
    assert listed == 404
    assert len(client.get(axes, headers=bearer(pilot)).json()) == 3


def test_another_contracts_pillar_is_a_404(client, contract, pilot):
    other = contract_create(name="Autre contrat", epci=contract.epci, generation="2024")
    pillar = other.pillars.order_by("order")[0]
    response = client.put(
        f"{CONTRACTS}/{contract.pk}/pillars/{pillar.pk}",
        {"label": "Piratage"},
        content_type="application/json",
        headers=bearer(pilot),
    )
    assert response.status_code == 404
    pillar.refresh_from_db()
    assert pillar.label != "Piratage"


# --- avenants ----------------------------------------------------------------------------------------------------


def test_an_amendment_is_refused_before_signature_then_adds_a_pillar(client, contract, pilot, partner):
    url = f"{CONTRACTS}/{contract.pk}/amendments"
    payload = {
        "title": "Avenant n° 1",
        "signed_on": "2026-02-01",
        "pillars_added": ["Valeurs de la République et citoyenneté"],
        "new_end_on": "2031-12-31",
    }
    before = client.post(url, payload, content_type="application/json", headers=bearer(pilot))
    assert before.status_code == 422
    assert "enregistrez d'abord la signature du contrat" in before.json()["detail"]
    _sign(contract)
    assert client.post(url, payload, content_type="application/json", headers=bearer(partner)).status_code == 403
    response = client.post(url, payload, content_type="application/json", headers=bearer(pilot))
    assert response.status_code == 201, response.json()
    kinds = [change["kind"] for change in response.json()["changes"]]
    assert kinds == ["pillar_added", "end_date_changed"]
    assert response.json()["changes"][0]["kind_label"] == "ajout d'un pilier"
    contract.refresh_from_db()
    assert contract.status == ContractStatus.EXTENDED
    assert client.get(url, headers=bearer(partner)).json()[0]["title"] == "Avenant n° 1"


# --- invitations -------------------------------------------------------------------------------------------------


def test_invitations_through_the_api(client, contract, pilot, partner):
    url = f"{CONTRACTS}/{contract.pk}/invitations"
    payload = {"email": "camille@caf.fr", "role": "partner"}
    assert client.post(url, payload, content_type="application/json", headers=bearer(partner)).status_code == 403
    assert client.post(url, payload, content_type="application/json").status_code == 401
    created = client.post(url, payload, content_type="application/json", headers=bearer(pilot))
    assert created.status_code == 201
    assert created.json()["state"] == "pending"
    assert (created.json()["state_label"], created.json()["role_label"]) == ("en attente", str(Role.PARTNER.label))
    assert "http://testserver/contrats/invitation/" in mail.outbox[0].body
    again = client.post(url, payload, content_type="application/json", headers=bearer(pilot))
    assert again.status_code == 422
    assert "Une invitation est déjà en attente" in again.json()["detail"]
    bad = client.post(
        url, {"email": "pas une adresse", "role": "partner"}, content_type="application/json", headers=bearer(pilot)
    )
    assert bad.status_code == 422
    invitation_id = created.json()["id"]
    assert client.delete(f"{url}/{invitation_id}", headers=bearer(pilot)).status_code == 204
    assert Invitation.objects.get().revoked_at is not None
    listed = client.get(url, headers=bearer(pilot)).json()[0]
    assert (listed["state"], listed["state_label"]) == ("revoked", "révoquée")


# --- /contracts/{id}/organizations ------------------------------------------------------------------------------


def test_organisations_are_listed_created_and_updated_through_the_api(client, contract, pilot, partner, territory):
    contract_set_territories(contract=contract, qpvs=[territory["maurepas"]], communes=[territory["rennes"]])
    url = f"{CONTRACTS}/{contract.pk}/organizations"
    OrganizationFactory.create(name="Préfecture d'Ille-et-Vilaine", departement_code="35")
    OrganizationFactory.create(name="Préfecture du Finistère", departement_code="29")
    payload = {
        "name": "Centre social de Maurepas",
        "kind": "association",
        "siren": "130005481",
        "served_territory_ids": [territory["maurepas"].pk],
    }
    assert client.post(url, payload, content_type="application/json").status_code == 401
    refused = client.post(url, payload, content_type="application/json", headers=bearer(partner))
    assert refused.status_code == 403
    assert "Seuls le pilote et le délégué de l'État gèrent les organisations" in refused.json()["detail"]
    created = client.post(url, payload, content_type="application/json", headers=bearer(pilot))
    assert created.status_code == 201
    body = created.json()
    assert (body["kind_label"], body["siren"]) == ("association", "130005481")
    assert [served["code"] for served in body["served_territories"]] == ["QN03501M"]
    listed = client.get(url, headers=bearer(pilot)).json()
    assert [item["name"] for item in listed] == ["Centre social de Maurepas", "Préfecture d'Ille-et-Vilaine"]
    assert [item["name"] for item in client.get(url, {"q": "1300"}, headers=bearer(pilot)).json()] == [
        "Centre social de Maurepas"
    ]
    updated = client.put(
        f"{url}/{body['id']}",
        {**payload, "acronym": "CSM", "departement_code": "35", "served_territory_ids": []},
        content_type="application/json",
        headers=bearer(pilot),
    )
    assert updated.status_code == 200
    assert (updated.json()["acronym"], updated.json()["served_territories"]) == ("CSM", [])


def test_organisation_writes_are_refused_in_french(client, contract, pilot, territory):
    url = f"{CONTRACTS}/{contract.pk}/organizations"
    foreign = OrganizationFactory.create(departement_code="29")
    base = {"name": "Association", "kind": "association", "departement_code": "35"}
    unknown = client.put(f"{url}/{foreign.pk}", base, content_type="application/json", headers=bearer(pilot))
    assert unknown.status_code == 404
    outside = client.post(
        url, {**base, "departement_code": "29"}, content_type="application/json", headers=bearer(pilot)
    )
    assert outside.status_code == 422
    assert "Indiquez le département du contrat (35)" in outside.json()["detail"]
    bad_siren = client.post(
        url, {**base, "siren": "123456789"}, content_type="application/json", headers=bearer(pilot)
    )
    assert bad_siren.status_code == 422
    assert "SIREN" in str(bad_siren.json()["detail"])
    foreign_territory = client.post(
        url,
        {**base, "served_territory_ids": [territory["elsewhere"].pk]},
        content_type="application/json",
        headers=bearer(pilot),
    )
    assert foreign_territory.status_code == 422
    assert "n'est pas un territoire du contrat" in foreign_territory.json()["detail"]
    assert client.get(f"{CONTRACTS}/999999/organizations", headers=bearer(pilot)).status_code == 404


def test_an_unused_organisation_is_deleted_through_the_api_a_used_one_is_refused(client, contract, pilot, partner):
    url = f"{CONTRACTS}/{contract.pk}/organizations"
    unused = OrganizationFactory.create(departement_code="35")
    used = OrganizationFactory.create(departement_code="35")
    UserFactory.create(organization=used)
    assert client.delete(f"{url}/{unused.pk}").status_code == 401
    assert client.delete(f"{url}/{unused.pk}", headers=bearer(partner)).status_code == 403
    assert client.delete(f"{url}/{unused.pk}", headers=bearer(pilot)).status_code == 204
    assert not Organization.objects.filter(pk=unused.pk).exists()
    assert client.delete(f"{url}/{unused.pk}", headers=bearer(pilot)).status_code == 404
    refused = client.delete(f"{url}/{used.pk}", headers=bearer(pilot))
    assert refused.status_code == 422
    assert "ne peut pas être supprimé" in refused.json()["detail"]


def test_pillars_are_reordered_through_the_api(contract, pilot) -> None:
    """Issue 10 §7: the order of the structure page's arrows, through the API."""
    pillars = list(contract.pillars.order_by("order", "pk"))
    url = f"/api/v1/contracts/{contract.pk}/pillars/order"
    client = Client()
    reversed_ids = [pillar.pk for pillar in reversed(pillars)]
    assert client.put(url, {"ids": reversed_ids}, content_type="application/json").status_code == 401
    response = client.put(url, {"ids": reversed_ids}, content_type="application/json", headers=bearer(pilot))
    assert response.status_code == 200, response.content
    assert [item["id"] for item in response.json()] == reversed_ids
    foreign = make_contract(name="Autre contrat").pillars.first()
    refused = client.put(url, {"ids": [foreign.pk]}, content_type="application/json", headers=bearer(pilot))
    assert refused.status_code == 422 and "n'appartient pas à ce contrat" in refused.json()["detail"]

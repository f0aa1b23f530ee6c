"""The councils' API: public counts without names, the nominative list for those who may read it, tenancy."""

import pytest
from django.test import Client
from django.urls import reverse

from contrat_ville.accounts.services import api_token_create
from contrat_ville.accounts.tests.factories import UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.participation.enums import College, DesignationMethod, Sex
from contrat_ville.participation.tests.factories import add_member, make_council

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():
    contract = make_contract(name="Contrat public", published=True)
    council = make_council(contract, name="Conseil citoyen des Tilleuls", statutes="Statuts…")
    add_member(council, name="Awa Diop", publish_name=True, age_band="18_25")
    add_member(council, name="Paul Secret", sex=Sex.MALE)
    add_member(
        council, name="Léa Acteur", college=College.LOCAL_ACTORS, designation_method=DesignationMethod.APPOINTED
    )
    return council


def get(url, user=None):
    headers = {"Authorization": f"Bearer {api_token_create(user=user)[1]}"} if user is not None else {}
    return Client().get(url, headers=headers)


def councils_url(contract):
    return reverse("api-1:participation_council_list", kwargs={"contract_id": contract.pk})


def members_url(council):
    return reverse("api-1:participation_council_member_list", kwargs={"council_id": council.pk})


def test_the_public_reads_the_registry_with_counts(council):
    response = get(councils_url(council.contract))
    assert response.status_code == 200
    [entry] = response.json()
    assert entry["name"] == "Conseil citoyen des Tilleuls"
    assert entry["legal_form"] == "collective"
    assert entry["has_statutes"] is True
    assert entry["organization_id"] == council.organization_id
    composition = entry["composition"]
    assert (composition["total"], composition["women"], composition["men"], composition["young"]) == (3, 2, 1, 1)
    assert composition["women_share"] == 67
    assert [college["total"] for college in composition["colleges"]] == [2, 1]
    assert "Paul Secret" not in response.content.decode()


def test_the_public_gets_counts_and_consented_names_only(council):
    body = get(members_url(council)).json()
    assert body["members"] is None
    assert body["public_names"] == [{"name": "Awa Diop", "college": "collège des habitants"}]
    assert body["composition"]["total"] == 3
    assert "Paul Secret" not in str(body)


def test_the_pilot_and_the_council_read_the_nominative_list(council):
    pilot = UserFactory.create()
    grant(council.contract, pilot, Role.PILOT)
    members = get(members_url(council), pilot).json()["members"]
    assert sorted(member["name"] for member in members) == ["Awa Diop", "Léa Acteur", "Paul Secret"]
    resident = UserFactory.create(organization=council.organization)
    grant(council.contract, resident, Role.COUNCIL)
    assert len(get(members_url(council), resident).json()["members"]) == 3
    partner = UserFactory.create()
    grant(council.contract, partner, Role.PARTNER)
    assert get(members_url(council), partner).json()["members"] is None


def test_tenancy_404_whether_the_council_exists_or_not(council):
    private = make_contract(name="Contrat privé")
    hidden = make_council(private, name="Conseil caché")
    stranger = UserFactory.create()
    grant(council.contract, stranger, Role.PILOT)
    for response in (get(members_url(hidden)), get(members_url(hidden), stranger)):
        assert response.status_code == 404
        assert response.json() == {"detail": "Conseil citoyen introuvable."}
    missing = reverse("api-1:participation_council_member_list", kwargs={"council_id": 999999})
    assert get(missing).json() == {"detail": "Conseil citoyen introuvable."}
    assert get(councils_url(private)).status_code == 404
    assert get(councils_url(private), stranger).status_code == 404

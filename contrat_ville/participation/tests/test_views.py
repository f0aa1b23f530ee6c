"""The registry's pages as a pilot, a council member, another contract's user and a visitor would use them."""

from datetime import date

import pytest
from django.urls import reverse

from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.participation.enums import College, DesignationMethod, Sex
from contrat_ville.participation.models import CitizenCouncil, CouncilMember
from contrat_ville.participation.tests.factories import add_member, add_qpv, make_council

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract():
    return make_contract(name="Contrat des Tilleuls", published=True)


@pytest.fixture
def pilot(contract):
    user = UserFactory.create()
    grant(contract, user, Role.PILOT)
    return user


@pytest.fixture
def council(contract):
    council = make_council(contract, name="Conseil citoyen des Tilleuls", statutes="Article 1 : l'association…")
    add_member(council, name="Awa Diop", publish_name=True)
    add_member(council, name="Paul Secret", sex=Sex.MALE)
    add_member(
        council, name="Léa Acteur", college=College.LOCAL_ACTORS, designation_method=DesignationMethod.APPOINTED
    )
    return council


def url(name, contract, **kwargs):
    return reverse(f"participation:{name}", kwargs={"contract_slug": contract.slug, **kwargs})


def test_the_pilot_registers_a_council_from_the_web(client, contract, pilot):
    qpv = add_qpv(contract, name="Les Tilleuls")
    client.force_login(pilot)
    page = client.get(url("council_create", contract))
    assert page.status_code == 200
    assert "Les Tilleuls" in page.content.decode()
    response = client.post(
        url("council_create", contract),
        {
            "name": "Conseil citoyen des Tilleuls",
            "qpvs": [qpv.pk],
            "legal_form": "association",
            "created_on": "2024-03-01",
            "statutes": "Article 1 : il est fondé une association…",
            "facilitator_kind": "self_run",
            "yearly_budget": "4500",
            "status": "active",
        },
    )
    council = CitizenCouncil.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("council_detail", contract, council_id=council.pk)
    assert council.organization.name == "Conseil citoyen des Tilleuls"
    detail = client.get(response["Location"]).content.decode()
    assert "Article 1 : il est fondé une association" in detail
    assert "4\u202f500\u00a0€" in detail


def test_a_refused_rule_shows_on_the_form(client, contract, pilot):
    qpv = add_qpv(contract)
    client.force_login(pilot)
    response = client.post(
        url("council_create", contract),
        {"name": "CC", "qpvs": [qpv.pk], "legal_form": "hosted", "status": "active"},
    )
    assert response.status_code == 200
    assert "Un collectif porté par une structure porteuse nomme cette structure" in response.content.decode()
    assert not CitizenCouncil.objects.exists()


def test_the_pilot_edits_and_deletes_a_council(client, contract, pilot, council):
    client.force_login(pilot)
    form = client.get(url("council_update", contract, council_id=council.pk)).content.decode()
    assert "Conseil citoyen des Tilleuls" in form
    response = client.post(
        url("council_update", contract, council_id=council.pk),
        {
            "name": "Conseil citoyen Tilleuls",
            "qpvs": [council.qpvs.get().pk],
            "legal_form": "association",
            "status": "dormant",
        },
    )
    assert response.status_code == 302
    council.refresh_from_db()
    assert (council.name, council.status) == ("Conseil citoyen Tilleuls", "dormant")
    assert client.get(url("council_delete", contract, council_id=council.pk)).status_code == 200
    response = client.post(url("council_delete", contract, council_id=council.pk))
    assert response["Location"] == url("council_list", contract)
    assert not CitizenCouncil.objects.exists()


def test_the_pilot_adds_edits_and_removes_members(client, contract, pilot, council):
    client.force_login(pilot)
    response = client.post(
        url("member_create", contract, council_id=council.pk),
        {
            "college": "residents",
            "sex": "male",
            "age_band": "18_25",
            "neighbourhood": council.qpvs.get().pk,
            "designation_method": "drawn_register",
            "start_on": "2025-01-15",
            "name": "Karim Nouveau",
        },
    )
    assert response.status_code == 302
    member = CouncilMember.objects.get(name="Karim Nouveau")
    assert not member.publish_name
    response = client.post(
        url("member_update", contract, council_id=council.pk, member_id=member.pk),
        {
            "college": "residents",
            "sex": "male",
            "designation_method": "drawn_register",
            "start_on": "2025-01-15",
            "end_on": "2024-01-01",
        },
    )
    assert response.status_code == 200
    assert "La fin du mandat suit son début" in response.content.decode()
    client.post(url("member_delete", contract, council_id=council.pk, member_id=member.pk))
    assert not CouncilMember.objects.filter(pk=member.pk).exists()


def test_public_pages_show_counts_and_consented_names_only(client, contract, council):
    listing = client.get(url("council_list", contract)).content.decode()
    assert "Conseil citoyen des Tilleuls" in listing
    detail = client.get(url("council_detail", contract, council_id=council.pk)).content.decode()
    assert "Awa Diop" in detail  # she agreed
    assert "Paul Secret" not in detail
    assert "Léa Acteur" not in detail
    assert "Liste des membres" not in detail
    assert "Part des femmes : 67 %" in detail
    assert client.get(url("member_list", contract, council_id=council.pk)).status_code == 404


def test_a_council_member_reads_their_own_council_only(client, contract, council):
    resident = UserFactory.create(organization=council.organization)
    grant(contract, resident, Role.COUNCIL)
    client.force_login(resident)
    page = client.get(url("member_list", contract, council_id=council.pk))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Paul Secret" in content
    assert content.index("Awa Diop") < content.index("Léa Acteur")  # residents' college first
    assert "Ajouter un membre" not in page.content.decode()
    other = make_council(contract, name="Autre conseil")
    assert client.get(url("member_list", contract, council_id=other.pk)).status_code == 403
    assert client.get(url("member_create", contract, council_id=council.pk)).status_code == 403


def test_a_partner_sees_counts_not_names(client, contract, council):
    partner = UserFactory.create(organization=OrganizationFactory.create())
    grant(contract, partner, Role.PARTNER)
    client.force_login(partner)
    assert client.get(url("member_list", contract, council_id=council.pk)).status_code == 403
    assert "Paul Secret" not in client.get(url("council_detail", contract, council_id=council.pk)).content.decode()


def test_a_user_of_another_contract_gets_404(client, council):
    private = make_contract(name="Contrat privé")
    hidden = make_council(private, name="Conseil caché")
    add_member(hidden, name="Nom caché")
    stranger = UserFactory.create()
    grant(make_contract(name="Son contrat"), stranger, Role.PILOT)
    client.force_login(stranger)
    for name in ("council_list", "council_create"):
        assert client.get(url(name, private)).status_code == 404
    for name in ("council_detail", "council_update", "council_delete", "member_list", "member_create"):
        assert client.get(url(name, private, council_id=hidden.pk)).status_code == 404, name
    # a council of another contract under this contract's address
    assert client.get(url("council_detail", council.contract, council_id=hidden.pk)).status_code == 404


def test_the_navigation_offers_the_councils(client, contract, council):
    home = client.get(reverse("contracts:contract_home", kwargs={"contract_slug": contract.slug})).content.decode()
    assert url("council_list", contract) in home


def test_a_2015_contract_refuses_an_appointed_resident_on_the_form(client, pilot):
    old = make_contract(name="Contrat 2015", generation="2015", start_on=date(2015, 1, 1), end_on=date(2023, 12, 31))
    grant(old, pilot, Role.PILOT)
    council = make_council(old)
    client.force_login(pilot)
    response = client.post(
        url("member_create", old, council_id=council.pk),
        {"college": "residents", "sex": "female", "designation_method": "appointed", "start_on": "2016-01-15"},
    )
    assert response.status_code == 200
    assert "sont tirés au sort" in response.content.decode()

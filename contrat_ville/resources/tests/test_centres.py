"""A resource centre with a regional scope (issue 12 §6): an administrator registers it with its region and opens
its members' accounts (they choose their password from the e-mail's link); a member reads the published contracts
of its region, and only those."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.models import Organization, User
from contrat_ville.accounts.services import account_open
from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.participation.tests.factories import make_council
from contrat_ville.resources import services
from contrat_ville.territories.models import TerritoryLink
from contrat_ville.territories.tests.factories import TerritoryFactory

pytestmark = pytest.mark.django_db


def contract_in(departement_code: str, *, name: str, published: bool):
    epci = TerritoryFactory.create(epci=True)
    commune = TerritoryFactory.create(code=f"{departement_code}{TerritoryLink.objects.count() % 1000:03d}")
    TerritoryLink.objects.create(parent=epci, child=commune)
    return make_contract(name=name, epci=epci, published=published)


def test_an_administrator_registers_a_resource_centre_and_opens_its_member_account(client):
    client.force_login(UserFactory.create(is_staff=True, first_name="Alice", last_name="Admin"))
    response = client.post(
        reverse("resources:centre_create"),
        {"name": "Villes et Territoires Occitanie", "acronym": "V&T", "region_code": "76"},
    )
    centre = Organization.objects.get(kind=OrganizationKind.RESOURCE_CENTRE)
    assert response["Location"] == reverse("resources:centre_member_add", args=[centre.pk])
    assert centre.region_code == "76"
    client.post(
        reverse("resources:centre_member_add", args=[centre.pk]),
        {"email": "Charge.Mission@vt-occitanie.fr", "first_name": "Inès", "last_name": "Roux"},
    )
    member = User.objects.get(email="charge.mission@vt-occitanie.fr")
    assert member.organization == centre and not member.has_usable_password()
    assert "Alice Admin" in mail.outbox[-1].body
    link = re.search(r"http://[^/]+(/comptes/mot-de-passe/\S+/)", mail.outbox[-1].body).group(1)
    visitor = Client()
    form = visitor.get(link, follow=True)
    assert "Choisir votre mot de passe" in form.content.decode()
    set_url = form.redirect_chain[-1][0]
    assert visitor.post(
        set_url, {"new_password1": "Un mot de passe solide", "new_password2": "Un mot de passe solide"}
    )["Location"] == reverse("accounts:login")
    member.refresh_from_db()
    assert member.check_password("Un mot de passe solide")
    used = Client().get(link, follow=True).content.decode()
    assert "plus valable" in used  # the link works once
    centres = client.get(reverse("resources:centre_list")).content.decode()
    assert "Villes et Territoires Occitanie" in centres and "Occitanie" in centres


def test_a_centre_needs_a_known_region_and_a_person_acts_for_one_organisation():
    with pytest.raises(BusinessRuleError, match="région"):
        services.centre_save(name="Centre sans région", region_code="")
    centre = services.centre_save(name="Centre", region_code="84")
    someone = UserFactory.create(organization=OrganizationFactory.create())
    with pytest.raises(BusinessRuleError, match="autre organisation"):
        account_open(organization=centre, email=someone.email, link_for=lambda user: "/lien/")


@pytest.mark.query_count("resources:region_contracts", "resources:centre_list")
def test_a_centre_reads_the_published_contracts_of_its_region_only(query_count):
    montpellier = contract_in("34", name="Montpellier Méditerranée Métropole", published=True)
    make_council(montpellier, name="Conseil citoyen de la Mosson")
    contract_in("30", name="Nîmes Métropole (en préparation)", published=False)
    contract_in("69", name="Métropole de Lyon", published=True)
    centre = services.centre_save(name="Villes et Territoires Occitanie", region_code="76")
    client = Client()
    client.force_login(UserFactory.create(organization=centre))
    small = query_count.page(client, reverse("resources:region_contracts"))
    page = query_count.response.content.decode()
    assert "Montpellier Méditerranée Métropole" in page
    assert "Lyon" not in page and "Nîmes" not in page
    assert "1 autre contrat de la région n'est pas encore publié" in page
    for index in range(3):
        make_council(contract_in("34", name=f"Contrat {index}", published=True))
    assert query_count.page(client, reverse("resources:region_contracts")) == small
    administrator = Client()
    administrator.force_login(UserFactory.create(is_staff=True))
    every = administrator.get(reverse("resources:region_contracts")).content.decode()
    assert "Métropole de Lyon" in every
    few = query_count.page(administrator, reverse("resources:centre_list"))
    services.centre_save(name="Centre Auvergne-Rhône-Alpes", region_code="84")
    assert query_count.page(administrator, reverse("resources:centre_list")) == few
    pilot = UserFactory.create()
    grant(montpellier, pilot, Role.PILOT)
    client.force_login(pilot)
    assert client.get(reverse("resources:region_contracts")).status_code == 403
    assert client.get(reverse("resources:centre_list")).status_code == 403


def test_the_unpublished_contracts_sentence_agrees_with_their_number(client):
    """One unpublished contract keeps « ses données » for « ses membres »; two keep « leurs données »."""
    contract_in("34", name="Montpellier Méditerranée Métropole", published=True)
    contract_in("30", name="Nîmes Métropole (en préparation)", published=False)
    client.force_login(UserFactory.create(organization=services.centre_save(name="Centre", region_code="76")))
    page = " ".join(client.get(reverse("resources:region_contracts")).content.decode().split())
    assert "1 autre contrat de la région n'est pas encore publié : ses données restent à ses membres." in page
    contract_in("34", name="Sète Agglopôle (en préparation)", published=False)
    page = " ".join(client.get(reverse("resources:region_contracts")).content.decode().split())
    assert "2 autres contrats de la région ne sont pas encore publiés : leurs données restent à leurs membres." in page

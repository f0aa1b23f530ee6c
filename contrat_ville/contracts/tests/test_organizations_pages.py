"""The organisations of a contract from the web (issue 10 §4): listed by département and ties, searched by name or
SIREN, created and edited with the territories they serve, deleted when unused, and offered to invitations."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.models import Organization
from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts import selectors, services
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.forms import InvitationForm
from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.core.exceptions import BusinessRuleError

pytestmark = pytest.mark.django_db

SIREN = "130005481"  # a valid SIREN (Luhn)


def _url(name: str, contract: Contract, **kwargs: object) -> str:
    return reverse(f"contracts:{name}", kwargs={"contract_slug": contract.slug, **kwargs})


def _text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def contract(territory):
    contract = make_contract(name="Contrat de ville de Rennes Métropole", epci=territory["epci"])
    services.contract_set_territories(contract=contract, qpvs=[territory["maurepas"]], communes=[territory["rennes"]])
    return contract


@pytest.fixture
def pilot(client, contract):
    user = UserFactory.create()
    grant(contract, user, Role.PILOT)
    client.force_login(user)
    return user


def _create(client, contract, **data):
    values = {"name": "Association Maurepas Ensemble", "kind": OrganizationKind.ASSOCIATION, **data}
    return client.post(_url("organization_create", contract), values)


def test_the_page_lists_the_departements_and_the_tied_organisations_only(client, contract, pilot, territory):
    OrganizationFactory.create(name="Préfecture d'Ille-et-Vilaine", departement_code="35")
    OrganizationFactory.create(name="Préfecture du Finistère", departement_code="29")
    serving = OrganizationFactory.create(name="Centre social de Maurepas")
    territory["maurepas"].serving_organizations.add(serving)
    page = _text(client.get(_url("organization_list", contract)))
    assert "Préfecture d'Ille-et-Vilaine" in page
    assert "Centre social de Maurepas" in page
    assert "Préfecture du Finistère" not in page


def test_the_search_finds_by_name_acronym_or_siren(client, contract, pilot):
    OrganizationFactory.create(name="Caisse d'allocations familiales", acronym="CAF", departement_code="35")
    OrganizationFactory.create(name="Direction départementale", siren=SIREN, departement_code="35")
    by_acronym = _text(client.get(_url("organization_list", contract), {"q": "caf"}))
    assert "Caisse d'allocations familiales" in by_acronym
    assert "Direction départementale" not in by_acronym
    by_siren = _text(client.get(_url("organization_list", contract), {"q": "130 005"}))
    assert "Direction départementale" in by_siren
    assert "Caisse d'allocations familiales" not in by_siren
    assert "Aucune organisation ne correspond à « inconnue »" in _text(
        client.get(_url("organization_list", contract), {"q": "inconnue"})
    )


def test_the_pilot_creates_an_organisation_serving_a_qpv_and_invitations_offer_it(client, contract, pilot, territory):
    response = _create(
        client, contract, departement_code="", siren=SIREN, served_territories=[territory["maurepas"].pk]
    )
    assert response.status_code == 302
    organization = Organization.objects.get(name="Association Maurepas Ensemble")
    assert organization.siren == SIREN
    assert list(organization.served_territories.all()) == [territory["maurepas"]]
    offered = InvitationForm(contract=contract).fields["organization"].queryset
    assert organization in offered
    invitation_page = _text(client.get(_url("invitation_create", contract)))
    assert "Association Maurepas Ensemble" in invitation_page


def test_a_new_organisation_must_belong_to_the_contract(client, contract, pilot):
    response = _create(client, contract, departement_code="29")
    assert response.status_code == 200
    assert "Indiquez le département du contrat (35)" in _text(response)
    assert not Organization.objects.filter(name="Association Maurepas Ensemble").exists()


def test_the_siren_and_the_departement_are_validated_in_french(client, contract, pilot):
    OrganizationFactory.create(name="Ville de Rennes", siren=SIREN)
    wrong = _text(_create(client, contract, departement_code="35", siren="123456789"))
    assert "SIREN" in wrong and "123456789" not in Organization.objects.values_list("siren", flat=True)
    taken = _text(_create(client, contract, departement_code="35", siren=SIREN))
    assert f"Le SIREN {SIREN} est déjà celui de « Ville de Rennes »" in taken
    bad_departement = _text(_create(client, contract, departement_code="999"))
    assert "département" in bad_departement.lower()
    assert Organization.objects.count() == 1


def test_editing_keeps_the_territories_served_outside_the_contract(client, contract, pilot, territory):
    organization = OrganizationFactory.create(name="Bailleur", departement_code="35")
    organization.served_territories.add(territory["elsewhere"], territory["rennes"])
    response = client.post(
        _url("organization_update", contract, organization_id=organization.pk),
        {
            "name": "Bailleur social d'Ille-et-Vilaine",
            "acronym": "BSIV",
            "kind": OrganizationKind.SOCIAL_LANDLORD,
            "departement_code": "35",
            "former_names": "Office HLM",
            "served_territories": [territory["maurepas"].pk],
        },
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert (organization.name, organization.acronym, organization.kind) == (
        "Bailleur social d'Ille-et-Vilaine",
        "BSIV",
        OrganizationKind.SOCIAL_LANDLORD,
    )
    assert set(organization.served_territories.all()) == {territory["elsewhere"], territory["maurepas"]}


def test_an_organisation_of_another_contract_is_not_found(client, contract, pilot):
    foreign = OrganizationFactory.create(departement_code="29")
    assert client.get(_url("organization_update", contract, organization_id=foreign.pk)).status_code == 404
    assert client.get(_url("organization_delete", contract, organization_id=foreign.pk)).status_code == 404


def test_an_unused_organisation_is_deleted_a_used_one_is_refused(client, contract, pilot, territory):
    unused = OrganizationFactory.create(name="Erreur de saisie", departement_code="35")
    unused.served_territories.add(territory["maurepas"])
    response = client.post(_url("organization_delete", contract, organization_id=unused.pk))
    assert response.status_code == 302
    assert not Organization.objects.filter(pk=unused.pk).exists()
    used = OrganizationFactory.create(name="Ville de Rennes", departement_code="35")
    UserFactory.create(organization=used)
    page = _text(client.get(_url("organization_delete", contract, organization_id=used.pk)))
    assert "est utilisée (1 utilisateur)" in page
    refused = _text(client.post(_url("organization_delete", contract, organization_id=used.pk)))
    assert "ne peut pas être supprimé" in refused
    assert Organization.objects.filter(pk=used.pk).exists()


def test_a_partner_may_not_manage_organisations(client, contract):
    partner = UserFactory.create()
    grant(contract, partner, Role.PARTNER)
    client.force_login(partner)
    assert client.get(_url("organization_list", contract)).status_code == 403
    assert _create(client, contract, departement_code="35").status_code == 403
    assert not Organization.objects.exists()


def test_an_invitation_may_not_name_an_organisation_foreign_to_the_contract(contract, pilot):
    foreign = OrganizationFactory.create(departement_code="29")
    with pytest.raises(BusinessRuleError, match="n'est pas une organisation du contrat"):
        services.invitation_create(
            contract=contract,
            email="x@exemple.fr",
            role=Role.PARTNER,
            organization=foreign,
            accept_url_for=lambda raw: raw,
        )
    assert foreign not in InvitationForm(contract=contract).fields["organization"].queryset


@pytest.mark.query_count("contracts:organization_list")
def test_the_organisations_page_reads_a_constant_number_of_queries(client, contract, pilot, territory, query_count):
    OrganizationFactory.create(departement_code="35")
    few = query_count.page(client, _url("organization_list", contract))
    for index in range(5):
        organization = OrganizationFactory.create(departement_code="35")
        organization.served_territories.add(territory["maurepas"], territory["rennes"])
        UserFactory.create(organization=organization, email=f"u{index}@exemple.fr")
    assert query_count.page(client, _url("organization_list", contract)) == few
    assert len(selectors.organization_rows(contract=contract)) == 6


def test_the_siret_and_rna_numbers_that_open_data_needs(client, contract, pilot):
    """The grants' open data identify the attributing organisation by its SIRET, the beneficiary by its SIRET or
    RNA number (issue 14 §8): checked in French on the organisation's form."""
    organization = OrganizationFactory.create(name="Association Maurepas Ensemble", departement_code="35")
    path = _url("organization_update", contract, organization_id=organization.pk)
    values = {"name": organization.name, "kind": OrganizationKind.ASSOCIATION, "departement_code": "35"}
    assert "Le SIRET « 13000548100019 » n'est pas valide" in _text(
        client.post(path, {**values, "siret": "13000548100019"})
    )
    other = _text(client.post(path, {**values, "siren": SIREN, "siret": "41960001000013"}))
    assert f"n'est pas celui d'un établissement du SIREN {SIREN}" in other
    assert "Un numéro RNA s'écrit « W » suivi de 9 chiffres" in _text(client.post(path, {**values, "rna": "W12"}))
    response = client.post(path, {**values, "siren": SIREN, "siret": "13000548100010", "rna": "W351234567"})
    assert response.status_code == 302
    organization.refresh_from_db()
    assert (organization.siret, organization.rna) == ("13000548100010", "W351234567")

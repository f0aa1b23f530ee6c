"""Pages of the commitments: a partner records and reports its own organisation's commitments only; the pilot and
the State keep everyone's; every member reads the list and the balance; nothing leaks to another contract."""

import io
from html import unescape

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from contrat_ville.accounts.tests.factories import UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.funding.enums import CommitmentNature, CommitmentUnit
from contrat_ville.funding.models import CommitmentYear, MainstreamCommitment
from contrat_ville.funding.tests.factories import make_commitment, partner_member
from contrat_ville.strategy.tests.factories import make_objective, make_orientation

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract():
    return make_contract(name="Contrat de ville du Val Fictif")


@pytest.fixture
def pilot(contract):
    user = UserFactory.create(first_name="Alix", last_name="Pilote")
    grant(contract, user, Role.PILOT)
    return user


def url(name, contract, **kwargs):
    return reverse(f"funding:{name}", kwargs={"contract_slug": contract.slug, **kwargs})


def text(response):
    assert response.status_code == 200, response.status_code
    return " ".join(unescape(response.content.decode()).split())


def commitment_post(partner, **overrides):
    return {
        "partner": partner.pk,
        "title": "Médiateurs sociaux",
        "nature": CommitmentNature.STAFF,
        "target": "",
        "unit": CommitmentUnit.HEADCOUNT,
        "status": "proposed",
        **overrides,
    }


def test_a_partner_records_its_own_commitment_and_its_figures(client, contract):
    user, caf = partner_member(contract)
    objective = make_objective(make_orientation(contract))
    client.force_login(user)
    page = text(client.get(url("commitment_create", contract)))
    assert "Enregistrer un engagement de droit commun" in page
    response = client.post(
        url("commitment_create", contract), commitment_post(caf, target=f"objective:{objective.pk}")
    )
    commitment = MainstreamCommitment.objects.get()
    assert response.status_code == 302 and response.url == url(
        "commitment_year", contract, commitment_id=commitment.pk
    )
    assert (commitment.partner, commitment.objective) == (caf, objective)
    response = client.post(response.url, {"year": 2025, "planned": "6", "realised": "5", "note": ""})
    assert response.status_code == 302
    line = CommitmentYear.objects.get()
    assert (line.year, line.planned, line.realised) == (2025, 6, 5)
    detail = text(client.get(url("commitment_detail", contract, commitment_id=commitment.pk)))
    assert "6 personnes" in detail and "5 personnes" in detail
    mine = text(client.get(url("my_commitments", contract)))
    assert "Médiateurs sociaux" in mine and "Caisse d'allocations familiales" in mine


def test_a_partner_cannot_commit_another_organisation(client, contract):
    user, _caf = partner_member(contract, "Caisse d'allocations familiales")
    _, other = partner_member(contract, "France Travail")
    client.force_login(user)
    response = client.post(url("commitment_create", contract), commitment_post(other))
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in text(response)
    assert not MainstreamCommitment.objects.exists()


def test_a_partner_cannot_edit_another_partners_commitment_but_the_pilot_can(client, contract, pilot):
    user, _caf = partner_member(contract, "Caisse d'allocations familiales")
    _, other = partner_member(contract, "France Travail")
    commitment = make_commitment(contract, other, years={2024: (3, None)})
    client.force_login(user)
    for name in ("commitment_update", "commitment_delete", "commitment_year"):
        assert client.get(url(name, contract, commitment_id=commitment.pk)).status_code == 403, name
    response = client.post(url("commitment_year_delete", contract, commitment_id=commitment.pk, year=2024))
    assert response.status_code == 403
    assert "Modifier l'engagement" not in text(
        client.get(url("commitment_detail", contract, commitment_id=commitment.pk))
    )
    client.force_login(pilot)
    response = client.post(
        url("commitment_update", contract, commitment_id=commitment.pk), commitment_post(other, title="Conseillers")
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.title == "Conseillers"


def test_a_refused_rule_is_shown_on_the_form_and_nothing_is_written(client, contract, pilot):
    _, caf = partner_member(contract)
    commitment = make_commitment(contract, caf)
    client.force_login(pilot)
    page = text(
        client.post(
            url("commitment_year", contract, commitment_id=commitment.pk),
            {"year": 2030, "planned": "4", "realised": "4"},
        )
    )
    assert "ne peut pas être saisi avant cette année" in page
    page = text(
        client.post(url("commitment_year", contract, commitment_id=commitment.pk), {"year": 2025, "planned": "-4"})
    )
    assert "supérieure ou égale à 0" in page
    assert not CommitmentYear.objects.exists()
    page = text(client.post(url("commitment_create", contract), commitment_post(caf, unit=CommitmentUnit.OTHER)))
    assert "Précisez l'unité de l'engagement." in page
    assert MainstreamCommitment.objects.count() == 1


def test_the_list_filters_by_partner_and_the_balance_exports(client, contract, pilot):
    _, caf = partner_member(contract, "Caisse d'allocations familiales")
    _, ft = partner_member(contract, "France Travail")
    make_commitment(contract, caf, title="Crédits CAF", unit=CommitmentUnit.EURO, years={2024: (1000, 800)})
    make_commitment(contract, ft, title="Conseillers France Travail", years={2024: (2, None)})
    client.force_login(pilot)
    page = text(client.get(url("commitment_list", contract), {"partenaire": caf.pk}))
    assert "Crédits CAF" in page and "Conseillers France Travail" not in page
    balance = text(client.get(url("balance", contract)))
    assert "80 %" in balance.replace("\u00a0", " ")
    assert "Conseillers France Travail" in balance  # without a realised figure for 2024
    response = client.get(url("balance_export", contract))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Bilan", "Engagements", "Sans suivi", "Objectifs sans engagement"]
    rows = list(workbook["Bilan"].iter_rows(min_row=2, values_only=True))
    assert ("Caisse d'allocations familiales", "Contrat dans son ensemble", "euros", 1, 1000, 1000, 800, 0.8) in rows


def test_the_dashboard_panel_gives_the_realisation_of_each_unit(client, contract, pilot):
    _, caf = partner_member(contract, "Caisse d'allocations familiales")
    make_commitment(contract, caf, title="Crédits CAF", unit=CommitmentUnit.EURO, years={2024: (1000, 800)})
    client.force_login(pilot)
    home = text(client.get(reverse("contracts:contract_home", kwargs={"contract_slug": contract.slug})))
    assert "800 € réalisés sur 1 000 € prévus aux années échues</a>, soit 80 %." in home.replace("\u00a0", " ")


def test_the_pages_are_private_to_the_contracts_members(client, contract):
    _, caf = partner_member(contract)
    commitment = make_commitment(contract, caf)
    outsider_contract = make_contract(name="Autre contrat", published=True)
    outsider = UserFactory.create()
    grant(outsider_contract, outsider, Role.PILOT)
    client.force_login(outsider)
    for name, kwargs in (
        ("commitment_list", {}),
        ("balance", {}),
        ("commitment_detail", {"commitment_id": commitment.pk}),
    ):
        assert client.get(url(name, contract, **kwargs)).status_code == 404, name
    # The commitment is not reachable through another contract's URL either.
    assert client.get(url("commitment_detail", outsider_contract, commitment_id=commitment.pk)).status_code == 404


def test_an_observer_reads_but_does_not_record(client, contract):
    _, caf = partner_member(contract)
    make_commitment(contract, caf)
    observer = UserFactory.create()
    grant(contract, observer, Role.OBSERVER)
    client.force_login(observer)
    page = text(client.get(url("commitment_list", contract)))
    assert "Éducateurs de prévention spécialisée" in page and "Enregistrer un engagement" not in page
    assert client.get(url("commitment_create", contract)).status_code == 403


@pytest.mark.query_count(
    "funding:commitment_list",
    "funding:commitment_detail",
    "funding:my_commitments",
    "funding:balance",
    "funding:balance_export",
    "contracts:contract_home",
)
def test_commitment_pages_run_a_constant_number_of_queries(client, contract, pilot, query_count):
    user, caf = partner_member(contract, "Partenaire principal")
    # Every panel of the contract home has content from the start, so that only the data's size changes.
    first = make_commitment(
        contract, caf, objective=make_objective(make_orientation(contract, title="Initiale")), years={2024: (1, 1)}
    )

    def pages():
        return [
            url("commitment_list", contract),
            url("commitment_detail", contract, commitment_id=first.pk),
            url("my_commitments", contract),
            url("balance", contract),
            url("balance_export", contract),
            reverse("contracts:contract_home", kwargs={"contract_slug": contract.slug}),
        ]

    client.force_login(user)
    for page in pages():  # warm Django's content-type cache, as a running server has
        query_count.page(client, page)
    small = [query_count.page(client, page) for page in pages()]
    for index in range(4):
        _, organization = partner_member(contract, f"Partenaire {index}")
        objective = make_objective(make_orientation(contract, title=f"Orientation {index}"))
        make_commitment(contract, organization, objective=objective, years={2024: (2, 1), 2025: (2, None)})
        make_commitment(contract, caf, title=f"Engagement {index}", years={2024: (1, None)})
    assert [query_count.page(client, page) for page in pages()] == small


@pytest.mark.query_count("funding_balance_across_contracts")
def test_a_state_delegate_sees_the_balance_of_their_contracts_only(client, contract, pilot, query_count):
    delegate = UserFactory.create()
    grant(contract, delegate, Role.STATE)
    _, caf = partner_member(contract)
    make_commitment(contract, caf, unit=CommitmentUnit.EURO, years={2024: (100, 50)})
    elsewhere = make_contract(name="Contrat d'un autre département")
    _, other = partner_member(elsewhere, "Bailleur d'ailleurs")
    make_commitment(elsewhere, other, title="Engagement d'ailleurs")
    path = reverse("funding_balance_across_contracts")

    assert client.get(path).status_code == 302  # to the login page
    client.force_login(pilot)
    assert client.get(path).status_code == 403
    client.force_login(delegate)
    query_count.page(client, path)
    small = query_count.page(client, path)
    page = text(query_count.response)
    assert "Contrat de ville du Val Fictif" in page and "Contrat d'un autre département" not in page
    assert "50 %" in page.replace("\u00a0", " ")
    for index in range(3):
        more = make_contract(name=f"Contrat suivi {index}")
        grant(more, delegate, Role.STATE)
        _, organization = partner_member(more, f"Partenaire suivi {index}")
        make_commitment(more, organization, years={2024: (2, None)})
    assert query_count.page(client, path) == small
    client.force_login(UserFactory.create(is_staff=True))
    assert "Contrat d'un autre département" in text(client.get(path))

"""End-to-end checks of the observation pages (issue 6): a QPV portrait by pillar, the indicator page (chart, map
and their table alternatives), the contract's comparison table, the import page of the pilot, and the national
table of a State delegate.

Every page is checked with axe-core (WCAG 2.1 A/AA) and for failed sub-resources, console errors and uncaught JS
errors. The data comes from ``observation_scenario``, created before the browser starts (see tests/e2e/conftest.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from contrat_ville.accounts.tests.factories import TEST_PASSWORD, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant
from contrat_ville.observation.enums import Aggregation, Direction, Theme
from contrat_ville.observation.tests.factories_pages import link, make_geography, make_indicator, make_value
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.tests.factories import TerritoryFactory
from tests.e2e.helpers import PageProblems, check, goto, sign_in

pytestmark = [pytest.mark.browser]


@dataclass(frozen=True)
class ObservationScenario:
    """Plain values about the data ``observation_scenario`` created (no model instances)."""

    pilot_email: str
    slug: str
    qpv_id: int
    qpv_name: str
    qpv_kind: str
    qpv_vintage: str
    qpv_code: str
    masked_qpv_name: str
    iris_name: str
    epci_name: str
    delegate_email: str
    departement_name: str


@pytest.fixture
def observation_scenario(db: None) -> ObservationScenario:
    """A published contract with two QPVs over six years of values, the EPCI, the commune and France as references,
    IRIS for the map, one value under statistical secrecy and one private value of the contract."""
    geo = make_geography(qpv_count=2, iris_count=3, published=True, name="Contrat de la Vallée observée")
    first, second = geo.qpvs
    poverty = make_indicator("CS-02", label="Taux de pauvreté", direction=Direction.LOWER_IS_BETTER)
    employment = make_indicator(
        "DE-01",
        label="Taux d'emploi des 15-64 ans",
        theme=Theme.DEVELOPPEMENT_ECONOMIQUE,
        direction=Direction.HIGHER_IS_BETTER,
        source="Recensement de la population (RP)",
    )
    population = make_indicator(
        "CTX-01",
        label="Population",
        theme=Theme.CONTEXT,
        unit="hab.",
        direction=Direction.CONTEXT,
        aggregation=Aggregation.SUM,
        decimals=0,
        source="Recensement de la population (RP)",
    )
    for offset, period in enumerate(range(2016, 2022)):
        make_value(poverty, first, period, 40.0 + offset)
        make_value(poverty, second, period, 33.0 - offset / 2)
        make_value(poverty, geo.commune, period, 21.0 + offset / 4)
        make_value(poverty, geo.epci, period, 15.0 + offset / 10)
        make_value(poverty, geo.france, period, 14.5)
        make_value(employment, first, period, 45.0 + offset)
        make_value(employment, geo.epci, period, 63.0)
        for number, iris in enumerate(geo.iris):
            make_value(poverty, iris, period, 20.0 + number * 8 + offset)
        make_value(population, first, period, 3200 + offset * 10)
        make_value(population, geo.epci, period, 95000)
    make_value(population, second, 2021, confidential=True)
    make_value(poverty, first, 2022, 47.5, contract=geo.contract)
    region = TerritoryFactory.create(kind=TerritoryKind.REGION, code="84", name="Région des Vallées", geometry=None)
    departement = TerritoryFactory.create(
        kind=TerritoryKind.DEPARTEMENT, code="96", name="Département de la Vallée", geometry=None
    )
    link(region, departement)
    link(departement, geo.commune)
    make_value(poverty, departement, 2021, 16.0)
    elsewhere = make_geography(qpv_count=1, iris_count=0, published=True, name="Contrat d'ailleurs")
    make_value(poverty, elsewhere.qpv, 2021, 28.0)
    pilot = UserFactory.create(email="pilote-observation@exemple.test", first_name="Nora", last_name="Benali")
    grant(geo.contract, pilot, Role.PILOT)
    delegate = UserFactory.create(email="etat-observation@exemple.test", first_name="Paul", last_name="Préfet")
    grant(elsewhere.contract, delegate, Role.STATE)
    return ObservationScenario(
        pilot_email=pilot.email,
        slug=geo.contract.slug,
        qpv_id=first.pk,
        qpv_name=first.name,
        qpv_kind=first.kind,
        qpv_vintage=first.vintage,
        qpv_code=first.code,
        masked_qpv_name=second.name,
        iris_name=geo.iris[0].name,
        epci_name=geo.epci.name,
        delegate_email=delegate.email,
        departement_name=departement.name,
    )


def test_visitor_reads_the_portrait_and_the_indicator_page(
    observation_scenario: ObservationScenario, page: Page, page_problems: PageProblems
) -> None:
    scenario = observation_scenario

    goto(page, reverse("observation:indicator_list"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Indicateurs de l'observation territoriale")
    check(page, page_problems, "le catalogue des indicateurs")

    goto(
        page,
        reverse(
            "observation:territory_portrait",
            kwargs={"kind": scenario.qpv_kind, "vintage": scenario.qpv_vintage, "code": scenario.qpv_code},
        ),
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Portrait de {scenario.qpv_name}")
    section = page.get_by_test_id("portrait-section-cohesion_sociale")
    expect(section).to_contain_text("Taux de pauvreté")
    expect(section).to_contain_text(scenario.epci_name)
    expect(section.get_by_test_id("gap").first).to_be_visible()
    expect(section).to_contain_text("en hausse")
    expect(page.get_by_test_id("portrait-section-developpement_economique")).to_contain_text("Taux d'emploi")
    check(page, page_problems, "le portrait public du quartier")

    goto(page, reverse("observation_contract:qpv_portrait", args=[scenario.slug, scenario.qpv_id]))
    expect(page.get_by_test_id("portrait-value").first).not_to_contain_text("47,5")  # private: members only
    check(page, page_problems, "le portrait du quartier dans le contrat")

    page.get_by_role("link", name="Taux de pauvreté").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Taux de pauvreté (CS-02)")
    chart = page.get_by_test_id("indicator-chart")
    expect(chart).to_be_visible()
    expect(chart.get_by_role("img")).to_have_accessible_name("Taux de pauvreté de 2016 à 2021")
    expect(page.get_by_test_id("indicator-table")).to_contain_text(scenario.qpv_name)
    expect(page.get_by_test_id("indicator-map")).to_have_attribute("data-map-ready", "true")
    expect(page.locator("#indicator-map path.leaflet-interactive")).to_have_count(2)
    expect(page.get_by_test_id("indicator-map-legend")).to_contain_text("Classe 1")
    expect(page.get_by_test_id("indicator-map-table")).to_contain_text(scenario.qpv_name)
    check(page, page_problems, "la page de l'indicateur (carte des quartiers)")

    page.get_by_label("Territoires de la carte").select_option(label="IRIS")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_test_id("indicator-map-section")).to_contain_text("Carte : IRIS en 2021")
    expect(page.get_by_test_id("indicator-map-table")).to_contain_text(scenario.iris_name)
    expect(page.locator("#indicator-map path.leaflet-interactive")).to_have_count(3)
    check(page, page_problems, "la page de l'indicateur (carte des IRIS)")


def test_pilot_compares_the_qpvs_and_opens_the_import_page(
    observation_scenario: ObservationScenario, page: Page, page_problems: PageProblems
) -> None:
    scenario = observation_scenario
    sign_in(page, scenario.pilot_email, TEST_PASSWORD)
    goto(page, reverse("contracts:contract_home", args=[scenario.slug]))
    expect(page.get_by_test_id("observation-key-figures")).to_contain_text("Population")
    page.get_by_test_id("contract-sidemenu").get_by_role("link", name="Observation", exact=True).click()
    expect(page).to_have_url(reverse("observation_contract:comparison", args=[scenario.slug]))
    table = page.get_by_test_id("comparison-table")
    expect(table).to_contain_text(scenario.masked_qpv_name)
    expect(table).to_contain_text("secret statistique")
    expect(table).to_contain_text("47,5")  # the contract's private value, for its pilot
    check(page, page_problems, "la comparaison des quartiers")

    table.get_by_role("link", name="Taux de pauvreté").click()
    expect(page.get_by_test_id("comparison-table").locator("th[aria-sort='ascending']")).to_contain_text(
        "Taux de pauvreté"
    )
    first_row = page.get_by_test_id("comparison-row").first
    expect(first_row).to_contain_text(scenario.masked_qpv_name)  # 30,5 % < 47,5 %

    first_row.get_by_role("link", name=scenario.masked_qpv_name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Portrait de {scenario.masked_qpv_name}")
    expect(page.get_by_test_id("portrait")).to_contain_text("secret statistique")
    check(page, page_problems, "le portrait d'un quartier avec une valeur secrète")

    goto(page, reverse("observation_contract:value_import", args=[scenario.slug]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Importer des valeurs d'indicateurs")
    expect(page.get_by_test_id("value-batches")).to_contain_text("Aucun import pour ce contrat.")
    check(page, page_problems, "la page d'import des valeurs")


def test_state_delegate_reads_the_national_table(
    observation_scenario: ObservationScenario, page: Page, page_problems: PageProblems
) -> None:
    scenario = observation_scenario
    sign_in(page, scenario.delegate_email, TEST_PASSWORD)
    goto(page, reverse("observation:indicator_list"))
    page.get_by_test_id("national-gaps-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Écarts des quartiers prioritaires à leurs territoires de référence"
    )
    page.get_by_label("Indicateur", exact=True).select_option("CS-02")
    page.get_by_role("button", name="Afficher").click()
    table = page.get_by_test_id("national-table")
    expect(table.get_by_test_id("national-row")).to_have_count(3)
    # Both contracts have a « Quartier 01 »: the row is the one in this contract's EPCI.
    first = table.get_by_test_id("national-row").filter(has_text=scenario.qpv_name).filter(has_text=scenario.epci_name)
    expect(first).to_contain_text(scenario.departement_name)
    expect(first.get_by_test_id("gap").first).to_be_visible()
    expect(table).not_to_contain_text("47,5")  # a contract's own value: never in the national table
    check(page, page_problems, "le tableau national des écarts")

    page.get_by_label("Région ou département").select_option(label=f"{scenario.departement_name} (96)")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_test_id("national-table").get_by_test_id("national-row")).to_have_count(2)
    expect(
        page.get_by_test_id("export-links").get_by_role("link", name="Télécharger le tableau (CSV)")
    ).to_have_attribute(
        "href", reverse("observation:national_gaps_export", kwargs={"fmt": "csv"}) + f"?{page.url.split('?', 1)[1]}"
    )
    check(page, page_problems, "le tableau national d'un département")

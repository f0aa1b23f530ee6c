"""End-to-end scenario of the annual report on the politique de la ville (décret n° 2015-1118, issue 12 §3) on a
contract created from scratch, no demo: the pilot creates the report of last year, writes its perspectives, submits
it for opinion to the municipal council of the QPV's commune, records that council's deliberation, has the report
approved by the conseil communautaire and publishes it; a visitor then reads it on the contract's public pages.

Every page visited is checked with axe-core (WCAG 2.1 A/AA) and for failed sub-resources, console and JS errors.
The data is created before the browser starts; the test body never calls the ORM (see tests/e2e/conftest.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from contrat_ville.accounts.tests.factories import TEST_PASSWORD, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.strategy.tests.factories import add_qpv
from contrat_ville.territories.models import Territory
from tests.e2e.helpers import PageProblems, check, goto, sign_in

pytestmark = [pytest.mark.browser]

PERSPECTIVES = "Renforcer le droit commun de l'Éducation nationale aux Tilleuls."


@dataclass(frozen=True)
class ReportScenario:
    """Plain values about the data ``report_scenario`` created (no model instances)."""

    slug: str
    pilot_email: str
    commune_name: str
    year: int
    today: str
    deadline: str


@pytest.fixture
def report_scenario(db: None) -> ReportScenario:
    """A published contract with one QPV in a commune of its EPCI, and its pilot: no report yet."""
    contract = make_contract(name="Contrat de ville des Rives", published=True)
    qpv = add_qpv(contract, code="QN09651M", name="Les Tilleuls")
    commune = Territory.objects.get(child_links__child=qpv)
    pilot = UserFactory.create(email="pilote-rapport@exemple.test", first_name="Élise", last_name="Marchand")
    grant(contract, pilot, Role.PILOT)
    today = timezone.localdate()
    return ReportScenario(
        slug=contract.slug,
        pilot_email=pilot.email,
        commune_name=commune.name,
        year=today.year - 1,
        today=today.isoformat(),
        deadline=(today + timedelta(days=40)).isoformat(),
    )


def test_the_pilot_drafts_submits_approves_and_publishes_the_annual_report(
    report_scenario: ReportScenario, page: Page, page_problems: PageProblems
) -> None:
    scenario = report_scenario
    sidemenu = page.get_by_test_id("contract-sidemenu")

    # The pilot creates the report of last year.
    sign_in(page, scenario.pilot_email, TEST_PASSWORD)
    goto(page, reverse("contracts:contract_home", args=[scenario.slug]))
    sidemenu.get_by_role("link", name="Rapport annuel", exact=True).click()
    expect(page.get_by_test_id("annual-reports")).to_contain_text("Aucun rapport annuel")
    check(page, page_problems, "les rapports annuels (vides)")
    page.get_by_test_id("annual-report-create").click()
    check(page, page_problems, "la création d'un rapport annuel")
    expect(page.get_by_label("Année retracée")).to_have_value(str(scenario.year))
    page.get_by_role("button", name="Créer le rapport").click()
    expect(page.get_by_test_id("annual-report-status")).to_have_text("brouillon")
    check(page, page_problems, "le rapport annuel en brouillon")
    report_url = page.url

    # Its perspectives.
    page.get_by_role("link", name="Rédiger les textes").click()
    check(page, page_problems, "les textes du rapport")
    page.get_by_label("Perspectives").fill(PERSPECTIVES)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_test_id("annual-report-texts")).to_contain_text(PERSPECTIVES)

    # Submitted for opinion to the municipal council, with more than a month to answer.
    page.get_by_test_id("annual-report-submit").click()
    check(page, page_problems, "la soumission pour avis")
    page.get_by_label("Transmis pour avis le").fill(scenario.today)
    page.get_by_label("Date limite des avis").fill(scenario.deadline)
    expect(page.get_by_label(scenario.commune_name)).to_be_checked()
    page.get_by_role("button", name="Soumettre pour avis").click()
    expect(page.get_by_test_id("annual-report-status")).to_have_text("en consultation")
    expect(page.get_by_test_id("annual-report-municipal")).to_contain_text("avis attendu")
    check(page, page_problems, "le rapport en consultation")

    # The municipal council's deliberation.
    page.get_by_test_id("annual-report-municipal").get_by_role("link", name="Enregistrer l'avis").click()
    check(page, page_problems, "l'avis d'un conseil municipal")
    page.get_by_label("Délibération du").fill(scenario.today)
    page.get_by_label("favorable", exact=True).check()
    page.get_by_role("button", name="Enregistrer l'avis").click()
    expect(page.get_by_test_id("annual-report-municipal")).to_contain_text("favorable")

    # Everyone answered: the conseil communautaire approves it before the deadline.
    page.get_by_test_id("annual-report-approve").click()
    check(page, page_problems, "l'approbation du rapport")
    page.get_by_label("Délibération du conseil communautaire du").fill(scenario.today)
    page.get_by_label("Suites données aux observations").fill("Le conseil communautaire prend acte de l'avis.")
    page.get_by_role("button", name="Approuver").click()
    expect(page.get_by_test_id("annual-report-status")).to_have_text("approuvé")
    expect(page.get_by_test_id("annual-report-approval")).to_be_visible()
    check(page, page_problems, "le rapport approuvé")

    # Published: a visitor reads it on the contract's public pages.
    page.get_by_test_id("annual-report-publish").click()
    expect(page.get_by_test_id("annual-report-status")).to_have_text("publié")
    page.context.clear_cookies()
    goto(page, reverse("reporting:annual_report_list", args=[scenario.slug]))
    expect(page.get_by_test_id("annual-reports")).to_contain_text(f"Rapport annuel {scenario.year}")
    check(page, page_problems, "les rapports annuels publiés, vus d'un visiteur")
    goto(page, report_url)
    expect(page.get_by_test_id("annual-report-texts")).to_contain_text(PERSPECTIVES)
    check(page, page_problems, "le rapport publié, vu d'un visiteur")

"""End-to-end scenario of the annual report on the politique de la ville (décret n° 2015-1118, issue 12 §3) on a
contract created from scratch, no demo: the pilot creates the report of last year, writes its perspectives, submits
it for opinion to the municipal council of the QPV's commune, records that council's deliberation, has the report
approved by the conseil communautaire and publishes it; a visitor then reads it on the contract's public pages.
Then, from the dashboard, a pilot produces the report's document (DOCX and PDF) and downloads its PDF.

Every page visited is checked with axe-core (WCAG 2.1 A/AA) and for failed sub-resources, console and JS errors.
The data is created before the browser starts; the test body never calls the ORM (see tests/e2e/conftest.py).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from contrat_ville.accounts.tests.factories import TEST_PASSWORD, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.reporting import annual_report_services
from contrat_ville.strategy.tests.factories import add_qpv, make_plan, make_tree
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


ACTION_TITLE = "Correspondants de nuit dans les halls"


@pytest.fixture
def produced_report_scenario(db: None) -> ReportScenario:
    """A contract created from scratch with its strategic tree, last year's action plan and last year's report in
    draft: what a pilot has before producing the report's document."""
    contract = make_contract(name="Contrat de ville des Rives")
    qpv = add_qpv(contract, code="QN09651M", name="Les Tilleuls")
    commune = Territory.objects.get(child_links__child=qpv)
    pilot = UserFactory.create(email="pilote-document@exemple.test", first_name="Élise", last_name="Marchand")
    grant(contract, pilot, Role.PILOT)
    today = timezone.localdate()
    _, _, actions = make_tree(contract, action_count=1)
    actions[0].title = ACTION_TITLE
    actions[0].save(update_fields=["title"])
    make_plan(contract, year=today.year - 1, actions=actions)
    annual_report_services.annual_report_create(contract=contract, year=today.year - 1, by=pilot)
    return ReportScenario(
        slug=contract.slug,
        pilot_email=pilot.email,
        commune_name=commune.name,
        year=today.year - 1,
        today=today.isoformat(),
        deadline=(today + timedelta(days=40)).isoformat(),
    )


def test_from_the_dashboard_the_pilot_produces_the_annual_report_and_downloads_it(
    produced_report_scenario: ReportScenario, page: Page, page_problems: PageProblems
) -> None:
    scenario = produced_report_scenario
    sign_in(page, scenario.pilot_email, TEST_PASSWORD)
    goto(page, reverse("contracts:contract_home", args=[scenario.slug]))
    expect(page.get_by_test_id("actions-chart")).to_be_visible()
    check(page, page_problems, "le tableau de bord")
    page.get_by_test_id("contract-sidemenu").get_by_role("link", name="Rapport annuel", exact=True).click()
    page.get_by_role("link", name=f"Rapport annuel {scenario.year}").first.click()
    check(page, page_problems, "le rapport annuel en brouillon")
    report_url = page.url

    # Produced by the worker (the immediate backend in the tests): the documents page shows it ready.
    page.get_by_role("button", name="Produire le rapport en DOCX et PDF").click()
    expect(page.get_by_test_id("document-table")).to_contain_text("Rapport annuel politique de la ville")
    expect(page.get_by_test_id("document-table").get_by_role("link", name="PDF", exact=True)).to_be_visible()
    check(page, page_problems, "les documents du contrat")

    # Back on the report, the pilot downloads its PDF and finds the year's action in it.
    goto(page, report_url)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le rapport (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    path = download.path()
    text = " ".join(page_text.extract_text() or "" for page_text in PdfReader(io.BytesIO(path.read_bytes())).pages)
    assert "Rapport annuel" in text and ACTION_TITLE in " ".join(text.split())

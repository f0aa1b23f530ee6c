"""End-to-end scenario of the annual call for projects (issue 14 §4) on a contract created from scratch, no demo: the
pilot prepares this year's call, names the programme 147 among its funders and opens it → an association applies
and deposits its application → a member of the technical committee gives an opinion → the pilot takes it into
instruction, proposes the amount and has the steering committee programme it (governance's decision form, object
preselected) → the programme table lists it. On the way, the association joins a document to its draft, the pilot
asks the technical committee for its opinion and its member finds it in « Ce qui vous attend »; the call's open
data page ends the tour.

Every page visited is checked with axe-core (WCAG 2.1 A/AA) and for failed sub-resources, console and JS errors.
The data is created before the browser starts; the test body never calls the ORM (see tests/e2e/conftest.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from contrat_ville.accounts.tests.factories import TEST_PASSWORD, OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.funding.tests.factories import copil_meeting, make_body, seat
from contrat_ville.governance.enums import BodyKind
from contrat_ville.strategy.tests.factories import add_qpv
from tests.e2e.helpers import PageProblems, check, goto, sign_in

pytestmark = [pytest.mark.browser]

PROJECT = "Médiation à la sortie des collèges"
P147 = "État — programme 147"


@dataclass(frozen=True)
class CallsScenario:
    """Plain values about the data ``calls_scenario`` created (no model instances)."""

    slug: str
    pilot_email: str
    applicant_email: str
    reviewer_email: str
    qpv_name: str
    meeting_label: str
    year: int
    opens_on: str
    closes_on: str


@pytest.fixture
def calls_scenario(db: None) -> CallsScenario:
    """A contract with one QPV, its pilot, an association's account (« porteur de projet »), the CAF's correspondent
    seated in the technical committee, and a held meeting of the steering committee: no call, no application."""
    contract = make_contract(name="Contrat de ville des Rives")
    qpv = add_qpv(contract, code="QN09651M", name="Les Tilleuls")
    pilot = UserFactory.create(email="pilote-aap@exemple.test", first_name="Élise", last_name="Marchand")
    grant(contract, pilot, Role.PILOT)
    association = OrganizationFactory.create(name="Association Rives Solidaires", kind="association")
    applicant = UserFactory.create(email="porteur@exemple.test", organization=association)
    grant(contract, applicant, Role.APPLICANT)
    caf = OrganizationFactory.create(name="Caisse d'allocations familiales des Rives", kind="public_operator")
    reviewer = UserFactory.create(email="referente@caf.test", organization=caf)
    grant(contract, reviewer, Role.PARTNER)
    seat(make_body(contract, kind=BodyKind.TECHNICAL_COMMITTEE), caf)
    meeting = copil_meeting(contract)
    today = timezone.localdate()
    return CallsScenario(
        slug=contract.slug,
        pilot_email=pilot.email,
        applicant_email=applicant.email,
        reviewer_email=reviewer.email,
        qpv_name=qpv.name,
        meeting_label=f"{meeting.title} — {meeting.starts_at:%d/%m/%Y}",
        year=min(max(today.year, 2024), 2030),
        opens_on=(today - timedelta(days=5)).isoformat(),
        closes_on=(today + timedelta(days=30)).isoformat(),
    )


def test_an_association_applies_a_reviewer_gives_an_opinion_and_the_committee_programmes(
    calls_scenario: CallsScenario, page: Page, page_problems: PageProblems
) -> None:
    scenario = calls_scenario
    sidemenu = page.get_by_test_id("contract-sidemenu")

    # The pilot prepares the call, names its funder and opens it.
    sign_in(page, scenario.pilot_email, TEST_PASSWORD)
    goto(page, reverse("contracts:contract_home", args=[scenario.slug]))
    sidemenu.get_by_role("link", name="Appels à projets", exact=True).click()
    expect(page.get_by_test_id("call-list")).to_contain_text("Aucun appel à projets")
    check(page, page_problems, "les appels à projets (vides)")
    page.get_by_role("link", name="Préparer un appel à projets").click()
    check(page, page_problems, "la préparation d'un appel à projets")
    page.get_by_label("Intitulé").fill(f"Appel à projets {scenario.year}")
    page.get_by_label("Année de programmation").select_option(str(scenario.year))
    page.get_by_label("Ouverture des dépôts").fill(scenario.opens_on)
    page.get_by_label("Clôture des dépôts").fill(scenario.closes_on)
    page.get_by_label("Critères d'éligibilité").fill("Projets au bénéfice des habitants des Tilleuls.")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Indiquez maintenant ses financeurs")).to_be_visible()
    page.get_by_role("link", name="Ajouter un financeur").click()
    check(page, page_problems, "l'ajout d'un financeur")
    page.get_by_label("Financeur").fill(P147)
    page.locator("label[for=id_is_p147]").click()
    page.get_by_label("Enveloppe (€)").fill("100000")
    page.get_by_role("button", name="Ajouter le financeur").click()
    expect(page.get_by_test_id("call-funders")).to_contain_text(P147)
    page.get_by_role("button", name="Ouvrir les dépôts").click()
    expect(page.get_by_test_id("call-status")).to_have_text("ouvert")
    check(page, page_problems, "l'appel à projets ouvert")
    call_url = page.url

    # The association applies, then deposits its application.
    sign_in(page, scenario.applicant_email, TEST_PASSWORD)
    goto(page, call_url)
    page.get_by_test_id("apply").click()
    check(page, page_problems, "le dossier de demande de subvention")
    form = page.get_by_test_id("application-form")
    form.get_by_label("Intitulé du projet").fill(PROJECT)
    form.get_by_label("Description du projet").fill("Deux médiateurs, chaque soir de la semaine.")
    form.get_by_label(re.compile(scenario.qpv_name)).check()
    form.get_by_label("Public visé").fill("Collégiens et leurs familles")
    form.get_by_label("Budget total du projet (€)").fill("30000")
    form.get_by_label("Autres ressources (€)").fill("15000")
    form.get_by_label(f"Montant demandé à « {P147} » (€)").fill("15000")
    page.get_by_role("button", name="Enregistrer le dossier").click()
    expect(page.get_by_test_id("application-status")).to_have_text("brouillon")
    check(page, page_problems, "le dossier en brouillon")
    page.get_by_test_id("add-attachment").click()
    check(page, page_problems, "l'ajout d'une pièce jointe")
    attachment_form = page.get_by_test_id("attachment-form")
    attachment_form.get_by_label("Titre").fill("Statuts de l'association")
    attachment_form.locator("input[type=file]").set_input_files(
        {"name": "statuts.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 statuts"}
    )
    page.get_by_role("button", name="Joindre le document").click()
    expect(page.get_by_test_id("application-attachments")).to_contain_text("Statuts de l'association")
    page.get_by_test_id("submit-application").click()
    expect(page.get_by_test_id("application-status")).to_have_text("déposé")
    goto(page, reverse("funding_calls:my_applications", args=[scenario.slug]))
    expect(page.get_by_test_id("my-applications")).to_contain_text(PROJECT)
    check(page, page_problems, "mes dossiers")

    # The pilot asks the technical committee for its opinion.
    sign_in(page, scenario.pilot_email, TEST_PASSWORD)
    goto(page, call_url)
    page.get_by_test_id("call-applications").get_by_role("link", name=PROJECT).click()
    expect(page.get_by_test_id("application-attachments")).to_contain_text("Statuts de l'association")
    page.get_by_test_id("request-reviews").click()
    check(page, page_problems, "la demande d'avis au comité technique")
    page.get_by_role("button", name="Demander les avis").click()
    expect(page.get_by_test_id("review-requests")).to_contain_text("Caisse d'allocations familiales des Rives")

    # The member of the technical committee finds it in « Ce qui vous attend » and gives an opinion.
    sign_in(page, scenario.reviewer_email, TEST_PASSWORD)
    goto(page, reverse("awaiting"))
    check(page, page_problems, "ce qui attend le membre du comité technique")
    page.get_by_role("link", name=re.compile(f"Donner votre avis sur « {PROJECT} »")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Avis technique")
    goto(page, call_url)
    page.get_by_role("link", name="Instruction des dossiers").click()
    expect(page.get_by_test_id("review-applications")).to_contain_text(PROJECT)
    check(page, page_problems, "l'instruction des dossiers")
    page.get_by_role("link", name=PROJECT).click()
    check(page, page_problems, "un dossier déposé, lu par le comité technique")
    page.get_by_role("link", name="Donner un avis technique").click()
    check(page, page_problems, "le formulaire d'avis technique")
    page.get_by_label("favorable", exact=True).check()
    page.get_by_label("Commentaire").fill("Projet attendu par les familles.")
    page.get_by_role("button", name="Enregistrer l'avis").click()
    expect(page.get_by_test_id("review-applications")).to_contain_text("Votre avis : favorable")

    # The pilot instructs, proposes the amount and has the steering committee programme the application.
    sign_in(page, scenario.pilot_email, TEST_PASSWORD)
    goto(page, call_url)
    page.get_by_test_id("call-applications").get_by_role("link", name=PROJECT).click()
    expect(page.get_by_test_id("application-reviews")).to_contain_text("Projet attendu par les familles.")
    page.get_by_role("button", name="Mettre en instruction").click()
    expect(page.get_by_test_id("application-status")).to_have_text("en instruction")
    check(page, page_problems, "le dossier en instruction")
    application_url = page.url
    page.get_by_role("link", name="Proposer les montants").click()
    check(page, page_problems, "les montants proposés")
    page.get_by_label(re.compile(f"Accordé par « {P147} »")).fill("12000")
    page.get_by_role("button", name="Enregistrer les montants").click()
    expect(page.get_by_test_id("application-amounts")).to_contain_text("12\u00a0000\u00a0€")
    programming = page.get_by_test_id("programming-request")
    programming.get_by_label("Séance du comité de pilotage").select_option(label=scenario.meeting_label)
    programming.get_by_role("button", name="Faire programmer par le comité de pilotage").click()
    expect(page).to_have_url(re.compile(r"/decisions/nouvelle/\?cible=funding\.application"))
    expect(page.get_by_label("Objet de la décision")).to_have_value(re.compile(r"^funding\.application:\d+$"))
    check(page, page_problems, "le formulaire de décision sur le dossier")
    page.get_by_label("Sens de la décision").select_option(label="validé")
    page.get_by_label("Texte de la décision").fill("Le comité de pilotage programme le projet de médiation.")
    page.get_by_role("button", name="Enregistrer la décision").click()
    goto(page, application_url)
    expect(page.get_by_test_id("application-status")).to_have_text("programmé")
    expect(page.get_by_test_id("application-history")).to_contain_text("Décision du comité de pilotage (validé)")

    # The programme table lists it, with the amount granted by the programme 147.
    goto(page, call_url)
    page.get_by_role("link", name="Programmation", exact=True).click()
    table = page.get_by_test_id("programme-table")
    expect(table).to_contain_text(PROJECT)
    expect(table).to_contain_text("Association Rives Solidaires")
    expect(table).to_contain_text("12\u00a0000\u00a0€")
    check(page, page_problems, "le tableau de programmation")
    goto(page, reverse("funding_calls:financial_annex", args=[scenario.slug]))
    expect(page.get_by_test_id("programme-annex")).to_contain_text("12\u00a0000\u00a0€")
    check(page, page_problems, "l'annexe financière")
    # On a phone the annex is wider than the screen: DSFR scrolls the table, which the keyboard must reach.
    viewport = page.viewport_size
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.get_by_test_id("programme-annex").locator("table").evaluate("t => t.scrollWidth > t.clientWidth")
    check(page, page_problems, "l'annexe financière sur un écran de téléphone")
    if viewport:
        page.set_viewport_size(viewport)

    # The open data of the grants: no agreement signed yet, nothing is missing, the file is empty but valid.
    goto(page, call_url)
    page.get_by_test_id("open-data").click()
    expect(page.get_by_test_id("open-data-count")).to_contain_text("1 dossier programmé attend sa convention")
    check(page, page_problems, "les données ouvertes des subventions")

"""End-to-end scenario of the councils' yearly questionnaire and the regional state of play (issue 11 §5-6, issue 12
§6), on a platform with no demo: one contract of Occitanie with two conseils citoyens and the facilitator's account of
one of them. The administrator registers the resource centre of Occitanie and opens its member's account → the member
chooses a password from the e-mail's link → opens this year's questionnaire over the region → the facilitator finds
it among what awaits them, answers it and transmits it → the state of play shows the figures → both files download.

Every page visited is checked with axe-core (WCAG 2.1 A/AA) and for failed sub-resources, console and JS errors.
The data is created before the browser starts; the test body reads only ``mail.outbox`` (no ORM).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from contrat_ville.accounts.tests.factories import TEST_PASSWORD, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.participation.enums import AgeBand, College, DesignationMethod, FacilitatorKind, LegalForm, Sex
from contrat_ville.participation.tests.factories import add_member, make_council
from contrat_ville.territories.models import TerritoryLink
from contrat_ville.territories.tests.factories import TerritoryFactory
from tests.e2e.helpers import PageProblems, check, goto, sign_in

pytestmark = [pytest.mark.browser]

CENTRE = "Villes et Territoires Occitanie"
MEMBER_EMAIL = "charge.mission@vt-occitanie.test"
MEMBER_PASSWORD = "Capitaliser-les-experiences-2026"
MOSSON = "Conseil citoyen de la Mosson"
PAILLADE = "Conseil citoyen du Petit Bard"


@dataclass(frozen=True)
class SurveyScenario:
    admin_email: str
    facilitator_email: str


@pytest.fixture
def survey_scenario(db: None) -> SurveyScenario:
    """A published contract of Occitanie (a commune of the Hérault), two councils with members, the facilitator of
    the Mosson's (an account of the council) and an administrator. No resource centre, no questionnaire."""
    epci = TerritoryFactory.create(epci=True, name="Montpellier Méditerranée Métropole")
    TerritoryLink.objects.create(parent=epci, child=TerritoryFactory.create(code="34172", name="Montpellier"))
    contract = make_contract(name="Contrat de ville de Montpellier Méditerranée Métropole", epci=epci, published=True)
    mosson = make_council(
        contract,
        name=MOSSON,
        legal_form=LegalForm.ASSOCIATION,
        facilitator_kind=FacilitatorKind.SELF_RUN,
        yearly_budget=3000,
        premises="Maison pour tous Léo Lagrange",
    )
    add_member(mosson, sex=Sex.FEMALE, age_band=AgeBand.FROM_18_TO_25)
    add_member(mosson, sex=Sex.MALE, age_band=AgeBand.FROM_40_TO_59)
    add_member(mosson, sex=Sex.FEMALE, college=College.LOCAL_ACTORS, designation_method=DesignationMethod.APPOINTED)
    petit_bard = make_council(contract, name=PAILLADE, facilitator_kind=FacilitatorKind.ADULT_RELAY)
    add_member(petit_bard, sex=Sex.MALE, age_band=AgeBand.FROM_60)
    facilitator = UserFactory.create(
        email="animatrice.mosson@exemple.test",
        first_name="Samia",
        last_name="Haddad",
        organization=mosson.organization,
    )
    grant(contract, facilitator, Role.COUNCIL)
    admin = UserFactory.create(email="admin-plateforme@exemple.test", is_staff=True, is_superuser=True)
    return SurveyScenario(admin_email=admin.email, facilitator_email=facilitator.email)


def _settle(page: Page, problems: PageProblems) -> None:
    page.wait_for_load_state("networkidle")
    problems.clear()


def test_a_resource_centre_runs_the_questionnaire_and_reads_the_state_of_play(
    survey_scenario: SurveyScenario, page: Page, page_problems: PageProblems
) -> None:
    heading = page.get_by_role("heading", level=1)
    year = timezone.localdate().year

    # The administrator registers the resource centre of Occitanie and opens its member's account.
    sign_in(page, survey_scenario.admin_email, TEST_PASSWORD)
    goto(page, reverse("resources:search"))
    _settle(page, page_problems)
    page.get_by_role("link", name="Centres de ressources").click()
    expect(heading).to_have_text("Centres de ressources")
    check(page, page_problems, "la liste des centres de ressources (vide)")
    page.get_by_role("link", name="Inscrire un centre de ressources").click()
    check(page, page_problems, "l'inscription d'un centre de ressources")
    page.get_by_label("Nom du centre de ressources").fill(CENTRE)
    page.get_by_label("Région couverte").select_option(label="Occitanie")
    page.get_by_role("button", name="Enregistrer").click()
    expect(heading).to_have_text(f"Ajouter un membre à « {CENTRE} »")
    check(page, page_problems, "l'ajout d'un membre au centre")
    page.get_by_label("Adresse électronique").fill(MEMBER_EMAIL)
    page.get_by_label("Prénom").fill("Inès")
    page.get_by_label("Nom", exact=True).fill("Roux")
    page.get_by_role("button", name="Ouvrir le compte").click()
    expect(page.get_by_test_id("centre-list")).to_contain_text("Occitanie")
    link = re.search(r"http://[^/]+(/comptes/mot-de-passe/\S+/)", mail.outbox[-1].body).group(1)

    # The member chooses a password from the e-mail's link, then signs in.
    page.context.clear_cookies()
    goto(page, link)
    expect(heading).to_have_text("Choisir votre mot de passe")
    _settle(page, page_problems)
    check(page, page_problems, "le choix du mot de passe")
    page.locator("input[name=new_password1]").fill(MEMBER_PASSWORD)
    page.get_by_label("Le même mot de passe, une seconde fois").fill(MEMBER_PASSWORD)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Mot de passe enregistré : connectez-vous.")).to_be_visible()
    sign_in(page, MEMBER_EMAIL, MEMBER_PASSWORD)

    # This year's questionnaire, over Occitanie: both councils receive it.
    goto(page, reverse("resources:search"))
    _settle(page, page_problems)
    page.get_by_role("link", name="Questionnaire des conseils citoyens").click()
    check(page, page_problems, "les questionnaires (aucun)")
    page.get_by_role("link", name="Ouvrir le questionnaire de l'année").click()
    expect(page.get_by_role("main")).to_contain_text("Région : Occitanie.")
    check(page, page_problems, "l'ouverture du questionnaire")
    page.get_by_label("Année").fill(str(year))
    page.get_by_label("Réponses attendues avant le").fill(f"{year}-12-31")
    page.get_by_role("button", name="Ouvrir le questionnaire").click()
    expect(page.get_by_test_id("campaign-summary")).to_contain_text("0 questionnaire transmis sur 2")
    check(page, page_problems, "le questionnaire ouvert")
    campaign_url = page.url

    # The facilitator finds it among what awaits them, answers and transmits it.
    sign_in(page, survey_scenario.facilitator_email, TEST_PASSWORD)
    goto(page, reverse("awaiting"))
    _settle(page, page_problems)
    page.get_by_role("link", name=f"Remplir le questionnaire {year} du conseil : {MOSSON}").click()
    expect(heading).to_have_text(f"Questionnaire {year} — {MOSSON}")
    expect(page.locator("input[name=premises]")).to_have_value(
        "Maison pour tous Léo Lagrange"
    )  # prefilled from the registry
    check(page, page_problems, "le questionnaire à remplir")
    page.get_by_label("Réunions tenues dans l'année").fill("10")
    page.get_by_label("Budget de l'année (euros)").fill("3500")
    page.get_by_label("le contrat de ville et la politique de la ville", exact=True).check()
    page.get_by_label("mobiliser les habitants et garder les membres actifs", exact=True).check()
    page.get_by_label("des formations", exact=True).check()
    page.get_by_label("des échanges avec d'autres conseils citoyens", exact=True).check()
    page.get_by_label("Perspectives pour l'année qui vient").fill("Renouveler le collège des habitants.")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_text("Brouillon enregistré.")).to_be_visible()
    page.get_by_test_id("survey-submit-link").click()
    check(page, page_problems, "la transmission du questionnaire")
    page.get_by_role("button", name="Transmettre").click()
    expect(page.get_by_test_id("survey-status")).to_contain_text("transmis")
    expect(page.get_by_test_id("survey-answers")).to_contain_text("des échanges avec d'autres conseils citoyens")
    check(page, page_problems, "le questionnaire transmis")

    # The resource centre: one answer of two, and the state of play with its figures.
    sign_in(page, MEMBER_EMAIL, MEMBER_PASSWORD)
    goto(page, campaign_url)
    expect(page.get_by_test_id("campaign-summary")).to_contain_text("1 questionnaire transmis sur 2")
    page.get_by_role("link", name="État des lieux").click()
    expect(heading).to_have_text("État des lieux des conseils citoyens")
    totals = page.get_by_test_id("state-totals")
    answered = totals.get_by_role("row").filter(has_text="questionnaire transmis")
    expect(answered).to_contain_text("1")
    expect(answered).to_contain_text("50\u202f%")
    women = totals.get_by_role("row").filter(has_text="femmes")
    expect(women).to_contain_text("50\u202f%")  # 2 women of 4 sitting members
    councils = page.get_by_test_id("state-councils")
    expect(councils.get_by_role("row").filter(has_text=MOSSON)).to_contain_text(f"questionnaire {year}")
    expect(councils.get_by_role("row").filter(has_text=PAILLADE)).to_contain_text("registre")
    _settle(page, page_problems)
    check(page, page_problems, "l'état des lieux")
    with page.expect_download() as xlsx_download:
        page.get_by_test_id("export-xlsx").click()
    workbook = load_workbook(io.BytesIO(xlsx_download.value.path().read_bytes()))
    rows = {row[1]: row for row in workbook["Conseils citoyens"].iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {MOSSON, PAILLADE}
    assert rows[MOSSON][3] == f"questionnaire {year}" and rows[MOSSON][12] == "3\u202f500\u00a0€"
    with page.expect_download() as csv_download:
        page.get_by_test_id("export-csv").click()
    lines = list(csv.reader(io.StringIO(csv_download.value.path().read_text(encoding="utf-8-sig")), delimiter=";"))
    assert [line[1] for line in lines] == ["Conseil citoyen", MOSSON, PAILLADE]

    # A council's line and its questionnaires over the years.
    page.get_by_test_id("state-councils").get_by_role("link", name=MOSSON).click()
    expect(heading).to_have_text(MOSSON)
    expect(page.get_by_test_id("survey-comparison")).to_contain_text("Renouveler le collège des habitants.")
    _settle(page, page_problems)
    check(page, page_problems, "un conseil dans l'état des lieux")

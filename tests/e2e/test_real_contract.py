"""End-to-end scenario of issue 10, chained from an empty platform (no demo, no contract — only the official
territories an administrator imported and three organisations):

the administrator opens the contract's space → invites the pilot → the pilot accepts, names the levels « défis »,
attaches the QPV, brings the transversal axes to six → registers the conseil citoyen → invites a council member and
a partner → sets up a local « conférence des financeurs » and the steering committee, the council seated, and a
meeting → proposes a stake → submits it to the council → the council member gives an opinion → the committee
validates the stake → an orientation drawn from it, validated → an objective tied to two axes → an action → the
year's plan, validated → the contract signed → a fourth défi added by avenant.

Every page visited is checked with axe-core (WCAG 2.1 A/AA) and for failed sub-resources, console and JS errors.
The data is created before the browser starts; the test body reads only ``mail.outbox`` (no ORM).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.helpers import PageProblems, check, goto, sign_in
from tests.e2e.test_contract_space import FOURTH, NEW_AXES, PILOT_EMAIL, PILOT_PASSWORD, EmptyPlatform, empty_platform

pytestmark = [pytest.mark.browser]

__all__ = ["empty_platform"]  # the fixture, used by this module's test

COUNCIL = "Conseil citoyen de Maurepas"
RESIDENT_EMAIL = "habitante.maurepas@exemple.fr"
PARTNER_EMAIL = "referente@caf35.fr"
PASSWORD = "Quartiers-2030-Maurepas"
STAKE = "La réussite éducative des enfants de Maurepas"
OPINION = "Associer les parents dès l'école maternelle."
ORIENTATION = "Faire réussir les enfants de Maurepas de la maternelle au collège"
OBJECTIVE = "Réduire de moitié l'écart de réussite au brevet avec la métropole"
ACTION = "Programme de réussite éducative de Maurepas"
MEETING = "Comité de pilotage de validation de la stratégie"


def _settle(page: Page) -> None:
    """Let the current page finish loading (its icons) before leaving it: a request the browser aborts because the
    test navigates away is not a problem of the next page."""
    page.wait_for_load_state("networkidle")


def _menu(page: Page, label: str) -> None:
    _settle(page)
    page.get_by_test_id("contract-sidemenu").get_by_role("link", name=label, exact=True).click()


def _invite(page: Page, slug: str, email: str, role: str, organization: str = "") -> str:
    """Invite ``email`` from the members page; the path of the link the e-mail carries."""
    goto(page, reverse("contracts:contract_members", args=[slug]))
    page.get_by_test_id("invite-button").click()
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Rôle sur le contrat").select_option(role)
    if organization:
        page.get_by_label("Organisation").select_option(label=organization)
    page.get_by_role("button", name="Envoyer l'invitation").click()
    expect(page.get_by_test_id("invitations-table")).to_contain_text(email)
    return re.search(r"http://[^/]+(/contrats/invitation/[^/\s]+/)", mail.outbox[-1].body).group(1)


def _accept(page: Page, link: str, first_name: str, last_name: str, password: str) -> None:
    page.context.clear_cookies()
    goto(page, link)
    page.get_by_label("Prénom").fill(first_name)
    page.locator("input[name=last_name]").fill(last_name)
    page.locator("input[name=password]").fill(password)
    page.get_by_label("Confirmation du mot de passe").fill(password)
    page.get_by_role("button", name="Créer mon compte et rejoindre le contrat").click()
    expect(page.get_by_test_id("contract-role")).to_be_visible()


def _validate(page: Page, problems: PageProblems, cible: str, where: str) -> None:
    """« Faire valider par le comité de pilotage » from the current page, in the meeting of the scenario."""
    form = page.get_by_test_id("validation-request")
    select = form.get_by_label("Séance du comité de pilotage")
    select.select_option(
        value=select.get_by_role("option", name=re.compile(re.escape(MEETING))).get_attribute("value")
    )
    form.get_by_role("button", name="Faire valider par le comité de pilotage").click()
    expect(page).to_have_url(re.compile(r"/decisions/nouvelle/\?cible=" + re.escape(cible)))
    page.get_by_label("Sens de la décision").select_option(label="validé")
    page.get_by_label("Texte de la décision").fill(f"Le comité de pilotage valide {where}.")
    _settle(page)
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_role("main")).to_contain_text(f"Le comité de pilotage valide {where}.")
    check(page, problems, f"la décision ({where})")


def test_a_real_intercommunality_from_an_empty_platform_to_a_signed_and_amended_contract(
    empty_platform: EmptyPlatform, page: Page, page_problems: PageProblems
) -> None:
    heading = page.get_by_role("heading", level=1)
    year = timezone.localdate().year

    # The administrator opens the space and invites the pilot, who accepts.
    sign_in(page, empty_platform.admin_email, "mot-de-passe-de-test-42")
    page.get_by_test_id("open-contract").click()
    page.get_by_label("Intitulé du contrat").fill("Contrat de ville de Rennes Métropole 2024-2030")
    page.get_by_label("Intercommunalité (EPCI)").fill(empty_platform.epci_siren)
    page.get_by_role("button", name="Ouvrir l'espace du contrat").click()
    slug = re.search(r"/contrats/([^/]+)/parametres/", page.url).group(1)
    link = _invite(page, slug, PILOT_EMAIL, "pilot")
    _accept(page, link, "Nora", "Benali", PILOT_PASSWORD)

    # Levels named « défis », the QPV attached, six transversal axes.
    _menu(page, "Paramètres du contrat")
    page.locator("input[name=pillar_term]").fill("défi")
    page.get_by_label("Nom du premier niveau au pluriel").fill("défis")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Contrat mis à jour.")).to_be_visible()
    page.get_by_role("link", name="Territoires : quartiers prioritaires et communes").click()
    page.get_by_label(empty_platform.qpv_label).check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_test_id("qpvs-table")).to_contain_text("Maurepas")
    _menu(page, "Structure du contrat")
    for label in NEW_AXES:
        page.get_by_test_id("add-axis").click()
        page.get_by_label("Libellé").fill(label)
        page.get_by_role("button", name="Ajouter").click()
    expect(page.get_by_test_id("axis-table").get_by_test_id("term-row")).to_have_count(6)

    # The conseil citoyen in the registry; a resident of it and the CAF's correspondent invited. (The pages above are
    # checked by test_contract_space; icons their quick succession left half-loaded are not problems of the next.)
    _settle(page)
    page_problems.clear()
    _menu(page, "Conseils citoyens")
    expect(heading).to_contain_text("Conseils citoyens")
    check(page, page_problems, "le registre des conseils citoyens (vide)")
    _settle(page)
    page.get_by_role("link", name="Inscrire un conseil citoyen").click()
    expect(heading).to_have_text("Inscrire un conseil citoyen")
    check(page, page_problems, "l'inscription d'un conseil citoyen")
    page.get_by_label("Nom du conseil citoyen").fill(COUNCIL)
    page.get_by_label(empty_platform.qpv_label).check()
    page.get_by_label("Forme juridique").select_option("association")
    _settle(page)
    page.get_by_role("button", name="Inscrire le conseil").click()
    expect(heading).to_have_text(COUNCIL)
    check(page, page_problems, "la page du conseil citoyen")
    resident_link = _invite(page, slug, RESIDENT_EMAIL, "council", COUNCIL)
    _invite(page, slug, PARTNER_EMAIL, "partner", "Préfecture d'Ille-et-Vilaine")
    _accept(page, resident_link, "Aïcha", "Traoré", PASSWORD)
    sign_in(page, PILOT_EMAIL, PILOT_PASSWORD)

    # Governance as the contract describes it: a local « conférence des financeurs », the steering committee with the
    # council seated, and a meeting that started a quarter of an hour ago.
    goto(page, reverse("governance:body_list", args=[slug]))
    page.get_by_role("link", name="Nouvelle instance").click()
    page.get_by_label("Nature de l'instance").select_option(label="instance locale")
    page.get_by_label("Nature propre au contrat (instance locale)").fill("conférence des financeurs")
    page.locator("input[name=name]").fill("Conférence des financeurs")
    _settle(page)
    page.get_by_role("button", name="Créer").click()
    expect(heading).to_have_text("Conférence des financeurs")
    check(page, page_problems, "une instance locale")
    goto(page, reverse("governance:body_list", args=[slug]))
    page.get_by_role("link", name="Nouvelle instance").click()
    page.get_by_label("Nature de l'instance").select_option(label="comité de pilotage")
    page.get_by_role("button", name="Créer").click()
    expect(heading).to_have_text("Comité de pilotage")
    for organization, role, person in (
        ("Préfecture d'Ille-et-Vilaine", "coprésident", "Amélie Puech, préfète"),
        (COUNCIL, "membre", "Aïcha Traoré"),
    ):
        page.get_by_role("link", name="Ajouter un membre").click()
        page.get_by_label("Organisation").select_option(label=organization)
        page.get_by_label("Rôle dans l'instance").select_option(label=role)
        page.get_by_label("Ou par une personne sans compte (nom et fonction)").fill(person)
        page.get_by_role("button", name="Ajouter", exact=True).click()
        expect(page.get_by_test_id("body-members")).to_contain_text(person)
        _settle(page)
    check(page, page_problems, "le comité de pilotage constitué")
    goto(page, reverse("governance:meeting_calendar", args=[slug]))
    page.get_by_role("link", name="Nouvelle séance — Comité de pilotage").click()
    starts_at = timezone.localtime(timezone.now() - timedelta(minutes=15))
    page.get_by_label("Intitulé").fill(MEETING)
    page.get_by_label("Début").fill(starts_at.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Lieu", exact=False).fill("Hôtel de Rennes Métropole")
    page.get_by_label("Ordre du jour").fill("Enjeux, orientations et plan d'actions de l'année")
    page.get_by_role("button", name="Programmer la séance").click()
    expect(heading).to_contain_text(MEETING)

    # A stake, submitted to the council; the resident gives an opinion.
    _settle(page)
    goto(page, reverse("diagnostic:stake_create", args=[slug]))
    expect(heading).to_have_text("Nouvel enjeu")
    check(page, page_problems, "le formulaire d'enjeu")
    page.locator("select[name=pillar]").select_option(label="Cohésion sociale")
    page.get_by_label("Intitulé de l'enjeu").fill(STAKE)
    page.get_by_role("button", name="Proposer l'enjeu").click()
    expect(heading).to_have_text(STAKE)
    stake_url = page.url
    goto(page, reverse("diagnostic:stake_list", args=[slug]))
    page.get_by_role("link", name="Soumettre aux conseils citoyens").click()
    expect(page.get_by_label(COUNCIL)).to_be_checked()
    page.get_by_label("Date limite des avis").fill((timezone.localdate() + timedelta(days=21)).isoformat())
    page.get_by_role("button", name="Soumettre aux conseils citoyens").click()
    expect(page.get_by_test_id("consultation-item")).to_contain_text(STAKE)
    sign_in(page, RESIDENT_EMAIL, PASSWORD)
    goto(page, reverse("diagnostic:overview", args=[slug]))
    page.get_by_test_id("council-open-consultations").get_by_role("link").first.click()
    page.get_by_role("link", name=re.compile("^Donner mon avis")).click()
    page.get_by_text("d'accord avec réserves", exact=True).click()
    page.get_by_label("Commentaire").fill(OPINION)
    _settle(page)
    page.get_by_role("button", name="Enregistrer mon avis").click()
    expect(page.get_by_test_id("my-opinion")).to_contain_text("d'accord avec réserves")
    check(page, page_problems, "l'avis du conseil citoyen")

    # The committee validates the stake; an orientation drawn from it, validated; an objective tied to two axes; an
    # action; the year's plan, validated.
    sign_in(page, PILOT_EMAIL, PILOT_PASSWORD)
    goto(page, stake_url)
    expect(page.get_by_test_id("stake-version-1").get_by_test_id("version-opinions")).to_contain_text(OPINION)
    _validate(page, page_problems, "diagnostic.stake", "l'enjeu de la réussite éducative")
    goto(page, reverse("strategy:orientation_create", args=[slug]))
    page.locator("select[name=pillar]").select_option(label="Cohésion sociale")
    page.get_by_label("Numéro").fill("1.1")
    page.get_by_label("Intitulé de l'orientation").fill(ORIENTATION)
    page.get_by_label(re.compile(re.escape(STAKE))).check()
    page.get_by_role("button", name="Créer l'orientation").click()
    expect(heading).to_have_text(ORIENTATION)
    orientation_url = page.url
    _validate(page, page_problems, "strategy.orientation", "l'orientation 1.1")
    goto(page, orientation_url)
    expect(page.get_by_test_id("validation-badge")).to_contain_text("validée par le comité de pilotage le")
    page.get_by_role("link", name="Ajouter un objectif").click()
    page.get_by_label("Numéro").fill("1.1.1")
    page.get_by_label("Intitulé de l'objectif").fill(OBJECTIVE)
    page.get_by_label("Jeunesse", exact=True).check()
    page.get_by_label("Numérique", exact=True).check()
    _settle(page)
    page.get_by_role("button", name="Créer l'objectif").click()
    expect(heading).to_have_text(OBJECTIVE)
    expect(page.get_by_role("main")).to_contain_text("Numérique")
    check(page, page_problems, "l'objectif lié à deux axes")
    page.get_by_role("link", name="Ajouter une action").click()
    page.get_by_label("Numéro").fill("1.1.1.a")
    page.get_by_label("Intitulé de l'action").fill(ACTION)
    page.get_by_role("button", name="Créer l'action").click()
    expect(heading).to_have_text(ACTION)
    goto(page, reverse("strategy:plan_create", args=[slug]))
    page.get_by_label(re.compile(re.escape(ACTION))).check()
    page.get_by_role("button", name="Créer le plan").click()
    expect(heading).to_have_text(f"Plan d'actions {year}")
    plan_url = page.url
    _validate(page, page_problems, "strategy.actionplan", f"le plan d'actions {year}")
    goto(page, plan_url)
    expect(page.get_by_test_id("plan-status")).to_have_text("validé")

    # The contract signed, then a fourth défi by avenant.
    goto(page, reverse("contracts:contract_settings", args=[slug]))
    page.get_by_role("link", name="Signataires et signature").click()
    for organization, kind in (("Préfecture d'Ille-et-Vilaine", "state"), ("Rennes Métropole", "epci")):
        page.get_by_test_id("add-signatory").click()
        page.get_by_label("Organisation").select_option(label=organization)
        page.get_by_label("Qualité").select_option(kind)
        page.get_by_role("button", name="Ajouter").click()
    page.get_by_label("Date de signature").fill(f"{year}-01-15")
    page.get_by_label("Pour Préfecture d'Ille-et-Vilaine (État)").fill("Amélie Puech, préfète")
    page.get_by_label("Pour Rennes Métropole (intercommunalité (EPCI))").fill("Nathalie Appéré, présidente")
    page.get_by_role("button", name="Enregistrer la signature").click()
    expect(page.get_by_text(re.compile(r"Le contrat a été signé le 15/01/"))).to_be_visible()
    goto(page, reverse("contracts:amendment_list", args=[slug]))
    page.get_by_test_id("add-amendment").click()
    page.get_by_label("Objet de l'avenant").fill("Avenant n° 1 : valeurs de la République")
    page.get_by_label("Signé le").fill(f"{year}-02-01")
    page.get_by_label("Défis ajoutés").fill(FOURTH)
    page.get_by_role("button", name="Enregistrer l'avenant").click()
    expect(page.get_by_test_id("amendment-changes")).to_contain_text(FOURTH)
    _settle(page)
    goto(page, reverse("contracts:contract_home", args=[slug]))
    check(page, page_problems, "l'accueil du contrat signé et amendé")

"""End-to-end scenario of the strategic tree and the yearly action plan (issue 5): under an orientation the steering
committee has validated, the pilot creates an operational objective and an action → creates this year's plan →
asks the steering committee to validate it (governance's decision form, object preselected) → the plan is « validé ».

Every page visited is checked with axe-core (WCAG 2.1 A/AA) and for failed sub-resources, console errors and
uncaught JS errors. The data comes from ``strategy_scenario``, created before the browser starts: the test body
never calls the ORM (see tests/e2e/conftest.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from contrat_ville.accounts.tests.factories import TEST_PASSWORD, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.strategy.tests.factories import add_qpv, copil_meeting, decide, make_orientation
from tests.e2e.helpers import PageProblems, check, goto, sign_in

pytestmark = [pytest.mark.browser]


@dataclass(frozen=True)
class StrategyScenario:
    """Plain values about the data ``strategy_scenario`` created (no model instances)."""

    pilot_email: str
    pilot_password: str
    slug: str
    orientation_title: str
    qpv_label: str
    territory_label: str
    meeting_label: str
    year: int


@pytest.fixture
def strategy_scenario(db: None) -> StrategyScenario:
    """A contract with one QPV, its pilot, a held meeting of the steering committee and an orientation of the
    « cadre de vie » pillar that this committee validated (the seed's second worked example)."""
    contract = make_contract(name="Contrat de ville de la Vallée")
    qpv = add_qpv(contract, code="QN09650M", name="Les Glycines")
    pilot = UserFactory.create(email="pilote-strategie@exemple.test", first_name="Élise", last_name="Marchand")
    grant(contract, pilot, Role.PILOT)
    meeting = copil_meeting(contract, days_ago=2)
    orientation = make_orientation(contract, title="Améliorer la sécurité des habitants", code="2.1")
    decide(orientation, meeting=meeting, text="Le comité de pilotage valide l'orientation.", by=pilot)
    return StrategyScenario(
        pilot_email=pilot.email,
        pilot_password=TEST_PASSWORD,
        slug=contract.slug,
        orientation_title=orientation.title,
        qpv_label=f"{qpv.name} ({qpv.code})",
        territory_label=f"{qpv.name} (QPV {qpv.code})",
        meeting_label=f"{meeting.title} — {meeting.starts_at:%d/%m/%Y}",
        year=timezone.localdate().year,
    )


def test_pilot_builds_an_objective_an_action_and_has_the_plan_validated(
    strategy_scenario: StrategyScenario, page: Page, page_problems: PageProblems
) -> None:
    scenario = strategy_scenario
    sidemenu = page.get_by_test_id("contract-sidemenu")
    main = page.get_by_role("main")
    sign_in(page, scenario.pilot_email, scenario.pilot_password)

    # The tree: the orientation is marked as validated by the steering committee.
    goto(page, reverse("contracts:contract_home", args=[scenario.slug]))
    sidemenu.get_by_role("link", name="Stratégie", exact=True).click()
    expect(page).to_have_url(reverse("strategy:tree", args=[scenario.slug]))
    orientation = page.get_by_test_id("tree-orientation")
    expect(orientation).to_contain_text(scenario.orientation_title)
    expect(orientation).to_contain_text("validée par le comité de pilotage")
    check(page, page_problems, "l'arbre stratégique")

    # An operational objective under it, with an indicator, a baseline and a target.
    orientation.get_by_role("link", name=re.compile(scenario.orientation_title)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(scenario.orientation_title)
    check(page, page_problems, "la page de l'orientation")
    page.get_by_role("link", name="Ajouter un objectif").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvel objectif opérationnel")
    check(page, page_problems, "le formulaire d'objectif")
    page.get_by_label("Numéro").fill("2.1.1")
    page.get_by_label("Intitulé de l'objectif").fill("Réduire les incivilités dans les halls d'immeuble")
    page.get_by_label("Ou indicateur en texte libre").fill("Nombre d'incivilités signalées dans les halls")
    page.get_by_label("Territoire de mesure").select_option(label=scenario.territory_label)
    page.get_by_label("Valeur de référence").fill("120")
    page.get_by_label("Année de référence").fill("2022")
    page.get_by_label("Valeur cible").fill("60")
    page.get_by_label("Année cible").fill("2030")
    page.get_by_role("button", name="Créer l'objectif").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Réduire les incivilités dans les halls d'immeuble")
    expect(page.get_by_test_id("objective-measure")).to_contain_text("non mesurable")
    check(page, page_problems, "la page de l'objectif")

    # An action serving the objective, in the neighbourhood.
    page.get_by_role("link", name="Ajouter une action").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle action")
    check(page, page_problems, "le formulaire d'action")
    page.get_by_label("Intitulé de l'action").fill(
        "Mettre en place des correspondants de nuit, des mesures de médiation sociale"
    )
    page.get_by_label("Référent (nom, fonction)").fill("Karim Benali, chef de projet médiation")
    page.get_by_label(scenario.qpv_label).check()
    page.get_by_label("Jeunesse").check()
    page.get_by_label("Avancement (%)").fill("10")
    page.get_by_role("combobox", name="État", exact=True).select_option(label="en cours")
    page.get_by_role("button", name="Créer l'action").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Mettre en place des correspondants de nuit, des mesures de médiation sociale"
    )
    expect(page.get_by_test_id("action-facts")).to_contain_text("Les Glycines")
    check(page, page_problems, "la page de l'action")

    # This year's plan, with the action.
    sidemenu.get_by_role("link", name="Plans d'actions", exact=True).click()
    expect(page).to_have_url(reverse("strategy:plan_list", args=[scenario.slug]))
    check(page, page_problems, "la liste des plans d'actions (vide)")
    page.get_by_role("link", name="Nouveau plan d'actions").click()
    check(page, page_problems, "le formulaire de plan d'actions")
    page.get_by_label("Année du plan").fill(str(scenario.year))
    page.get_by_label(re.compile("correspondants de nuit")).check()
    page.get_by_role("button", name="Créer le plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Plan d'actions {scenario.year}")
    expect(page.get_by_test_id("plan-status")).to_have_text("en préparation")
    expect(page.get_by_test_id("plan-items")).to_contain_text("correspondants de nuit")
    check(page, page_problems, "la page du plan en préparation")
    plan_url = page.url

    # « Faire valider par le comité de pilotage »: governance's decision form, with the plan preselected.
    validation = page.get_by_test_id("validation-request")
    validation.get_by_label("Séance du comité de pilotage").select_option(label=scenario.meeting_label)
    validation.get_by_role("button", name="Faire valider par le comité de pilotage").click()
    expect(page).to_have_url(re.compile(r"/decisions/nouvelle/\?cible=strategy\.actionplan"))
    expect(page.get_by_label("Objet de la décision")).to_have_value(re.compile(r"^strategy\.actionplan:\d+$"))
    check(page, page_problems, "le formulaire de décision sur le plan")
    page.get_by_label("Sens de la décision").select_option(label="validé")
    page.get_by_label("Texte de la décision").fill(f"Le comité de pilotage valide le plan d'actions {scenario.year}.")
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(main).to_contain_text(f"Le comité de pilotage valide le plan d'actions {scenario.year}.")

    # The plan is validated: frozen, with the decision in its history.
    page.goto(plan_url)
    expect(page.get_by_test_id("plan-status")).to_have_text("validé")
    expect(page.get_by_test_id("plan-validated")).to_be_visible()
    expect(page.get_by_test_id("decision-history")).to_contain_text("Le comité de pilotage valide le plan")
    expect(main.get_by_role("button", name=re.compile("^Retirer"))).to_have_count(0)
    check(page, page_problems, "la page du plan validé")
    page.get_by_role("link", name="Évolutions depuis l'année précédente").click()
    expect(page.get_by_test_id("comparison-added")).to_contain_text("correspondants de nuit")
    check(page, page_problems, "la comparaison avec l'année précédente")

"""End-to-end scenario of the evaluation (issue 12 §5), from an empty database: the pilot plans a mid-term evaluation,
adds an evaluative question linked to an operational objective, has the steering committee validate it (governance's
decision form, question preselected), then records the findings and completes the evaluation.

Every page visited is checked with axe-core (WCAG 2.1 A/AA) and for failed sub-resources, console errors and uncaught
JS errors. The data comes from ``evaluation_scenario``, created before the browser starts: the test body never calls
the ORM (see tests/e2e/conftest.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from contrat_ville.accounts.tests.factories import TEST_PASSWORD, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.strategy.tests.factories import copil_meeting, make_objective, make_orientation
from tests.e2e.helpers import PageProblems, check, goto, sign_in

pytestmark = [pytest.mark.browser]


@dataclass(frozen=True)
class EvaluationScenario:
    pilot_email: str
    pilot_password: str
    slug: str
    objective_title: str
    meeting_label: str


@pytest.fixture
def evaluation_scenario(db: None) -> EvaluationScenario:
    """A contract with its pilot, an operational objective of the employment pillar and a held meeting of the
    steering committee."""
    contract = make_contract(name="Contrat de ville de la Vallée")
    pilot = UserFactory.create(email="pilote-evaluation@exemple.test", first_name="Élise", last_name="Marchand")
    grant(contract, pilot, Role.PILOT)
    meeting = copil_meeting(contract, days_ago=2)
    orientation = make_orientation(
        contract, title="Favoriser l'accès à l'emploi", code="3.1", pillar_code="developpement_economique"
    )
    objective = make_objective(orientation, title="Réduire le chômage des jeunes des quartiers", code="3.1.1")
    return EvaluationScenario(
        pilot_email=pilot.email,
        pilot_password=TEST_PASSWORD,
        slug=contract.slug,
        objective_title=objective.title,
        meeting_label=f"{meeting.title} — {meeting.starts_at:%d/%m/%Y}",
    )


def test_pilot_plans_an_evaluation_has_its_question_validated_and_records_the_findings(
    evaluation_scenario: EvaluationScenario, page: Page, page_problems: PageProblems
) -> None:
    scenario = evaluation_scenario
    main = page.get_by_role("main")
    sign_in(page, scenario.pilot_email, scenario.pilot_password)

    # The menu entry, and the empty list.
    goto(page, reverse("contracts:contract_home", args=[scenario.slug]))
    page.get_by_test_id("contract-sidemenu").get_by_role("link", name="Évaluation", exact=True).click()
    expect(page).to_have_url(reverse("reporting:evaluation_list", args=[scenario.slug]))
    expect(page.get_by_test_id("evaluation-list")).to_contain_text("Aucune évaluation programmée pour l'instant.")
    check(page, page_problems, "la page de l'évaluation (vide)")

    # A mid-term evaluation: owner, calendar, budget. An end before its start is refused first.
    page.get_by_role("link", name="Nouvelle évaluation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle évaluation")
    check(page, page_problems, "le formulaire d'évaluation")
    page.get_by_label("Type d'évaluation").select_option(label="évaluation à mi-parcours")
    page.get_by_label("Intitulé de l'évaluation").fill("Évaluation à mi-parcours du contrat")
    page.get_by_label("Évaluateur externe").fill("Cabinet Territoires Conseil")
    page.get_by_label("Début prévu").fill("2027-09-01")
    page.get_by_label("Fin prévue").fill("2027-01-15")
    page.get_by_label("Budget (euros)").fill("45000")
    page.get_by_role("button", name="Programmer l'évaluation").click()
    expect(main).to_contain_text("La fin prévue de l'évaluation doit suivre son début prévu.")
    check(page, page_problems, "le formulaire d'évaluation refusé")
    page.get_by_label("Début prévu").fill("2027-01-15")
    page.get_by_label("Fin prévue").fill("2027-09-30")
    page.get_by_role("button", name="Programmer l'évaluation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Évaluation à mi-parcours du contrat")
    expect(page.get_by_test_id("evaluation-status")).to_have_text("prévue")
    expect(page.get_by_test_id("evaluation-facts")).to_contain_text("Cabinet Territoires Conseil")
    check(page, page_problems, "la page de l'évaluation")

    # An evaluative question on the contract's objective.
    page.get_by_role("link", name="Ajouter une question évaluative").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle question évaluative")
    check(page, page_problems, "le formulaire de question évaluative")
    page.get_by_label("Question évaluative").fill("Le contrat a-t-il réduit le chômage des jeunes des quartiers ?")
    page.get_by_label(re.compile(scenario.objective_title)).check()
    page.get_by_role("button", name="Ajouter la question").click()
    question = page.get_by_test_id("evaluation-question")
    expect(question).to_contain_text("Le contrat a-t-il réduit le chômage des jeunes des quartiers ?")
    expect(question).to_contain_text(scenario.objective_title)
    expect(page.get_by_test_id("question-validation")).to_contain_text("non validée")
    check(page, page_problems, "la page de l'évaluation avec sa question")
    evaluation_url = page.url

    # « Faire valider par le comité de pilotage »: governance's decision form, the question preselected.
    validation = page.get_by_test_id("validation-request")
    validation.get_by_label("Objet à faire valider").select_option(
        label="Question 1 : Le contrat a-t-il réduit le chômage des jeunes des quartiers ?"
    )
    validation.get_by_label("Séance du comité de pilotage").select_option(label=scenario.meeting_label)
    validation.get_by_role("button", name="Faire valider par le comité de pilotage").click()
    expect(page).to_have_url(re.compile(r"/decisions/nouvelle/\?cible=reporting\.evaluativequestion"))
    expect(page.get_by_label("Objet de la décision")).to_have_value(re.compile(r"^reporting\.evaluativequestion:\d+$"))
    check(page, page_problems, "le formulaire de décision sur la question")
    page.get_by_label("Sens de la décision").select_option(label="validé")
    page.get_by_label("Texte de la décision").fill("Le comité de pilotage valide la question évaluative.")
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(main).to_contain_text("Le comité de pilotage valide la question évaluative.")
    page.goto(evaluation_url)
    expect(page.get_by_test_id("question-validation")).not_to_contain_text("non")

    # The findings complete the evaluation.
    page.get_by_role("link", name="Consigner les constats").click()
    check(page, page_problems, "le formulaire des constats")
    page.get_by_role("textbox", name="Constats").fill(
        "Le chômage des jeunes recule plus vite que dans l'agglomération."
    )
    page.get_by_label("Recommandations").fill("Renforcer l'accompagnement des jeunes sans diplôme.")
    page.locator('label[for="id_completed"]').click()  # « L'évaluation est achevée »: the DSFR label covers its box
    page.get_by_role("button", name="Enregistrer les constats").click()
    expect(page.get_by_test_id("evaluation-status")).to_have_text("achevée")
    expect(page.get_by_test_id("evaluation-findings")).to_contain_text("Le chômage des jeunes recule plus vite")
    check(page, page_problems, "la page de l'évaluation achevée")

    # The list: calendar, status, validated questions.
    page.get_by_role("link", name="Évaluation", exact=True).first.click()
    expect(page.get_by_test_id("evaluation-list")).to_contain_text("1 sur 1")
    check(page, page_problems, "la page de l'évaluation")

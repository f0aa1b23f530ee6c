"""End-to-end scenario of the elaboration (issue 5): the pilot submits a stake to a conseil citoyen → a member of the
council gives an opinion → the pilot redefines the stake with the opinion beside it → the steering committee
validates it (governance's decision form, opened with ``?cible=``) → the pilot draws an orientation from it, which
the committee validates → the pilot creates an operational objective and an action under it → creates the year's
action plan with the action → the committee validates the plan → the plan shows « validé ».

The orientation, objective and action are the seed's first worked example (pilier « cohésion sociale »), typed
through the forms word for word. Every page visited is checked with axe-core (WCAG 2.1 A/AA) and for failed
sub-resources, console errors and uncaught JS errors. The data comes from ``elaboration_scenario``, created through
the services before the browser starts: the test body never calls the ORM (see tests/e2e/conftest.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.services import organization_get_or_create
from contrat_ville.accounts.tests.factories import TEST_PASSWORD, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.models import Pillar, TransversalAxis
from contrat_ville.contracts.services import contract_set_qpvs
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.diagnostic.enums import FindingKind
from contrat_ville.diagnostic.services import data_source_create, finding_create, stake_create
from contrat_ville.governance.enums import AttendanceStatus, BodyKind, MemberRole
from contrat_ville.governance.models import BodyMember
from contrat_ville.governance.services.bodies import body_create, body_member_add
from contrat_ville.governance.services.meetings import attendance_record, meeting_schedule
from contrat_ville.observation.services import catalogue_load
from contrat_ville.territories.models import TerritoryLink
from contrat_ville.territories.tests.factories import TerritoryFactory, square
from tests.e2e.helpers import PageProblems, check, goto, sign_in

pytestmark = [pytest.mark.browser]

STAKE_TITLE = "La réussite scolaire des collégiens des quartiers prioritaires"
REDEFINED_TITLE = "La réussite scolaire des collégiens des quartiers prioritaires, avec leurs parents"
OPINION_TEXT = "Il faut associer les parents, surtout ceux qui ne maîtrisent pas bien le français."
REASON = "Avis du conseil citoyen des Coquelicots : associer les parents."
# Seed 004, « Exemples de déclinaison orientation/objectif/plan d'actions », pilier « cohésion sociale ».
ORIENTATION = "Améliorer le taux de réussite des élèves des quartiers prioritaires au brevet des collèges"
OBJECTIVE = "Faire progresser le taux de réussite au brevet des collèges de x%"
ACTION = (
    "Mobiliser ou réorienter les dispositifs de droit commun existants et/ou les dispositifs spécifiques (PRE...) "
    "sur des établissements ciblés"
)


@dataclass(frozen=True)
class ElaborationScenario:
    """Plain values about the data ``elaboration_scenario`` created (no model instances)."""

    slug: str
    pilot_email: str
    resident_email: str
    password: str
    council_name: str
    lead_name: str
    qpv_label: str  # a checkbox of the action form
    qpv_territory_label: str  # an option of the objective's « territoire de mesure »
    meeting_title: str
    deadline: str
    year: int
    stake_id: int


@pytest.fixture
def elaboration_scenario(db: None) -> ElaborationScenario:
    """A contract with its QPV; the EPCI, a conseil citoyen and the Éducation nationale as organisations; the pilot
    and a council member; a steering committee (the council seated) whose meeting started an hour ago; the
    indicator catalogue; and a stake of the « cohésion sociale » pillar proposed from a finding and its source."""
    epci = TerritoryFactory.create(
        epci=True, code="200099970", name="Communauté des Coquelicots", geometry=square(5.0, 45.0, 0.2)
    )
    commune = TerritoryFactory.create(code="96970", name="Bourg-les-Coquelicots", geometry=square(5.02, 45.02, 0.1))
    TerritoryLink.objects.create(parent=epci, child=commune)
    qpv = TerritoryFactory.create(
        qpv=True, code="QN09670M", name="Les Coquelicots", geometry=square(5.03, 45.03, 0.02)
    )
    TerritoryLink.objects.create(parent=commune, child=qpv)
    contract = make_contract(name="Contrat de ville des Coquelicots", epci=epci)
    contract_set_qpvs(contract=contract, qpvs=[qpv])

    epci_org = organization_get_or_create(name=epci.name, kind=OrganizationKind.LOCAL_AUTHORITY)
    council = organization_get_or_create(name="Conseil citoyen des Coquelicots", kind=OrganizationKind.CITIZEN_COUNCIL)
    education = organization_get_or_create(
        name="Direction des services départementaux de l'Éducation nationale",
        kind=OrganizationKind.STATE_SERVICE,
        acronym="DASEN",
    )
    pilot = UserFactory.create(
        email="pilote-elaboration@exemple.test", first_name="Élise", last_name="Marchand", organization=epci_org
    )
    grant(contract, pilot, Role.PILOT)
    resident = UserFactory.create(
        email="conseil-coquelicots@exemple.test", first_name="Nadia", last_name="Benali", organization=council
    )
    grant(contract, resident, Role.COUNCIL)

    committee = body_create(contract=contract, kind=BodyKind.STEERING_COMMITTEE, by=pilot)
    body_member_add(
        body=committee, organization=epci_org, role=MemberRole.CO_CHAIR, user=pilot, person_name="", by=pilot
    )
    body_member_add(body=committee, organization=council, role=MemberRole.MEMBER, person_name="Nadia Benali", by=pilot)
    starts_at = timezone.now() - timedelta(hours=1)
    meeting = meeting_schedule(
        body=committee,
        title="Comité de pilotage de validation des enjeux, des orientations et du plan d'actions",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        location="Hôtel de communauté, salle du conseil",
        by=pilot,
    )
    seats = BodyMember.objects.filter(body=committee).values_list("pk", flat=True)
    attendance_record(meeting=meeting, entries=dict.fromkeys(seats, (AttendanceStatus.PRESENT, "")), by=pilot)
    catalogue_load()

    social = Pillar.objects.get(contract=contract, code="cohesion_sociale")
    source = data_source_create(
        contract=contract,
        pillar=social,
        producer="DEPP",
        dataset="Résultats au diplôme national du brevet",
        level="collège, QPV",
        year=2024,
        by=pilot,
    )
    finding = finding_create(
        contract=contract,
        pillar=social,
        territory=qpv,
        kind=FindingKind.HANDICAP,
        text="Le taux de réussite au brevet des collégiens du quartier est inférieur de neuf points à celui de "
        "l'agglomération.",
        data_sources=[source],
        by=pilot,
    )
    stake = stake_create(
        contract=contract,
        pillar=social,
        title=STAKE_TITLE,
        description="Mobiliser l'éducation prioritaire et le programme de réussite éducative.",
        axes=list(TransversalAxis.objects.filter(contract=contract, code="jeunesse")),
        findings=[finding],
        mainstream=[(education, "Réseau d'éducation prioritaire et dispositif « Devoirs faits »")],
        by=pilot,
    )
    return ElaborationScenario(
        slug=contract.slug,
        pilot_email=pilot.email,
        resident_email=resident.email,
        password=TEST_PASSWORD,
        council_name=council.name,
        lead_name=str(education),
        qpv_label=f"{qpv.name} ({qpv.code})",
        qpv_territory_label=f"{qpv.name} (QPV {qpv.code})",
        meeting_title=meeting.title,
        deadline=(timezone.localdate() + timedelta(days=21)).isoformat(),
        year=timezone.localdate().year,
        stake_id=stake.pk,
    )


def ask_validation(page: Page, problems: PageProblems, scenario: ElaborationScenario, cible: str, where: str) -> None:
    """« Faire valider par le comité de pilotage » (the request form of the current page) → governance's decision
    form, object preselected → « validé »."""
    form = page.get_by_test_id("validation-request")
    meeting_select = form.get_by_label("Séance du comité de pilotage")
    option = meeting_select.get_by_role("option", name=re.compile(re.escape(scenario.meeting_title)))
    meeting_select.select_option(value=option.get_attribute("value"))
    form.get_by_role("button", name="Faire valider par le comité de pilotage").click()
    expect(page).to_have_url(re.compile(r"/decisions/nouvelle/\?cible=" + re.escape(cible)))
    expect(page.get_by_label("Objet de la décision")).to_have_value(re.compile("^" + re.escape(cible) + ":"))
    check(page, problems, f"le formulaire de décision ({where})")
    page.get_by_label("Sens de la décision").select_option(label="validé")
    text = f"Le comité de pilotage valide {where}."
    page.get_by_label("Texte de la décision").fill(text)
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_role("main")).to_contain_text(text)
    check(page, problems, f"la décision ({where})")


def test_from_the_debate_of_a_stake_to_a_validated_action_plan(
    elaboration_scenario: ElaborationScenario, page: Page, page_problems: PageProblems
) -> None:
    scenario = elaboration_scenario
    slug = scenario.slug
    stake_url = reverse("diagnostic:stake_detail", args=[slug, scenario.stake_id])
    sidemenu = page.get_by_test_id("contract-sidemenu")
    heading = page.get_by_role("heading", level=1)

    # 1. The pilot submits the stake to the conseil citoyen.
    sign_in(page, scenario.pilot_email, scenario.password)
    goto(page, reverse("contracts:contract_home", args=[slug]))
    check(page, page_problems, "l'accueil du contrat")
    sidemenu.get_by_role("link", name="Diagnostic", exact=True).click()
    expect(heading).to_have_text("Diagnostic participatif")
    check(page, page_problems, "la vue d'ensemble du diagnostic")
    page.get_by_test_id("diagnostic-nav").get_by_role("link", name="Enjeux").click()
    expect(page.get_by_test_id("stake-row")).to_contain_text("non validé par le comité de pilotage")
    check(page, page_problems, "la liste des enjeux")
    page.get_by_role("link", name="Soumettre aux conseils citoyens").click()
    expect(heading).to_have_text("Soumettre aux conseils citoyens")
    check(page, page_problems, "le formulaire de consultation")
    expect(page.get_by_label(scenario.council_name)).to_be_checked()
    expect(page.get_by_label(re.compile(re.escape(STAKE_TITLE)))).to_be_checked()
    page.get_by_label("Date limite des avis").fill(scenario.deadline)
    page.get_by_role("button", name="Soumettre aux conseils citoyens").click()
    expect(heading).to_have_text("Mise en débat des enjeux du diagnostic")
    expect(page.get_by_test_id("consultation-item")).to_contain_text(STAKE_TITLE)
    check(page, page_problems, "la consultation (pilote)")

    # 2. A member of the council logs in and gives an opinion.
    sign_in(page, scenario.resident_email, scenario.password)
    goto(page, reverse("diagnostic:overview", args=[slug]))
    open_consultations = page.get_by_test_id("council-open-consultations")
    check(page, page_problems, "la vue d'ensemble (membre du conseil citoyen)")
    open_consultations.get_by_role("link", name="Mise en débat des enjeux du diagnostic").click()
    check(page, page_problems, "la consultation (membre du conseil citoyen)")
    page.get_by_role("link", name=re.compile("^Donner mon avis")).click()
    expect(heading).to_contain_text("Avis sur")
    check(page, page_problems, "le formulaire d'avis")
    page.get_by_text("d'accord avec réserves", exact=True).click()
    page.get_by_label("Commentaire").fill(OPINION_TEXT)
    page.get_by_role("button", name="Enregistrer mon avis").click()
    expect(page.get_by_test_id("my-opinion")).to_contain_text("d'accord avec réserves")
    check(page, page_problems, "la consultation après l'avis")

    # 3. The pilot redefines the stake, the opinion beside it.
    sign_in(page, scenario.pilot_email, scenario.password)
    goto(page, stake_url)
    expect(page.get_by_test_id("stake-version-1").get_by_test_id("version-opinions")).to_contain_text(OPINION_TEXT)
    check(page, page_problems, "l'enjeu soumis")
    page.get_by_role("link", name="Redéfinir l'enjeu").click()
    expect(page.get_by_test_id("redefine-opinions-v1")).to_contain_text(OPINION_TEXT)
    check(page, page_problems, "le formulaire de redéfinition")
    page.get_by_label("Intitulé de l'enjeu").fill(REDEFINED_TITLE)
    page.get_by_label("Motif de la redéfinition").fill(REASON)
    page.get_by_role("button", name="Redéfinir l'enjeu").click()
    expect(heading).to_have_text(REDEFINED_TITLE)
    expect(page.get_by_test_id("stake-status")).to_have_text("redéfini")
    expect(page.get_by_test_id("stake-version-2")).to_contain_text("associer les parents")
    check(page, page_problems, "l'enjeu redéfini")

    # 4. The steering committee validates the stake.
    ask_validation(page, page_problems, scenario, "diagnostic.stake", "l'enjeu de la réussite scolaire")
    goto(page, stake_url)
    expect(page.get_by_test_id("stake-status")).to_have_text("retenu")
    expect(page.get_by_test_id("stake-validated")).to_have_text("validé par le comité de pilotage")
    check(page, page_problems, "l'enjeu retenu")

    # 5. The pilot draws an orientation from it; the committee validates it.
    sidemenu.get_by_role("link", name="Stratégie", exact=True).click()
    expect(page).to_have_url(reverse("strategy:tree", args=[slug]))
    check(page, page_problems, "l'arbre stratégique (vide)")
    page.get_by_role("link", name="Nouvelle orientation").click()
    expect(heading).to_have_text("Nouvelle orientation stratégique")
    check(page, page_problems, "le formulaire d'orientation")
    page.get_by_role("combobox", name=re.compile("^Pilier")).select_option(label="Cohésion sociale")
    page.get_by_label("Numéro").fill("1.1")
    page.get_by_label("Intitulé de l'orientation").fill(ORIENTATION)
    page.get_by_label(re.compile(re.escape(REDEFINED_TITLE))).check()
    page.get_by_role("button", name="Créer l'orientation").click()
    expect(heading).to_have_text(ORIENTATION)
    expect(page.get_by_test_id("validation-badge")).to_have_text("non validée par le comité de pilotage")
    expect(page.get_by_test_id("orientation-stakes")).to_contain_text(REDEFINED_TITLE)
    check(page, page_problems, "l'orientation non validée")
    orientation_url = page.url
    ask_validation(page, page_problems, scenario, "strategy.orientation", "l'orientation 1.1")
    goto(page, orientation_url)
    expect(page.get_by_test_id("validation-badge")).to_contain_text("validée par le comité de pilotage le")

    # 6. An operational objective and an action under the validated orientation.
    page.get_by_role("link", name="Ajouter un objectif").click()
    expect(heading).to_have_text("Nouvel objectif opérationnel")
    check(page, page_problems, "le formulaire d'objectif")
    page.get_by_label("Numéro").fill("1.1.1")
    page.get_by_label("Intitulé de l'objectif").fill(OBJECTIVE)
    page.get_by_label("Description").fill("Dans ce scénario, x % vaut 8 points : de 76,7 % (2024) à 84,7 % en 2030.")
    page.get_by_label("Indicateur du catalogue").select_option(
        label="CS-08 — Taux de réussite au diplôme national du brevet (%)"
    )
    page.get_by_label("Territoire de mesure").select_option(label=scenario.qpv_territory_label)
    page.get_by_label("Valeur de référence").fill("76,7")
    page.get_by_label("Année de référence").fill("2024")
    page.get_by_label("Valeur cible").fill("84,7")
    page.get_by_label("Année cible").fill("2030")
    page.get_by_role("button", name="Créer l'objectif").click()
    expect(heading).to_have_text(OBJECTIVE)
    expect(page.get_by_test_id("objective-measure")).to_contain_text("CS-08")
    check(page, page_problems, "l'objectif")

    page.get_by_role("link", name="Ajouter une action").click()
    check(page, page_problems, "le formulaire d'action")
    page.get_by_label("Numéro").fill("1.1.1.a")
    page.get_by_label("Intitulé de l'action").fill(ACTION)
    page.get_by_label("Pilote de l'action (organisation)").select_option(label=scenario.lead_name)
    page.get_by_label("Référent (nom, fonction)").fill("Catherine Morel, directrice académique adjointe")
    page.get_by_label(scenario.qpv_label).check()
    page.get_by_label("Jeunesse", exact=True).check()
    page.get_by_label(re.compile(r"^\s*Début\b")).fill(f"{scenario.year}-01-01")
    page.get_by_label(re.compile(r"^\s*Fin\b")).fill(f"{scenario.year}-12-31")
    page.get_by_label(re.compile(r"^\s*État\b")).select_option(label="en cours")
    page.get_by_label("Avancement (%)").fill("10")
    page.get_by_role("button", name="Créer l'action").click()
    expect(heading).to_have_text(ACTION)
    expect(page.get_by_test_id("action-facts")).to_contain_text(scenario.lead_name)
    check(page, page_problems, "l'action")

    # 7. The year's action plan with the action; the committee validates it.
    sidemenu.get_by_role("link", name="Plans d'actions", exact=True).click()
    check(page, page_problems, "la liste des plans d'actions (vide)")
    page.get_by_role("link", name="Nouveau plan d'actions").click()
    expect(heading).to_have_text("Nouveau plan d'actions annuel")
    check(page, page_problems, "le formulaire de plan d'actions")
    expect(page.get_by_label("Année du plan")).to_have_value(str(scenario.year))
    page.get_by_label(re.compile(re.escape(ACTION))).check()
    page.get_by_role("button", name="Créer le plan").click()
    expect(heading).to_have_text(f"Plan d'actions {scenario.year}")
    expect(page.get_by_test_id("plan-status")).to_have_text("en préparation")
    expect(page.get_by_test_id("plan-items")).to_contain_text(ACTION)
    check(page, page_problems, "le plan d'actions en préparation")
    plan_url = page.url
    ask_validation(page, page_problems, scenario, "strategy.actionplan", f"le plan d'actions {scenario.year}")

    # 8. The plan is validated, its items frozen; the tree shows the validated branch.
    goto(page, plan_url)
    expect(page.get_by_test_id("plan-status")).to_have_text("validé")
    expect(page.get_by_test_id("plan-validated")).to_be_visible()
    expect(page.get_by_test_id("plan-items")).to_contain_text("en cours")
    check(page, page_problems, "le plan d'actions validé")
    goto(page, reverse("strategy:tree", args=[slug]))
    orientation = page.get_by_test_id("tree-orientation")
    expect(orientation).to_contain_text(ORIENTATION)
    expect(orientation).to_contain_text(OBJECTIVE)
    expect(orientation.get_by_test_id("tree-action")).to_contain_text(ACTION)
    expect(orientation.get_by_test_id("validation-badge")).to_contain_text("validée par le comité de pilotage")
    check(page, page_problems, "l'arbre stratégique validé")

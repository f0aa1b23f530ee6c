"""End-to-end scenario of the participatory diagnostic (issue 5, parts 1-3): the pilot submits a stake to a conseil
citoyen → a council member gives an opinion → the pilot redefines the stake with the opinion beside it → a decision
of the steering committee validates it (through the governance decision form, opened with ``?cible=``) → the stake
shows « retenu » and « validé par le comité de pilotage ».

Every page visited is checked with axe-core (WCAG 2.1 A/AA) and for failed sub-resources, console errors and
uncaught JS errors. The data comes from ``diagnostic_scenario``, created before the browser starts: the test body
never calls the ORM (see tests/e2e/conftest.py).
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
from contrat_ville.accounts.tests.factories import TEST_PASSWORD, OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.models import Pillar, TransversalAxis
from contrat_ville.contracts.services import contract_set_qpvs
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.diagnostic.enums import FindingKind
from contrat_ville.diagnostic.services.inventory import data_source_create, finding_create
from contrat_ville.diagnostic.services.stakes import stake_create
from contrat_ville.governance.enums import BodyKind, MeetingStatus, MemberRole
from contrat_ville.governance.models import Body, BodyMember, Meeting
from contrat_ville.territories.tests.factories import TerritoryFactory, square
from tests.e2e.helpers import PageProblems, check, goto, sign_in

pytestmark = [pytest.mark.browser]

STAKE_TITLE = "Améliorer le taux de réussite des élèves des quartiers prioritaires au brevet des collèges"
REDEFINED_TITLE = "Améliorer la réussite au brevet des filles et des garçons des quartiers prioritaires"
OPINION_TEXT = "Le conseil citoyen demande que l'accompagnement concerne aussi les parents."


@dataclass(frozen=True)
class DiagnosticScenario:
    """Plain values about the data ``diagnostic_scenario`` created (no model instances)."""

    slug: str
    pilot_email: str
    resident_email: str
    password: str
    council_name: str
    meeting_title: str
    deadline: str
    stake_id: int


@pytest.fixture
def diagnostic_scenario(db: None) -> DiagnosticScenario:
    """A contract with its QPV, a conseil citoyen seated in the steering committee, one of its members, the pilot,
    a held COPIL meeting, and a stake of the « cohésion sociale » pillar proposed from a finding."""
    epci = TerritoryFactory.create(epci=True, name="Communauté du Val d'Orge", geometry=square(5.0, 45.0, 0.2))
    qpv = TerritoryFactory.create(qpv=True, code="QN09660M", name="Les Aubépines", geometry=square(5.03, 45.03, 0.02))
    contract = make_contract(name="Contrat de ville du Val d'Orge", epci=epci)
    contract_set_qpvs(contract=contract, qpvs=[qpv])
    council = OrganizationFactory.create(name="Conseil citoyen des Aubépines", kind=OrganizationKind.CITIZEN_COUNCIL)
    epci_org = OrganizationFactory.create(name=epci.name, kind=OrganizationKind.LOCAL_AUTHORITY)
    pilot = UserFactory.create(
        email="pilote-diagnostic@exemple.test", first_name="Élise", last_name="Marchand", organization=epci_org
    )
    grant(contract, pilot, Role.PILOT)
    resident = UserFactory.create(
        email="conseil-aubepines@exemple.test", first_name="Fatou", last_name="Ndiaye", organization=council
    )
    grant(contract, resident, Role.COUNCIL)
    committee = Body.objects.create(contract=contract, kind=BodyKind.STEERING_COMMITTEE, name="Comité de pilotage")
    BodyMember.objects.create(body=committee, organization=council, role=MemberRole.MEMBER)
    meeting = Meeting.objects.create(
        body=committee,
        title="Comité de pilotage de validation des enjeux",
        starts_at=timezone.now() - timedelta(hours=1),
        status=MeetingStatus.HELD,
    )
    social = Pillar.objects.get(contract=contract, code="cohesion_sociale")
    source = data_source_create(
        contract=contract, pillar=social, producer="DEPP", dataset="Résultats au diplôme national du brevet", by=pilot
    )
    finding = finding_create(
        contract=contract,
        pillar=social,
        territory=qpv,
        kind=FindingKind.HANDICAP,
        text="Le taux de réussite au brevet des collégiens du quartier est inférieur de 15 points à celui de "
        "l'agglomération.",
        data_sources=[source],
        by=pilot,
    )
    stake = stake_create(
        contract=contract,
        pillar=social,
        title=STAKE_TITLE,
        description="Mobiliser les dispositifs de droit commun et le programme de réussite éducative.",
        axes=list(TransversalAxis.objects.filter(contract=contract, code="jeunesse")),
        findings=[finding],
        by=pilot,
    )
    return DiagnosticScenario(
        slug=contract.slug,
        pilot_email=pilot.email,
        resident_email=resident.email,
        password=TEST_PASSWORD,
        council_name=council.name,
        meeting_title=meeting.title,
        deadline=(timezone.localdate() + timedelta(days=21)).isoformat(),
        stake_id=stake.pk,
    )


def test_stake_debated_with_a_council_redefined_and_validated_by_the_copil(
    diagnostic_scenario: DiagnosticScenario, page: Page, page_problems: PageProblems
) -> None:
    scenario = diagnostic_scenario
    slug = scenario.slug
    stake_url = reverse("diagnostic:stake_detail", args=[slug, scenario.stake_id])
    main = page.get_by_role("main")

    # 1. The pilot opens the diagnostic from the contract menu and submits the stake to the conseil citoyen.
    sign_in(page, scenario.pilot_email, scenario.password)
    goto(page, reverse("contracts:contract_home", args=[slug]))
    page.get_by_test_id("contract-sidemenu").get_by_role("link", name="Diagnostic", exact=True).click()
    expect(page).to_have_url(reverse("diagnostic:overview", args=[slug]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Diagnostic participatif")
    check(page, page_problems, "la vue d'ensemble du diagnostic")

    page.get_by_test_id("diagnostic-nav").get_by_role("link", name="Enjeux").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enjeux du diagnostic")
    expect(page.get_by_test_id("stake-row")).to_contain_text("non validé par le comité de pilotage")
    check(page, page_problems, "la liste des enjeux")

    page.get_by_role("link", name="Soumettre aux conseils citoyens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Soumettre aux conseils citoyens")
    check(page, page_problems, "le formulaire de consultation")
    expect(page.get_by_label(scenario.council_name)).to_be_checked()
    expect(page.get_by_label(re.compile(re.escape(STAKE_TITLE)))).to_be_checked()
    page.get_by_label("Date limite des avis").fill(scenario.deadline)
    page.get_by_role("button", name="Soumettre aux conseils citoyens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mise en débat des enjeux du diagnostic")
    expect(page.get_by_test_id("consultation-item")).to_contain_text(STAKE_TITLE)
    check(page, page_problems, "la page de la consultation (pilote)")

    # 2. A member of the council sees the open consultation and gives an opinion.
    sign_in(page, scenario.resident_email, scenario.password)
    goto(page, reverse("diagnostic:overview", args=[slug]))
    open_consultations = page.get_by_test_id("council-open-consultations")
    expect(open_consultations).to_contain_text("Mise en débat des enjeux du diagnostic")
    check(page, page_problems, "la vue d'ensemble (membre du conseil citoyen)")
    open_consultations.get_by_role("link", name="Mise en débat des enjeux du diagnostic").click()
    page.get_by_role("link", name=re.compile("^Donner mon avis")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Avis sur")
    check(page, page_problems, "le formulaire d'avis")
    page.get_by_text("d'accord avec réserves", exact=True).click()
    page.get_by_label("Commentaire").fill(OPINION_TEXT)
    page.get_by_role("button", name="Enregistrer mon avis").click()
    expect(page.get_by_test_id("my-opinion")).to_contain_text("d'accord avec réserves")
    expect(page.get_by_role("link", name=re.compile("^Modifier mon avis"))).to_be_visible()
    check(page, page_problems, "la page de la consultation (membre du conseil citoyen)")
    # A council member reads the stake but does not edit it.
    goto(page, stake_url)
    expect(page.get_by_test_id("stake-actions")).to_have_count(0)

    # 3. The pilot redefines the stake with the opinion beside it.
    sign_in(page, scenario.pilot_email, scenario.password)
    goto(page, stake_url)
    expect(page.get_by_test_id("stake-version-1").get_by_test_id("version-opinions")).to_contain_text(OPINION_TEXT)
    check(page, page_problems, "la page de l'enjeu soumis")
    page.get_by_role("link", name="Redéfinir l'enjeu").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Redéfinir")
    expect(page.get_by_test_id("redefine-opinions-v1")).to_contain_text(OPINION_TEXT)
    check(page, page_problems, "le formulaire de redéfinition")
    page.get_by_label("Intitulé de l'enjeu").fill(REDEFINED_TITLE)
    page.get_by_label("Motif de la redéfinition").fill("Avis du conseil citoyen des Aubépines : associer les parents.")
    page.get_by_role("button", name="Redéfinir l'enjeu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(REDEFINED_TITLE)
    expect(page.get_by_test_id("stake-status")).to_have_text("redéfini")
    expect(page.get_by_test_id("stake-version-2")).to_contain_text("associer les parents")
    expect(page.get_by_test_id("stake-version-1").get_by_test_id("version-opinions")).to_contain_text(OPINION_TEXT)
    check(page, page_problems, "la page de l'enjeu redéfini")

    # The technical committee's synthesis shows it, not validated yet.
    goto(page, reverse("diagnostic:synthesis", args=[slug]))
    expect(page.get_by_test_id("synthesis-stake")).to_contain_text("non validé par le comité de pilotage")
    expect(page.get_by_test_id("synthesis-stake")).to_contain_text("1 d'accord avec réserves")
    check(page, page_problems, "la synthèse du comité technique")

    # 4. « Faire valider par le comité de pilotage » opens the governance decision form with the stake chosen.
    goto(page, stake_url)
    validation = page.get_by_test_id("validation-request")
    meeting_select = validation.get_by_label("Séance du comité de pilotage")
    option = meeting_select.get_by_role("option", name=re.compile(re.escape(scenario.meeting_title)))
    meeting_select.select_option(value=option.get_attribute("value"))
    validation.get_by_role("button", name="Faire valider par le comité de pilotage").click()
    expect(page).to_have_url(re.compile(r"/decisions/nouvelle/\?cible=diagnostic\.stake"))
    expect(page.get_by_label("Objet de la décision")).to_have_value(f"diagnostic.stake:{scenario.stake_id}")
    check(page, page_problems, "le formulaire de décision avec l'enjeu choisi")
    page.get_by_label("Sens de la décision").select_option(label="validé")
    page.get_by_label("Texte de la décision").fill("Le comité de pilotage retient l'enjeu de la réussite au brevet.")
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(main).to_contain_text("Le comité de pilotage retient l'enjeu")

    # 5. The stake is « retenu » and validated, on its page and in the list.
    goto(page, stake_url)
    expect(page.get_by_test_id("stake-status")).to_have_text("retenu")
    expect(page.get_by_test_id("stake-validated")).to_have_text("validé par le comité de pilotage")
    expect(page.get_by_test_id("decision-history")).to_contain_text("Le comité de pilotage retient l'enjeu")
    check(page, page_problems, "la page de l'enjeu retenu")
    goto(page, reverse("diagnostic:stake_list", args=[slug]))
    expect(page.get_by_test_id("stake-row")).to_contain_text("validé par le comité de pilotage")
    expect(page.get_by_test_id("stake-row").get_by_test_id("stake-not-validated")).to_have_count(0)
    check(page, page_problems, "la liste des enjeux (enjeu retenu)")

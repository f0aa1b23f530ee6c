"""End-to-end scenario of the councils' opinions on the strategy (issue 11 §4), on a contract made from scratch: the
pilot submits a strategic orientation to a conseil citoyen from the orientation's page → a member of the council sees
it awaiting on their contract home (« Ce qui vous attend ») → gives the council's opinion → the pilot records the
steering committee's decision from the orientation's page → the decision's page shows the council's opinion, and the
opinion's page shows the decision (« suites données »): the traceable line from a resident's opinion to a decision.

Every page visited is checked with axe-core (WCAG 2.1 A/AA) and for failed sub-resources, console errors and
uncaught JS errors. The data is created before the browser starts: the test body never calls the ORM (see
tests/e2e/conftest.py).
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
from contrat_ville.contracts.models import Pillar
from contrat_ville.contracts.services import contract_set_qpvs
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.governance.enums import BodyKind, MeetingStatus, MemberRole
from contrat_ville.governance.models import Body, BodyMember, Meeting
from contrat_ville.strategy.services import orientation_create
from contrat_ville.territories.tests.factories import TerritoryFactory, square
from tests.e2e.helpers import PageProblems, check, goto, sign_in

pytestmark = [pytest.mark.browser]

ORIENTATION_TITLE = "Garantir la tranquillité publique dans les espaces communs des Tilleuls"
CONSULTATION_TITLE = "Avis sur l'orientation tranquillité publique"
OPINION_TEXT = "Le conseil citoyen demande un éclairage des cheminements piétons le soir."
DECISION_TEXT = "Le comité de pilotage valide l'orientation et y ajoute l'éclairage des cheminements piétons."


@dataclass(frozen=True)
class OpinionScenario:
    """Plain values about the data ``opinion_scenario`` created (no model instances)."""

    slug: str
    pilot_email: str
    resident_email: str
    password: str
    council_name: str
    meeting_title: str
    deadline: str
    orientation_id: int


@pytest.fixture
def opinion_scenario(db: None) -> OpinionScenario:
    """A new contract with its QPV, its pilot, a conseil citoyen seated in the steering committee and one of its
    members, a held meeting of the committee, and one strategic orientation of the « cadre de vie » pillar."""
    epci = TerritoryFactory.create(epci=True, name="Communauté du Val de Loue", geometry=square(6.0, 47.0, 0.2))
    qpv = TerritoryFactory.create(qpv=True, code="QN02510M", name="Les Tilleuls", geometry=square(6.03, 47.03, 0.02))
    contract = make_contract(name="Contrat de ville du Val de Loue", epci=epci)
    contract_set_qpvs(contract=contract, qpvs=[qpv])
    council = OrganizationFactory.create(name="Conseil citoyen des Tilleuls", kind=OrganizationKind.CITIZEN_COUNCIL)
    epci_org = OrganizationFactory.create(name=epci.name, kind=OrganizationKind.LOCAL_AUTHORITY)
    pilot = UserFactory.create(
        email="pilote-avis@exemple.test", first_name="Claire", last_name="Vautrin", organization=epci_org
    )
    grant(contract, pilot, Role.PILOT)
    resident = UserFactory.create(
        email="conseil-tilleuls@exemple.test", first_name="Karim", last_name="Haddad", organization=council
    )
    grant(contract, resident, Role.COUNCIL)
    committee = Body.objects.create(contract=contract, kind=BodyKind.STEERING_COMMITTEE, name="Comité de pilotage")
    BodyMember.objects.create(body=committee, organization=council, role=MemberRole.MEMBER)
    meeting = Meeting.objects.create(
        body=committee,
        title="Comité de pilotage de la stratégie",
        starts_at=timezone.now() - timedelta(hours=1),
        status=MeetingStatus.HELD,
    )
    orientation = orientation_create(
        contract=contract,
        pillar=Pillar.objects.get(contract=contract, code="cadre_de_vie"),
        title=ORIENTATION_TITLE,
        description="Médiation sociale, gestion urbaine de proximité et aménagement des espaces communs.",
    )
    return OpinionScenario(
        slug=contract.slug,
        pilot_email=pilot.email,
        resident_email=resident.email,
        password=TEST_PASSWORD,
        council_name=council.name,
        meeting_title=meeting.title,
        deadline=(timezone.localdate() + timedelta(days=15)).isoformat(),
        orientation_id=orientation.pk,
    )


def test_an_orientation_debated_with_a_council_then_decided_by_the_copil(
    opinion_scenario: OpinionScenario, page: Page, page_problems: PageProblems
) -> None:
    scenario = opinion_scenario
    slug = scenario.slug
    orientation_url = reverse("strategy:orientation_detail", args=[slug, scenario.orientation_id])
    home_url = reverse("contracts:contract_home", args=[slug])

    # 1. The pilot submits the orientation to the conseil citoyen from the orientation's page.
    sign_in(page, scenario.pilot_email, scenario.password)
    goto(page, orientation_url)
    page.wait_for_load_state("networkidle")
    page_problems.clear()
    expect(page.get_by_test_id("subject-opinions")).to_contain_text("n'a pas été soumis aux conseils citoyens")
    check(page, page_problems, "la page de l'orientation (pilote)")
    page.get_by_test_id("consult-councils").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Soumettre aux conseils citoyens")
    expect(page.get_by_label(scenario.council_name)).to_be_checked()
    expect(page.get_by_label(re.compile(re.escape(ORIENTATION_TITLE)))).to_be_checked()
    check(page, page_problems, "le formulaire de consultation (orientation choisie)")
    page.get_by_label("Intitulé").fill(CONSULTATION_TITLE)
    page.get_by_label("Message aux conseils citoyens").fill("Merci de nous dire ce qui manque à cette orientation.")
    page.get_by_label("Date limite des avis").fill(scenario.deadline)
    page.get_by_role("button", name="Soumettre aux conseils citoyens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(CONSULTATION_TITLE)
    expect(page.get_by_test_id("consultation-item")).to_contain_text(ORIENTATION_TITLE)
    expect(page.get_by_test_id("council-answer")).to_contain_text("pas encore de réponse")
    check(page, page_problems, "la page de la consultation (pilote)")

    # 2. A member of the council sees on their contract home what awaits the council's opinion, and gives it.
    sign_in(page, scenario.resident_email, scenario.password)
    goto(page, home_url)
    awaiting = page.get_by_test_id("contract-awaiting")
    expect(awaiting).to_contain_text(f"Donner l'avis du conseil : {CONSULTATION_TITLE}")
    check(page, page_problems, "l'accueil du contrat (membre du conseil citoyen)")
    awaiting.get_by_role("link", name=re.compile(re.escape(CONSULTATION_TITLE))).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(CONSULTATION_TITLE)
    page.get_by_role("link", name=re.compile("^Donner mon avis")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Avis sur")
    expect(page.get_by_test_id("follow-up")).to_contain_text("Aucune décision enregistrée")
    check(page, page_problems, "le formulaire d'avis sur l'orientation")
    page.get_by_text("d'accord avec réserves", exact=True).click()
    page.get_by_label("Commentaire").fill(OPINION_TEXT)
    page.get_by_role("button", name="Enregistrer mon avis").click()
    expect(page.get_by_test_id("my-opinion")).to_contain_text("d'accord avec réserves")
    check(page, page_problems, "la consultation après l'avis (membre du conseil citoyen)")
    # Answered: nothing awaits the council any more.
    goto(page, home_url)
    expect(page.get_by_test_id("contract-awaiting")).to_have_count(0)

    # 3. The pilot sees who answered and the opinion on the orientation's page, then records the COPIL's decision.
    sign_in(page, scenario.pilot_email, scenario.password)
    goto(page, orientation_url)
    expect(page.get_by_test_id("subject-opinions")).to_contain_text(OPINION_TEXT)
    check(page, page_problems, "la page de l'orientation avec l'avis du conseil")
    validation = page.get_by_test_id("validation-request")
    meeting_select = validation.get_by_label("Séance du comité de pilotage")
    option = meeting_select.get_by_role("option", name=re.compile(re.escape(scenario.meeting_title)))
    meeting_select.select_option(value=option.get_attribute("value"))
    validation.get_by_role("button", name="Faire valider par le comité de pilotage").click()
    expect(page).to_have_url(re.compile(r"/decisions/nouvelle/\?cible=strategy\.orientation"))
    page.get_by_label("Sens de la décision").select_option(label="validé avec amendements")
    page.get_by_label("Texte de la décision").fill(DECISION_TEXT)
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_test_id("decision-text")).to_contain_text(DECISION_TEXT)
    # The decision's page shows what the council said on its object.
    expect(page.get_by_test_id("subject-opinions")).to_contain_text(OPINION_TEXT)
    check(page, page_problems, "la page de la décision avec l'avis du conseil")

    # 4. The council member reads on their opinion's page what the steering committee decided (« suites données »).
    sign_in(page, scenario.resident_email, scenario.password)
    goto(page, reverse("diagnostic:consultation_list", args=[slug]))
    page.get_by_role("link", name=CONSULTATION_TITLE).first.click()
    expect(page.get_by_test_id("follow-up")).to_contain_text(DECISION_TEXT)
    page.get_by_role("link", name=re.compile("^Modifier mon avis")).click()
    follow_up = page.get_by_test_id("follow-up")
    expect(follow_up).to_contain_text(DECISION_TEXT)
    expect(follow_up).to_contain_text("validé avec amendements")
    check(page, page_problems, "la page de l'avis avec les suites données")

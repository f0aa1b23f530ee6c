"""End-to-end scenario of the governance (issue 4): constitute the steering committee → schedule a meeting →
record attendance → record a decision → phase 2.1 « Le comité de pilotage » turns « terminée ».

Every governance page visited is checked with axe-core (WCAG 2.1 A/AA) and for failed sub-resources, console
errors and uncaught JS errors. The data comes from ``governance_scenario``, created before the browser starts: the
test body never calls the ORM (see tests/e2e/conftest.py).
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
from contrat_ville.contracts.services import contract_set_qpvs
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.governance.services.phases import phases_apply
from contrat_ville.territories.models import TerritoryLink
from contrat_ville.territories.tests.factories import TerritoryFactory, square
from tests.e2e.helpers import PageProblems, check, goto, sign_in

pytestmark = [pytest.mark.browser]


@dataclass(frozen=True)
class GovernanceScenario:
    """Plain values about the data ``governance_scenario`` created (no model instances)."""

    pilot_email: str
    pilot_password: str
    slug: str
    contract_name: str
    state_name: str
    epci_name: str
    commune_name: str
    council_name: str


def luhn_siren(prefix: str) -> str:
    """``prefix`` (8 digits) completed with the Luhn key that every SIREN carries."""
    for key in "0123456789":
        digits = prefix + key
        total = 0
        for index, char in enumerate(reversed(digits)):
            value = int(char) * (2 if index % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return digits
    raise ValueError(prefix)


@pytest.fixture
def governance_scenario(db: None) -> GovernanceScenario:
    """A contract whose QPV lies in one commune, the organisations of the State, the EPCI, that commune and the
    QPV's conseil citoyen (EPCI and commune matched by SIREN), the seed's phases applied, and its pilot."""
    epci = TerritoryFactory.create(
        epci=True, code="200099950", siren="200099950", name="Communauté de la Vallée", geometry=square(5.0, 45.0, 0.2)
    )
    commune = TerritoryFactory.create(
        code="96950", name="Vallon-sur-Sorne", siren=luhn_siren("21969500"), geometry=square(5.02, 45.02, 0.1)
    )
    TerritoryLink.objects.create(parent=epci, child=commune)
    qpv = TerritoryFactory.create(qpv=True, code="QN09650M", name="Les Glycines", geometry=square(5.03, 45.03, 0.02))
    TerritoryLink.objects.create(parent=commune, child=qpv)
    contract = make_contract(name="Contrat de ville de la Vallée", epci=epci)
    contract_set_qpvs(contract=contract, qpvs=[qpv])

    state = OrganizationFactory.create(name="Préfecture de la Vallée", kind=OrganizationKind.STATE_SERVICE)
    epci_org = OrganizationFactory.create(name=epci.name, kind=OrganizationKind.LOCAL_AUTHORITY, siren=epci.siren)
    commune_org = OrganizationFactory.create(
        name=f"Commune de {commune.name}", kind=OrganizationKind.LOCAL_AUTHORITY, siren=commune.siren
    )
    council = OrganizationFactory.create(name="Conseil citoyen des Glycines", kind=OrganizationKind.CITIZEN_COUNCIL)
    pilot = UserFactory.create(
        email="pilote-gouvernance@exemple.test", first_name="Élise", last_name="Marchand", organization=epci_org
    )
    grant(contract, pilot, Role.PILOT)
    phases_apply(contract=contract, launch_on=timezone.localdate() - timedelta(days=40), by=pilot)
    return GovernanceScenario(
        pilot_email=pilot.email,
        pilot_password=TEST_PASSWORD,
        slug=contract.slug,
        contract_name=contract.name,
        state_name=state.name,
        epci_name=epci_org.name,
        commune_name=commune_org.name,
        council_name=council.name,
    )


def add_member(page: Page, organization: str, role: str, person: str, problems: PageProblems | None = None) -> None:
    page.get_by_role("link", name="Ajouter un membre").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("membre")
    if problems is not None:
        check(page, problems, "le formulaire d'ajout d'un membre")
    page.get_by_label("Organisation").select_option(label=organization)
    page.get_by_label("Rôle dans l'instance").select_option(label=role)
    page.get_by_label("Ou par une personne sans compte (nom et fonction)").fill(person)
    page.get_by_role("button", name="Ajouter", exact=True).click()
    expect(page.get_by_test_id("body-members")).to_contain_text(person)


def test_pilot_constitutes_the_steering_committee_and_phase_2_1_turns_done(
    governance_scenario: GovernanceScenario, page: Page, page_problems: PageProblems
) -> None:
    scenario = governance_scenario
    sidemenu = page.get_by_test_id("contract-sidemenu")
    sign_in(page, scenario.pilot_email, scenario.pilot_password)

    # Gouvernance: the bodies page, empty for now.
    goto(page, reverse("contracts:contract_home", args=[scenario.slug]))
    sidemenu.get_by_role("link", name="Gouvernance", exact=True).click()
    expect(page).to_have_url(reverse("governance:body_list", args=[scenario.slug]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Instances de gouvernance")
    check(page, page_problems, "la liste des instances (vide)")

    # Constitute the steering committee.
    page.get_by_role("link", name="Nouvelle instance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle instance")
    check(page, page_problems, "le formulaire de nouvelle instance")
    page.get_by_label("Nature de l'instance").select_option(label="comité de pilotage")
    page.get_by_role("button", name="Créer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Comité de pilotage")
    check(page, page_problems, "la page du comité de pilotage (sans membre)")

    # Its co-chairs: the State, the EPCI and the commune concerned; the conseil citoyen sits in it.
    add_member(page, scenario.state_name, "coprésident", "Claire Vasseur, préfète", page_problems)
    add_member(page, scenario.epci_name, "coprésident", "Bernard Chauvin, président de la communauté")
    add_member(page, scenario.commune_name, "coprésident", "Jean-Marc Delaunay, maire")
    add_member(page, scenario.council_name, "membre", "Fatou Ndiaye, membre du conseil citoyen")
    expect(page.get_by_test_id("body-conformant")).to_be_visible()
    check(page, page_problems, "la page du comité de pilotage constitué")

    # Schedule a meeting that started a few minutes ago, so that attendance can be recorded.
    sidemenu.get_by_role("link", name="Séances et calendrier").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("governance:meeting_calendar", args=[scenario.slug]))))
    check(page, page_problems, "le calendrier des séances")
    page.get_by_role("link", name="Nouvelle séance — Comité de pilotage").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle séance — Comité de pilotage")
    check(page, page_problems, "le formulaire de nouvelle séance")
    starts_at = timezone.localtime(timezone.now() - timedelta(minutes=15))
    page.get_by_label("Intitulé").fill("Séance d'installation du comité de pilotage")
    page.get_by_label("Début").fill(starts_at.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Lieu", exact=False).fill("Hôtel de communauté, salle du conseil")
    page.get_by_label("Ordre du jour").fill("Composition du comité\nCalendrier d'élaboration")
    page.get_by_role("button", name="Programmer la séance").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Séance d'installation du comité de pilotage")
    expect(page.get_by_test_id("meeting-agenda")).to_contain_text("Calendrier d'élaboration")
    expect(page.get_by_test_id("meeting-attendance")).to_contain_text("Claire Vasseur, préfète")
    check(page, page_problems, "la page de la séance programmée")
    meeting_url = page.url

    # Record attendance: the meeting is then held.
    page.get_by_role("link", name="Saisir les présences").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Présences — "))
    check(page, page_problems, "le formulaire des présences")
    selects = page.get_by_label(re.compile("Présence — "))
    expect(selects).to_have_count(4)
    for select in selects.all():
        select.select_option(label="présent")
    page.get_by_role("button", name="Enregistrer les présences").click()
    expect(page).to_have_url(meeting_url)
    expect(page.get_by_test_id("meeting-attendance")).to_contain_text("Présent")
    expect(page.get_by_role("main").get_by_text("Tenue", exact=True)).to_be_visible()
    check(page, page_problems, "la page de la séance tenue")

    # Record a decision on the contract in that meeting.
    meeting_id = re.search(r"/seances/(\d+)/", meeting_url)
    assert meeting_id is not None, meeting_url
    goto(page, reverse("governance:decision_create", args=[scenario.slug, int(meeting_id.group(1))]))
    check(page, page_problems, "le formulaire de décision")
    page.get_by_label("Objet de la décision").select_option(label=scenario.contract_name)
    page.get_by_label("Sens de la décision").select_option(label="validé")
    page.get_by_label("Texte de la décision").fill(
        "Le comité de pilotage valide sa composition et le calendrier d'élaboration."
    )
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_role("main")).to_contain_text("Le comité de pilotage valide sa composition")
    check(page, page_problems, "la page de la décision")

    # The phases timeline: 2.1 « Le comité de pilotage » is done, computed from the data.
    sidemenu.get_by_role("link", name="Phases d'élaboration").click()
    expect(page).to_have_url(reverse("governance:phase_timeline", args=[scenario.slug]))
    row = page.get_by_test_id("phase-row").filter(has=page.get_by_role("rowheader", name="Le comité de pilotage"))
    expect(row).to_contain_text("terminée")
    expect(row).to_contain_text("calculé à partir des données")
    check(page, page_problems, "le calendrier des phases")

"""End-to-end scenario of a conseil citoyen on a new contract, nothing else known of it: the pilot registers the
council in the registry → invites one of its members (the invitation is refused in French without the council) →
submits a stake to the council before anyone of it has an account or a seat → the member takes the link, finds the
opinion awaiting them and gives it.

Every page visited is checked with axe-core (WCAG 2.1 A/AA) and for failed sub-resources, console and JS errors.
The data is created before the browser starts; the test body reads only ``mail.outbox`` (no ORM).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from contrat_ville.accounts.tests.factories import TEST_PASSWORD, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.diagnostic.services.stakes import stake_create
from contrat_ville.participation.tests.factories import add_qpv
from tests.e2e.helpers import PageProblems, check, goto, sign_in

pytestmark = [pytest.mark.browser]

COUNCIL = "Conseil citoyen de Maurepas"
STAKE = "Réussite éducative des enfants de Maurepas"
RESIDENT_EMAIL = "awa.traore@exemple.test"
RESIDENT_PASSWORD = "Maurepas-Conseil-2026"


@dataclass(frozen=True)
class Scratch:
    slug: str
    pilot_email: str
    qpv_label: str
    deadline: str


@pytest.fixture
def scratch(db: None) -> Scratch:
    """A contract with one QPV, its pilot and one stake of its diagnostic: no council, no body, no other member."""
    contract = make_contract(name="Contrat de ville de Rennes Métropole")
    qpv = add_qpv(contract, name="Maurepas")
    pilot = UserFactory.create(email="pilote@exemple.test", first_name="Nora", last_name="Benali")
    grant(contract, pilot, Role.PILOT)
    stake_create(contract=contract, pillar=contract.pillars.order_by("order").first(), title=STAKE, by=pilot)
    return Scratch(
        slug=contract.slug,
        pilot_email=pilot.email,
        qpv_label=f"{qpv.name} ({qpv.code})",
        deadline=(timezone.localdate() + timedelta(days=14)).isoformat(),
    )


def test_a_registered_council_is_consulted_and_its_invited_member_gives_the_opinion(
    scratch: Scratch, page: Page, page_problems: PageProblems
) -> None:
    sign_in(page, scratch.pilot_email, TEST_PASSWORD)

    # The council, registered from the web.
    goto(page, reverse("participation:council_create", args=[scratch.slug]))
    page.get_by_label("Nom du conseil citoyen").fill(COUNCIL)
    page.get_by_label(scratch.qpv_label).check()
    page.get_by_label("Forme juridique").select_option("association")
    page.get_by_role("button", name="Inscrire le conseil").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(COUNCIL)

    # One of its members is invited for the council, never without it.
    goto(page, reverse("contracts:invitation_create", args=[scratch.slug]))
    page.get_by_label("Adresse électronique").fill(RESIDENT_EMAIL)
    page.get_by_label("Rôle sur le contrat").select_option("council")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    expect(page.get_by_text("Un membre de conseil citoyen agit pour son conseil")).to_be_visible()
    expect(page.get_by_label("Adresse électronique")).to_have_value(RESIDENT_EMAIL)
    check(page, page_problems, "l'invitation refusée sans conseil")
    page.get_by_label("Organisation").select_option(label=COUNCIL)
    page.get_by_role("button", name="Envoyer l'invitation").click()
    expect(page.get_by_test_id("invitations-table")).to_contain_text(RESIDENT_EMAIL)

    # The stake is submitted to the registered council, which has no account and no seat yet.
    goto(page, reverse("diagnostic:consultation_create", args=[scratch.slug]))
    expect(page.get_by_text("Aucun conseil citoyen connu pour ce contrat")).to_have_count(0)
    expect(page.get_by_label(COUNCIL)).to_be_checked()
    check(page, page_problems, "la consultation d'un conseil inscrit au registre")
    page.get_by_label("Date limite des avis").fill(scratch.deadline)
    page.get_by_role("button", name="Soumettre aux conseils citoyens").click()
    expect(page.get_by_text("Soumis aux conseils citoyens : avis attendus")).to_be_visible()

    # The member takes the link, finds the opinion awaiting, and gives it.
    link = re.search(r"http://[^/]+(/contrats/invitation/[^/\s]+/)", mail.outbox[-1].body).group(1)
    page.context.clear_cookies()
    goto(page, link)
    page.get_by_label("Prénom").fill("Awa")
    page.locator("input[name=last_name]").fill("Traoré")
    page.locator("input[name=password]").fill(RESIDENT_PASSWORD)
    page.get_by_label("Confirmation du mot de passe").fill(RESIDENT_PASSWORD)
    page.get_by_role("button", name="Créer mon compte et rejoindre le contrat").click()
    expect(page.get_by_test_id("contract-role")).to_contain_text("membre de conseil citoyen")
    goto(page, reverse("awaiting"))
    check(page, page_problems, "ce qui attend le membre du conseil")
    page.get_by_role("link", name=re.compile("Donner l'avis du conseil")).click()
    page.get_by_role("link", name=re.compile("Donner mon avis")).first.click()
    check(page, page_problems, "l'avis du conseil")
    page.get_by_label("d'accord", exact=True).check()
    page.get_by_label("Commentaire").fill("Le conseil demande un soutien aux parents.")
    page.get_by_role("button", name="Enregistrer mon avis").click()
    expect(page.get_by_text("Votre avis est enregistré")).to_be_visible()
    goto(page, reverse("awaiting"))
    expect(page.get_by_text("Rien ne vous attend pour le moment.")).to_be_visible()

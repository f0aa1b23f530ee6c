"""End-to-end scenario of a real intercommunality on an empty platform (issue 10): no demo, no contract — only the
official territories an administrator imported and two organisations. The administrator opens the contract's space
→ invites the pilot by e-mail → the pilot takes the link, sets a password → names the levels « défis » → attaches
the QPV and the communes → adds three transversal axes (six in all) → records the signatories and the signature →
records an avenant that adds a fourth défi → reads the contract as it stood before it.

Every page visited is checked with axe-core (WCAG 2.1 A/AA) and for failed sub-resources, console and JS errors.
The data is created before the browser starts; the test body reads only ``mail.outbox`` (no ORM).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Page, expect

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.tests.factories import TEST_PASSWORD, OrganizationFactory, UserFactory
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import TerritoryLink
from contrat_ville.territories.tests.factories import TerritoryFactory, square
from tests.e2e.helpers import PageProblems, check, goto, sign_in

pytestmark = [pytest.mark.browser]

PILOT_EMAIL = "pilote@rennesmetropole.fr"
PILOT_PASSWORD = "Quartiers-2030-Rennes"
NEW_AXES = ("Transition écologique", "Numérique", "Santé")
FOURTH = "Valeurs de la République et citoyenneté"


@dataclass(frozen=True)
class EmptyPlatform:
    admin_email: str
    epci_siren: str
    qpv_label: str


@pytest.fixture
def empty_platform(db: None) -> EmptyPlatform:
    """The official territories of one intercommunality (as the importers leave them), two organisations, an
    administrator: nothing else."""
    departement = TerritoryFactory.create(kind=TerritoryKind.DEPARTEMENT, code="35", name="Ille-et-Vilaine")
    epci = TerritoryFactory.create(
        epci=True, name="Rennes Métropole", code="243500139", siren="243500139", geometry=square(-1.68, 48.11, 0.1)
    )
    rennes = TerritoryFactory.create(code="35238", name="Rennes", geometry=square(-1.68, 48.11, 0.05))
    for commune in (rennes, TerritoryFactory.create(code="35047", name="Bruz", geometry=None)):
        TerritoryLink.objects.create(parent=epci, child=commune)
        TerritoryLink.objects.create(parent=departement, child=commune)
    maurepas = TerritoryFactory.create(qpv=True, code="QN03501M", name="Maurepas", geometry=square(-1.66, 48.12, 0.01))
    TerritoryLink.objects.create(parent=rennes, child=maurepas)
    OrganizationFactory.create(
        name="Préfecture d'Ille-et-Vilaine", kind=OrganizationKind.STATE_SERVICE, departement_code="35"
    )
    OrganizationFactory.create(name="Rennes Métropole", kind=OrganizationKind.LOCAL_AUTHORITY)
    admin = UserFactory.create(email="admin@plateforme.gouv.fr", is_staff=True)
    return EmptyPlatform(admin_email=admin.email, epci_siren=epci.siren, qpv_label="Maurepas (QN03501M)")


def _menu(page: Page, label: str) -> None:
    page.get_by_test_id("contract-sidemenu").get_by_role("link", name=label, exact=True).click()


def test_an_intercommunality_opens_completes_signs_and_amends_its_contract(
    empty_platform: EmptyPlatform, page: Page, page_problems: PageProblems
) -> None:
    # The administrator opens the space.
    sign_in(page, empty_platform.admin_email, TEST_PASSWORD)
    page.get_by_test_id("open-contract").click()
    check(page, page_problems, "l'ouverture d'un espace de contrat")
    page.get_by_label("Intitulé du contrat").fill("Contrat de ville de Rennes Métropole 2024-2030")
    page.get_by_label("Intercommunalité (EPCI)").fill(empty_platform.epci_siren)
    page.get_by_role("button", name="Ouvrir l'espace du contrat").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Paramètres du contrat")
    slug = re.search(r"/contrats/([^/]+)/parametres/", page.url).group(1)

    # … and invites the pilot.
    _menu(page, "Membres")
    page.get_by_test_id("invite-button").click()
    check(page, page_problems, "l'invitation d'une personne")
    page.get_by_label("Adresse électronique").fill(PILOT_EMAIL)
    page.get_by_label("Rôle sur le contrat").select_option("pilot")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    expect(page.get_by_test_id("invitations-table")).to_contain_text(PILOT_EMAIL)
    check(page, page_problems, "les membres et les invitations")

    # The pilot takes the link of the e-mail and sets a password.
    link = re.search(r"http://[^/]+(/contrats/invitation/[^/\s]+/)", mail.outbox[-1].body).group(1)
    page.context.clear_cookies()
    goto(page, link)
    check(page, page_problems, "l'acceptation d'une invitation")
    page.get_by_label("Prénom").fill("Nora")
    page.locator("input[name=last_name]").fill("Benali")
    page.locator("input[name=password]").fill(PILOT_PASSWORD)
    page.get_by_label("Confirmation du mot de passe").fill(PILOT_PASSWORD)
    page.get_by_role("button", name="Créer mon compte et rejoindre le contrat").click()
    expect(page).to_have_url(reverse("contracts:contract_home", args=[slug]))
    expect(page.get_by_test_id("contract-role")).to_contain_text("pilote")

    # The pilot names the levels as the contract does, then attaches its territories.
    _menu(page, "Paramètres du contrat")
    page.locator("input[name=pillar_term]").fill("défi")
    page.get_by_label("Nom du premier niveau au pluriel").fill("défis")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Contrat mis à jour.")).to_be_visible()
    expect(page.get_by_role("link", name="Contrat de ville de Rennes Métropole 2024-2030")).to_be_visible()
    page.get_by_role("link", name="Territoires : quartiers prioritaires et communes").click()
    check(page, page_problems, "les territoires du contrat")
    page.get_by_label(empty_platform.qpv_label).check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_test_id("qpvs-table")).to_contain_text("Maurepas")

    # Six transversal axes: the three of the generation and three of its own.
    _menu(page, "Structure du contrat")
    expect(page.get_by_role("heading", level=2, name="Défis")).to_be_visible()
    for label in NEW_AXES:
        page.get_by_test_id("add-axis").click()
        page.get_by_label("Libellé").fill(label)
        page.get_by_role("button", name="Ajouter").click()
    expect(page.get_by_test_id("axis-table").get_by_test_id("term-row")).to_have_count(6)
    check(page, page_problems, "la structure du contrat")

    # Signatories and signature.
    _menu(page, "Paramètres du contrat")
    page.get_by_role("link", name="Signataires et signature").click()
    for organization, kind in (("Préfecture d'Ille-et-Vilaine", "state"), ("Rennes Métropole", "epci")):
        page.get_by_test_id("add-signatory").click()
        page.get_by_label("Organisation").select_option(label=organization)
        page.get_by_label("Qualité").select_option(kind)
        page.get_by_role("button", name="Ajouter").click()
    check(page, page_problems, "les signataires")
    page.get_by_label("Date de signature").fill("2024-06-14")
    page.get_by_label("Pour Préfecture d'Ille-et-Vilaine (État)").fill("Amélie Puech, préfète")
    page.get_by_label("Pour Rennes Métropole (intercommunalité (EPCI))").fill("Nathalie Appéré, présidente")
    page.get_by_role("button", name="Enregistrer la signature").click()
    expect(page.get_by_text("Le contrat a été signé le 14/06/2024")).to_be_visible()

    # A fourth défi by avenant, and the contract as it stood before.
    goto(page, reverse("contracts:amendment_list", args=[slug]))
    page.get_by_test_id("add-amendment").click()
    check(page, page_problems, "l'enregistrement d'un avenant")
    page.get_by_label("Objet de l'avenant").fill("Avenant n° 1 : valeurs de la République")
    page.get_by_label("Signé le").fill("2025-03-01")
    page.get_by_label("Défis ajoutés").fill(FOURTH)
    page.get_by_role("button", name="Enregistrer l'avenant").click()
    expect(page.get_by_test_id("amendment-changes")).to_contain_text(FOURTH)
    check(page, page_problems, "un avenant")
    _menu(page, "Structure du contrat")
    expect(page.get_by_test_id("pillar-table").get_by_test_id("term-row")).to_have_count(4)
    goto(page, reverse("contracts:structure_as_of", args=[slug]) + "?day=2025-01-01")
    expect(page.get_by_test_id("structure-as-of")).not_to_contain_text(FOURTH)
    check(page, page_problems, "le contrat à une date")

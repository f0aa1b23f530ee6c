"""End-to-end scenario of the droit commun on an empty platform (issue 14): no demo, no contract. The administrator
opens a contract's space and invites the CAF's correspondent as a partner → the partner takes the link, records
what the CAF commits (money, on the cohesion pillar) and its 2025 figures → finds it on « Mes engagements » → the
administrator reads the balance (rate of realisation) and the State delegates' view across contracts.

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

PARTNER_EMAIL = "referente.quartiers@caf35.fr"
PARTNER_PASSWORD = "Engagements-2025-Caf"
CAF = "Caisse d'allocations familiales d'Ille-et-Vilaine"


@dataclass(frozen=True)
class EmptyPlatform:
    admin_email: str
    epci_siren: str


@pytest.fixture
def empty_platform(db: None) -> EmptyPlatform:
    """One intercommunality's official territories, the CAF of its département, an administrator: nothing else."""
    departement = TerritoryFactory.create(kind=TerritoryKind.DEPARTEMENT, code="35", name="Ille-et-Vilaine")
    epci = TerritoryFactory.create(
        epci=True, name="Rennes Métropole", code="243500139", siren="243500139", geometry=square(-1.68, 48.11, 0.1)
    )
    rennes = TerritoryFactory.create(code="35238", name="Rennes", geometry=square(-1.68, 48.11, 0.05))
    TerritoryLink.objects.create(parent=epci, child=rennes)
    TerritoryLink.objects.create(parent=departement, child=rennes)
    OrganizationFactory.create(name=CAF, acronym="CAF", kind=OrganizationKind.PUBLIC_OPERATOR, departement_code="35")
    admin = UserFactory.create(email="admin@plateforme.gouv.fr", is_staff=True)
    return EmptyPlatform(admin_email=admin.email, epci_siren=epci.siren)


def test_a_partner_records_its_commitment_and_the_balance_follows_it(
    empty_platform: EmptyPlatform, page: Page, page_problems: PageProblems
) -> None:
    # The administrator opens the space and invites the CAF's correspondent as a partner.
    sign_in(page, empty_platform.admin_email, TEST_PASSWORD)
    page.get_by_test_id("open-contract").click()
    page.get_by_label("Intitulé du contrat").fill("Contrat de ville de Rennes Métropole 2024-2030")
    page.get_by_label("Intercommunalité (EPCI)").fill(empty_platform.epci_siren)
    page.get_by_role("button", name="Ouvrir l'espace du contrat").click()
    slug = re.search(r"/contrats/([^/]+)/parametres/", page.url).group(1)
    goto(page, reverse("contracts:contract_members", args=[slug]))
    page.get_by_test_id("invite-button").click()
    page.get_by_label("Adresse électronique").fill(PARTNER_EMAIL)
    page.get_by_label("Rôle sur le contrat").select_option("partner")
    page.get_by_label("Organisation").select_option(label=f"{CAF} (CAF)")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    expect(page.get_by_test_id("invitations-table")).to_contain_text(PARTNER_EMAIL)

    # The partner joins and records what the CAF commits.
    link = re.search(r"http://[^/]+(/contrats/invitation/[^/\s]+/)", mail.outbox[-1].body).group(1)
    page.context.clear_cookies()
    goto(page, link)
    page.get_by_label("Prénom").fill("Inès")
    page.locator("input[name=last_name]").fill("Morel")
    page.locator("input[name=password]").fill(PARTNER_PASSWORD)
    page.get_by_label("Confirmation du mot de passe").fill(PARTNER_PASSWORD)
    page.get_by_role("button", name="Créer mon compte et rejoindre le contrat").click()
    # The pages above are checked by test_contract_space; an icon their quick succession left half-loaded (the
    # browser aborts it when the test moves on) is not a problem of the next page.
    page.wait_for_load_state("networkidle")
    page_problems.clear()
    page.get_by_test_id("contract-sidemenu").get_by_role("link", name="Droit commun", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Engagements de droit commun")
    check(page, page_problems, "les engagements de droit commun (vides)")
    expect(page.get_by_test_id("commitment-list")).to_contain_text("Aucun engagement de droit commun")
    page.get_by_role("link", name="Enregistrer un engagement").click()
    check(page, page_problems, "l'enregistrement d'un engagement")
    expect(page.get_by_label("Partenaire")).to_have_value(re.compile(r"\d+"))
    page.get_by_label("Intitulé").fill("Prestation de service bonifiée des accueils de loisirs")
    page.get_by_label("Nature").select_option("financial")
    page.get_by_label("Pilier (pour un engagement sur le contrat dans son ensemble)").select_option(
        label="Cohésion sociale"
    )
    page.get_by_role("button", name="Enregistrer l'engagement").click()
    expect(page.get_by_text("saisissez maintenant ses chiffres prévus")).to_be_visible()
    check(page, page_problems, "les chiffres annuels d'un engagement")
    page.locator("select[name=year]").select_option("2025")
    page.locator("input[name=planned]").fill("50000")
    page.locator("input[name=realised]").fill("42000")
    page.get_by_role("button", name="Enregistrer les chiffres").click()
    expect(page.get_by_test_id("commitment-years")).to_contain_text("50\u00a0000\u00a0€")
    check(page, page_problems, "un engagement et ses chiffres")
    goto(page, reverse("funding:my_commitments", args=[slug]))
    expect(page.get_by_test_id("my-commitments")).to_contain_text("Prestation de service bonifiée")
    check(page, page_problems, "mes engagements")

    # The administrator reads the balance of the contract and across contracts.
    sign_in(page, empty_platform.admin_email, TEST_PASSWORD)
    goto(page, reverse("funding:balance", args=[slug]))
    expect(page.get_by_test_id("balance-units")).to_contain_text("84\u00a0%")
    expect(page.get_by_test_id("balance-rows")).to_contain_text("CAF")
    check(page, page_problems, "le bilan du droit commun")
    page.get_by_role("link", name="Bilan de tous mes contrats").click()
    expect(page.get_by_test_id("balance-across")).to_contain_text("Contrat de ville de Rennes Métropole 2024-2030")
    check(page, page_problems, "le bilan de tous les contrats")

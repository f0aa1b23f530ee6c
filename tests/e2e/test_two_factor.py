"""End-to-end: two-factor authentication on an empty platform (issue 13 §1). The pilot activates it on their account
(the test reads the secret the page shows and computes the code as an authenticator app would), requires it for the
contract, signs in again with a code; a partner of the contract who signs in is sent to enrol before reaching it.

Every new page is checked with axe-core (WCAG 2.1 A/AA) and for failed sub-resources, console and JS errors (the
QR code is inline SVG: no script, CSP kept). The data is created before the browser starts; the test body uses no
ORM.
"""

from __future__ import annotations

import time
from base64 import b32decode
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django_otp.oath import hotp
from playwright.sync_api import Page, expect

from contrat_ville.accounts.tests.factories import TEST_PASSWORD, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from tests.e2e.helpers import PageProblems, check, goto, sign_in

pytestmark = [pytest.mark.browser]


@dataclass(frozen=True)
class Contract:
    slug: str
    pilot_email: str
    partner_email: str


@pytest.fixture
def contract(db: None) -> Contract:
    contract = make_contract(name="Contrat de ville de Quimper Bretagne Occidentale")
    pilot = UserFactory.create(email="pilote@quimper.bzh", first_name="Yann", last_name="Le Goff")
    partner = UserFactory.create(email="partenaire@caf29.fr", first_name="Soizic", last_name="Morvan")
    grant(contract, pilot, Role.PILOT)
    grant(contract, partner, Role.PARTNER)
    return Contract(slug=contract.slug, pilot_email=pilot.email, partner_email=partner.email)


@dataclass(frozen=True)
class Enrolled:
    secret: str
    step: int  # the 30-second step of the code that confirmed the device


def current_step() -> int:
    return int(time.time() // 30)


def code(secret: str, step: int) -> str:
    """The code an authenticator app shows for ``secret`` during ``step``."""
    return f"{hotp(b32decode(secret.replace(' ', '')), step):06d}"


def next_code(device: Enrolled) -> str:
    """A code the device accepts now, after the one that confirmed it: a code is accepted once, so within the same
    step the next step's (django-otp tolerates one step of drift). Once the step has changed, the current step's,
    which is the only safe one: when the confirming code reached the server in the following step, django-otp noted a
    drift of -1 and no longer accepts the code of the step ahead."""
    now = current_step()
    return code(device.secret, now + 1 if now == device.step else now)


def enrol(page: Page, problems: PageProblems, where: str) -> Enrolled:
    """On the « Double authentification » page: read the secret, type a code; returns the secret and its step."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Double authentification")
    expect(page.get_by_test_id("two-factor-qr-code").locator("svg")).to_be_visible()
    check(page, problems, where)
    secret = page.get_by_test_id("two-factor-secret").inner_text()
    page.get_by_label("Code à 6 chiffres").fill("123")
    page.get_by_role("button", name="Activer la double authentification").click()
    expect(page.get_by_text("Le code compte exactement 6 chiffres.")).to_be_visible()
    step = current_step()
    page.get_by_label("Code à 6 chiffres").fill(code(secret, step))
    page.get_by_role("button", name="Activer la double authentification").click()
    return Enrolled(secret, step)


def test_a_pilot_requires_two_factor_authentication_and_a_partner_is_asked_to_enrol(
    contract: Contract, page: Page, page_problems: PageProblems
) -> None:
    members = reverse("contracts:contract_members", args=[contract.slug])
    settings_page = reverse("contracts:contract_settings", args=[contract.slug])

    # The pilot activates the second factor on their account.
    sign_in(page, contract.pilot_email, TEST_PASSWORD)
    page.get_by_test_id("two-factor-link").click()
    device = enrol(page, page_problems, "l'activation de la double authentification")
    expect(page.get_by_text("Double authentification activée")).to_be_visible()
    expect(page.get_by_test_id("two-factor-active")).to_be_visible()
    check(page, page_problems, "la double authentification active")

    # … then requires it of the contract's members.
    goto(page, settings_page)
    page.locator("label[for=id_requires_two_factor]").click()  # DSFR draws the box on the label
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Contrat mis à jour.")).to_be_visible()
    expect(page.get_by_label("Exiger la double authentification des membres")).to_be_checked()

    # A partner signs in: the contract sends them to enrol first, then back to the page they asked for.
    sign_in(page, contract.partner_email, TEST_PASSWORD)
    goto(page, members)
    expect(page.get_by_text("exige la double authentification : activez-la sur votre compte")).to_be_visible()
    enrol(page, page_problems, "l'activation exigée par le contrat")
    expect(page).to_have_url(members)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Membres")

    # The pilot signs in again: the password, then the code.
    page.context.clear_cookies()
    goto(page, reverse("accounts:login"))
    page.get_by_label("Adresse électronique").fill(contract.pilot_email)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Code de double authentification")
    check(page, page_problems, "l'étape du code à la connexion")
    wrong = (
        "000000"
        if "000000" not in {code(device.secret, current_step() + ahead) for ahead in (-1, 0, 1, 2)}
        else "111111"
    )
    page.get_by_label("Code à 6 chiffres").fill(wrong)
    page.get_by_role("button", name="Valider le code").click()
    expect(page.get_by_text("Code incorrect ou expiré")).to_be_visible()
    page.wait_for_timeout(1_100)  # django-otp makes the next try wait one second
    page.get_by_label("Code à 6 chiffres").fill(next_code(device))
    page.get_by_role("button", name="Valider le code").click()
    expect(page).to_have_url(reverse("contracts:contract_list"))
    goto(page, settings_page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Paramètres du contrat")
    page_problems.assert_none("la fin du parcours")

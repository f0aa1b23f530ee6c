"""End-to-end: a State agent signs in with ProConnect from an empty database, against the fake provider of
``contrat_ville.accounts.tests.fake_oidc`` (a real OpenID Connect server on the loopback, started by the test), and
signs out of both."""

import copy
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from playwright.sync_api import Page, expect
from pytest_django import Settings

from config.settings.base import url_origin
from contrat_ville.accounts.tests.fake_oidc import FakeProvider, Identity, running
from tests.e2e.helpers import PageProblems, check, goto

pytestmark = [pytest.mark.browser]

SCREENSHOTS_DIR = Path(django_settings.BASE_DIR) / "screenshots"


@pytest.fixture
def provider(settings: Settings) -> Iterator[FakeProvider]:
    """The fake ProConnect, and the settings that point at it (what the PROCONNECT_* variables give in production,
    the end of session's origin in the CSP's form-action included)."""
    with running(settings) as fake:
        fake.identity = Identity(
            email="dominique.lenoir@interieur.gouv.fr", given_name="Dominique", usual_name="Lenoir"
        )
        policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
        policy["DIRECTIVES"]["form-action"].append(url_origin(fake.settings()["OIDC_OP_LOGOUT_ENDPOINT"]))
        settings.CONTENT_SECURITY_POLICY = policy
        yield fake


def test_state_agent_signs_in_with_proconnect_and_out(
    provider: FakeProvider, live_server: Any, page: Page, page_problems: PageProblems
) -> None:
    goto(page, reverse("accounts:login"))
    proconnect = page.get_by_test_id("proconnect")
    expect(proconnect.get_by_role("link", name="Qu\u2019est-ce que ProConnect ?")).to_be_visible()
    if os.environ.get("SCREENSHOTS") == "1":
        SCREENSHOTS_DIR.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOTS_DIR / "login_proconnect.png", full_page=True)
    check(page, page_problems, "la page de connexion avec ProConnect")

    proconnect.get_by_role("link", name="S\u2019identifier avec ProConnect").click()

    expect(page).to_have_url(reverse("contracts:contract_list"))
    expect(page.get_by_test_id("current-user")).to_have_text("Dominique Lenoir")
    check(page, page_problems, "la liste des contrats après ProConnect")
    assert provider.requests == ["/authorize", "/token", "/jwks", "/userinfo", "/jwks"]

    page.get_by_role("button", name="Se déconnecter").click()

    # The platform's logout, then ProConnect's end of session, which sends the browser back to the home page.
    page.wait_for_url(lambda url: url.startswith(f"{live_server.url}/?state="))
    expect(page.get_by_test_id("current-user")).to_have_count(0)
    assert "/session/end" in provider.requests


def test_a_proconnect_sign_in_with_two_factors_is_told_no_code_is_asked(
    provider: FakeProvider, live_server: Any, page: Page, page_problems: PageProblems
) -> None:
    provider.identity.amr = ["pwd", "totp", "mfa"]
    goto(page, reverse("accounts:two_factor"))
    page.get_by_test_id("proconnect").get_by_role("link", name="S\u2019identifier avec ProConnect").click()

    expect(page).to_have_url(reverse("accounts:two_factor"))
    expect(page.get_by_text("Votre connexion par ProConnect a utilisé deux facteurs")).to_be_visible()
    if os.environ.get("SCREENSHOTS") == "1":
        SCREENSHOTS_DIR.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOTS_DIR / "two_factor_proconnect.png", full_page=True)
    check(page, page_problems, "la double authentification après ProConnect à deux facteurs")

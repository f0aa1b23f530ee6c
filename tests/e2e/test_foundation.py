"""End-to-end tests of the foundation: sign-in, contract pages and their map, public pages, 404, healthz.

Every page is also checked with axe-core (WCAG 2.1 A/AA: serious and critical violations fail) and
for failed sub-resources, console errors and uncaught JS errors.

The data comes from ``foundation`` (tests/conftest.py), created before the browser starts: the test
bodies never call the ORM (see tests/e2e/conftest.py).
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Page, expect
from pytest_django import Settings

from contrat_ville.accounts.tests.factories import UserFactory
from contrat_ville.core.registries import DemoAccount, demo_accounts
from tests.conftest import Foundation
from tests.e2e.axe import assert_accessible
from tests.e2e.helpers import PageProblems, check, goto

pytestmark = [pytest.mark.browser]

SCREENSHOTS_DIR = Path(settings.BASE_DIR) / "screenshots"
E2E_DEMO_ACCOUNT = DemoAccount(email="demo-e2e@exemple.test", role="pilote (EPCI)")


@pytest.fixture
def demo_account(db: None) -> Iterator[DemoAccount]:
    """One entry in the demo accounts registry (filled by the demo app, perhaps empty in tests), and its user: the
    login page lists the demo accounts only where the demo was loaded."""
    UserFactory.create(email=E2E_DEMO_ACCOUNT.email)
    already = "e2e" in demo_accounts
    demo_accounts.register("e2e", E2E_DEMO_ACCOUNT)
    yield E2E_DEMO_ACCOUNT
    if not already:
        demo_accounts.unregister("e2e")


def test_login_page_lists_demo_accounts(page: Page, page_problems: PageProblems, demo_account: DemoAccount) -> None:
    assert settings.DEMO_MODE, "Les réglages de test activent DEMO_MODE."

    goto(page, reverse("accounts:login"))

    expect(page).to_have_title(f"Se connecter — {settings.PLATFORM_NAME}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter")
    expect(page.get_by_label("Adresse électronique")).to_be_visible()
    expect(page.get_by_label("Mot de passe")).to_be_visible()
    expect(page.get_by_role("button", name="Se connecter")).to_be_visible()
    expect(page.get_by_test_id("demo-accounts")).to_contain_text(demo_account.email)
    check(page, page_problems, "la page de connexion")


def test_pilot_signs_in_and_sees_the_map_of_their_contract(
    foundation: Foundation, page: Page, page_problems: PageProblems
) -> None:
    goto(page, reverse("accounts:login"))
    page.get_by_label("Adresse électronique").fill(foundation.pilot_email)
    page.get_by_label("Mot de passe").fill(foundation.pilot_password)
    page.get_by_role("button", name="Se connecter").click()

    expect(page).to_have_url(reverse("contracts:contract_list"))
    expect(page.get_by_test_id("current-user")).to_have_text(foundation.pilot_name)
    check(page, page_problems, "la liste des contrats (pilote)")

    page.get_by_role("link", name=foundation.private_name).click()

    expect(page).to_have_url(reverse("contracts:contract_home", args=[foundation.private_slug]))
    expect(page.get_by_role("heading", level=1)).to_have_text(foundation.private_name)
    expect(page.get_by_test_id("dashboard-panels")).to_be_visible()
    if os.environ.get("SCREENSHOTS") == "1":
        SCREENSHOTS_DIR.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOTS_DIR / "contract_home.png", full_page=True)
    check(page, page_problems, "le tableau de bord du contrat (pilote)")

    page.get_by_test_id("territory-link").click()
    expect(page).to_have_url(reverse("contracts:contract_territory", args=[foundation.private_slug]))
    expect(page.locator('[data-testid="contract-map"][data-map-ready="true"]')).to_be_visible()
    expect(page.locator('[data-testid="contract-map"] path.leaflet-interactive').first).to_be_visible()
    check(page, page_problems, "le territoire et les signataires (pilote)")

    page.get_by_test_id("contract-sidemenu").get_by_role("link", name="Membres").click()
    expect(page).to_have_url(reverse("contracts:contract_members", args=[foundation.private_slug]))
    expect(page.get_by_test_id("members-table")).to_contain_text(foundation.pilot_name)
    check(page, page_problems, "les membres du contrat (pilote)")


def test_visitor_browses_public_pages_only(foundation: Foundation, page: Page, page_problems: PageProblems) -> None:
    goto(page, reverse("home"))
    expect(page.get_by_role("heading", level=1)).to_have_text(settings.PLATFORM_NAME)
    expect(page.get_by_role("banner").get_by_role("link", name="Se connecter")).to_be_visible()
    check(page, page_problems, "l'accueil de la plateforme")

    goto(page, reverse("contracts:contract_list"))
    main = page.locator("main")
    expect(main.get_by_role("link", name=foundation.published_name)).to_be_visible()
    expect(main.get_by_text(foundation.private_name)).to_have_count(0)
    check(page, page_problems, "la liste des contrats (visiteur)")

    main.get_by_role("link", name=foundation.published_name).click()
    expect(page).to_have_url(reverse("contracts:contract_home", args=[foundation.published_slug]))
    expect(page.get_by_role("heading", level=1)).to_have_text(foundation.published_name)
    check(page, page_problems, "l'accueil du contrat publié (visiteur)")

    territory_url = reverse(
        "territories:territory_detail",
        kwargs={"kind": foundation.qpv_kind, "vintage": foundation.qpv_vintage, "code": foundation.qpv_code},
    )
    goto(page, territory_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text(foundation.qpv_name)
    check(page, page_problems, f"la page du territoire {territory_url}")

    goto(page, reverse("territories:territory_search") + f"?q={foundation.qpv_code}")
    expect(page.locator("main")).to_contain_text(foundation.qpv_name)
    check(page, page_problems, "la recherche de territoires")


def test_visitor_gets_a_404_page_on_a_private_contract(
    foundation: Foundation, page: Page, page_problems: PageProblems
) -> None:
    goto(page, reverse("contracts:contract_home", args=[foundation.private_slug]), status=404)

    expect(page.get_by_role("heading", level=1)).to_have_text("Page introuvable")
    expect(page.locator("main")).not_to_contain_text(foundation.private_name)
    check(page, page_problems, "la page 404")


def test_403_page(settings: Settings, page: Page, page_problems: PageProblems) -> None:
    # No page answers 403 yet: a test-only route raises PermissionDenied like contract_view(roles=…).
    settings.ROOT_URLCONF = "tests.e2e.urls"
    goto(page, "/_e2e/403/", status=403)

    expect(page.get_by_role("heading", level=1)).to_have_text("Action non autorisée")
    check(page, page_problems, "la page 403")


def test_axe_check_fails_on_a_serious_violation(page: Page) -> None:
    """The harness itself: axe-core is really injected despite the CSP, and a violation is reported."""
    goto(page, reverse("healthz"))
    page.set_content(
        '<html lang="fr"><head><title>t</title></head><body><main><img src="data:,"></main></body></html>'
    )

    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page, "une page sans alternative d'image")


def test_healthz_answers_ok(page: Page) -> None:
    response = goto(page, reverse("healthz"))

    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {"status": "ok", "database": "ok"}

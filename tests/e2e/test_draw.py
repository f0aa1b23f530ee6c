"""End-to-end scenario of a draw by lot (issue 11 §3) on a contract created from scratch, no demo: the pilot
registers the conseil citoyen → prepares a draw → imports a pool in which parity is impossible and reads the French
refusal → imports a good pool → enters the public seed → draws → publishes → a visitor, signed out, downloads the
published file and redoes the draw on the verification page.

Every page visited is checked with axe-core (WCAG 2.1 A/AA) and for failed sub-resources, console and JS errors.
The data is created before the browser starts; the test body never calls the ORM (see tests/e2e/conftest.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from contrat_ville.accounts.tests.factories import TEST_PASSWORD, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.strategy.tests.factories import add_qpv
from tests.e2e.helpers import PageProblems, check, goto, sign_in

pytestmark = [pytest.mark.browser]

COUNCIL = "Conseil citoyen des Tilleuls"
SEED = "Loto du 2 décembre 2026 : 7 12 23 31 45, numéro chance 4"


@dataclass(frozen=True)
class DrawScenario:
    slug: str
    pilot_email: str
    qpv_label: str


@pytest.fixture
def draw_scenario(db: None) -> DrawScenario:
    """A published contract with one QPV and its pilot: no council, no draw."""
    contract = make_contract(name="Contrat de ville des Tilleuls", published=True)
    qpv = add_qpv(contract, code="QN03501M", name="Les Tilleuls")
    pilot = UserFactory.create(email="pilote-tirage@exemple.test", first_name="Inès", last_name="Morel")
    grant(contract, pilot, Role.PILOT)
    return DrawScenario(slug=contract.slug, pilot_email=pilot.email, qpv_label=f"{qpv.name} ({qpv.code})")


def _pool(women: int, men: int) -> bytes:
    """A pool CSV: residents numbered H-… (men) and F-… (women), from the volunteers' list."""
    lines = ["identifiant;sexe;college;liste"]
    lines += [f"F-{number:03d};F;habitants;volontaires" for number in range(1, women + 1)]
    lines += [f"H-{number:03d};H;habitants;volontaires" for number in range(1, men + 1)]
    return ("\n".join(lines) + "\n").encode()


def _import_pool(page: Page, content: bytes) -> None:
    form = page.get_by_test_id("pool-form")
    form.get_by_label("Vivier des candidats (CSV)").set_input_files(
        {"name": "vivier.csv", "mimeType": "text/csv", "buffer": content}
    )
    form.get_by_role("button", name="Importer le vivier").click()


def test_a_pilot_imports_a_pool_draws_publishes_and_anyone_verifies(
    draw_scenario: DrawScenario, page: Page, page_problems: PageProblems
) -> None:
    scenario = draw_scenario
    heading = page.get_by_role("heading", level=1)

    # The council, registered from the web.
    sign_in(page, scenario.pilot_email, TEST_PASSWORD)
    goto(page, reverse("participation:council_list", args=[scenario.slug]))
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="Inscrire un conseil citoyen").click()
    page.get_by_label("Nom du conseil citoyen").fill(COUNCIL)
    page.get_by_label(scenario.qpv_label).check()
    page.get_by_label("Forme juridique").select_option("collective")
    page.get_by_role("button", name="Inscrire le conseil").click()
    expect(heading).to_have_text(COUNCIL)

    # A draw of six residents' seats and two substitutes.
    page.get_by_role("link", name="Préparer un tirage au sort").click()
    check(page, page_problems, "la préparation d'un tirage")
    page.get_by_label("Intitulé").fill("Renouvellement du collège des habitants 2027")
    page.get_by_label("Sièges du collège des habitants").fill("6")
    page.get_by_label("Sièges du collège des associations et acteurs locaux").fill("0")
    page.get_by_label("Suppléants par collège (liste complémentaire)").fill("2")
    page.get_by_role("button", name="Préparer le tirage").click()
    expect(page.get_by_test_id("draw-status")).to_have_text("en préparation")
    check(page, page_problems, "le tirage en préparation")
    draw_url = page.url

    # A pool with two women only cannot give three women and three men: the draw refuses, in French.
    _import_pool(page, _pool(women=2, men=10))
    expect(page.get_by_test_id("draw-pool")).to_contain_text("12 candidats")
    page.get_by_test_id("seed-form").get_by_label("Graine publique").fill(SEED)
    page.get_by_test_id("seed-form").get_by_label("Origine de la graine").fill("Résultat publié par la FDJ")
    page.get_by_role("button", name="Enregistrer la graine").click()
    expect(page.get_by_test_id("draw-seed")).to_contain_text(SEED)
    page.get_by_role("button", name="Lancer le tirage").click()
    expect(page.get_by_text("ne permet pas la parité")).to_be_visible()
    expect(page.get_by_text("il compte 2 femme(s) et 10 homme(s)")).to_be_visible()

    # A faulty file is refused with its line and column, and keeps the previous pool.
    _import_pool(page, b"identifiant;sexe\nF-001;F\nX-002;Z\n")
    errors = page.get_by_test_id("form-errors")
    expect(errors).to_contain_text("ligne 3, colonne sexe")
    expect(errors).to_contain_text("sexe attendu F ou H")
    check(page, page_problems, "le vivier refusé")
    goto(page, draw_url)
    expect(page.get_by_test_id("draw-pool")).to_contain_text("12 candidats")

    # The right pool; the draw; the publication.
    _import_pool(page, _pool(women=9, men=8))
    expect(page.get_by_test_id("draw-pool")).to_contain_text("17 candidats")
    page.get_by_role("button", name="Lancer le tirage").click()
    seated = page.get_by_test_id("draw-seated").get_by_role("listitem")
    expect(seated).to_have_count(6)
    expect(page.get_by_test_id("draw-substitutes").get_by_role("listitem")).to_have_count(2)
    fingerprint = page.get_by_test_id("draw-fingerprint").locator("code").inner_text()
    assert len(fingerprint) == 64
    check(page, page_problems, "le tirage effectué")
    page.get_by_role("link", name="Publier le tirage").click()
    check(page, page_problems, "la confirmation de la publication")
    page.get_by_role("button", name="Publier le tirage").click()
    expect(page.get_by_test_id("draw-status")).to_have_text("publié")
    expect(page.get_by_role("button", name="Lancer le tirage")).to_have_count(0)
    expect(page.get_by_role("button", name="Relancer le tirage")).to_have_count(0)

    # Signed out, anyone downloads the published file and redoes the draw.
    page.context.clear_cookies()
    goto(page, draw_url)
    page.wait_for_load_state("networkidle")
    page_problems.clear()
    check(page, page_problems, "le tirage publié, vu d'un visiteur")
    expect(page.get_by_test_id("draw-fingerprint")).to_contain_text(fingerprint)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le fichier du tirage (JSON)").click()
    published = json.loads(download_info.value.path().read_text(encoding="utf-8"))
    assert published["seed"] == SEED
    assert published["fingerprint"] == fingerprint
    assert len(published["pool"]) == 17
    seated_sexes = [sex for _, sex in published["result"]["colleges"]["residents"]["seated"]]
    assert sorted(seated_sexes) == ["female", "female", "female", "male", "male", "male"]
    page.get_by_role("link", name="Refaire le tirage et vérifier").click()
    expect(page.get_by_test_id("draw-verified")).to_contain_text(fingerprint)
    check(page, page_problems, "la vérification publique du tirage")

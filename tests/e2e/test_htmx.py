"""htmx in Chromium: the stake list's pillar filter and the strategic tree's filters swap their results without
reloading the page (the URL follows, the back button restores it), and an action's status and progress change in
place on its page. Each state is checked with axe-core and for console errors (a script the CSP refuses, an htmx
error). The data comes from ``htmx_scenario``, created before the browser starts (see tests/e2e/conftest.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from contrat_ville.accounts.tests.factories import TEST_PASSWORD, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.diagnostic.tests.factories import make_stake, pillars
from contrat_ville.strategy.tests.factories import make_tree
from tests.e2e.helpers import PageProblems, check, goto, sign_in

pytestmark = [pytest.mark.browser]

# Set on the page before an interaction: still there afterwards only if the page was not reloaded.
MARK = "window.__sameDocument = true"
SAME_DOCUMENT = "() => window.__sameDocument === true"


@dataclass(frozen=True)
class HtmxScenario:
    pilot_email: str
    slug: str
    pillar_label: str
    pillar_code: str
    action_id: int
    action_title: str


@pytest.fixture
def htmx_scenario(db: None) -> HtmxScenario:
    """A contract with a stake in each of two pillars and a strategic tree of two actions, and its pilot."""
    contract = make_contract(name="Contrat de ville de la Vallée")
    pilot = UserFactory.create(email="pilote-htmx@exemple.test", first_name="Élise", last_name="Marchand")
    grant(contract, pilot, Role.PILOT)
    first, second = pillars(contract)[:2]
    make_stake(contract, pillar=first, title="Réussite éducative")
    make_stake(contract, pillar=second, title="Accès à l'emploi des jeunes")
    _, _, (action, _) = make_tree(contract, action_count=2)
    return HtmxScenario(
        pilot_email=pilot.email,
        slug=contract.slug,
        pillar_label=second.label,
        pillar_code=second.code,
        action_id=action.pk,
        action_title=action.title,
    )


def test_filters_and_an_action_status_change_without_reloading(
    htmx_scenario: HtmxScenario, page: Page, page_problems: PageProblems
) -> None:
    scenario = htmx_scenario
    sign_in(page, scenario.pilot_email, TEST_PASSWORD)

    # The stake list: choosing a pillar swaps the results in place, and the URL can be shared.
    stake_list = reverse("diagnostic:stake_list", args=[scenario.slug])
    goto(page, stake_list)
    count = page.get_by_test_id("pillar-count")
    expect(count).to_have_text("2 enjeux.")
    check(page, page_problems, "la liste des enjeux")
    page.evaluate(MARK)
    page.get_by_test_id("pillar-filter").get_by_label("Pilier").select_option(label=scenario.pillar_label)
    expect(count).to_have_text("1 enjeu pour ce pilier.")
    expect(page).to_have_url(re.compile(re.escape(f"{stake_list}?pilier={scenario.pillar_code}") + "$"))
    expect(page.get_by_role("main")).to_contain_text("Accès à l'emploi des jeunes")
    expect(page.get_by_role("main")).not_to_contain_text("Réussite éducative")
    assert page.evaluate(SAME_DOCUMENT)
    check(page, page_problems, "la liste des enjeux filtrée sans rechargement")
    # Back: the whole list again.
    page.go_back()
    expect(count).to_have_text("2 enjeux.")
    check(page, page_problems, "la liste des enjeux, de retour")

    # The strategic tree: a search narrows the tree without a reload.
    tree = reverse("strategy:tree", args=[scenario.slug])
    goto(page, tree)
    page.evaluate(MARK)
    filters = page.get_by_test_id("tree-filters")
    filters.get_by_label("Rechercher").fill(scenario.action_title)
    filters.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_test_id("tree-counts")).to_contain_text("Résultats des filtres")
    expect(page.get_by_test_id("tree-action")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"\?q="))
    assert page.evaluate(SAME_DOCUMENT)
    check(page, page_problems, "l'arbre stratégique filtré sans rechargement")

    # An action's page: its status and progress change in place; the history keeps the comment.
    goto(page, reverse("strategy:action_detail", args=[scenario.slug, scenario.action_id]))
    expect(page.get_by_test_id("action-status")).to_have_text("prévue")
    page.evaluate(MARK)
    page.get_by_text("Mettre à jour l'état et l'avancement").click()
    form = page.get_by_test_id("action-progress-form")
    form.get_by_label("Avancement (%)").fill("150")
    form.get_by_role("button", name="Enregistrer l'état et l'avancement").click()
    expect(page.get_by_test_id("action-progress")).to_contain_text("L'avancement est compris entre 0 et 100 %.")
    check(page, page_problems, "l'erreur de l'avancement, en place")
    form = page.get_by_test_id("action-progress-form")
    form.get_by_role("combobox", name="État").select_option(label="en cours")
    form.get_by_label("Avancement (%)").fill("40")
    form.get_by_label("Commentaire sur le changement d'état").fill("Premiers ateliers tenus.")
    form.get_by_role("button", name="Enregistrer l'état et l'avancement").click()
    expect(page.get_by_test_id("action-status")).to_have_text("en cours")
    expect(page.get_by_test_id("action-progress")).to_contain_text("avancement : 40 %")
    expect(page.get_by_role("status")).to_contain_text("État et avancement de l'action enregistrés.")
    assert page.evaluate(SAME_DOCUMENT)
    check(page, page_problems, "la page de l'action après le changement d'état")
    page.reload()
    expect(page.get_by_test_id("status-changes")).to_contain_text("Premiers ateliers tenus.")
    check(page, page_problems, "la page de l'action rechargée")

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from contrat_ville.accounts.tests.factories import UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.navigation import (
    HOME_ENTRY_KEY,
    MEMBERS_ENTRY_KEY,
    TERRITORY_ENTRY_KEY,
    contract_navigation,
)
from contrat_ville.contracts.selectors import contract_access
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.core.registries import HomePanel, NavigationEntry, home_panels, navigation_entries

pytestmark = pytest.mark.django_db

FAKE_KEY = "tests.fake_entry"


@pytest.fixture(autouse=True)
def only_contracts_entries():
    """These tests are about the contracts app's own menu: entries of higher apps are set aside meanwhile."""
    saved = dict(navigation_entries._entries)
    for key in list(saved):
        if key not in {HOME_ENTRY_KEY, TERRITORY_ENTRY_KEY, MEMBERS_ENTRY_KEY}:
            navigation_entries.unregister(key)
    yield
    navigation_entries._entries.clear()
    navigation_entries._entries.update(saved)


@pytest.fixture
def fake_entry():
    entry = NavigationEntry(label="Entrée de test", url_name="contracts:contract_members", order=500)
    navigation_entries.register(FAKE_KEY, entry)
    yield entry
    navigation_entries.unregister(FAKE_KEY)


def test_contracts_app_registers_its_own_entries():
    assert HOME_ENTRY_KEY in navigation_entries
    assert MEMBERS_ENTRY_KEY in navigation_entries


def test_members_entry_is_shown_to_members_only():
    contract = make_contract(published=True)
    pilot = UserFactory()
    grant(contract, pilot, Role.PILOT)
    member_labels = [
        item.label
        for item in contract_navigation(access=contract_access(user=pilot, slug=contract.slug, private=False))
    ]
    visitor_labels = [
        item.label
        for item in contract_navigation(
            access=contract_access(user=AnonymousUser(), slug=contract.slug, private=False)
        )
    ]
    assert member_labels == ["Tableau de bord", "Territoire et signataires", "Membres"]
    assert visitor_labels == ["Tableau de bord", "Territoire et signataires"]


def test_current_entry_is_marked():
    contract = make_contract(published=True)
    access = contract_access(user=AnonymousUser(), slug=contract.slug, private=False)
    items = contract_navigation(access=access, current_view_name="contracts:contract_home")
    assert [item.is_current for item in items] == [True, False]
    assert items[0].url == reverse("contracts:contract_home", kwargs={"contract_slug": contract.slug})


def test_registered_entry_appears_then_disappears_when_unregistered(client):
    contract = make_contract()
    pilot = UserFactory()
    grant(contract, pilot, Role.PILOT)
    client.force_login(pilot)
    url = reverse("contracts:contract_home", kwargs={"contract_slug": contract.slug})
    navigation_entries.register(
        FAKE_KEY, NavigationEntry(label="Entrée de test", url_name="contracts:contract_members", order=500)
    )
    try:
        assert "Entrée de test" in client.get(url).content.decode()
    finally:
        navigation_entries.unregister(FAKE_KEY)
    assert "Entrée de test" not in client.get(url).content.decode()


def test_entry_visibility_receives_membership(fake_entry):
    contract = make_contract(published=True)
    seen = []

    def only_pilots(membership):
        seen.append(membership)
        return membership is not None and membership.role == Role.PILOT

    navigation_entries.register(
        "tests.pilots_only", NavigationEntry("Pilotes", "contracts:contract_home", 600, only_pilots)
    )
    try:
        anonymous = contract_access(user=AnonymousUser(), slug=contract.slug, private=False)
        assert "Pilotes" not in [item.label for item in contract_navigation(access=anonymous)]
        pilot = UserFactory()
        grant(contract, pilot, Role.PILOT)
        member = contract_access(user=pilot, slug=contract.slug, private=False)
        labels = [item.label for item in contract_navigation(access=member)]
        assert labels == ["Tableau de bord", "Territoire et signataires", "Entrée de test", "Pilotes", "Membres"]
    finally:
        navigation_entries.unregister("tests.pilots_only")
    assert seen[0] is None
    assert seen[1].role == Role.PILOT


def test_entry_whose_url_is_not_routed_is_skipped():
    contract = make_contract(published=True)
    navigation_entries.register("tests.missing", NavigationEntry("Page absente", "inexistant:page"))
    try:
        access = contract_access(user=AnonymousUser(), slug=contract.slug, private=False)
        assert "Page absente" not in [item.label for item in contract_navigation(access=access)]
    finally:
        navigation_entries.unregister("tests.missing")


def test_registered_home_panel_is_rendered_on_the_contract_home(client):
    contract = make_contract(published=True)
    home_panels.register(
        "tests.panel",
        HomePanel(
            title="Panneau de test",
            template="ui/components/empty_state.html",
            get_context=lambda contract, membership: {"message": f"Message pour {contract.slug}"},
        ),
    )
    try:
        html = client.get(reverse("contracts:contract_home", kwargs={"contract_slug": contract.slug})).content.decode()
    finally:
        home_panels.unregister("tests.panel")
    assert re.search(r'<h3 id="panel-\d+" class="fr-h5">Panneau de test</h3>', html)
    assert f"Message pour {contract.slug}" in html

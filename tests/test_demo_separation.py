"""The demo is one contract among others (issue 10 §8): its banner shows on demo contracts only, its accounts on
the login page only where the demo was loaded, and ``make demo`` serves without debug pages."""

from __future__ import annotations

import importlib

import pytest
from django.urls import reverse

from contrat_ville.accounts.tests.factories import UserFactory
from contrat_ville.contracts.tests.factories import make_contract
from contrat_ville.core.registries import DemoAccount, demo_accounts

pytestmark = pytest.mark.django_db

BANNER = 'data-testid="demo-banner"'


def test_the_demo_banner_shows_on_a_demo_contract_only(client):
    demo = make_contract(name="Contrat de démonstration", published=True, is_demo=True)
    real = make_contract(name="Contrat de ville de Rennes Métropole", published=True)
    assert BANNER in client.get(reverse("contracts:contract_home", args=[demo.slug])).content.decode()
    assert BANNER not in client.get(reverse("contracts:contract_home", args=[real.slug])).content.decode()
    listing = client.get(reverse("contracts:contract_list")).content.decode()
    assert listing.count("Démonstration</p>") == 1  # the demo contract's badge in the list
    assert BANNER not in listing


@pytest.fixture
def registered_demo_account():
    account = DemoAccount(email="demo-separation@exemple.fr", role="pilote de démonstration")
    demo_accounts.register("demo-separation", account)
    yield account
    demo_accounts.unregister("demo-separation")


def test_the_login_page_lists_demo_accounts_only_once_the_demo_is_loaded(client, registered_demo_account):
    assert "demo-separation@exemple.fr" not in client.get(reverse("accounts:login")).content.decode()
    UserFactory.create(email=registered_demo_account.email)
    assert "demo-separation@exemple.fr" in client.get(reverse("accounts:login")).content.decode()


def test_make_demo_serves_without_debug_pages():
    demo_settings = importlib.import_module("config.settings.demo")
    assert demo_settings.DEBUG is False
    assert demo_settings.DEMO_MODE is True
    with open("Makefile", encoding="utf-8") as makefile:
        assert "DJANGO_SETTINGS_MODULE=config.settings.demo" in makefile.read()

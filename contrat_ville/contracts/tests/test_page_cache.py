"""The contract's dashboard served from the cache until a write commits (``core.page_cache``, ``core.data_version``):
one entry per viewer, never after a change, never with a stale CSP nonce, never for another browser's CSRF token."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contrat_ville.accounts.tests.factories import UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.core import data_version

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def real_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def contract():
    return make_contract(name="Contrat de ville du Pré-Haut")


@pytest.fixture
def pilot(client, contract):
    user = UserFactory.create(first_name="Nora", last_name="Benali")
    grant(contract, user, Role.PILOT)
    client.force_login(user)
    client.cookies["csrftoken"] = "a" * 32
    return user


def home(contract) -> str:
    return reverse("contracts:contract_home", kwargs={"contract_slug": contract.slug})


def nonce_of(response) -> str:
    html = response.content.decode()
    start = html.index('nonce="') + len('nonce="')
    return html[start : html.index('"', start)]


def test_a_second_visit_is_served_from_the_cache_with_a_fresh_nonce(client, contract, pilot):
    first = client.get(home(contract))
    assert "X-Page-Cache" not in first
    with CaptureQueriesContext(connection) as queries:
        second = client.get(home(contract))
    assert second["X-Page-Cache"] == "hit"
    assert len(queries) <= 3  # the session, the user, the data version
    assert contract.name in second.content.decode()
    assert nonce_of(second) != nonce_of(first)
    assert f"'nonce-{nonce_of(second)}'" in second["Content-Security-Policy"]
    assert "__cv_csp_nonce__" not in second.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_committed_write_changes_the_version_and_the_page(client, contract, pilot):
    client.get(home(contract))
    before = data_version.current()
    with transaction.atomic():
        contract.summary = "Un résumé écrit après la première visite."
        contract.save()
        contract.save()  # one bump per transaction, however many rows it writes
        assert data_version.current() == before  # not before the commit
    assert data_version.current() == before + 1
    with pytest.raises(RuntimeError), transaction.atomic():
        contract.save()
        raise RuntimeError("rolled back")
    assert data_version.current() == before + 1  # a rolled-back write changes nothing
    response = client.get(home(contract))
    assert "X-Page-Cache" not in response
    assert "Un résumé écrit après la première visite." in response.content.decode()


def test_each_viewer_has_their_own_page(client, contract, pilot):
    client.get(home(contract))
    other = UserFactory.create()
    grant(contract, other, Role.PARTNER)
    client.force_login(other)
    client.cookies["csrftoken"] = "b" * 32
    response = client.get(home(contract))
    assert "X-Page-Cache" not in response
    assert "partenaire" in response.content.decode()


def test_a_private_contract_refused_to_an_outsider_is_never_cached(client, contract, pilot):
    client.get(home(contract))
    client.force_login(UserFactory.create())
    assert client.get(home(contract)).status_code == 404
    assert client.get(home(contract)).status_code == 404


def test_a_page_with_a_form_is_not_cached_for_a_browser_without_csrf_cookie(client, contract, pilot):
    del client.cookies["csrftoken"]
    client.get(home(contract))
    client.cookies.pop("csrftoken", None)
    assert "X-Page-Cache" not in client.get(home(contract))


def test_a_pending_flash_message_bypasses_the_cache(client, contract, pilot):
    client.get(home(contract))
    session = client.session
    session["_messages"] = '[["__json_message", 0, 25, "Enregistré."]]'
    session.save()
    assert "X-Page-Cache" not in client.get(home(contract))

"""The API's rate limits (``accounts.api_auth``): anonymous callers by address, accounts by user, rates from the
settings; beyond, 429 in French in the API's error shape with Retry-After. And CSRF on session calls: the browser
session authenticates reads only, so a session-authenticated write without a CSRF token is refused."""

from __future__ import annotations

import pytest
from django.test import Client

from contrat_ville.accounts.tests.factories import UserFactory, bearer
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.strategy.models import Orientation

pytestmark = pytest.mark.django_db

URL = "/api/v1/territories"


@pytest.fixture
def low_rates(settings):
    """Two calls a minute for each budget, and a cache that remembers them (the suite's is a dummy)."""
    settings.API_THROTTLE_RATES = {"anon": "2/min", "user": "3/min"}
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api"}}
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def test_an_anonymous_caller_beyond_its_rate_gets_429_in_french(low_rates):
    client = Client()
    assert [client.get(URL).status_code for _ in range(2)] == [200, 200]
    refused = client.get(URL)
    assert refused.status_code == 429
    assert refused.json()["detail"].startswith("Trop de requêtes : la limite de débit de l'API est atteinte.")
    assert int(refused["Retry-After"]) > 0
    # Another address has its own budget.
    assert Client(REMOTE_ADDR="192.0.2.7").get(URL).status_code == 200


def test_an_account_has_its_own_budget_whatever_its_token(low_rates):
    user = UserFactory.create()
    first, second = bearer(user), bearer(user)
    client = Client()
    assert [client.get(URL, headers=first).status_code for _ in range(2)] == [200, 200]
    assert client.get(URL, headers=second).status_code == 200
    assert client.get(URL, headers=second).status_code == 429
    assert client.get(URL, headers=bearer(UserFactory.create())).status_code == 200
    # The anonymous budget of the same address is untouched by the account's calls.
    assert client.get(URL).status_code == 200


def test_the_suite_is_not_throttled():
    client = Client()
    assert all(client.get(URL).status_code == 200 for _ in range(30))


def test_the_openapi_document_declares_429_on_every_operation():
    from config.api import api

    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            answer = operation["responses"].get(429)
            assert answer, f"{method.upper()} {path} ne déclare pas 429"
            assert "Retry-After" in answer["description"]


def test_a_session_authenticated_write_without_csrf_token_is_refused():
    """The session authenticates reads only (``BearerTokenOrSession``): a cross-site form posting with the pilot's
    cookie is anonymous for the API — 401, nothing written."""
    pilot = UserFactory.create()
    contract = make_contract(name="Contrat publié", published=True)
    grant(contract, pilot, Role.PILOT)
    client = Client(enforce_csrf_checks=True)
    client.force_login(pilot)
    url = f"/api/v1/contracts/{contract.pk}/orientations"
    assert client.get(url).status_code == 200  # the session reads
    payload = {"pillar": "cadre_de_vie", "title": "Tranquillité publique", "axis_codes": []}
    response = client.post(url, payload, content_type="application/json")
    assert response.status_code == 401
    assert not Orientation.objects.filter(contract=contract).exists()
    # The same write with the pilot's token is accepted.
    accepted = client.post(url, payload, content_type="application/json", headers=bearer(pilot))
    assert accepted.status_code == 201, accepted.content

"""Sessions that end (``accounts.sessions``): after ``SESSION_IDLE_TIMEOUT`` without a request, and
``SESSION_COOKIE_AGE`` after sign-in."""

from __future__ import annotations

import time

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from contrat_ville.accounts.sessions import LAST_SEEN_AT, SIGNED_IN_AT
from contrat_ville.accounts.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

AWAITING = reverse("awaiting")


def _age(client, **seconds_ago: int) -> None:
    session = client.session
    for key, ago in seconds_ago.items():
        session[key] = int(time.time()) - ago
    session.save()


def test_sign_in_stamps_the_session(client):
    UserFactory(email="alix@exemple.test")
    client.post(reverse("accounts:login"), {"username": "alix@exemple.test", "password": TEST_PASSWORD})
    assert abs(client.session[SIGNED_IN_AT] - time.time()) < 5
    assert client.session[LAST_SEEN_AT] == client.session[SIGNED_IN_AT]


def test_an_idle_session_is_signed_out_and_sent_to_the_sign_in_page(client, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    client.force_login(UserFactory())
    _age(client, last_seen_at=31 * 60)
    response = client.get(AWAITING)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=%2Fa-faire%2F"
    assert "_auth_user_id" not in client.session
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert messages == ["Votre session a pris fin après 30 minutes sans activité : reconnectez-vous."]


def test_an_active_session_goes_on_and_its_last_use_is_written_at_most_once_a_minute(client, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    client.force_login(UserFactory())
    _age(client, last_seen_at=29 * 60)
    assert client.get(AWAITING).status_code == 200
    assert abs(client.session[LAST_SEEN_AT] - time.time()) < 5
    _age(client, last_seen_at=10)
    stamped = client.session[LAST_SEEN_AT]
    assert client.get(AWAITING).status_code == 200
    assert client.session[LAST_SEEN_AT] == stamped


def test_a_session_ends_after_its_age_even_when_active(client, settings):
    settings.SESSION_COOKIE_AGE = 8 * 3600
    client.force_login(UserFactory())
    _age(client, signed_in_at=8 * 3600 + 1, last_seen_at=10)
    response = client.get(AWAITING)
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert messages == ["Votre session a pris fin après 8 heures : reconnectez-vous."]


def test_the_api_sees_an_expired_session_as_anonymous(client, settings):
    client.force_login(UserFactory())
    _age(client, last_seen_at=settings.SESSION_IDLE_TIMEOUT + 1)
    assert client.get(reverse("api-1:contract_list")).status_code == 200
    assert "_auth_user_id" not in client.session


def test_anonymous_visitors_are_untouched(client):
    assert client.get(reverse("home")).status_code == 200

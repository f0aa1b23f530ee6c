"""Optional TOTP second factor (``accounts.two_factor``): enrolment, the sign-in's code step, removal, throttling."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from contrat_ville.accounts import selectors, two_factor
from contrat_ville.accounts.tests.factories import TEST_PASSWORD, UserFactory, code_from_secret, enrolled, fresh_code
from contrat_ville.core.exceptions import BusinessRuleError

pytestmark = pytest.mark.django_db

PAGE = reverse("accounts:two_factor")
VERIFY = reverse("accounts:two_factor_verify")
LOGIN = reverse("accounts:login")


def secret_on(html: str) -> str:
    start = html.index('data-testid="two-factor-secret">') + len('data-testid="two-factor-secret">')
    return html[start : html.index("<", start)]


def sign_in(client: Client, email: str, next_url: str = "") -> Any:
    data = {"username": email, "password": TEST_PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data)


# --- Services ----------------------------------------------------------------------------------------------------


def test_enrolment_keeps_one_unconfirmed_device_until_a_code_confirms_it():
    user = UserFactory()
    first = two_factor.two_factor_enrolment_start(user=user)
    assert two_factor.two_factor_enrolment_start(user=user).pk == first.pk
    assert not first.confirmed and not selectors.has_confirmed_device(user)
    device = two_factor.two_factor_confirm(user=user, code=fresh_code(first))
    assert device.confirmed and selectors.has_confirmed_device(user)
    with pytest.raises(BusinessRuleError, match="déjà active"):
        two_factor.two_factor_enrolment_start(user=user)


def test_a_wrong_code_confirms_nothing_and_is_throttled(settings):
    user = UserFactory()
    device = two_factor.two_factor_enrolment_start(user=user)
    with pytest.raises(BusinessRuleError, match="Code incorrect") as error:
        two_factor.two_factor_confirm(user=user, code="000000" if fresh_code(device) != "000000" else "111111")
    assert error.value.field == "code"
    device.refresh_from_db()
    assert not device.confirmed
    assert device.throttling_failure_count == 1
    # Right after a failure, even the right code waits its turn (django-otp: 1, 2, 4… seconds).
    with pytest.raises(BusinessRuleError, match="Trop de codes incorrects : attendez 1 seconde"):
        two_factor.two_factor_confirm(user=user, code=fresh_code(device))
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed


def test_check_and_remove_need_a_valid_code():
    user = UserFactory()
    device = enrolled(user)
    assert two_factor.two_factor_check(user=user, code=fresh_code(device)).pk == device.pk
    with pytest.raises(BusinessRuleError, match="Code incorrect"):
        two_factor.two_factor_remove(user=user, code="12345x")
    assert selectors.has_confirmed_device(user)


def test_remove_with_a_valid_code(settings):
    user = UserFactory()
    device = enrolled(user)
    two_factor.two_factor_remove(user=user, code=fresh_code(device))
    assert not TOTPDevice.objects.filter(user=user).exists()
    with pytest.raises(BusinessRuleError, match="n'est pas active"):
        two_factor.two_factor_check(user=user, code="123456")


def test_a_code_is_accepted_once():
    user = UserFactory()
    device = enrolled(user)
    code = fresh_code(device)
    two_factor.two_factor_check(user=user, code=code)
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    with pytest.raises(BusinessRuleError, match="Code incorrect"):
        two_factor.two_factor_check(user=user, code=code)


# --- Enrolment page ------------------------------------------------------------------------------------------------


def test_enrolment_page_shows_the_qr_code_and_the_secret_as_text(client):
    client.force_login(UserFactory())
    response = client.get(PAGE)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Double authentification — Plateforme des contrats de ville</title>" in html
    assert '<svg width="' in html and "QR code à scanner" in html
    assert len(secret_on(html).replace(" ", "")) == 32
    assert secret_on(client.get(PAGE).content.decode()) == secret_on(html)  # the same secret until confirmed
    assert "<script>" not in html  # CSP: no inline script


def test_enrolment_refuses_a_wrong_code_in_french_and_saves_nothing(client):
    user = UserFactory()
    client.force_login(user)
    client.get(PAGE)
    response = client.post(PAGE, {"code": "12 34"})
    assert response.status_code == 200
    assert "Le code compte exactement 6 chiffres." in response.content.decode()
    assert client.post(PAGE, {"code": ""}).content.decode().count("Saisissez le code à 6 chiffres") == 1
    device = TOTPDevice.objects.get(user=user)
    wrong = "000000" if fresh_code(device) != "000000" else "111111"
    response = client.post(PAGE, {"code": wrong})
    assert "Code incorrect ou expiré" in response.content.decode()
    assert not selectors.has_confirmed_device(user)
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_enrolment_with_the_code_of_the_secret_shown_activates_and_verifies_the_session(client):
    user = UserFactory()
    client.force_login(user)
    secret = secret_on(client.get(PAGE).content.decode())
    response = client.post(PAGE, {"code": code_from_secret(secret), "next": "/contrats/"})
    assert response.status_code == 302
    assert response["Location"] == "/contrats/"
    assert selectors.has_confirmed_device(user)
    assert client.session[DEVICE_ID_SESSION_KEY]
    html = client.get(PAGE).content.decode()
    assert 'data-testid="two-factor-active"' in html
    assert "Retirer la double authentification" in html


def test_enrolment_ignores_an_external_next_url(client):
    user = UserFactory()
    client.force_login(user)
    device = two_factor.two_factor_enrolment_start(user=user)
    response = client.post(PAGE, {"code": fresh_code(device), "next": "https://pirate.exemple.test/"})
    assert response["Location"] == PAGE


def test_removal_from_the_page_asks_a_code(client):
    user = UserFactory()
    device = enrolled(user)
    client.force_login(user)
    session = client.session  # a session verified earlier: not pending
    session.pop(two_factor.PENDING_SESSION_KEY, None)
    session.save()
    response = client.post(PAGE, {"code": "000000" if fresh_code(device) != "000000" else "111111"})
    assert "Code incorrect ou expiré" in response.content.decode()
    assert selectors.has_confirmed_device(user)
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    response = client.post(PAGE, {"code": fresh_code(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_pages_need_a_signed_in_user(client):
    assert client.get(PAGE)["Location"].startswith(LOGIN)
    assert client.get(VERIFY)["Location"].startswith(LOGIN)


# --- Sign-in -------------------------------------------------------------------------------------------------------


def test_without_a_device_the_sign_in_is_unchanged(client):
    UserFactory(email="alix@exemple.test")
    response = sign_in(client, "alix@exemple.test")
    assert response["Location"] == reverse("contracts:contract_list")
    assert client.get(reverse("contracts:contract_list")).status_code == 200


def test_with_a_device_the_sign_in_asks_the_code_before_any_page(client):
    user = UserFactory(email="alix@exemple.test")
    device = enrolled(user)
    sign_in(client, "alix@exemple.test", next_url="/territoires/")
    response = client.get("/territoires/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Fterritoires%2F"
    assert client.get(reverse("awaiting"))["Location"].startswith(VERIFY)
    # The API sees an anonymous caller until the code is given.
    assert client.get(reverse("api-1:contract_list")).status_code == 200
    page = client.get(f"{VERIFY}?next=/territoires/")
    assert page.status_code == 200
    assert "Code de double authentification" in page.content.decode()
    response = client.post(VERIFY, {"code": fresh_code(device), "next": "/territoires/"})
    assert response["Location"] == "/territoires/"
    assert two_factor.PENDING_SESSION_KEY not in client.session
    assert client.get(reverse("awaiting")).status_code == 200


def test_the_code_step_refuses_a_wrong_code_in_french(client):
    user = UserFactory(email="alix@exemple.test")
    device = enrolled(user)
    sign_in(client, "alix@exemple.test")
    response = client.post(VERIFY, {"code": "000000" if fresh_code(device) != "000000" else "111111"})
    assert response.status_code == 200
    assert "Code incorrect ou expiré" in response.content.decode()
    assert client.session.get(two_factor.PENDING_SESSION_KEY)
    assert client.get(reverse("awaiting"))["Location"].startswith(VERIFY)


def test_any_login_call_asks_the_code_not_only_the_password_form(client):
    """An identity provider's backend signs in with Django's ``login()`` too: the code step follows."""
    user = UserFactory()
    enrolled(user)
    client.force_login(user)
    assert client.get(reverse("awaiting"))["Location"].startswith(VERIFY)


def test_wrong_codes_count_as_failed_sign_ins_and_lock_the_account(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # only django-axes here
    user = UserFactory(email="alix@exemple.test")
    device = enrolled(user)
    sign_in(client, "alix@exemple.test")
    wrong = "000000" if fresh_code(device) != "000000" else "111111"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(VERIFY, {"code": wrong})
    response = client.post(VERIFY, {"code": fresh_code(device)})
    assert response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session
    locked = sign_in(client, "alix@exemple.test")
    assert locked.status_code in {403, 429}
    assert "Trop de tentatives de connexion" in locked.content.decode()


def test_verify_page_without_a_device_says_so(client):
    client.force_login(UserFactory())
    html = client.get(VERIFY).content.decode()
    assert "La double authentification n&#x27;est pas active sur votre compte" in html or (
        "La double authentification n'est pas active sur votre compte" in html
    )

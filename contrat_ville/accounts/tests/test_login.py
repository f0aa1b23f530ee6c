import pytest
from django.urls import reverse

from contrat_ville.accounts.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = reverse("accounts:login")
WRONG_LOGIN = "Adresse électronique ou mot de passe incorrect."


def login(client, email: str, password: str, **extra):
    return client.post(LOGIN_URL, {"username": email, "password": password, **extra})


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_login_page_is_in_french(client):
    response = client.get(LOGIN_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Se connecter — Plateforme des contrats de ville</title>" in html
    assert "Adresse électronique" in html
    assert "Mot de passe" in html


def test_login_by_email_redirects_to_the_contract_list(client):
    user = UserFactory(email="alix@exemple.test")
    response = login(client, "alix@exemple.test", TEST_PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("contracts:contract_list")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_email_is_case_insensitive(client):
    UserFactory(email="alix@exemple.test")
    assert login(client, "Alix@Exemple.TEST", TEST_PASSWORD).status_code == 302


def test_login_follows_a_safe_next_url(client):
    UserFactory(email="alix@exemple.test")
    response = login(client, "alix@exemple.test", TEST_PASSWORD, next="/territoires/")
    assert response.url == "/territoires/"


def test_login_ignores_an_external_next_url(client):
    UserFactory(email="alix@exemple.test")
    response = login(client, "alix@exemple.test", TEST_PASSWORD, next="https://pirate.exemple.test/")
    assert response.url == reverse("contracts:contract_list")


def test_wrong_password_shows_the_french_error(client):
    UserFactory(email="alix@exemple.test")
    response = login(client, "alix@exemple.test", "mauvais-mot-de-passe")
    assert response.status_code == 200
    assert WRONG_LOGIN in response.content.decode()
    assert not is_signed_in(client)


def test_inactive_account_cannot_sign_in(client):
    UserFactory(email="alix@exemple.test", is_active=False)
    response = login(client, "alix@exemple.test", TEST_PASSWORD)
    assert response.status_code == 200
    assert not is_signed_in(client)


def test_after_five_failures_the_account_is_locked_even_with_the_right_password(client):
    UserFactory(email="alix@exemple.test")
    for _ in range(5):
        login(client, "alix@exemple.test", "mauvais-mot-de-passe")
    response = login(client, "alix@exemple.test", TEST_PASSWORD)
    assert response.status_code in {403, 429}
    assert "Trop de tentatives de connexion" in response.content.decode()
    assert not is_signed_in(client)


def test_failures_below_the_limit_do_not_lock(client):
    UserFactory(email="alix@exemple.test")
    for _ in range(4):
        login(client, "alix@exemple.test", "mauvais-mot-de-passe")
    assert login(client, "alix@exemple.test", TEST_PASSWORD).status_code == 302


def test_lockout_is_per_account(client):
    UserFactory(email="alix@exemple.test")
    UserFactory(email="bastien@exemple.test")
    for _ in range(5):
        login(client, "alix@exemple.test", "mauvais-mot-de-passe")
    assert login(client, "bastien@exemple.test", TEST_PASSWORD).status_code == 302


def test_logout_by_post(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert not is_signed_in(client)


def test_logout_by_get_is_refused(client):
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert is_signed_in(client)


def test_header_shows_the_logout_form_to_a_signed_in_user(client):
    client.force_login(UserFactory(first_name="Alix", last_name="Martin"))
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="current-user"' in html
    assert "Alix Martin" in html
    assert f'action="{reverse("accounts:logout")}"' in html

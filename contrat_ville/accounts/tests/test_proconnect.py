"""ProConnect sign-in, against the fake provider of ``fake_oidc`` (a real HTTP server on the loopback): the whole
authorization code flow runs, tokens signed and checked, nothing mocked in the platform."""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from contrat_ville.accounts import proconnect, two_factor
from contrat_ville.accounts.models import User
from contrat_ville.accounts.tests.factories import TEST_PASSWORD, UserFactory, enrolled, fresh_code
from contrat_ville.accounts.tests.fake_oidc import FakeProvider, Identity, go_to_provider, running, sign_in

pytestmark = pytest.mark.django_db

LOGIN_URL = reverse("accounts:login")
AUTHENTICATE_URL = reverse("accounts:proconnect_authenticate")
CALLBACK_URL = reverse("accounts:proconnect_callback")
BUTTON = "S\u2019identifier avec"


@pytest.fixture
def provider(settings: Settings) -> Iterator[FakeProvider]:
    with running(settings) as fake:
        yield fake


def signed_in_user(client: Client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_new_state_agent_gets_an_account_with_no_contract_access(client, provider):
    provider.identity = Identity(
        email="Dominique.Prefete@Interieur.gouv.fr", given_name="Dominique", usual_name="Lenoir"
    )

    response = sign_in(client, provider)

    assert response.status_code == 302
    assert response.url == reverse("contracts:contract_list")
    user = signed_in_user(client)
    assert user is not None
    assert user.email == "dominique.prefete@interieur.gouv.fr"
    assert (user.first_name, user.last_name) == ("Dominique", "Lenoir")
    assert user.proconnect_sub == provider.identity.sub
    assert not user.has_usable_password()
    assert user.organization is None
    assert not user.is_staff
    assert not user.is_superuser
    assert not user.contract_roles.exists()
    assert client.session["_auth_user_backend"] == "contrat_ville.accounts.proconnect.ProConnectBackend"
    assert provider.requests == ["/authorize", "/token", "/jwks", "/userinfo", "/jwks"]
    assert "Dominique Lenoir" in client.get(reverse("home")).content.decode()


def test_an_existing_account_is_linked_by_email_whatever_its_case(client, provider):
    existing = UserFactory(email="camille.martin@exemple.gouv.fr", first_name="Camille", last_name="Martin")
    provider.identity = Identity(email="Camille.MARTIN@Exemple.Gouv.FR", given_name="Cam", usual_name="M.")

    sign_in(client, provider)

    assert signed_in_user(client) == existing
    assert User.objects.count() == 1
    existing.refresh_from_db()
    assert existing.proconnect_sub == provider.identity.sub
    assert (existing.first_name, existing.last_name) == ("Camille", "Martin")  # the platform's names are kept
    # The password still works, through the same backends (django-axes first).
    other = Client()
    assert other.post(LOGIN_URL, {"username": existing.email, "password": TEST_PASSWORD}).status_code == 302


def test_the_next_sign_in_finds_the_account_by_proconnect_identity_even_with_a_new_address(client, provider):
    sign_in(client, provider)
    first = signed_in_user(client)
    client.logout()
    provider.identity = Identity(sub=provider.identity.sub, email="nouvelle.adresse@interieur.gouv.fr")

    sign_in(client, provider)

    assert signed_in_user(client) == first
    assert User.objects.count() == 1


def test_sign_in_follows_a_safe_next_and_ignores_an_external_one(client, provider):
    assert sign_in(client, provider, next="/territoires/").url == "/territoires/"
    client.logout()
    assert sign_in(client, provider, next="https://pirate.exemple.test/").url == reverse("contracts:contract_list")


def test_the_provider_s_error_ends_on_the_login_page_with_a_french_message(client, provider):
    provider.authorize_error = "access_denied"

    response = client.get(go_to_provider(client, provider), follow=True)

    assert response.redirect_chain == [(LOGIN_URL, 302)]
    assert proconnect.CANCELLED in response.content.decode()
    assert signed_in_user(client) is None


def test_a_state_this_session_never_sent_is_refused(client, provider):
    callback = go_to_provider(client, provider)
    forged = callback.replace("state=", "state=faux")

    response = client.get(forged)

    assert response.status_code == 302
    assert response.url == LOGIN_URL
    assert messages_of(response) == [proconnect.STALE]
    assert signed_in_user(client) is None


def test_a_callback_in_a_session_that_started_nothing_is_refused(client, provider):
    callback = go_to_provider(client, provider)

    response = Client().get(callback, follow=True)

    assert proconnect.STALE in response.content.decode()
    assert "_auth_user_id" not in response.client.session


def test_a_callback_replayed_is_refused(client, provider):
    callback = go_to_provider(client, provider)
    assert client.get(callback).url == reverse("contracts:contract_list")
    client.logout()

    response = client.get(callback)

    assert response.url == LOGIN_URL
    assert messages_of(response) == [proconnect.STALE]
    assert signed_in_user(client) is None


@pytest.mark.parametrize(
    ("identity", "message"),
    [
        (Identity(email=None), proconnect.NO_EMAIL),
        (Identity(email=""), proconnect.NO_EMAIL),
        (Identity(extra={"email_verified": False}), proconnect.UNVERIFIED_EMAIL),
    ],
)
def test_an_identity_without_a_verified_email_cannot_sign_in(client, provider, identity, message):
    provider.identity = identity

    response = sign_in(client, provider)

    assert response.url == LOGIN_URL
    assert messages_of(response) == [message]
    assert signed_in_user(client) is None
    assert not User.objects.exists()


def test_proconnect_failures_neither_lock_proconnect_nor_the_password(client, provider):
    """django-axes counts password failures only: a ProConnect callback has no password to guess."""
    user = UserFactory(email="agent.etat@interieur.gouv.fr")
    provider.identity = Identity(email="")
    for _ in range(7):
        response = sign_in(client, provider)
        assert response.status_code == 302
        assert client.get(response.url).status_code == 200  # the login page, with the message (read, so cleared)

    provider.identity = Identity(email=user.email)
    assert sign_in(client, provider).url == reverse("contracts:contract_list")
    assert Client().post(LOGIN_URL, {"username": user.email, "password": TEST_PASSWORD}).status_code == 302


def test_a_locked_password_does_not_stop_proconnect(client, provider):
    user = UserFactory(email=provider.identity.email)
    for _ in range(5):
        client.post(LOGIN_URL, {"username": user.email, "password": "mauvais-mot-de-passe"})
    assert client.post(LOGIN_URL, {"username": user.email, "password": TEST_PASSWORD}).status_code == 429

    assert sign_in(client, provider).url == reverse("contracts:contract_list")
    assert signed_in_user(client) == user


def test_a_deactivated_account_cannot_sign_in_through_proconnect(client, provider):
    UserFactory(email=provider.identity.email, is_active=False)

    response = sign_in(client, provider)

    assert response.url == LOGIN_URL
    assert messages_of(response) == ["Ce compte est désactivé : adressez-vous à l'administrateur de la plateforme."]
    assert signed_in_user(client) is None


def test_a_deactivated_account_loses_its_proconnect_session(client, provider):
    sign_in(client, provider)
    User.objects.update(is_active=False)

    assert signed_in_user(client) is not None
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated


def test_a_failing_token_endpoint_gives_a_french_message(client, provider):
    provider.token_status = 500

    response = sign_in(client, provider)

    assert response.url == LOGIN_URL
    assert messages_of(response) == [proconnect.UNREACHABLE]
    assert signed_in_user(client) is None


def test_an_unreachable_provider_gives_a_french_message(client, provider):
    callback = go_to_provider(client, provider)
    provider.stop()

    response = client.get(callback)

    assert response.url == LOGIN_URL
    assert messages_of(response) == [proconnect.UNREACHABLE]


def test_an_id_token_signed_by_another_key_is_refused(client, provider):
    callback = go_to_provider(client, provider)
    provider.signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    response = client.get(callback)

    assert response.url == LOGIN_URL
    assert messages_of(response) == [proconnect.UNREACHABLE]
    assert signed_in_user(client) is None


def test_an_id_token_meant_for_another_service_is_refused(client, provider):
    callback = go_to_provider(client, provider)
    provider.audience = "un-autre-service"

    response = client.get(callback)

    assert response.url == LOGIN_URL
    assert messages_of(response) == [proconnect.UNREACHABLE]
    assert signed_in_user(client) is None


def test_the_login_page_shows_the_proconnect_button_when_configured(client, provider):
    html = client.get(LOGIN_URL, {"next": "/territoires/"}).content.decode()

    assert BUTTON in html
    assert f'href="{AUTHENTICATE_URL}?next=/territoires/"' in html
    assert "Qu\u2019est-ce que ProConnect ?" in html


def test_proconnect_is_off_without_its_settings(client):
    assert not proconnect.proconnect_enabled()
    assert BUTTON not in client.get(LOGIN_URL).content.decode()
    assert client.get(AUTHENTICATE_URL).status_code == 404
    assert client.get(CALLBACK_URL, {"code": "x", "state": "y"}).status_code == 404


def test_a_password_sign_in_never_reaches_the_provider(client, provider):
    user = UserFactory()
    response = client.post(f"{LOGIN_URL}?code=abc&state=def", {"username": user.email, "password": TEST_PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_backend"] == "django.contrib.auth.backends.ModelBackend"
    assert provider.requests == []


# --- How the person authenticated (``amr``) and the platform's second factor --------------------------------------


def test_the_platform_asks_proconnect_how_the_person_authenticated(client, provider):
    start = client.get(AUTHENTICATE_URL)

    claims = json.loads(parse_qs(urlsplit(start.url).query)["claims"][0])
    assert claims == {"id_token": {"amr": {"essential": True}}}


def test_two_factors_at_proconnect_pass_the_platform_s_second_factor(client, provider):
    user = UserFactory(email="agent.etat@interieur.gouv.fr")
    enrolled(user)
    provider.identity = Identity(email=user.email, amr=["pwd", "totp", "mfa"])

    sign_in(client, provider)

    assert signed_in_user(client) == user
    assert two_factor.PENDING_SESSION_KEY not in client.session
    assert client.session[two_factor.PROVIDER_SESSION_KEY] == ["pwd", "totp", "mfa"]
    assert client.get(reverse("awaiting")).status_code == 200
    assert "Votre connexion par ProConnect a utilisé deux facteurs" in client.get(reverse("accounts:two_factor")).text


@pytest.mark.parametrize("amr", [["pwd"], ["mail"], ["totp"], []])
def test_a_single_factor_at_proconnect_still_asks_the_platform_s_code(client, provider, amr):
    user = UserFactory(email="agent.etat@interieur.gouv.fr")
    enrolled(user)
    provider.identity = Identity(email=user.email, amr=amr)

    sign_in(client, provider)

    assert signed_in_user(client) == user
    assert two_factor.PROVIDER_SESSION_KEY not in client.session
    assert client.get(reverse("awaiting"))["Location"].startswith(reverse("accounts:two_factor_verify"))
    client.post(reverse("accounts:two_factor_verify"), {"code": fresh_code(user.totpdevice_set.get())})
    assert "ProConnect a utilisé deux facteurs" not in client.get(reverse("accounts:two_factor")).text


def test_a_later_sign_in_in_the_same_session_forgets_what_proconnect_said(client, provider):
    """Any later ``login()`` (another backend, the same person again) decides afresh."""
    user = UserFactory(email="agent.etat@interieur.gouv.fr")
    enrolled(user)
    provider.identity = Identity(email=user.email, amr=["pwd", "mfa"])
    sign_in(client, provider)
    assert client.get(reverse("awaiting")).status_code == 200

    client.force_login(user)

    assert two_factor.PROVIDER_SESSION_KEY not in client.session
    assert client.get(reverse("awaiting"))["Location"].startswith(reverse("accounts:two_factor_verify"))


def test_logout_also_ends_the_proconnect_session(client, provider):
    sign_in(client, provider)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response.url.startswith(f"{provider.url}/session/end?")
    query = parse_qs(urlsplit(response.url).query)
    assert query["post_logout_redirect_uri"] == ["http://testserver/"]
    assert query["id_token_hint"][0].count(".") == 2
    assert signed_in_user(client) is None
    back = requests.get(response.url, allow_redirects=False, timeout=5)
    assert back.headers["Location"].startswith("http://testserver/?state=")


def test_logout_of_a_password_session_stays_on_the_platform(client, provider):
    client.force_login(UserFactory())

    assert client.post(reverse("accounts:logout")).url == reverse("home")


def test_the_environment_configures_proconnect():
    """docs/operations.md's variables, read by config/settings/base.py in a fresh process."""
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "from contrat_ville.accounts.proconnect import proconnect_enabled; print(json.dumps({"
        "'on': proconnect_enabled(), 'client': s.OIDC_RP_CLIENT_ID, 'authorize': s.OIDC_OP_AUTHORIZATION_ENDPOINT, "
        "'token': s.OIDC_OP_TOKEN_ENDPOINT, 'userinfo': s.OIDC_OP_USER_ENDPOINT, 'jwks': s.OIDC_OP_JWKS_ENDPOINT, "
        "'end': s.OIDC_OP_LOGOUT_ENDPOINT, 'scopes': s.OIDC_RP_SCOPES, 'algo': s.OIDC_RP_SIGN_ALGO, "
        "'form_action': s.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action']}))"
    )
    base = {key: value for key, value in os.environ.items() if not key.startswith("PROCONNECT_")}
    base["DJANGO_SETTINGS_MODULE"] = "config.settings.test"

    def settings_with(**variables: str) -> dict:
        command = [sys.executable, "-c", script]
        result = subprocess.run(command, env=base | variables, capture_output=True, text=True, timeout=60, check=True)
        return json.loads(result.stdout.strip().splitlines()[-1])

    off = settings_with()
    assert not off["on"]
    assert off["form_action"] == ["'self'"]

    on = settings_with(
        PROCONNECT_CLIENT_ID="client",
        PROCONNECT_CLIENT_SECRET="secret",
        PROCONNECT_URL="https://auth.agentconnect.gouv.fr/api/v2/",
        PROCONNECT_TOKEN_ENDPOINT="https://jetons.exemple.gouv.fr/token",
    )
    assert on["on"]
    assert on["authorize"] == "https://auth.agentconnect.gouv.fr/api/v2/authorize"
    assert on["token"] == "https://jetons.exemple.gouv.fr/token"
    assert on["userinfo"] == "https://auth.agentconnect.gouv.fr/api/v2/userinfo"
    assert on["jwks"] == "https://auth.agentconnect.gouv.fr/api/v2/jwks"
    assert on["end"] == "https://auth.agentconnect.gouv.fr/api/v2/session/end"
    assert on["scopes"] == "openid email given_name usual_name siret"
    assert on["algo"] == "RS256"
    assert on["form_action"] == ["'self'", "https://auth.agentconnect.gouv.fr"]

    assert not settings_with(PROCONNECT_CLIENT_ID="client", PROCONNECT_URL="https://auth.agentconnect.gouv.fr")["on"]


def test_the_admin_shows_the_proconnect_link(client, provider, admin_user):
    sign_in(Client(), provider)
    agent = User.objects.get(proconnect_sub=provider.identity.sub)
    client.force_login(admin_user)

    html = client.get(reverse("admin:accounts_user_change", args=[agent.pk])).content.decode()

    assert "Identifiant ProConnect" in html
    assert provider.identity.sub in html

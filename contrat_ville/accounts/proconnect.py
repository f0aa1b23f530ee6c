"""ProConnect, the French State's OpenID Connect sign-in, through mozilla-django-oidc.

The authorization code flow: the login page's button opens ``ProConnectAuthenticateView`` (state and nonce kept in
the session, redirect to the provider), the provider sends the browser back to ``ProConnectCallbackView``, which
has ``ProConnectBackend`` exchange the code for the tokens (id_token signed in RS256, checked against the
provider's JWKS), read the userinfo and find or create the account (``services.user_from_proconnect``), then signs
in with Django's own ``login()``, so every hook on sign-in applies (django-axes, two-factor, session expiry).

Off unless configured (``proconnect_enabled``): no button, and the URLs answer 404. Every failure (the provider's
error, a stale state, an unverified or absent e-mail, a provider that cannot be reached) ends on the login page
with a French message, never an error page.
"""

import logging
from typing import Any
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import resolve_url
from django.utils.crypto import get_random_string
from django.views import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from contrat_ville.accounts.models import User
from contrat_ville.accounts.services import user_from_proconnect
from contrat_ville.accounts.two_factor import provider_second_factor, two_factor_session_verified_by_provider
from contrat_ville.core.exceptions import BusinessRuleError

logger = logging.getLogger(__name__)

REQUIRED_SETTINGS = (
    "OIDC_RP_CLIENT_ID",
    "OIDC_RP_CLIENT_SECRET",
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT",
)

FAILED = (
    "La connexion par ProConnect n'a pas abouti : réessayez, ou connectez-vous avec votre adresse et votre mot de "
    "passe."
)
UNREACHABLE = (
    "ProConnect n'a pas répondu comme prévu : la connexion n'a pas abouti. Réessayez dans quelques minutes, ou "
    "connectez-vous avec votre adresse et votre mot de passe."
)
CANCELLED = "ProConnect n'a pas confirmé votre identité (connexion annulée ou refusée) : vous n'êtes pas connecté."
STALE = (
    "Cette connexion par ProConnect a expiré ou a été commencée dans un autre onglet : cliquez de nouveau sur "
    "« S'identifier avec ProConnect »."
)
NO_EMAIL = "ProConnect n'a pas transmis d'adresse électronique : la connexion est impossible sans elle."
UNVERIFIED_EMAIL = "ProConnect n'a pas vérifié votre adresse électronique : la connexion est impossible."

_FAILURE_ATTRIBUTE = "proconnect_failure"
_METHODS_ATTRIBUTE = "proconnect_amr"


def proconnect_enabled() -> bool:
    """Whether the platform offers ProConnect: the client and the provider's endpoints are all set."""
    return all(getattr(settings, name, "") for name in REQUIRED_SETTINGS)


def axes_exempts_proconnect(request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
    """django-axes' whitelist (``AXES_WHITELIST_CALLABLE``): a ProConnect callback is neither counted nor locked.
    It carries no password to guess, only a one-time code bound to this session's state, and its failures have no
    address to count them against: they would lock every agent behind the same office IP out of ProConnect."""
    return bool(credentials) and "nonce" in (credentials or {})


class ProConnectRefusalError(Exception):
    """The provider answered, but the identity cannot sign in: the message says why, in French."""


def _note_failure(request: HttpRequest, message: str) -> None:
    setattr(request, _FAILURE_ATTRIBUTE, message)


class ProConnectBackend(OIDCAuthenticationBackend):
    """Signs in the person ProConnect identified, linked to their account by e-mail (see
    ``services.user_from_proconnect``). Answers only to the callback view (its ``nonce`` argument), never to a
    password sign-in."""

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        if request is None or "nonce" not in kwargs or not proconnect_enabled():
            return None
        try:
            user: User | None = super().authenticate(request, **kwargs)
        except ProConnectRefusalError as refusal:
            _note_failure(request, str(refusal))
            return None
        except (requests.RequestException, SuspiciousOperation, jwt.PyJWTError, KeyError, ValueError) as error:
            logger.warning("ProConnect : échec de l'échange avec le fournisseur : %s", error)
            _note_failure(request, UNREACHABLE)
            return None
        if user is None:
            _note_failure(request, FAILED)
        return user

    def get_user(self, user_id: int) -> User | None:
        """Django's rule (mozilla-django-oidc's own skips it): a deactivated account's session ends."""
        user: User | None = ModelBackend.get_user(self, user_id)
        return user

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """mozilla-django-oidc checks the signature, the expiry and the nonce; the id_token must also be meant for
        this platform (its audience), as OpenID Connect requires."""
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if ("nonce" in kwargs or audiences) and self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ProConnect : jeton émis pour un autre service.")
        return payload

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User:
        claims = self.get_userinfo(access_token, id_token, payload)
        email = str(claims.get("email") or "").strip()
        if not email:
            raise ProConnectRefusalError(NO_EMAIL)
        if claims.get("email_verified") is False:
            raise ProConnectRefusalError(UNVERIFIED_EMAIL)
        # How the person authenticated, from the id_token whose signature was checked (never from the userinfo).
        setattr(self.request, _METHODS_ATTRIBUTE, payload.get("amr"))
        try:
            return user_from_proconnect(
                sub=str(claims.get("sub") or payload.get("sub") or ""),
                email=email,
                given_name=str(claims.get("given_name") or ""),
                usual_name=str(claims.get("usual_name") or claims.get("family_name") or ""),
            )
        except BusinessRuleError as refusal:
            raise ProConnectRefusalError(refusal.message) from refusal
        except ValidationError as error:
            logger.warning("ProConnect : identité refusée : %s", error)
            raise ProConnectRefusalError(FAILED) from error


class _ProConnectOnly(View):
    """A ProConnect page: 404 where ProConnect is off."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not proconnect_enabled():
            raise Http404("ProConnect n'est pas configuré sur cette plateforme.")
        return super().dispatch(request, *args, **kwargs)


class ProConnectAuthenticateView(_ProConnectOnly, OIDCAuthenticationRequestView):
    """Sends the browser to ProConnect."""


class ProConnectCallbackView(_ProConnectOnly, OIDCAuthenticationCallbackView):
    """Where ProConnect sends the browser back; a failure goes to the login page with its reason."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if request.GET.get("error"):
            logger.info("ProConnect a renvoyé l'erreur %s", request.GET.get("error"))
            _note_failure(request, CANCELLED)
        try:
            response: HttpResponse = super().get(request)
        except SuspiciousOperation:  # a state this session never sent: replayed, or from another tab
            _note_failure(request, STALE)
            return self.login_failure()
        return response

    def login_success(self) -> HttpResponse:
        """Signed in; when ProConnect says the person used two factors, the platform does not ask its own code."""
        response: HttpResponse = super().login_success()
        methods = provider_second_factor(getattr(self.request, _METHODS_ATTRIBUTE, None))
        if methods:
            two_factor_session_verified_by_provider(self.request, methods)
        return response

    @property
    def failure_url(self) -> str:
        return resolve_url(settings.LOGIN_REDIRECT_URL_FAILURE)

    def login_failure(self) -> HttpResponse:
        # Without a reason noted, a code came back to a session that sent no state (expired, or another browser).
        default = STALE if "code" in self.request.GET else FAILED
        messages.error(self.request, getattr(self.request, _FAILURE_ATTRIBUTE, default))
        return HttpResponseRedirect(self.failure_url)


def provider_logout_url(request: HttpRequest) -> str:
    """ProConnect's end of session for a person who signed in with it (its id_token is in the session), coming back
    to the platform afterwards; "" otherwise. Read before Django's logout empties the session."""
    id_token = request.session.get("oidc_id_token")
    endpoint = getattr(settings, "OIDC_OP_LOGOUT_ENDPOINT", "")
    if not (id_token and endpoint and proconnect_enabled()):
        return ""
    query = urlencode(
        {
            "id_token_hint": id_token,
            "state": get_random_string(32),
            "post_logout_redirect_uri": request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL)),
        }
    )
    return f"{endpoint}?{query}"


class ProConnectLogoutView(auth_views.LogoutView):
    """Django's logout; someone who signed in with ProConnect also ends their ProConnect session."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        provider_url = provider_logout_url(request)
        response: HttpResponse = super().post(request, *args, **kwargs)
        return HttpResponseRedirect(provider_url) if provider_url else response


def login_page_context() -> dict[str, Any]:
    """What the login page adds for ProConnect: its button, only where ProConnect is configured."""
    return {"intro_template": "accounts/_proconnect_button.html"} if proconnect_enabled() else {}

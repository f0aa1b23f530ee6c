"""API authentication: a bearer token, or the browser session for reads, or anonymous.

Anonymous callers are let through to public data (published contracts, territories); endpoints
that need an identity answer 401 themselves (see ``require_user``). A token that is given but
unknown or revoked is refused with 401 straight away.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security.http import HttpAuthBase
from ninja.throttling import SimpleRateThrottle

from contrat_ville.accounts.services import api_token_authenticate

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class BearerTokenOrSession(HttpAuthBase):
    openapi_scheme = "bearer"
    header = "Authorization"

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get(self.header)
        if header:
            scheme, _, raw_token = header.partition(" ")
            if scheme.lower() != "bearer" or not raw_token.strip():
                return None
            user = api_token_authenticate(raw_token=raw_token.strip())
            if user is None:
                return None
            request.user = user
            return user
        session_user = getattr(request, "user", None)
        if session_user is not None and session_user.is_authenticated and request.method in SAFE_METHODS:
            return session_user
        request.user = AnonymousUser()
        return request.user


def require_user(request: HttpRequest) -> Any:
    """The authenticated caller, or a 401 for anonymous calls to endpoints that need one."""
    user = getattr(request, "auth", None)
    if user is None or not getattr(user, "is_authenticated", False):
        raise AuthenticationError()
    return user


# --- rate limits -------------------------------------------------------------------------------------------------
# Two budgets (docs/security.md): anonymous callers by address, signed-in callers (token or session) by account. The
# rates are read from ``settings.API_THROTTLE_RATES`` on each request (environment API_THROTTLE_ANON and
# API_THROTTLE_USER), so that a test or a deployment changes them without reloading the API. The history lives in
# the default cache: per process with the local-memory cache, shared with a shared cache.


class SettingsRateThrottle(SimpleRateThrottle):
    """A budget whose rate is ``settings.API_THROTTLE_RATES[scope]``, read on each request."""

    scope = ""

    def __init__(self) -> None:
        super().__init__(rate=settings.API_THROTTLE_RATES[self.scope])

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = settings.API_THROTTLE_RATES[self.scope]
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


class AnonymousApiThrottle(SettingsRateThrottle):
    """Anonymous calls, by client address (behind the proxy: NINJA_NUM_PROXIES)."""

    scope = "anon"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        caller = getattr(request, "auth", None)
        if caller is not None and getattr(caller, "is_authenticated", False):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class AccountApiThrottle(SettingsRateThrottle):
    """Signed-in calls, by account (every token and the session of one user share the budget)."""

    scope = "user"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        caller = getattr(request, "auth", None)
        if caller is None or not getattr(caller, "is_authenticated", False):
            return None
        return self.cache_format % {"scope": self.scope, "ident": caller.pk}

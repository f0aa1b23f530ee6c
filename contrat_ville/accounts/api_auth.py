"""API authentication: a bearer token, or the browser session for reads, or anonymous.

Anonymous callers are let through to public data (published contracts, territories); endpoints
that need an identity answer 401 themselves (see ``require_user``). A token that is given but
unknown or revoked is refused with 401 straight away.
"""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security.http import HttpAuthBase

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

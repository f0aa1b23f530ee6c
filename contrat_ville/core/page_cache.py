"""Whole pages served from the cache until the platform's data changes (``core.data_version``).

A page that only a write changes — the contract's dashboard — is rendered once per viewer and data version, then
served from the cache: a hit costs the session, the user and one query for the version. The key holds the path, the
viewer (user, CSRF cookie: the page's forms carry a token of that cookie, and the session's second factor) and the
version, so a hit means that
this viewer was shown this page and nothing has been written since — permissions included, since roles and
publication are data. The CSP nonce changes per request: the stored page holds a placeholder, replaced on each hit.
A page with a flash message pending, or any answer but a 200, is neither served from nor put in the cache.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django_otp import DEVICE_ID_SESSION_KEY

from contrat_ville.core import data_version

NONCE_PLACEHOLDER = "__cv_csp_nonce__"
CSRF_FIELD = 'name="csrfmiddlewaretoken"'
# A safety net for writes that send no signal (``QuerySet.update()``): no cached page outlives this.
LIFETIME_SECONDS = 300


def _has_pending_messages(request: HttpRequest) -> bool:
    session = getattr(request, "session", None)
    return "messages" in request.COOKIES or bool(session is not None and session.get("_messages"))


def _key(request: HttpRequest, version: int) -> str:
    user = request.user
    viewer = f"{user.pk}" if user.is_authenticated else "anonyme"
    csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    # A member's page of a contract that requires the second factor is only for a session that passed it.
    second_factor = str(request.session.get(DEVICE_ID_SESSION_KEY, "")) if hasattr(request, "session") else ""
    raw = "\n".join(
        [request.get_full_path(), viewer, csrf, second_factor, str(version), request.headers.get("HX-Request", "")]
    )
    return "page:" + hashlib.sha256(raw.encode()).hexdigest()


def cached_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve ``view``'s GET answers from the cache until the data version changes (see the module)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "GET" or _has_pending_messages(request):
            return view(request, *args, **kwargs)
        key = _key(request, data_version.current())
        stored = cache.get(key)
        nonce = str(getattr(request, "csp_nonce", ""))
        if stored is not None:
            content_type, body = stored
            response = HttpResponse(body.replace(NONCE_PLACEHOLDER, nonce), content_type=content_type)
            response["X-Page-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if response.status_code != 200 or response.streaming or response.cookies:
            return response
        body = response.content.decode(response.charset)
        if CSRF_FIELD in body and settings.CSRF_COOKIE_NAME not in request.COOKIES:
            return response  # its token belongs to the cookie this answer is about to set: not for another browser
        stored_body = body.replace(nonce, NONCE_PLACEHOLDER) if nonce else body
        cache.set(key, (response["Content-Type"], stored_body), LIFETIME_SECONDS)
        return response

    return wrapper

"""Sessions that end: ``SESSION_COOKIE_AGE`` seconds after sign-in (8 hours by default) and after
``SESSION_IDLE_TIMEOUT`` seconds without a request (30 minutes), both read from the environment
(``config/settings/base.py``, docs/operations.md).

The session stores when it signed in and when it was last used. The last use is written at most once a minute, so
that reading pages does not write the session each time (and served pages keep their query budget); Django's own
expiry (``SESSION_COOKIE_AGE``) slides with each write, hence the sign-in time checked here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

SIGNED_IN_AT = "signed_in_at"
LAST_SEEN_AT = "last_seen_at"
LAST_SEEN_GRANULARITY = 60  # seconds


@receiver(user_logged_in, dispatch_uid="session_times_on_login")
def _stamp_on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN_AT] = now


def session_expired(session: Any, now: int) -> str:
    """Why a signed-in session is over (a French sentence), or ``""`` while it may go on."""
    signed_in_at = session.get(SIGNED_IN_AT)
    last_seen_at = session.get(LAST_SEEN_AT)
    if signed_in_at is not None and now - int(signed_in_at) > settings.SESSION_COOKIE_AGE:
        return f"Votre session a pris fin après {_duration(settings.SESSION_COOKIE_AGE)} : reconnectez-vous."
    if last_seen_at is not None and now - int(last_seen_at) > settings.SESSION_IDLE_TIMEOUT:
        return (
            f"Votre session a pris fin après {_duration(settings.SESSION_IDLE_TIMEOUT)} sans activité : "
            "reconnectez-vous."
        )
    return ""


def _duration(seconds: int) -> str:
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return f"{hours} heure{'s' if hours > 1 else ''}"
    minutes = max(seconds // 60, 1)
    return f"{minutes} minute{'s' if minutes > 1 else ''}"


class SessionExpiryMiddleware:
    """Sign out a session past its age or idle for too long: a page goes to the sign-in page (then back to where it
    was), the API sees an anonymous caller."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and request.user.is_authenticated:
            now = int(time.time())
            reason = session_expired(session, now)
            if reason:
                logout(request)
                if not request.path.startswith("/api/"):
                    messages.info(request, reason)
                    next_url = request.get_full_path() if request.method == "GET" else "/"
                    return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': next_url})}")
            elif now - int(session.get(LAST_SEEN_AT) or 0) >= LAST_SEEN_GRANULARITY:
                session[LAST_SEEN_AT] = now
                session.setdefault(SIGNED_IN_AT, now)  # a session opened before this rule
        return self.get_response(request)

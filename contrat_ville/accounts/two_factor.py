"""Optional two-factor authentication: a TOTP device (django-otp's ``otp_totp``) that anyone signed in may enrol,
and that a contract may require of its members (``Contract.requires_two_factor``, enforced where contract access
is resolved: ``contracts.access``).

- Enrolment: the page « Double authentification » shows the secret of an unconfirmed device (QR code and text);
  a first valid code confirms it (``two_factor_confirm``) and verifies the session; removing it asks a code too.
- Sign-in: ``user_logged_in`` (Django's ``login()``, whatever the backend: password or an identity provider)
  marks the session of a user who has a confirmed device as *pending*: ``TwoFactorPendingMiddleware`` then sends
  every page to the code step (``accounts:two_factor_verify``) and makes the API see an anonymous caller, until a
  valid code calls ``two_factor_session_verified`` (django-otp's ``login``). A session signed in through an
  identity provider passes the second factor there only when the provider's signed id_token says the person used
  two factors (ProConnect's ``amr`` holds ``mfa``: ``two_factor_session_verified_by_provider``); otherwise it is
  treated like a password sign-in.
- Wrong codes: django-otp's throttling (a wait of 1, 2, 4… seconds, French message) and, at the sign-in step, one
  django-axes failure each (``user_login_failed``): the e-mail and address are locked like failed passwords.
- API bearer tokens (created by an administrator, ``create_api_token``) carry no session: on a contract that
  requires the second factor a token is accepted only when its user has a confirmed device
  (``is_two_factor_verified``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib.auth import user_logged_in, user_login_failed
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from contrat_ville.accounts.models import User
from contrat_ville.accounts.selectors import confirmed_device, has_confirmed_device, is_two_factor_verified
from contrat_ville.core.exceptions import BusinessRuleError

PENDING_SESSION_KEY = "two_factor_pending"
PROVIDER_SESSION_KEY = "two_factor_by_provider"
# The ``amr`` value by which ProConnect says a sign-in used two factors (its others: pwd, mail, totp, pop).
PROVIDER_SECOND_FACTOR = "mfa"
DEVICE_NAME = "Application d'authentification"
WRONG_CODE = "Code incorrect ou expiré : saisissez les 6 chiffres que l'application affiche maintenant."


# --- Devices -----------------------------------------------------------------------------------------------------


@transaction.atomic
def two_factor_enrolment_start(*, user: User) -> TOTPDevice:
    """The unconfirmed device whose secret the enrolment page shows: the same one until a code confirms it."""
    if has_confirmed_device(user):
        raise BusinessRuleError("La double authentification est déjà active sur votre compte.")
    device: TOTPDevice | None = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def _checked(device: TOTPDevice, code: str) -> TOTPDevice:
    """``device`` once ``code`` is accepted, else a French refusal on the field ``code``. A wrong code is counted by
    django-otp's throttling (saved even though the refusal follows), and refused codes wait their turn."""
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, details = locked.verify_is_allowed()
        accepted = allowed and bool(locked.verify_token(code))
    if not allowed:
        until = (details or {}).get("locked_until")
        wait = math.ceil((until - timezone.now()).total_seconds()) if until is not None else 1
        raise BusinessRuleError(
            f"Trop de codes incorrects : attendez {max(wait, 1)} seconde{'s' if wait > 1 else ''} avant de réessayer.",
            field="code",
        )
    if not accepted:
        raise BusinessRuleError(WRONG_CODE, field="code")
    return locked


def two_factor_confirm(*, user: User, code: str) -> TOTPDevice:
    """Activate the device the user is enrolling with the first code their app shows."""
    device: TOTPDevice | None = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None or has_confirmed_device(user):
        raise BusinessRuleError("Aucune activation en cours : rechargez la page « Double authentification ».")
    checked = _checked(device, code)
    with transaction.atomic():
        TOTPDevice.objects.filter(pk=checked.pk).update(confirmed=True)
        TOTPDevice.objects.filter(user=user, confirmed=False).exclude(pk=checked.pk).delete()
    checked.confirmed = True
    return checked


def two_factor_check(*, user: User, code: str) -> TOTPDevice:
    """The user's device once ``code`` is accepted (the sign-in's second step, or a session asked to verify)."""
    device = confirmed_device(user)
    if device is None:
        raise BusinessRuleError("La double authentification n'est pas active sur votre compte.")
    return _checked(device, code)


def two_factor_remove(*, user: User, code: str) -> None:
    """Remove the user's device, confirmed by a last code."""
    two_factor_check(user=user, code=code)
    TOTPDevice.objects.filter(user=user).delete()


# --- Sessions ----------------------------------------------------------------------------------------------------


def two_factor_session_verified(request: HttpRequest, device: TOTPDevice) -> None:
    """The session has passed the second factor with ``device``."""
    django_otp.login(request, device)
    request.session.pop(PENDING_SESSION_KEY, None)


def provider_second_factor(amr: object) -> list[str]:
    """The methods an identity provider's ``amr`` names (how the person authenticated, read from its signed
    id_token) when they include two factors; ``[]`` otherwise."""
    methods = [str(method) for method in amr] if isinstance(amr, list) else []
    return methods if PROVIDER_SECOND_FACTOR in methods else []


def two_factor_session_verified_by_provider(request: HttpRequest, methods: list[str]) -> None:
    """The session has passed the second factor at the identity provider: no code is asked here. Called after
    ``login()``, which forgets what an earlier sign-in of the session said."""
    request.session[PROVIDER_SESSION_KEY] = methods
    request.session.pop(PENDING_SESSION_KEY, None)


def failed_code_counted(request: HttpRequest, user: User) -> None:
    """A wrong code at the sign-in step counts as a failed sign-in for django-axes (same e-mail, same address)."""
    user_login_failed.send(sender=__name__, credentials={"username": user.email}, request=request)


@receiver(user_logged_in, dispatch_uid="two_factor_pending_on_login")
def _pending_on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    request.session.pop(PROVIDER_SESSION_KEY, None)
    if getattr(user, "otp_device", None) is None and has_confirmed_device(user):
        request.session[PENDING_SESSION_KEY] = True


class TwoFactorPendingMiddleware:
    """A session signed in by a user who has a device, and not yet verified by a code, reaches only the code step
    and the sign-out: every other page goes to the code step, and the API sees an anonymous caller. A session that
    passed the second factor at the identity provider gives its user ``second_factor_at_provider``, which
    ``is_two_factor_verified`` reads."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.get(PROVIDER_SESSION_KEY) and request.user.is_authenticated:
            request.user.second_factor_at_provider = True
        if session is not None and session.get(PENDING_SESSION_KEY):
            if not request.user.is_authenticated or is_two_factor_verified(request.user):
                session.pop(PENDING_SESSION_KEY, None)
            elif request.path.startswith("/api/"):
                request.user = AnonymousUser()
            elif request.path not in (reverse("accounts:two_factor_verify"), reverse("accounts:logout")) and not (
                request.path.startswith(settings.STATIC_URL)
            ):
                return redirect(f"{reverse('accounts:two_factor_verify')}?{urlencode({'next': _next_of(request)})}")
        return self.get_response(request)


def _next_of(request: HttpRequest) -> str:
    return request.get_full_path() if request.method == "GET" else resolve_url(settings.LOGIN_REDIRECT_URL)

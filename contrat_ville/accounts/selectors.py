"""Reads of accounts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django_otp.plugins.otp_totp.models import TOTPDevice

from contrat_ville.accounts.models import Organization, User


def account_exists(*, email: str) -> bool:
    """Whether an account holds this address (addresses are stored in lower case)."""
    return User.objects.filter(email=email.strip().lower()).exists()


def organization_by_id(*, organization_id: int) -> Organization | None:
    return Organization.objects.filter(pk=organization_id).first()


# --- Second factor (accounts.two_factor) ---


def confirmed_device(user: Any) -> TOTPDevice | None:
    """The user's active TOTP device, if they enrolled one."""
    if not getattr(user, "is_authenticated", False):
        return None
    device: TOTPDevice | None = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    return device


def has_confirmed_device(user: Any) -> bool:
    return confirmed_device(user) is not None


def is_two_factor_verified(user: Any) -> bool:
    """Whether ``user`` passed the second factor: a browser session verified by a code (``OTPMiddleware`` gives the
    session's user ``is_verified()``) or by the identity provider that signed it in (``second_factor_at_provider``,
    set by ``two_factor.TwoFactorPendingMiddleware``), or an API bearer token's user (no session: ``request.user``
    is the token's plain user) who has a confirmed device."""
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "second_factor_at_provider", False):
        return True
    is_verified: Callable[[], bool] | None = getattr(user, "is_verified", None)
    if is_verified is not None:
        return bool(is_verified())
    return has_confirmed_device(user)

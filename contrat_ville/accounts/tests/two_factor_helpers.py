"""Codes of a TOTP device computed as an authenticator app would (django-otp's HOTP over the time step)."""

from __future__ import annotations

import time
from base64 import b32decode
from typing import Any

from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from contrat_ville.accounts import two_factor


def fresh_code(device: TOTPDevice) -> str:
    """A code the device accepts now: this time step's, or the next one once this step's code was used (django-otp
    refuses a code twice)."""
    device.refresh_from_db()
    now_step = int((time.time() - device.t0) // device.step) + device.drift
    return f"{hotp(device.bin_key, max(now_step, device.last_t + 1), device.digits):06d}"


def code_from_secret(secret: str) -> str:
    """The current code for a secret shown on the page (base32, grouped by four)."""
    key = b32decode(secret.replace(" ", ""))
    return f"{hotp(key, int(time.time() // 30)):06d}"


def enrolled(user: Any) -> TOTPDevice:
    """``user`` with an active device (enrolled through the services)."""
    device = two_factor.two_factor_enrolment_start(user=user)
    return two_factor.two_factor_confirm(user=user, code=fresh_code(device))

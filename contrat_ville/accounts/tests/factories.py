import time
from base64 import b32decode
from typing import Any

import factory
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from contrat_ville.accounts import two_factor
from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.models import Organization, User
from contrat_ville.accounts.services import api_token_create

TEST_PASSWORD = "mot-de-passe-de-test-42"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganizationKind.ASSOCIATION


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.test")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    password = factory.django.Password(TEST_PASSWORD)


def bearer(user: Any) -> dict[str, str]:
    """The header of an API call made with a new token of ``user``."""
    _, raw_token = api_token_create(user=user)
    return {"Authorization": f"Bearer {raw_token}"}


# Codes of a TOTP device computed as an authenticator app would (django-otp's HOTP over the time step).


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

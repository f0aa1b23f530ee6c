"""Reads of accounts."""

from __future__ import annotations

from contrat_ville.accounts.models import Organization, User


def account_exists(*, email: str) -> bool:
    """Whether an account holds this address (addresses are stored in lower case)."""
    return User.objects.filter(email=email.strip().lower()).exists()


def organization_by_id(*, organization_id: int) -> Organization | None:
    return Organization.objects.filter(pk=organization_id).first()

"""Test builders of the commitments, through the services (so the rules apply)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from contrat_ville.accounts.models import Organization, User
from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.tests.factories import grant
from contrat_ville.funding import services
from contrat_ville.funding.enums import CommitmentNature
from contrat_ville.funding.models import MainstreamCommitment


def partner_member(contract: Contract, name: str = "Caisse d'allocations familiales") -> tuple[User, Organization]:
    """A partner's account on the contract, acting for its organisation (which thereby works with the contract)."""
    organization = OrganizationFactory.create(name=name)
    user = UserFactory.create(organization=organization)
    grant(contract, user, Role.PARTNER)
    return user, organization


def make_commitment(
    contract: Contract,
    partner: Organization,
    *,
    title: str = "Éducateurs de prévention spécialisée",
    nature: str = CommitmentNature.STAFF,
    years: dict[int, tuple[Any, Any]] | None = None,
    **fields: Any,
) -> MainstreamCommitment:
    """A commitment with its ``years``: {year: (planned, realised)}."""
    commitment = services.commitment_create(
        contract=contract, partner=partner, fields=services.CommitmentFields(title=title, nature=nature, **fields)
    )
    for year, (planned, realised) in (years or {}).items():
        services.commitment_year_set(
            commitment=commitment,
            year=year,
            planned=Decimal(planned) if planned is not None else None,
            realised=Decimal(realised) if realised is not None else None,
        )
    return commitment

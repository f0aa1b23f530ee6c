"""Rows of the access matrix for this app's URLs (see tests/access_rows.py)."""

from __future__ import annotations

from typing import Any

from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.services import contract_role_grant
from contrat_ville.funding import services
from tests.access_rows import (
    API_CONTRACT_PRIVATE,
    API_WRITE,
    CONTRACT_PRIVATE,
    EXCLUDED,
    STAFF,
    STATE_OR_STAFF,
    Row,
    _api_obj,
    _contract_id,
    _obj,
    _slug,
)

ACCESS_ROWS: dict[str, Row] = {
    # private to the contract's members, even on a published contract
    "funding:commitment_list": Row(CONTRACT_PRIVATE, _slug),
    "funding:commitment_create": Row(CONTRACT_PRIVATE, _slug),
    "funding:commitment_detail": Row(CONTRACT_PRIVATE, _obj("commitment")),
    "funding:commitment_update": Row(CONTRACT_PRIVATE, _obj("commitment")),
    "funding:commitment_delete": Row(CONTRACT_PRIVATE, _obj("commitment")),
    "funding:commitment_year": Row(CONTRACT_PRIVATE, _obj("commitment")),
    "funding:commitment_year_delete": Row(
        CONTRACT_PRIVATE,
        lambda world, contract: {**_obj("commitment")(world, contract), "year": 2024},
        method="post",
    ),
    "funding:my_commitments": Row(CONTRACT_PRIVATE, _slug),
    "funding:balance": Row(CONTRACT_PRIVATE, _slug),
    "funding:balance_export": Row(CONTRACT_PRIVATE, _slug),
    "funding:credit_list": Row(CONTRACT_PRIVATE, _slug),
    "funding:credit_create": Row(CONTRACT_PRIVATE, _slug),
    "funding:credit_update": Row(CONTRACT_PRIVATE, _obj("credit")),
    "funding:credit_delete": Row(CONTRACT_PRIVATE, _obj("credit")),
    # outside a contract: State delegates and administrators; the national file's import, administrators only
    "funding_balance_across_contracts": Row(STATE_OR_STAFF),
    "funding_posts_across_contracts": Row(STATE_OR_STAFF),
    "funding_posts_import": Row(STAFF),
    # API
    "api-1:funding_commitment_list": Row(API_CONTRACT_PRIVATE, _contract_id),
    "api-1:funding_commitment_detail": Row(API_CONTRACT_PRIVATE, _api_obj("commitment")),
    "api-1:funding_commitment_balance": Row(API_CONTRACT_PRIVATE, _contract_id),
    "api-1:funding_credit_list": Row(API_CONTRACT_PRIVATE, _contract_id),
    **{
        f"api-1:funding_commitment_{verb}": Row(EXCLUDED, why_excluded=API_WRITE)
        for verb in ("create", "update", "delete", "year_set")
    },
    **{
        f"api-1:funding_credit_{verb}": Row(EXCLUDED, why_excluded=API_WRITE)
        for verb in ("create", "update", "delete")
    },
}


def access_objects(contract: Any, objects: dict[str, Any]) -> dict[str, Any]:
    """A partner's commitment in ``contract``, with a figure for 2024."""
    organization = OrganizationFactory.create(name=f"Partenaire du contrat {contract.pk}")
    contract_role_grant(contract=contract, user=UserFactory.create(organization=organization), role=Role.PARTNER)
    commitment = services.commitment_create(
        contract=contract,
        partner=organization,
        fields=services.CommitmentFields(title="Engagement de test", nature="staff"),
    )
    services.commitment_year_set(commitment=commitment, year=2024, planned=1, realised=None)
    credit = services.credit_create(
        contract=contract,
        fields=services.CreditFields(programme="p147", title="Crédits de test", year=contract.start_on.year),
    )
    return {"commitment": commitment, "credit": credit}

"""API of the contracts: list, detail and members, behind the tenancy selector.

Outside the tenancy boundary the answer is 404, whether the contract exists or not; anonymous calls
to private endpoints get 401.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from contrat_ville.contracts import selectors
from contrat_ville.contracts.access import api_caller, api_contract_access
from contrat_ville.contracts.enums import ContractStatus, Generation
from contrat_ville.contracts.models import Contract, ContractRole, Pillar, Signatory, TransversalAxis
from contrat_ville.contracts.schemas import (
    ContractDetailOut,
    ContractListItemOut,
    ContractTerritoryOut,
    MemberOut,
    SignatoryOut,
    TermOut,
)
from contrat_ville.core.schemas import READ_ERRORS, Id, Pagination, errors
from contrat_ville.territories.models import Territory

router = Router(tags=["contrats"])


def _territory(territory: Territory) -> ContractTerritoryOut:
    return ContractTerritoryOut(
        id=territory.pk, kind=territory.kind, code=territory.code, vintage=territory.vintage, name=territory.name
    )


def _contract_base(contract: Contract) -> dict[str, Any]:
    return {
        "id": contract.pk,
        "slug": contract.slug,
        "name": contract.name,
        "epci": _territory(contract.epci),
        "generation": contract.generation,
        "generation_label": Generation(contract.generation).label,
        "status": contract.status,
        "status_label": ContractStatus(contract.status).label,
        "is_published": contract.is_published,
        "start_on": contract.start_on,
        "end_on": contract.end_on,
        "signed_on": contract.signed_on,
    }


def _term(term: Pillar | TransversalAxis) -> TermOut:
    return TermOut(code=term.code, label=term.label, objective=term.objective, is_local=term.is_local)


def _signatory(signatory: Signatory) -> SignatoryOut:
    return SignatoryOut(
        organization=str(signatory.organization),
        kind=signatory.kind,
        kind_label=signatory.get_kind_display(),
        signed_by=signatory.signed_by,
        signed_on=signatory.signed_on,
        is_signed=signatory.signed_on is not None,
    )


def _member(role: ContractRole) -> MemberOut:
    organization = role.user.organization
    return MemberOut(
        name=role.user.display_name,
        organization=str(organization) if organization else None,
        role=role.role,
        role_label=role.get_role_display(),
    )


@router.get(
    "",
    response={200: list[ContractListItemOut], **errors(401, 422)},
    summary="Contrats visibles",
    description="Contrats visibles de l'appelant : sans jeton, les contrats publiés ; avec un jeton, aussi ceux "
    "dont il est membre. Paginé (`page`, `page_size`).",
)
@paginate(Pagination, page_size=50)
def contract_list(request: HttpRequest) -> Any:
    return selectors.contracts_for_listing(api_caller(request))


@router.get(
    "/{contract_id}",
    response={200: ContractDetailOut, **READ_ERRORS},
    summary="Détail d'un contrat",
    description="404 si le contrat n'existe pas ou n'est pas visible de l'appelant.",
)
def contract_detail(request: HttpRequest, contract_id: Id) -> Any:
    access = api_contract_access(request, contract_id, private=False)
    detail = selectors.contract_detail_get(contract=access.contract)
    return ContractDetailOut(
        **_contract_base(detail.contract),
        summary=detail.contract.summary,
        qpvs=[_territory(qpv) for qpv in detail.qpvs],
        pillars=[_term(pillar) for pillar in detail.pillars],
        axes=[_term(axis) for axis in detail.axes],
        signatories=[_signatory(signatory) for signatory in detail.signatories],
    )


@router.get(
    "/{contract_id}/members",
    response={200: list[MemberOut], **READ_ERRORS},
    summary="Membres d'un contrat",
    description="Réservé aux membres du contrat : 401 sans jeton, 404 pour qui n'en est pas membre.",
)
def contract_member_list(request: HttpRequest, contract_id: Id) -> Any:
    access = api_contract_access(request, contract_id, private=True)
    return [_member(role) for role in selectors.contract_members(contract=access.contract)]

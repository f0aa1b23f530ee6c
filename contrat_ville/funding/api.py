"""API of the partners' *droit commun* commitments and of the specific credits, mounted under /contracts in
config/api.py (issue 14 §6).

Private to the contract's members (404 outside the tenancy, whether the contract exists or not). Writes call the
same services and ask the same predicates as the pages: a partner writes its own organisation's commitments
only (403 otherwise), the pilot and the State every partner's; 422 with the French message of a refused rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.errors import HttpError

from contrat_ville.accounts.models import Organization
from contrat_ville.contracts.access import api_caller, api_contract_access, api_require, business_rules_as_http
from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.selectors import ContractAccess
from contrat_ville.core.api_endpoints import Endpoints
from contrat_ville.core.schemas import Id
from contrat_ville.funding import selectors, services
from contrat_ville.funding.models import Credit
from contrat_ville.funding.permissions import (
    can_commit_for,
    can_edit_commitment,
    can_manage_credits,
    can_record_commitments,
)
from contrat_ville.funding.schemas import (
    BalanceOut,
    BalanceRowOut,
    BalanceTotalsOut,
    CommitmentFilters,
    CommitmentIn,
    CommitmentOut,
    CommitmentYearIn,
    CreditFilters,
    CreditIn,
    CreditOut,
    PartnerOut,
)
from contrat_ville.strategy.models import Action, Objective

router = Router(tags=["Droit commun"])
endpoints = Endpoints(router, "funding")


def _target(
    contract: Contract, objective_id: int | None, action_id: int | None
) -> tuple[Objective | None, Action | None]:
    """The objective and the action a payload names, looked up in the contract (422 in French otherwise)."""
    objective = action = None
    if objective_id is not None:
        objective = next(
            (item for item in selectors.objective_choices(contract=contract) if item.pk == objective_id), None
        )
        if objective is None:
            raise HttpError(422, "Objectif inconnu dans ce contrat, ou archivé.")
    if action_id is not None:
        action = next((item for item in selectors.action_choices(contract=contract) if item.pk == action_id), None)
        if action is None:
            raise HttpError(422, "Action inconnue dans ce contrat, ou archivée.")
    return objective, action


def _fields(contract: Contract, payload: CommitmentIn) -> services.CommitmentFields:
    """The payload's references, looked up in the contract (422 in French for one it does not hold)."""
    objective, action = _target(contract, payload.objective_id, payload.action_id)
    pillar = None
    if payload.pillar:
        pillar = next(
            (item for item in selectors.pillar_choices(contract=contract) if item.code == payload.pillar), None
        )
        if pillar is None:
            raise HttpError(422, f"Code de pilier inconnu dans ce contrat : « {payload.pillar} ».")
    return services.CommitmentFields(
        **payload.model_dump(exclude={"partner_id", "objective_id", "action_id", "pillar"}),
        objective=objective,
        action=action,
        pillar=pillar,
    )


def _partner(access: ContractAccess, partner_id: int) -> Organization:
    partner = selectors.partner_choices(contract=access.contract).filter(pk=partner_id).first()
    if partner is None:
        raise HttpError(422, "Cette organisation ne figure pas parmi les organisations du contrat.")
    api_require(can_commit_for, access, partner)
    return partner


def _editable(request: HttpRequest, contract_id: int, commitment_id: int) -> tuple[ContractAccess, Any]:
    access = api_contract_access(request, contract_id, private=True, permission=can_record_commitments)
    commitment = selectors.commitment_get(contract=access.contract, commitment_id=commitment_id)
    api_require(can_edit_commitment, access, commitment)
    return access, commitment


@endpoints.reads("/{contract_id}/commitments", list[CommitmentOut], summary="Engagements de droit commun")
def commitment_list(request: HttpRequest, contract_id: Id, filters: Query[CommitmentFilters]) -> Any:
    """Réservé aux membres du contrat. Filtres : `partner_id`, `pillar` (code du pilier servi)."""
    access = api_contract_access(request, contract_id, private=True)
    contract = access.contract
    pillar_id = None
    if filters.pillar:
        pillar = next(
            (item for item in selectors.pillar_choices(contract=contract) if item.code == filters.pillar), None
        )
        if pillar is None:
            return []
        pillar_id = pillar.pk
    commitments = selectors.commitment_list(contract=contract, partner_id=filters.partner_id, pillar_id=pillar_id)
    return commitments


@endpoints.reads("/{contract_id}/commitments/{commitment_id}", CommitmentOut, summary="Un engagement de droit commun")
def commitment_detail(request: HttpRequest, contract_id: Id, commitment_id: Id) -> Any:
    """Réservé aux membres du contrat, avec ses chiffres prévus et réalisés année par année."""
    access = api_contract_access(request, contract_id, private=True)
    return selectors.commitment_get(contract=access.contract, commitment_id=commitment_id)


@endpoints.creates("/{contract_id}/commitments", CommitmentOut, summary="Enregistrer un engagement de droit commun")
def commitment_create(request: HttpRequest, contract_id: Id, payload: CommitmentIn) -> Any:
    """Un partenaire engage sa propre organisation (403 sinon) ; le pilote et l'État, toute organisation du
    contrat. Cible : `objective_id`, `action_id`, ou aucun des deux (le contrat dans son ensemble, sur `pillar`
    s'il sert un pilier)."""
    access = api_contract_access(request, contract_id, private=True, permission=can_record_commitments)
    partner = _partner(access, payload.partner_id)
    fields = _fields(access.contract, payload)
    with business_rules_as_http():
        commitment = services.commitment_create(
            contract=access.contract, partner=partner, fields=fields, by=api_caller(request)
        )
    return Status(201, selectors.commitment_get(contract=access.contract, commitment_id=commitment.pk))


@endpoints.writes("PUT", "/{contract_id}/commitments/{commitment_id}", CommitmentOut, summary="Modifier un engagement")
def commitment_update(request: HttpRequest, contract_id: Id, commitment_id: Id, payload: CommitmentIn) -> Any:
    """Mêmes règles que la création ; un partenaire ne modifie que les engagements de son organisation."""
    access, commitment = _editable(request, contract_id, commitment_id)
    partner = _partner(access, payload.partner_id)
    fields = _fields(access.contract, payload)
    with business_rules_as_http():
        services.commitment_update(commitment=commitment, fields=fields, partner=partner, by=api_caller(request))
    return selectors.commitment_get(contract=access.contract, commitment_id=commitment.pk)


@endpoints.removes("DELETE", "/{contract_id}/commitments/{commitment_id}", summary="Supprimer un engagement")
def commitment_delete(request: HttpRequest, contract_id: Id, commitment_id: Id) -> Any:
    """Avec ses chiffres annuels ; l'historique garde qui l'a supprimé."""
    _access, commitment = _editable(request, contract_id, commitment_id)
    with business_rules_as_http():
        services.commitment_delete(commitment=commitment, by=api_caller(request))
    return Status(204, None)


@endpoints.writes(
    "PUT",
    "/{contract_id}/commitments/{commitment_id}/years/{year}",
    CommitmentOut,
    summary="Saisir les chiffres d'une année",
)
def commitment_year_set(
    request: HttpRequest, contract_id: Id, commitment_id: Id, year: int, payload: CommitmentYearIn
) -> Any:
    """Prévu et réalisé d'une année de la période du contrat, dans l'unité de l'engagement (remplace ceux déjà
    saisis). Le réalisé d'une année à venir est refusé (422)."""
    access, commitment = _editable(request, contract_id, commitment_id)
    with business_rules_as_http():
        services.commitment_year_set(commitment=commitment, year=year, by=api_caller(request), **payload.model_dump())
    return selectors.commitment_get(contract=access.contract, commitment_id=commitment.pk)


def _totals_out(totals: selectors.Totals) -> BalanceTotalsOut:
    return BalanceTotalsOut(
        unit=totals.unit,
        commitments=totals.commitments,
        awaiting=totals.awaiting,
        planned=float(totals.planned),
        due_planned=float(totals.due_planned),
        realised=float(totals.realised),
        rate=float(totals.rate) if totals.rate is not None else None,
    )


@endpoints.reads("/{contract_id}/commitment-balance", BalanceOut, summary="Bilan du droit commun")
def commitment_balance(request: HttpRequest, contract_id: Id) -> Any:
    """Réservé aux membres du contrat : prévu et réalisé par unité, par partenaire et par pilier ; engagements
    sans suivi (une année échue sans réalisé) ; objectifs sans engagement."""
    access = api_contract_access(request, contract_id, private=True)
    balance = selectors.contract_balance(contract=access.contract, today=timezone.localdate())
    return BalanceOut(
        commitment_count=balance.commitment_count,
        partner_count=balance.partner_count,
        by_unit=[_totals_out(totals) for totals in balance.by_unit],
        rows=[
            BalanceRowOut(
                partner=PartnerOut(id=row.partner.pk, name=row.partner.name),
                pillar_label=row.pillar_label,
                totals=[_totals_out(totals) for totals in row.totals],
            )
            for row in balance.rows
        ],
        awaiting_commitment_ids=[item.commitment.pk for item in balance.awaiting],
        objectives_without_commitment=[objective.pk for objective in balance.objectives_without_commitment],
    )


# --- specific credits -------------------------------------------------------------------------------------------


def _credits_out(credits: Iterable[Credit]) -> list[CreditOut]:
    """The credits, each with its warning (``CreditOut.warning``)."""
    warnings = selectors.credit_warnings(credits)
    return [CreditOut.of(credit, warning=warnings.get(credit.pk, "")) for credit in credits]


def _credit_fields(contract: Contract, payload: CreditIn) -> services.CreditFields:
    objective, action = _target(contract, payload.objective_id, payload.action_id)
    return services.CreditFields(
        **payload.model_dump(exclude={"objective_id", "action_id"}), objective=objective, action=action
    )


def _saved_credit(contract: Contract, credit_id: int) -> CreditOut:
    return _credits_out([selectors.credit_get(contract=contract, credit_id=credit_id)])[0]


@endpoints.reads("/{contract_id}/credits", list[CreditOut], summary="Crédits spécifiques")
def credit_list(request: HttpRequest, contract_id: Id, filters: Query[CreditFilters]) -> Any:
    """Réservé aux membres du contrat. Filtres : `year`, `programme`. `warning` signale des crédits proposés pour
    un objectif qu'aucun engagement de droit commun ne sert (le droit commun d'abord)."""
    access = api_contract_access(request, contract_id, private=True)
    credits = selectors.credit_list(
        contract=access.contract, year=filters.year, programme=filters.programme.value if filters.programme else ""
    )
    return _credits_out(credits)


@endpoints.creates("/{contract_id}/credits", CreditOut, summary="Enregistrer des crédits spécifiques")
def credit_create(request: HttpRequest, contract_id: Id, payload: CreditIn) -> Any:
    """Réservé au pilote et à l'État. Montants en euros ; une convention pluriannuelle dit sa dernière année."""
    access = api_contract_access(request, contract_id, private=True, permission=can_manage_credits)
    fields = _credit_fields(access.contract, payload)
    with business_rules_as_http():
        credit = services.credit_create(contract=access.contract, fields=fields, by=api_caller(request))
    return Status(201, _saved_credit(access.contract, credit.pk))


@endpoints.writes("PUT", "/{contract_id}/credits/{credit_id}", CreditOut, summary="Modifier des crédits spécifiques")
def credit_update(request: HttpRequest, contract_id: Id, credit_id: Id, payload: CreditIn) -> Any:
    """Réservé au pilote et à l'État."""
    access = api_contract_access(request, contract_id, private=True, permission=can_manage_credits)
    credit = selectors.credit_get(contract=access.contract, credit_id=credit_id)
    fields = _credit_fields(access.contract, payload)
    with business_rules_as_http():
        services.credit_update(credit=credit, fields=fields, by=api_caller(request))
    return _saved_credit(access.contract, credit.pk)


@endpoints.removes("DELETE", "/{contract_id}/credits/{credit_id}", summary="Supprimer des crédits spécifiques")
def credit_delete(request: HttpRequest, contract_id: Id, credit_id: Id) -> Any:
    """Réservé au pilote et à l'État ; l'historique garde qui les a supprimés."""
    access = api_contract_access(request, contract_id, private=True, permission=can_manage_credits)
    credit = selectors.credit_get(contract=access.contract, credit_id=credit_id)
    with business_rules_as_http():
        services.credit_delete(credit=credit, by=api_caller(request))
    return Status(204, None)

"""Writing the partners' *droit commun* commitments and their yearly figures.

Every write checks the rules of the domain (the target belongs to the contract, a year lies within the contract's
period, a realised figure is not reported for a year still to come) and refuses in French
(``BusinessRuleError``); who may write is asked of ``funding.permissions`` by the pages and the API.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from contrat_ville.accounts.models import Organization
from contrat_ville.contracts.models import Contract, Pillar
from contrat_ville.contracts.selectors import organizations_of_contract
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.saving import save_by
from contrat_ville.core.services import object_delete
from contrat_ville.funding.enums import CommitmentNature, CommitmentStatus, CommitmentUnit
from contrat_ville.funding.models import CommitmentYear, MainstreamCommitment
from contrat_ville.strategy.models import Action, Objective


@dataclass(frozen=True)
class CommitmentFields:
    """What a partner commits: the target is an objective, an action, or neither (the contract as a whole, on a
    pillar or not)."""

    title: str
    nature: str
    unit: str = CommitmentUnit.EURO
    unit_label: str = ""
    description: str = ""
    status: str = CommitmentStatus.PROPOSED
    evidence: str = ""
    objective: Objective | None = None
    action: Action | None = None
    pillar: Pillar | None = None


def _check_fields(contract: Contract, fields: CommitmentFields) -> None:
    if not fields.title.strip():
        raise BusinessRuleError("Donnez un intitulé à l'engagement.", field="title")
    if fields.nature not in CommitmentNature.values:
        raise BusinessRuleError("Nature d'engagement inconnue.", field="nature")
    if fields.unit not in CommitmentUnit.values:
        raise BusinessRuleError("Unité inconnue.", field="unit")
    if fields.status not in CommitmentStatus.values:
        raise BusinessRuleError("État d'engagement inconnu.", field="status")
    if fields.unit == CommitmentUnit.OTHER and not fields.unit_label.strip():
        raise BusinessRuleError("Précisez l'unité de l'engagement.", field="unit_label")
    if fields.objective is not None and fields.action is not None:
        raise BusinessRuleError(
            "Un engagement vise un objectif ou une action, pas les deux : choisissez l'un des deux.", field="action"
        )
    if fields.objective is not None and fields.objective.orientation.contract_id != contract.pk:
        raise BusinessRuleError("Cet objectif n'appartient pas à ce contrat.", field="objective")
    if fields.action is not None and fields.action.objective.orientation.contract_id != contract.pk:
        raise BusinessRuleError("Cette action n'appartient pas à ce contrat.", field="action")
    if fields.pillar is not None and fields.pillar.contract_id != contract.pk:
        raise BusinessRuleError("Ce pilier n'appartient pas à ce contrat.", field="pillar")


def _check_partner(contract: Contract, partner: Organization) -> None:
    if not organizations_of_contract(contract=contract).filter(pk=partner.pk).exists():
        raise BusinessRuleError(
            f"« {partner} » ne figure pas parmi les organisations du contrat : ajoutez-la d'abord à ses partenaires.",
            field="partner",
        )


def _apply(commitment: MainstreamCommitment, fields: CommitmentFields) -> None:
    commitment.title = fields.title.strip()
    commitment.nature = fields.nature
    commitment.unit = fields.unit
    commitment.unit_label = fields.unit_label.strip() if fields.unit == CommitmentUnit.OTHER else ""
    commitment.description = fields.description
    commitment.status = fields.status
    commitment.evidence = fields.evidence
    commitment.objective = fields.objective
    commitment.action = fields.action
    # A pillar is named only for what targets neither an objective nor an action: theirs is their orientation's.
    commitment.pillar = fields.pillar if fields.objective is None and fields.action is None else None


@transaction.atomic
def commitment_create(
    *, contract: Contract, partner: Organization, fields: CommitmentFields, by: Any = None
) -> MainstreamCommitment:
    _check_fields(contract, fields)
    _check_partner(contract, partner)
    commitment = MainstreamCommitment(contract=contract, partner=partner)
    _apply(commitment, fields)
    return save_by(commitment, by)


@transaction.atomic
def commitment_update(
    *, commitment: MainstreamCommitment, fields: CommitmentFields, partner: Organization | None = None, by: Any = None
) -> MainstreamCommitment:
    """Change what was committed; ``partner`` moves the commitment to another organisation of the contract (the
    pilot and the State only: the pages and the API ask ``can_commit_for``)."""
    contract = commitment.contract
    _check_fields(contract, fields)
    if partner is not None and partner.pk != commitment.partner_id:
        _check_partner(contract, partner)
        commitment.partner = partner
    _apply(commitment, fields)
    return save_by(commitment, by)


def commitment_delete(*, commitment: MainstreamCommitment, by: Any = None) -> None:
    """A commitment recorded by mistake is deleted with its yearly figures; its history keeps who deleted it."""
    object_delete(obj=commitment, by=by)


def _check_year(contract: Contract, year: int, realised: Decimal | None, today: date) -> None:
    first, last = contract.start_on.year, contract.end_on.year
    if not first <= year <= last:
        raise BusinessRuleError(f"L'année {year} est hors de la période du contrat ({first}-{last}).", field="year")
    if realised is not None and year > today.year:
        raise BusinessRuleError(
            f"Le réalisé de {year} ne peut pas être saisi avant cette année : indiquez seulement le prévu.",
            field="realised",
        )


@transaction.atomic
def commitment_year_set(
    *,
    commitment: MainstreamCommitment,
    year: int,
    planned: Decimal | None,
    realised: Decimal | None,
    note: str = "",
    today: date | None = None,
    by: Any = None,
) -> CommitmentYear:
    """Record a year's planned and realised figures (creating the year or replacing its figures). An empty realised
    figure means « not reported yet »: the balance lists the past years still waiting for one."""
    _check_year(commitment.contract, year, realised, today or timezone.localdate())
    for label, value, field in (("prévu", planned, "planned"), ("réalisé", realised, "realised")):
        if value is not None and value < 0:
            raise BusinessRuleError(f"Le {label} ne peut pas être négatif.", field=field)
    if planned is None and realised is None:
        raise BusinessRuleError("Indiquez au moins le prévu ou le réalisé de l'année.", field="planned")
    line, _created = CommitmentYear.objects.update_or_create(
        commitment=commitment,
        year=year,
        defaults={"planned": planned, "realised": realised, "note": note.strip()},
    )
    # The commitment's history records who reported the figures.
    save_by(commitment, by, "updated_at")
    return line


def commitment_year_delete(*, commitment: MainstreamCommitment, year: int, by: Any = None) -> None:
    deleted, _ = CommitmentYear.objects.filter(commitment=commitment, year=year).delete()
    if not deleted:
        raise BusinessRuleError(f"Aucun chiffre n'est enregistré pour {year}.")
    save_by(commitment, by, "updated_at")

"""Writing the partners' *droit commun* commitments and their yearly figures, and the specific credits.

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
from contrat_ville.core.models import ImportBatch
from contrat_ville.core.saving import save_by
from contrat_ville.core.services import object_delete
from contrat_ville.funding.enums import (
    AgreementKind,
    CommitmentNature,
    CommitmentStatus,
    CommitmentUnit,
    CreditProgramme,
)
from contrat_ville.funding.importers import import_p147_posts
from contrat_ville.funding.models import CommitmentYear, Credit, MainstreamCommitment
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
    _check_target(contract, fields.objective, fields.action, what="Un engagement")
    if fields.pillar is not None and fields.pillar.contract_id != contract.pk:
        raise BusinessRuleError("Ce pilier n'appartient pas à ce contrat.", field="pillar")


def _check_target(contract: Contract, objective: Objective | None, action: Action | None, *, what: str) -> None:
    """What money or means serve: an objective or an action of the contract, not both (or neither)."""
    if objective is not None and action is not None:
        raise BusinessRuleError(
            f"{what} vise un objectif ou une action, pas les deux : choisissez l'un des deux.", field="action"
        )
    if objective is not None and objective.orientation.contract_id != contract.pk:
        raise BusinessRuleError("Cet objectif n'appartient pas à ce contrat.", field="objective")
    if action is not None and action.objective.orientation.contract_id != contract.pk:
        raise BusinessRuleError("Cette action n'appartient pas à ce contrat.", field="action")


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


# --- specific credits ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CreditFields:
    """A year's specific credits: programme, what they fund, their agreement and amounts in euros."""

    programme: str
    title: str
    year: int
    theme_code: str = ""
    beneficiary: str = ""
    beneficiary_siret: str = ""
    objective: Objective | None = None
    action: Action | None = None
    agreement: str = AgreementKind.SINGLE_YEAR
    agreement_end_year: int | None = None
    requested: Decimal | None = None
    granted: Decimal | None = None
    paid: Decimal | None = None


def _check_credit(contract: Contract, fields: CreditFields) -> None:
    if fields.programme not in CreditProgramme.values:
        raise BusinessRuleError("Programme inconnu.", field="programme")
    if fields.agreement not in AgreementKind.values:
        raise BusinessRuleError("Type de convention inconnu.", field="agreement")
    first, last = contract.start_on.year, contract.end_on.year
    if not first <= fields.year <= last:
        raise BusinessRuleError(
            f"L'année {fields.year} est hors de la période du contrat ({first}-{last}).", field="year"
        )
    if fields.agreement == AgreementKind.MULTI_YEAR:
        if fields.agreement_end_year is None or fields.agreement_end_year <= fields.year:
            raise BusinessRuleError(
                "Une convention pluriannuelle court au-delà de son année : indiquez sa dernière année.",
                field="agreement_end_year",
            )
    elif fields.agreement_end_year is not None and fields.agreement_end_year != fields.year:
        raise BusinessRuleError("Une convention annuelle ne court que sur son année.", field="agreement_end_year")
    for label, value, field in (
        ("demandé", fields.requested, "requested"),
        ("accordé", fields.granted, "granted"),
        ("versé", fields.paid, "paid"),
    ):
        if value is not None and value < 0:
            raise BusinessRuleError(f"Le montant {label} ne peut pas être négatif.", field=field)
    if fields.paid is not None and fields.granted is not None and fields.paid > fields.granted:
        raise BusinessRuleError("Le montant versé dépasse le montant accordé.", field="paid")
    if not fields.title.strip():
        raise BusinessRuleError("Donnez un intitulé aux crédits.", field="title")
    _check_target(contract, fields.objective, fields.action, what="Un crédit")


def _apply_credit(credit: Credit, fields: CreditFields) -> None:
    for name in (
        "programme",
        "theme_code",
        "beneficiary",
        "beneficiary_siret",
        "objective",
        "action",
        "year",
        "agreement",
        "requested",
        "granted",
        "paid",
    ):
        setattr(credit, name, getattr(fields, name))
    credit.title = fields.title.strip()
    credit.beneficiary = fields.beneficiary.strip()
    credit.agreement_end_year = (
        fields.agreement_end_year if fields.agreement == AgreementKind.MULTI_YEAR else fields.year
    )


@transaction.atomic
def credit_create(*, contract: Contract, fields: CreditFields, by: Any = None) -> Credit:
    """Record specific credits. Proposing them for an objective that no *droit commun* commitment serves is
    allowed: the pages and the API warn (``selectors.credit_warnings``, domain.md §10 R17)."""
    _check_credit(contract, fields)
    credit = Credit(contract=contract)
    _apply_credit(credit, fields)
    return save_by(credit, by)


@transaction.atomic
def credit_update(*, credit: Credit, fields: CreditFields, by: Any = None) -> Credit:
    _check_credit(credit.contract, fields)
    _apply_credit(credit, fields)
    return save_by(credit, by)


def credit_delete(*, credit: Credit, by: Any = None) -> None:
    object_delete(obj=credit, by=by)


def p147_posts_import(
    path_or_file: Any, *, programme: str = "", by: Any = None, name: str | None = None
) -> ImportBatch:
    """The ANCT's file of programme 147 posts of one year (``importers.import_p147_posts``)."""
    return import_p147_posts(path_or_file, programme=programme, by=by, name=name)

"""Reads of the consultations of the conseils citoyens on the stakes (seed 004 phase 3.1, third step)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.models import Organization
from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.selectors import ContractAccess
from contrat_ville.core.lookups import found_or_404
from contrat_ville.diagnostic.enums import ConsultationStatus
from contrat_ville.diagnostic.models import Consultation, StakeVersion
from contrat_ville.governance.selectors.bodies import contract_organizations
from contrat_ville.governance.selectors.decisions import decision_validates, validations_for
from contrat_ville.participation.models import Opinion
from contrat_ville.participation.permissions import speaks_for_a_council
from contrat_ville.participation.selectors import OpinionSummary, opinion_summary, opinions_for


def council_list(*, contract: Contract) -> QuerySet[Organization]:
    """The contract's conseils citoyens: organisations of kind ``citizen_council`` tied to the contract.

    Tied = seated in one of its bodies, signatory, or the organisation of one of its members (governance's
    ``contract_organizations``): the councils a consultation may address.
    """
    return (
        contract_organizations(contract=contract).filter(kind=OrganizationKind.CITIZEN_COUNCIL).order_by("name", "pk")
    )


def consultation_is_open(consultation: Consultation, *, today: datetime.date | None = None) -> bool:
    """Open and not past its deadline (the deadline day included): ``Consultation.is_open_on``."""
    return consultation.is_open_on(today or timezone.localdate())


def _consultations() -> QuerySet[Consultation]:
    return Consultation.objects.select_related("submitted_by").prefetch_related(
        Prefetch("councils", queryset=Organization.objects.order_by("name", "pk")),
        Prefetch(
            "stake_versions",
            queryset=StakeVersion.objects.select_related("stake", "stake__pillar").order_by(
                "stake__pillar__order", "stake__order", "stake_id", "number"
            ),
        ),
    )


def consultations_visible_to(*, contract: Contract, access: ContractAccess, user: Any) -> QuerySet[Consultation]:
    """Every consultation for the contract's members, except council members: those addressed to their council."""
    consultations = _consultations().filter(contract=contract)
    if speaks_for_a_council(access) and access.user is not None:
        return consultations.filter(councils=access.user.organization_id)
    return consultations


@dataclass(frozen=True)
class ConsultationRow:
    consultation: Consultation
    is_open: bool
    opinions: OpinionSummary


def consultation_rows(*, contract: Contract, access: ContractAccess, user: Any) -> list[ConsultationRow]:
    """The consultations ``user`` may read, newest first, with their opinion counts (four queries)."""
    consultations = list(consultations_visible_to(contract=contract, access=access, user=user).order_by("-created_at"))
    versions = [version for consultation in consultations for version in consultation.stake_versions.all()]
    opinions = opinions_for(versions)
    rows = []
    for consultation in consultations:
        council_ids = {council.pk for council in consultation.councils.all()}
        given = [
            opinion
            for version in consultation.stake_versions.all()
            for opinion in opinions[version]
            if opinion.council_id in council_ids
        ]
        rows.append(
            ConsultationRow(
                consultation=consultation, is_open=consultation_is_open(consultation), opinions=opinion_summary(given)
            )
        )
    return rows


def consultation_get(*, contract: Contract, consultation_id: int, access: ContractAccess, user: Any) -> Consultation:
    """A consultation ``user`` may read, with councils and stake versions, or 404."""
    return found_or_404(
        (consultations_visible_to(contract=contract, access=access, user=user).filter(pk=consultation_id).first()),
        "Consultation introuvable.",
    )


def consultation_version_get(*, consultation: Consultation, version_id: int) -> StakeVersion:
    """A stake version submitted in ``consultation`` (from its prefetched versions), or 404."""
    return found_or_404(
        next((item for item in consultation.stake_versions.all() if item.pk == version_id), None),
        "Enjeu introuvable dans cette consultation.",
    )


@dataclass(frozen=True)
class ConsultationItem:
    """One stake version of a consultation with the councils' opinions on it, and the reader's own."""

    version: StakeVersion
    opinions: list[Opinion]
    mine: Opinion | None
    is_validated: bool = False

    @property
    def summary(self) -> OpinionSummary:
        return opinion_summary(self.opinions)


def consultation_items(*, consultation: Consultation, user: Any) -> list[ConsultationItem]:
    """The consultation's stake versions with the consulted councils' opinions and the COPIL's validation of their
    stake (two queries)."""
    versions = list(consultation.stake_versions.all())
    council_ids = {council.pk for council in consultation.councils.all()}
    opinions = opinions_for(versions)
    validations = validations_for([version.stake for version in versions])
    user_id = getattr(user, "pk", None)
    items = []
    for version in versions:
        given = [opinion for opinion in opinions[version] if opinion.council_id in council_ids]
        mine = next((opinion for opinion in given if user_id is not None and opinion.author_id == user_id), None)
        decision = validations.get(version.stake_id)
        items.append(
            ConsultationItem(
                version=version,
                opinions=given,
                mine=mine,
                is_validated=decision_validates(decision),
            )
        )
    return items


def consultations_for_phase(*, contract: Contract) -> QuerySet[Consultation]:
    """Consultations closed or past their deadline that received at least one opinion (phase 3.1 rule)."""
    today = timezone.localdate()
    done = Consultation.objects.filter(contract=contract).filter(
        Q(status=ConsultationStatus.CLOSED) | Q(deadline__lt=today)
    )
    judged = Opinion.objects.filter(
        contract=contract,
        content_type__app_label="diagnostic",
        content_type__model="stakeversion",
    ).values("object_id")
    return done.filter(stake_versions__in=judged).distinct()

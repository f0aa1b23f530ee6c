"""The debate of the stakes with the conseils citoyens (seed 004 phase 3.1, third step; loi 2014-173 art. 7).

The pilot submits a set of stakes to one or more councils with a deadline: the current version of each stake is
frozen into the consultation and the stake goes to « soumis aux conseils citoyens ». Council members then give an
opinion per stake version until the deadline (``participation.services.opinion_give``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from contrat_ville.accounts.models import Organization, User
from contrat_ville.contracts.models import Contract
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.saving import save_by
from contrat_ville.core.services import required_text
from contrat_ville.diagnostic.enums import ConsultationStatus
from contrat_ville.diagnostic.models import Consultation, Stake, StakeVersion
from contrat_ville.diagnostic.selectors.consultations import council_list
from contrat_ville.diagnostic.services.stakes import stake_submit
from contrat_ville.participation.models import Opinion
from contrat_ville.participation.services import opinion_give


@transaction.atomic
def consultation_create(
    *,
    contract: Contract,
    title: str,
    deadline: datetime.date,
    councils: Iterable[Organization],
    stakes: Iterable[Stake],
    message: str = "",
    by: User | None,
    today: datetime.date | None = None,
) -> Consultation:
    """Submit ``stakes`` to ``councils`` until ``deadline``: freeze their current versions, status « soumis ».

    Refused without council or stake, with a council that is not one of the contract's conseils citoyens, with a
    stake of another contract or already retained/rejected, and with a deadline in the past.
    """
    councils, stakes = list(councils), list(stakes)
    title = required_text(title, "L'intitulé de la consultation est obligatoire.", field="title")
    today = today or timezone.localdate()
    if deadline < today:
        raise BusinessRuleError(
            "La date limite des avis ne peut pas être passée : laissez aux conseils citoyens le temps de répondre.",
            field="deadline",
        )
    if not councils:
        raise BusinessRuleError("Choisissez au moins un conseil citoyen.", field="councils")
    allowed = set(council_list(contract=contract).values_list("pk", flat=True))
    for council in councils:
        if council.pk not in allowed:
            raise BusinessRuleError(f"« {council} » n'est pas un conseil citoyen de ce contrat.", field="councils")
    if not stakes:
        raise BusinessRuleError("Choisissez au moins un enjeu à soumettre.", field="stakes")
    for stake in stakes:
        if stake.contract_id != contract.pk:
            raise BusinessRuleError("Un enjeu choisi appartient à un autre contrat de ville.", field="stakes")
    consultation = Consultation(
        contract=contract,
        title=title,
        message=(message or "").strip(),
        deadline=deadline,
        status=ConsultationStatus.OPEN,
        submitted_by=by if isinstance(by, User) else None,
    )
    save_by(consultation, by)
    consultation.councils.set(councils)
    comment = f"Soumis aux conseils citoyens : « {title} », avis attendus au plus tard le {deadline:%d/%m/%Y}."
    versions = [stake_submit(stake=stake, comment=comment, by=by) for stake in stakes]
    consultation.stake_versions.set(versions)
    return consultation


@transaction.atomic
def consultation_close(*, consultation: Consultation, by: User | None) -> Consultation:
    """Close a consultation before (or after) its deadline: opinions can no longer be given or changed."""
    if consultation.status == ConsultationStatus.CLOSED:
        raise BusinessRuleError("Cette consultation est déjà close.")
    consultation.status = ConsultationStatus.CLOSED
    save_by(consultation, by, "status")
    return consultation


@transaction.atomic
def consultation_opinion_give(
    *,
    consultation: Consultation,
    version: StakeVersion,
    author: Any,
    verdict: str,
    text: str = "",
    today: datetime.date | None = None,
) -> Opinion:
    """A council member's opinion on a stake version of the consultation, for their council.

    Only members of a consulted council, on a version submitted in this consultation, while it is open and until
    its deadline (the day included); then read-only. One opinion per author and version: a new one replaces it.
    """
    if consultation.status == ConsultationStatus.CLOSED:
        raise BusinessRuleError("Cette consultation est close : les avis ne peuvent plus être donnés ni modifiés.")
    if not consultation.stake_versions.filter(pk=version.pk).exists():
        raise BusinessRuleError("Cet enjeu n'a pas été soumis aux conseils citoyens dans cette consultation.")
    council_id = getattr(author, "organization_id", None)
    council = consultation.councils.filter(pk=council_id).first() if council_id else None
    if council is None:
        raise BusinessRuleError("Seuls les membres des conseils citoyens consultés donnent un avis sur ces enjeux.")
    return opinion_give(
        target=version,
        council=council,
        author=author,
        verdict=verdict,
        text=text,
        contract=consultation.contract,
        open_until=consultation.deadline,
        today=today,
    )

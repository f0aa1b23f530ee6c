"""The debate of the stakes with the conseils citoyens (seed 004 phase 3.1, third step; loi 2014-173 art. 7).

The pilot submits a set of objects — stakes, and any kind another app registers in
``core.registries.consultable_kinds`` (strategic orientations, yearly action plans; the annual report later) — to one
or more councils with a deadline: the current version of each stake is frozen into the consultation and the stake
goes to « soumis aux conseils citoyens ». Council members then give an opinion per item until the deadline
(``participation.services.opinion_give``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from contrat_ville.accounts.models import Organization, User
from contrat_ville.contracts.models import Contract
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.registries import ConsultableKind, consultable_kinds
from contrat_ville.core.saving import save_by
from contrat_ville.core.services import required_text
from contrat_ville.diagnostic.enums import ConsultationStatus
from contrat_ville.diagnostic.models import Consultation, ConsultedObject, Stake, StakeVersion
from contrat_ville.diagnostic.selectors.consultations import council_list
from contrat_ville.participation.models import Opinion
from contrat_ville.participation.services import opinion_give


def _kind_of(obj: Model) -> ConsultableKind:
    kind = consultable_kinds.get(obj._meta.label_lower)
    if kind is None:
        raise BusinessRuleError(f"« {obj} » ne peut pas être soumis aux conseils citoyens.", field="objects")
    return kind


@transaction.atomic
def consultation_create(
    *,
    contract: Contract,
    title: str,
    deadline: datetime.date,
    councils: Iterable[Organization],
    stakes: Iterable[Stake] = (),
    objects: Iterable[Model] = (),
    message: str = "",
    by: User | None,
    today: datetime.date | None = None,
) -> Consultation:
    """Submit ``stakes`` and ``objects`` (orientations, yearly plans… any kind registered in
    ``core.registries.consultable_kinds``) to ``councils`` until ``deadline``.

    Each object becomes an item (``ConsultedObject``) through its kind's ``submit``: a stake freezes its current
    version and goes to « soumis aux conseils citoyens »; other objects are judged as they are. Refused without
    council or object, with a council that is not one of the contract's conseils citoyens, with an object of
    another contract or of a kind that cannot be submitted, and with a deadline in the past.
    """
    councils = list(councils)
    chosen: list[Model] = [*stakes, *objects]
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
    if not chosen:
        raise BusinessRuleError("Choisissez au moins un objet à soumettre : un enjeu, une orientation, un plan…")
    kinds = [_kind_of(obj) for obj in chosen]
    for obj, kind in zip(chosen, kinds, strict=True):
        if getattr(obj, "contract_id", None) != contract.pk:
            raise BusinessRuleError(f"Un objet choisi ({kind.label}) appartient à un autre contrat de ville.")
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
    items, versions = [], []
    for order, (obj, kind) in enumerate(zip(chosen, kinds, strict=True)):
        target = kind.submit(obj, comment=comment, by=by) if kind.submit else obj
        subject = kind.subject(target) if kind.subject else target
        if isinstance(target, StakeVersion):
            versions.append(target)
        items.append(
            ConsultedObject(
                consultation=consultation,
                kind=kind.model_label,
                target_type=ContentType.objects.get_for_model(target),
                target_id=target.pk,
                subject_type=ContentType.objects.get_for_model(subject),
                subject_id=subject.pk,
                label=kind.describe(target)[:500],
                order=order,
            )
        )
    ConsultedObject.objects.bulk_create(items)
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
    author: Any,
    verdict: str,
    text: str = "",
    item: ConsultedObject | None = None,
    version: StakeVersion | None = None,
    today: datetime.date | None = None,
) -> Opinion:
    """A council member's opinion on an item of the consultation (or on a stake ``version`` submitted in it), for
    their council.

    Only members of a consulted council, on an object submitted in this consultation, while it is open and until
    its deadline (the day included); then read-only. One opinion per author and object: a new one replaces it.
    """
    if consultation.status == ConsultationStatus.CLOSED:
        raise BusinessRuleError("Cette consultation est close : les avis ne peuvent plus être donnés ni modifiés.")
    if item is None and version is not None:
        item = consultation.items.filter(
            target_type=ContentType.objects.get_for_model(StakeVersion), target_id=version.pk
        ).first()
    if item is None or item.consultation_id != consultation.pk:
        raise BusinessRuleError("Cet objet n'a pas été soumis aux conseils citoyens dans cette consultation.")
    target = item.target_type.get_object_for_this_type(pk=item.target_id)
    council_id = getattr(author, "organization_id", None)
    council = consultation.councils.filter(pk=council_id).first() if council_id else None
    if council is None:
        raise BusinessRuleError("Seuls les membres des conseils citoyens consultés donnent un avis sur ces objets.")
    return opinion_give(
        target=target,
        council=council,
        author=author,
        verdict=verdict,
        text=text,
        contract=consultation.contract,
        open_until=consultation.deadline,
        today=today,
    )

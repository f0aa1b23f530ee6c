"""Writes of the participation app: the opinions (*avis*) of the conseils citoyens.

Loi 2014-173 art. 7: the conseils citoyens are associated with the elaboration of the contract; seed 004 phase 3.1:
the stakes « seront mis en débat avec les conseils citoyens ». An opinion points at what it judges through a
generic relation (design.md §2), so this app never imports the apps above it: they check their own rules (which
councils were consulted, until when) and call ``opinion_give``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.models import Organization, User
from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.selectors import contract_access_of
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.saving import save_by
from contrat_ville.participation.enums import COMMENT_REQUIRED_VERDICTS, OpinionVerdict
from contrat_ville.participation.models import Opinion
from contrat_ville.participation.permissions import speaks_for_a_council


def _check_author(*, council: Organization, author: Any, contract: Contract) -> None:
    if council.kind != OrganizationKind.CITIZEN_COUNCIL:
        raise BusinessRuleError(f"« {council} » n'est pas un conseil citoyen.", field="council")
    if not isinstance(author, User) or not author.is_authenticated:
        raise BusinessRuleError("Un avis est donné par un membre identifié d'un conseil citoyen.", field="author")
    if author.organization_id != council.pk:
        raise BusinessRuleError(
            f"Vous ne pouvez donner un avis qu'au nom de votre conseil citoyen, pas au nom de « {council} ».",
            field="council",
        )
    if not speaks_for_a_council(contract_access_of(user=author, contract=contract)):
        raise BusinessRuleError(
            "Seuls les membres d'un conseil citoyen du contrat (rôle « membre de conseil citoyen ») donnent un avis.",
            field="author",
        )


def _check_deadline(open_until: datetime.date | None, today: datetime.date | None) -> None:
    if open_until is None:
        return
    today = today or timezone.localdate()
    if today > open_until:
        raise BusinessRuleError(
            f"La date limite des avis ({open_until:%d/%m/%Y}) est passée : l'avis ne peut plus être donné ni modifié."
        )


def _check_verdict(verdict: str, text: str) -> None:
    if verdict not in OpinionVerdict.values:
        raise BusinessRuleError(f"Avis inconnu : « {verdict} ».", field="verdict")
    if verdict in COMMENT_REQUIRED_VERDICTS and not text:
        raise BusinessRuleError("Précisez vos réserves ou votre désaccord dans le commentaire.", field="text")


@transaction.atomic
def opinion_give(
    *,
    target: Model,
    council: Organization,
    author: Any,
    verdict: str,
    text: str = "",
    contract: Contract,
    open_until: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Opinion:
    """Give, or change, the opinion of ``author`` speaking for ``council`` on ``target``.

    One opinion per author, council and target (a later call replaces the verdict and comment; the history keeps
    the previous ones). Refused when the author does not belong to the council or holds no ``council`` role on the
    contract, when ``open_until`` (the consultation's deadline, checked by the caller's app) is past, and when a
    reservation or a disagreement comes without a comment.
    """
    text = (text or "").strip()
    _check_author(council=council, author=author, contract=contract)
    _check_deadline(open_until, today)
    _check_verdict(verdict, text)
    if target.pk is None:
        raise BusinessRuleError("L'objet de l'avis doit être enregistré.", field="target")
    content_type = ContentType.objects.get_for_model(target)
    opinion = Opinion.objects.filter(
        author=author, council=council, content_type=content_type, object_id=target.pk
    ).first()
    if opinion is None:
        opinion = Opinion(
            contract=contract, council=council, author=author, content_type=content_type, object_id=target.pk
        )
    elif opinion.contract_id != contract.pk:
        raise BusinessRuleError("Cet avis appartient à un autre contrat.", field="target")
    opinion.verdict = verdict
    opinion.text = text
    save_by(opinion, author)
    return opinion

"""Recording the decisions of the contract's bodies (seed 004 phases 2.1, 3.2 and 4; design.md §2).

A decision is taken in a meeting, on any object of the contract whose kind is registered in
``core.registries.decision_targets`` (stakes, orientations, action plans… registered by the apps that own them).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from contrat_ville.accounts.models import User
from contrat_ville.contracts.models import Contract
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.registries import decision_targets
from contrat_ville.core.saving import save_by
from contrat_ville.core.services import required_text
from contrat_ville.governance.enums import MeetingStatus, Verdict
from contrat_ville.governance.models import Decision, Meeting


def _notify_target_owner(decision: Decision, by: User | None) -> None:
    """Let the app that owns the decided object react (design.md §2: contributions upward via registries)."""
    if decision.target_type_id is None or decision.target is None:
        return
    entry = decision_targets.get(decision.target._meta.label_lower)
    if entry is not None and entry.on_decision is not None:
        entry.on_decision(decision, by)


def _allowed_kinds_label() -> str:
    labels = [target.label for target in decision_targets]
    return ", ".join(labels) if labels else "aucun"


def _target_contract_id(target: Model) -> Any:
    """The contract an object belongs to: itself, its ``contract_id``, or a ``contract`` attribute."""
    if isinstance(target, Contract):
        return target.pk
    if hasattr(target, "contract_id"):
        return target.contract_id
    contract = getattr(target, "contract", None)
    return getattr(contract, "pk", None)


def decision_target_check(*, target: Model, contract: Contract) -> None:
    """A decision may target only a registered kind of object (design.md §2) of the same contract (tenancy)."""
    key = target._meta.label_lower
    if key not in decision_targets:
        raise BusinessRuleError(
            f"Une décision ne peut pas porter sur un objet de ce type ({target._meta.verbose_name}). "
            f"Types d'objets admis : {_allowed_kinds_label()}.",
            field="target",
        )
    if target.pk is None:
        raise BusinessRuleError("L'objet de la décision doit être enregistré.", field="target")
    if _target_contract_id(target) != contract.pk:
        raise BusinessRuleError("L'objet de la décision n'appartient pas à ce contrat de ville.", field="target")


def _check_meeting_can_decide(meeting: Meeting) -> None:
    """Decisions are taken in session: the meeting is held, or at least has started (seed 004 phase 2.1)."""
    if meeting.status == MeetingStatus.CANCELLED:
        raise BusinessRuleError("Cette séance a été annulée : aucune décision ne peut y être enregistrée.")
    if meeting.status != MeetingStatus.HELD and meeting.starts_at > timezone.now():
        raise BusinessRuleError(
            "Une décision s'enregistre dans une séance qui s'est tenue ou qui a commencé : "
            f"cette séance n'aura lieu que le {timezone.localtime(meeting.starts_at):%d/%m/%Y à %H:%M}."
        )


def _check_verdict(verdict: str) -> None:
    if verdict not in Verdict.values:
        raise BusinessRuleError(f"Sens de décision inconnu : « {verdict} ».", field="verdict")


def _check_text(text: str) -> str:
    return required_text(text, "Le texte de la décision est obligatoire.", field="text")


@transaction.atomic
def decision_record(
    *,
    meeting: Meeting,
    verdict: str,
    text: str,
    target: Model | None = None,
    is_published: bool = False,
    by: User | None,
) -> Decision:
    """Record a decision taken by ``meeting``'s body, optionally on an object of the contract.

    Seed 004: the steering committee « pilotera, validera, suivra et évaluera le contrat de ville » (phase 2.1),
    validates the stakes and strategic orientations (phase 3.2, rule R14) and the action plans (phase 4, R15).
    Refused when the meeting has not started yet (or was cancelled), when the object's kind is not registered as
    a decision target, or when the object belongs to another contract.
    """
    contract = meeting.body.contract
    _check_meeting_can_decide(meeting)
    _check_verdict(verdict)
    text = _check_text(text)
    decision = Decision(
        contract=contract,
        meeting=meeting,
        verdict=verdict,
        text=text,
        is_published=is_published,
    )
    if target is not None:
        decision_target_check(target=target, contract=contract)
        decision.target = target
        decision.target_label = str(target)[:500]
    save_by(decision, by)
    _notify_target_owner(decision, by)
    return decision


@transaction.atomic
def decision_update(
    *,
    decision: Decision,
    verdict: str,
    text: str,
    is_published: bool,
    by: User | None,
) -> Decision:
    """Correct a decision's verdict, text or publication (the history keeps the previous versions)."""
    _check_verdict(verdict)
    decision.verdict = verdict
    decision.text = _check_text(text)
    decision.is_published = is_published
    save_by(decision, by, "verdict", "text", "is_published")
    _notify_target_owner(decision, by)
    return decision


@transaction.atomic
def decision_publish(*, decision: Decision, is_published: bool = True, by: User | None) -> Decision:
    """Publish (or unpublish) a decision: published decisions of a published contract are public (issue §6)."""
    decision.is_published = is_published
    save_by(decision, by, "is_published")
    return decision

"""« What was decided about this? » — the one question higher apps ask governance (design.md §2).

Stakes, orientations, action plans… live in apps above governance; they never import it the other way round:
they call these selectors with their own objects.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, Q, QuerySet

from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.selectors import ContractAccess
from contrat_ville.core.lookups import filter_given, found_or_404
from contrat_ville.core.registries import decision_annexes, decision_targets, sorted_entries
from contrat_ville.governance.enums import VALIDATING_VERDICTS, BodyKind
from contrat_ville.governance.models import Body, BodyMember, Decision, Meeting
from contrat_ville.governance.permissions import can_read_all_governance, can_read_seated_bodies


def decisions_for(obj: Model) -> QuerySet[Decision]:
    """Every decision on ``obj``, newest first, with its meeting and body."""
    return (
        Decision.objects.filter(target_type=ContentType.objects.get_for_model(obj), target_id=obj.pk)
        .select_related("meeting", "meeting__body")
        .order_by("-meeting__starts_at", "-pk")
    )


def latest_decision(obj: Model, *, body_kind: str = BodyKind.STEERING_COMMITTEE) -> Decision | None:
    """The decision of a body of ``body_kind`` on ``obj`` taken in the latest meeting: the one that counts."""
    return decisions_for(obj).filter(meeting__body__kind=body_kind).first()


def decision_validates(decision: Decision | None) -> bool:
    """Whether a (latest) decision validates its object: validated, or validated with amendments."""
    return decision is not None and decision.verdict in VALIDATING_VERDICTS


class DecidedRow:
    """A row of a page that carries the latest decision of the comité de pilotage on its object (a stake, an
    orientation, an evaluation, a question): validated when that decision validates. The dataclass declares
    ``decision`` among its fields."""

    decision: Decision | None

    @property
    def is_validated(self) -> bool:
        return decision_validates(self.decision)


def is_validated(obj: Model, *, body_kind: str = BodyKind.STEERING_COMMITTEE) -> bool:
    """True when the latest decision of a body of ``body_kind`` on ``obj`` validates it (rule R14).

    The one projection of « validated by the comité de pilotage »: a later postponement or rejection withdraws an
    earlier validation, because only the latest decision counts. The stored statuses that mirror it (a stake
    « retenu », a plan « validé ») are set by their app's decision hook from this same projection.
    """
    return decision_validates(latest_decision(obj, body_kind=body_kind))


def validations_for(
    objects: Iterable[Model], *, body_kind: str = BodyKind.STEERING_COMMITTEE
) -> dict[Any, Decision | None]:
    """The latest decision of a body of ``body_kind`` for each object, in one query (for lists)."""
    objects = list(objects)
    if not objects:
        return {}
    content_type = ContentType.objects.get_for_model(objects[0])
    latest: dict[Any, Decision | None] = {obj.pk: None for obj in objects}
    decisions = (
        Decision.objects.filter(target_type=content_type, target_id__in=list(latest), meeting__body__kind=body_kind)
        .select_related("meeting", "meeting__body")
        .order_by("target_id", "-meeting__starts_at", "-pk")
    )
    for decision in decisions:
        if latest.get(decision.target_id) is None:
            latest[decision.target_id] = decision
    return latest


# --- who sees which decision (issue §6) -------------------------------------------------------------------


def _is_authenticated(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def member_body_ids(*, contract_id: int, user: Any) -> QuerySet[BodyMember, Any]:
    """Ids of the contract's bodies ``user`` sits in: as the named member, or through their organisation."""
    if not _is_authenticated(user):
        return BodyMember.objects.none().values("body_id")
    seat = Q(user=user)
    if getattr(user, "organization_id", None):
        seat |= Q(organization_id=user.organization_id)
    return BodyMember.objects.filter(body__contract_id=contract_id).filter(seat).values("body_id")


def _visible_decisions(*, contract_id: int, access: ContractAccess | None, user: Any) -> QuerySet[Decision]:
    decisions = Decision.objects.filter(contract_id=contract_id)
    if access is not None and can_read_all_governance(access):
        return decisions
    if access is not None and can_read_seated_bodies(access) and _is_authenticated(user):
        seats = member_body_ids(contract_id=contract_id, user=user)
        return decisions.filter(Q(is_published=True) | Q(meeting__body_id__in=seats))
    return decisions.filter(is_published=True)


def decisions_visible_to(*, contract: Contract, access: ContractAccess | None, user: Any = None) -> QuerySet[Decision]:
    """The contract's decisions ``access`` may read (issue §6).

    ``can_read_all_governance``: all of them; ``can_read_seated_bodies``: the decisions of the bodies the member
    sits in and the published ones; anyone else (visitor of a published contract) reads the published ones only.
    """
    return _visible_decisions(contract_id=contract.pk, access=access, user=user)


def decision_list(
    *,
    contract: Contract,
    access: ContractAccess | None,
    user: Any = None,
    verdict: str | None = None,
    body_id: int | None = None,
) -> QuerySet[Decision]:
    """Visible decisions, newest meeting first, with their meeting and body (one query), optionally filtered."""
    decisions = decisions_visible_to(contract=contract, access=access, user=user)
    decisions = filter_given(decisions, verdict=verdict, meeting__body_id=body_id)
    return decisions.select_related("meeting", "meeting__body").order_by("-meeting__starts_at", "-pk")


def decision_get(*, contract: Contract, decision_id: int, access: ContractAccess | None, user: Any = None) -> Decision:
    """One visible decision of the contract, or 404 (same answer whether it exists elsewhere or is hidden)."""
    return found_or_404(
        (
            decisions_visible_to(contract=contract, access=access, user=user)
            .select_related("contract", "meeting", "meeting__body", "target_type")
            .filter(pk=decision_id)
            .first()
        ),
        "Décision introuvable.",
    )


def decision_bodies(*, decisions: QuerySet[Decision]) -> QuerySet[Body]:
    """The bodies that took at least one of ``decisions`` (for the list's body filter; one query)."""
    return Body.objects.filter(pk__in=decisions.values("meeting__body_id")).order_by("kind", "name")


def decision_history(obj: Model, *, access: ContractAccess | None, user: Any = None) -> QuerySet[Decision]:
    """``decisions_for(obj)`` restricted to what ``access`` may read: for an object's page in a higher app."""
    if access is None:
        return decisions_for(obj).filter(is_published=True, contract__is_published=True)
    visible = _visible_decisions(contract_id=access.contract.pk, access=access, user=user)
    return decisions_for(obj).filter(pk__in=visible.values("pk"))


def decision_meeting_get(*, contract: Contract, meeting_id: int) -> Meeting:
    """A meeting of one of the contract's bodies, to record a decision in, or 404."""
    return found_or_404(
        Meeting.objects.filter(body__contract=contract, pk=meeting_id).select_related("body").first(),
        "Séance introuvable.",
    )


# --- the decision-target registry (design.md §2) ----------------------------------------------------------


@dataclass(frozen=True)
class TargetChoiceGroup:
    """The objects of one registered kind a decision of the contract may target, as « type:id » values."""

    model_label: str
    label: str
    options: list[tuple[str, str]]


def _has_contract_field(model: type[Model]) -> bool:
    try:
        model._meta.get_field("contract")
    except FieldDoesNotExist:
        return False
    return True


def target_value(obj: Model) -> str:
    """« app_label.model_name:pk », the value of an object in the target select."""
    return f"{obj._meta.label_lower}:{obj.pk}"


def decision_target_choices(*, contract: Contract) -> list[TargetChoiceGroup]:
    """For each registered target kind, the contract's objects of that kind (one query per kind).

    The contract itself for ``contracts.contract``; otherwise the model's rows whose ``contract`` is this one.
    Kinds whose model is not installed or has no ``contract`` field are left out.
    """
    groups = []
    for target in decision_targets:
        try:
            model = apps.get_model(target.model_label)
        except (LookupError, ValueError):
            continue
        if model is Contract:
            objects: list[Model] = [contract]
        elif _has_contract_field(model):
            objects = list(model._default_manager.filter(contract=contract))
        else:
            continue
        groups.append(
            TargetChoiceGroup(
                model_label=target.model_label,
                label=target.label,
                options=[(target_value(obj), str(obj)) for obj in objects],
            )
        )
    return groups


def decision_target_resolve(*, contract: Contract, value: str) -> Model | None:
    """The object behind a « type:id » value, if its kind is registered and it belongs to the contract."""
    label, _, raw_id = value.partition(":")
    if label not in decision_targets or not raw_id.isdigit():
        return None
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    if model is Contract:
        return contract if int(raw_id) == contract.pk else None
    if not _has_contract_field(model):
        return None
    found: Model | None = model._default_manager.filter(contract=contract, pk=int(raw_id)).first()
    return found


# --- what higher apps add to a decision's page -------------------------------------------------------------------


@dataclass(frozen=True)
class AnnexSection:
    title: str
    template: str
    context: dict[str, Any]


def decision_annex_sections(decision: Decision, *, access: ContractAccess | None, user: Any) -> list[AnnexSection]:
    """The sections higher apps add to ``decision``'s page (``core.registries.decision_annexes``: the councils'
    opinions on its object…), those that have something to show."""
    sections = []
    for annex in sorted_entries(decision_annexes):
        context = annex.get_context(decision, access, user)
        if context is not None:
            sections.append(AnnexSection(annex.title, annex.template, context))
    return sections

"""Reads of the consultations of the conseils citoyens on the stakes (seed 004 phase 3.1, third step)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Prefetch, Q, QuerySet
from django.utils import timezone

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.models import Organization
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.selectors import ContractAccess
from contrat_ville.core.lookups import found_or_404
from contrat_ville.core.registries import AwaitingItem, consultable_kinds
from contrat_ville.core.selectors import objects_by_key
from contrat_ville.diagnostic.enums import STAKE_OPEN_STATUSES, ConsultationStatus
from contrat_ville.diagnostic.models import Consultation, ConsultedObject, Stake, StakeVersion
from contrat_ville.governance.enums import BodyKind
from contrat_ville.governance.models import Decision
from contrat_ville.governance.selectors.bodies import contract_organizations
from contrat_ville.governance.selectors.decisions import decision_validates, decisions_visible_to
from contrat_ville.participation.models import CitizenCouncil, Opinion
from contrat_ville.participation.permissions import speaks_for_a_council
from contrat_ville.participation.selectors import OpinionSummary, judged_by_council, opinion_summary, opinions_on


def council_list(*, contract: Contract) -> QuerySet[Organization]:
    """The contract's conseils citoyens: organisations of kind ``citizen_council`` tied to the contract.

    Tied = registered in its registry of councils (participation), seated in one of its bodies, signatory, or the
    organisation of one of its members (governance's ``contract_organizations``): the councils a consultation may
    address. A council registered on an empty platform is consulted before it sits anywhere or has an account.
    """
    registered = CitizenCouncil.objects.filter(contract=contract).values("organization_id")
    return Organization.objects.filter(
        Q(pk__in=contract_organizations(contract=contract).values("pk")) | Q(pk__in=registered),
        kind=OrganizationKind.CITIZEN_COUNCIL,
    ).order_by("name", "pk")


def consultable_stakes(*, contract: Contract) -> QuerySet[Stake]:
    """The stakes the pilot may submit: neither decided by the steering committee nor duplicates (one query)."""
    return (
        Stake.objects.filter(contract=contract, status__in=STAKE_OPEN_STATUSES, duplicate_of__isnull=True)
        .select_related("pillar")
        .order_by("pillar__order", "order", "pk")
    )


def consultation_is_open(consultation: Consultation, *, today: datetime.date | None = None) -> bool:
    """Open and not past its deadline (the deadline day included): ``Consultation.is_open_on``."""
    return consultation.is_open_on(today or timezone.localdate())


def _consultations() -> QuerySet[Consultation]:
    return Consultation.objects.select_related("submitted_by").prefetch_related(
        Prefetch("councils", queryset=Organization.objects.order_by("name", "pk")),
        Prefetch("items", queryset=ConsultedObject.objects.order_by("order", "pk")),
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
    """The consultations ``user`` may read, newest first, with their opinion counts (five queries)."""
    consultations = list(consultations_visible_to(contract=contract, access=access, user=user).order_by("-created_at"))
    opinions = opinions_on(_target_key(item) for consultation in consultations for item in consultation.items.all())
    rows = []
    for consultation in consultations:
        council_ids = {council.pk for council in consultation.councils.all()}
        given = [
            opinion
            for item in consultation.items.all()
            for opinion in opinions[_target_key(item)]
            if opinion.council_id in council_ids
        ]
        rows.append(
            ConsultationRow(
                consultation=consultation, is_open=consultation_is_open(consultation), opinions=opinion_summary(given)
            )
        )
    return rows


def _target_key(item: ConsultedObject) -> tuple[int, int]:
    return (item.target_type_id, item.target_id)


def _subject_key(item: ConsultedObject) -> tuple[int, int]:
    return (item.subject_type_id, item.subject_id)


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


def consultation_item_get(*, consultation: Consultation, item_id: int) -> ConsultedObject:
    """An item of ``consultation`` (from its prefetched items), or 404."""
    return found_or_404(
        next((item for item in consultation.items.all() if item.pk == item_id), None),
        "Objet introuvable dans cette consultation.",
    )


def consultation_item_of_version(*, consultation: Consultation, version: StakeVersion) -> ConsultedObject:
    """The item of ``consultation`` that holds the stake ``version`` (its old URL), or 404."""
    version_type = ContentType.objects.get_for_model(StakeVersion).pk
    return found_or_404(
        next(
            (
                item
                for item in consultation.items.all()
                if item.target_type_id == version_type and item.target_id == version.pk
            ),
            None,
        ),
        "Enjeu introuvable dans cette consultation.",
    )


def _load_targets(items: list[ConsultedObject]) -> dict[tuple[int, int], Model]:
    """The objects judged by ``items``, one query per kind (a stake version comes with its stake and pillar)."""
    return objects_by_key(
        ((item.target_type_id, item.target_id) for item in items), related={StakeVersion: ("stake", "stake__pillar")}
    )


def _decisions_on(
    keys: Iterable[tuple[int, int]], *, contract: Contract, access: ContractAccess | None, user: Any
) -> dict[tuple[int, int], list[Decision]]:
    """The decisions ``access`` may read on each (content type id, object id), newest first (one query)."""
    result: dict[tuple[int, int], list[Decision]] = {key: [] for key in keys}
    if not result:
        return result
    condition = Q()
    for content_type_id, object_id in result:
        condition |= Q(target_type_id=content_type_id, target_id=object_id)
    decisions = (
        decisions_visible_to(contract=contract, access=access, user=user)
        .filter(condition)
        .select_related("meeting", "meeting__body")
        .order_by("-meeting__starts_at", "-pk")
    )
    for decision in decisions:
        if decision.target_type_id is not None and decision.target_id is not None:
            result[(decision.target_type_id, decision.target_id)].append(decision)
    return result


@dataclass(frozen=True)
class ConsultationItem:
    """One object of a consultation with the councils' opinions on it, the reader's own, and what the steering
    committee decided on it since (« suites données »)."""

    item: ConsultedObject
    target: Model | None
    kind_label: str
    url: str
    opinions: list[Opinion]
    mine: Opinion | None
    decisions: list[Decision] = field(default_factory=list)
    is_validated: bool = False

    @property
    def summary(self) -> OpinionSummary:
        return opinion_summary(self.opinions)

    @property
    def version(self) -> StakeVersion | None:
        """The stake version judged, when the item is a stake."""
        return self.target if isinstance(self.target, StakeVersion) else None

    @property
    def title(self) -> str:
        return self.item.label


def consultation_items(
    *, consultation: Consultation, user: Any, access: ContractAccess | None = None
) -> list[ConsultationItem]:
    """The consultation's items with the consulted councils' opinions, the reader's own, and the decisions of the
    contract's bodies on what they judge, as far as ``access`` may read them (one query per kind of object, plus
    three)."""
    items = list(consultation.items.all())
    council_ids = {council.pk for council in consultation.councils.all()}
    targets = _load_targets(items)
    opinions = opinions_on(_target_key(item) for item in items)
    decisions = _decisions_on(
        (_subject_key(item) for item in items), contract=consultation.contract, access=access, user=user
    )
    user_id = getattr(user, "pk", None)
    rows = []
    for item in items:
        given = [opinion for opinion in opinions[_target_key(item)] if opinion.council_id in council_ids]
        mine = next((opinion for opinion in given if user_id is not None and opinion.author_id == user_id), None)
        kind = consultable_kinds.get(item.kind)
        target = targets.get(_target_key(item))
        on_subject = decisions[_subject_key(item)]
        steering = next((d for d in on_subject if d.meeting.body.kind == BodyKind.STEERING_COMMITTEE), None)
        rows.append(
            ConsultationItem(
                item=item,
                target=target,
                kind_label=kind.label if kind else item.kind,
                url=kind.url(target, consultation.contract) if kind and target is not None else "",
                opinions=given,
                mine=mine,
                decisions=on_subject,
                is_validated=decision_validates(steering),
            )
        )
    return rows


@dataclass(frozen=True)
class CouncilAnswer:
    """Whether a consulted council answered: on how many of the consultation's items it gave an opinion."""

    council: Organization
    answered: int
    total: int
    is_open: bool

    @property
    def state(self) -> str:
        if self.total and self.answered >= self.total:
            return "answered"
        if self.answered:
            return "partial"
        return "waiting" if self.is_open else "silent"

    @property
    def label(self) -> str:
        return {
            "answered": "a répondu",
            "partial": f"a répondu en partie ({self.answered} sur {self.total})",
            "waiting": "pas encore de réponse",
            "silent": "sans réponse à la date limite",
        }[self.state]


def council_answers(*, consultation: Consultation, items: list[ConsultationItem]) -> list[CouncilAnswer]:
    """For each consulted council, how many items it answered; silence past the deadline (or once closed) is
    « sans réponse » (no query: from ``consultation_items``)."""
    is_open = consultation_is_open(consultation)
    answered: dict[int, set[int]] = defaultdict(set)
    for row in items:
        for opinion in row.opinions:
            answered[opinion.council_id].add(row.item.pk)
    return [
        CouncilAnswer(council=council, answered=len(answered[council.pk]), total=len(items), is_open=is_open)
        for council in consultation.councils.all()
    ]


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


@dataclass(frozen=True)
class SubjectOpinions:
    """What the councils said on an object in one consultation: for the object's page and its decisions' pages."""

    consultation: Consultation
    item: ConsultedObject
    opinions: list[Opinion]

    @property
    def summary(self) -> OpinionSummary:
        return opinion_summary(self.opinions)


def subject_opinions(
    *, content_type_id: int, object_id: int, contract: Contract, access: ContractAccess, user: Any
) -> list[SubjectOpinions]:
    """The councils' opinions on an object (a stake through its versions, an orientation, a plan…), per consultation
    the reader may see, newest first (three queries): the traceable line from an opinion to a decision."""
    items = list(
        ConsultedObject.objects.filter(
            subject_type_id=content_type_id,
            subject_id=object_id,
            consultation__in=consultations_visible_to(contract=contract, access=access, user=user).values("pk"),
        )
        .select_related("consultation")
        .prefetch_related("consultation__councils")
        .order_by("-consultation__created_at", "order", "pk")
    )
    opinions = opinions_on(_target_key(item) for item in items)
    rows = []
    for item in items:
        council_ids = {council.pk for council in item.consultation.councils.all()}
        given = [opinion for opinion in opinions[_target_key(item)] if opinion.council_id in council_ids]
        rows.append(SubjectOpinions(consultation=item.consultation, item=item, opinions=given))
    return rows


def opinions_on_object(obj: Model, *, access: ContractAccess, user: Any) -> list[SubjectOpinions]:
    """``subject_opinions`` for an object of a higher app's page (its contract is ``access.contract``)."""
    return subject_opinions(
        content_type_id=ContentType.objects.get_for_model(obj).pk,
        object_id=obj.pk,
        contract=access.contract,
        access=access,
        user=user,
    )


def awaiting_opinions(user: Any) -> list[AwaitingItem]:
    """« Ce qui vous attend » for a council member: the open consultations addressed to their council, on the
    contracts where they hold the council role, where the council has not yet given an opinion on every object
    (three queries, whatever the number of contracts and consultations). One item per consultation, keyed
    ``diagnostic.consultation:<id>``, due on its deadline."""
    council_id = getattr(user, "organization_id", None)
    if not getattr(user, "is_authenticated", False) or council_id is None:
        return []
    consultations = list(
        Consultation.objects.filter(
            councils=council_id,
            status=ConsultationStatus.OPEN,
            deadline__gte=timezone.localdate(),
            contract__roles__user=user,
            contract__roles__role=Role.COUNCIL,
        )
        .select_related("contract")
        .prefetch_related(Prefetch("items", queryset=ConsultedObject.objects.order_by("order", "pk")))
        .order_by("deadline", "pk")
        .distinct()
    )
    judged = judged_by_council(
        council_id=council_id,
        keys=(_target_key(item) for consultation in consultations for item in consultation.items.all()),
    )
    awaiting = []
    for consultation in consultations:
        items = list(consultation.items.all())
        left = [item for item in items if _target_key(item) not in judged]
        if not left:
            continue
        contract = consultation.contract
        count = f" ({len(left)} objet{'s' if len(left) > 1 else ''} sur {len(items)})" if len(items) > 1 else ""
        awaiting.append(
            AwaitingItem.on_page(
                contract,
                title=f"Donner l'avis du conseil : {consultation.title}{count}",
                route="diagnostic:consultation_detail",
                route_kwargs={"consultation_id": consultation.pk},
                key=f"diagnostic.consultation:{consultation.pk}",
                due=consultation.deadline,
            )
        )
    return awaiting


def was_submitted(obj: Model) -> bool:
    """Whether ``obj`` was submitted in a consultation, as the object judged or decided on (one query)."""
    content_type = ContentType.objects.get_for_model(obj)
    return ConsultedObject.objects.filter(
        Q(subject_type=content_type, subject_id=obj.pk) | Q(target_type=content_type, target_id=obj.pk)
    ).exists()

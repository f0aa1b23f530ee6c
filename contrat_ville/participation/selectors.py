"""Reads of the participation app: the registry of the conseils citoyens and its counts, and the councils'
opinions, whatever they judge.

Opinions are generic on purpose (design.md §2): a higher app passes its own objects (stake versions,
orientations…) and gets their opinions back in one query; this module never imports it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Model, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.models import Organization
from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.selectors import ContractAccess, contract_access_by_id, organizations_of_contract
from contrat_ville.core.lookups import filter_given, found_or_404
from contrat_ville.participation.draws import Replacement, inputs_from_dict, result_from_dict, seated_now
from contrat_ville.participation.enums import (
    YOUNG_AGE_BANDS,
    AgeBand,
    College,
    DrawStatus,
    OpinionVerdict,
    Sex,
)
from contrat_ville.participation.models import CitizenCouncil, CouncilMember, Draw, DrawReplacement, Opinion
from contrat_ville.participation.permissions import can_manage_councils
from contrat_ville.territories.models import Territory

COUNCIL_NOT_FOUND = "Conseil citoyen introuvable."
# Members are listed college by college, residents first (the order of ``College``).
RESIDENTS_FIRST = Case(When(college=College.RESIDENTS, then=Value(0)), default=Value(1))
MEMBER_NOT_FOUND = "Membre introuvable."


@dataclass(frozen=True)
class OpinionSummary:
    """How many opinions of each verdict (for lists and the synthesis)."""

    agree: int = 0
    agree_with_reservations: int = 0
    disagree: int = 0

    @property
    def total(self) -> int:
        return self.agree + self.agree_with_reservations + self.disagree

    @property
    def rows(self) -> list[tuple[str, str, int]]:
        """(verdict, French label, count) in the verdicts' order, for templates."""
        return [
            (OpinionVerdict.AGREE.value, OpinionVerdict.AGREE.label, self.agree),
            (
                OpinionVerdict.AGREE_WITH_RESERVATIONS.value,
                OpinionVerdict.AGREE_WITH_RESERVATIONS.label,
                self.agree_with_reservations,
            ),
            (OpinionVerdict.DISAGREE.value, OpinionVerdict.DISAGREE.label, self.disagree),
        ]

    @property
    def text(self) -> str:
        """« 2 d'accord · 1 pas d'accord », or « aucun avis »."""
        parts = [f"{count} {label}" for _, label, count in self.rows if count]
        return " · ".join(parts) if parts else "aucun avis"


def opinion_summary(opinions: Iterable[Opinion]) -> OpinionSummary:
    """Counts per verdict of ``opinions`` (no query: pass opinions already loaded)."""
    counts: dict[str, int] = defaultdict(int)
    for opinion in opinions:
        counts[opinion.verdict] += 1
    return OpinionSummary(
        agree=counts[OpinionVerdict.AGREE],
        agree_with_reservations=counts[OpinionVerdict.AGREE_WITH_RESERVATIONS],
        disagree=counts[OpinionVerdict.DISAGREE],
    )


def _opinions_with_people() -> QuerySet[Opinion]:
    return Opinion.objects.select_related("council", "author", "content_type").order_by("created_at", "pk")


def opinions_for(targets: Iterable[Model]) -> dict[Model, list[Opinion]]:
    """The opinions on each of ``targets`` (every target is a key, possibly with an empty list), in one query.

    Targets may be of several models. Each opinion comes with its council and author loaded, and ``opinion.target``
    set to the very object passed in (no further query).
    """
    targets = [target for target in targets if target.pk is not None]
    result: dict[Model, list[Opinion]] = {target: [] for target in targets}
    if not targets:
        return result
    by_type: dict[int, dict[Any, Model]] = defaultdict(dict)
    for target in targets:
        by_type[ContentType.objects.get_for_model(target).pk][target.pk] = target
    condition = Q()
    for content_type_id, objects in by_type.items():
        condition |= Q(content_type_id=content_type_id, object_id__in=list(objects))
    for opinion in _opinions_with_people().filter(condition):
        target = by_type[opinion.content_type_id][opinion.object_id]
        opinion.target = target
        result[target].append(opinion)
    return result


def opinion_of(*, target: Model, author: Any) -> Opinion | None:
    """The opinion ``author`` gave on ``target``, if any (to prefill the form)."""
    if target.pk is None or not getattr(author, "is_authenticated", False):
        return None
    return (
        Opinion.objects.filter(
            content_type=ContentType.objects.get_for_model(target), object_id=target.pk, author=author
        )
        .select_related("council")
        .first()
    )


def opinion_list(
    *, contract: Contract, council_id: int | None = None, verdict: str | None = None
) -> QuerySet[Opinion]:
    """The contract's opinions, oldest first, with council, author and target type (one query)."""
    return filter_given(_opinions_with_people().filter(contract=contract), council_id=council_id, verdict=verdict)


def opinion_targets(opinions: Iterable[Opinion]) -> dict[tuple[int, int], Model]:
    """The objects ``opinions`` judge, keyed by (content type id, object id): one query per kind of object."""
    wanted: dict[int, set[int]] = defaultdict(set)
    for opinion in opinions:
        wanted[opinion.content_type_id].add(opinion.object_id)
    targets: dict[tuple[int, int], Model] = {}
    for content_type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        for obj in model._base_manager.filter(pk__in=ids):
            targets[(content_type_id, obj.pk)] = obj
    return targets


# --- the registry of councils -------------------------------------------------------------------------------


def _share(part: int, whole: int) -> int | None:
    """``part`` of ``whole`` in whole percent, or ``None`` when there is nobody to count."""
    return round(100 * part / whole) if whole else None


@dataclass(frozen=True)
class CollegeCount:
    """The sitting members of one college, by sex."""

    college: str
    label: str
    women: int = 0
    men: int = 0

    @property
    def total(self) -> int:
        return self.women + self.men


@dataclass(frozen=True)
class Composition:
    """Who sits in a council today (members whose mandate has not ended): counts by college and sex, the share of
    women, of young people (under 26) and of the residents' college. Counts only: never a name."""

    colleges: tuple[CollegeCount, ...]
    young: int = 0
    former: int = 0

    @property
    def total(self) -> int:
        return sum(college.total for college in self.colleges)

    @property
    def women(self) -> int:
        return sum(college.women for college in self.colleges)

    @property
    def men(self) -> int:
        return sum(college.men for college in self.colleges)

    @property
    def residents(self) -> CollegeCount:
        return next(college for college in self.colleges if college.college == College.RESIDENTS)

    @property
    def women_share(self) -> int | None:
        return _share(self.women, self.total)

    @property
    def young_share(self) -> int | None:
        return _share(self.young, self.total)

    @property
    def residents_share(self) -> int | None:
        return _share(self.residents.total, self.total)


def is_sitting(member: CouncilMember, today: datetime.date) -> bool:
    """The member's mandate has begun and not ended."""
    return member.start_on <= today and (member.end_on is None or member.end_on >= today)


def council_composition(members: Iterable[CouncilMember], *, today: datetime.date | None = None) -> Composition:
    """The composition of a council from its members (no query: pass members already loaded)."""
    today = today or timezone.localdate()
    counts: dict[tuple[str, str], int] = defaultdict(int)
    young = former = 0
    for member in members:
        if not is_sitting(member, today):
            former += member.end_on is not None and member.end_on < today
            continue
        counts[(member.college, member.sex)] += 1
        young += member.age_band in YOUNG_AGE_BANDS
    colleges = tuple(
        CollegeCount(
            college=college.value,
            label=college.label,
            women=counts[(college.value, Sex.FEMALE)],
            men=counts[(college.value, Sex.MALE)],
        )
        for college in College
    )
    return Composition(colleges=colleges, young=young, former=former)


def composition_warnings(council: CitizenCouncil, composition: Composition) -> list[str]:
    """What the 2014 reference framework asks of the composition and this council does not meet yet: warnings, not
    refusals (members are added one at a time). The parity of the residents' college applies where it is drawn by
    lot (a 2015 contract, domain.md §6)."""
    if not composition.total:
        return []
    warnings = []
    if 2 * composition.residents.total < composition.total:
        warnings.append(
            "Le collège des habitants compte moins de la moitié des membres (le cadre de référence de 2014 en "
            "demande au moins 50 %)."
        )
    residents = composition.residents
    if council.residents_drawn_by_lot and residents.women != residents.men:
        warnings.append(
            f"Le collège des habitants n'est pas paritaire : {residents.women} femme(s), {residents.men} homme(s) "
            "(loi 2014-173 art. 7)."
        )
    return warnings


@dataclass(frozen=True)
class CouncilRow:
    """A council of the registry with its composition and the names its members agreed to publish."""

    council: CitizenCouncil
    composition: Composition
    public_names: tuple[tuple[str, str], ...]  # (name, college label)


def _public_names(members: Iterable[CouncilMember], today: datetime.date) -> tuple[tuple[str, str], ...]:
    return tuple(
        (member.name, member.get_college_display())
        for member in members
        if member.publish_name and member.name and is_sitting(member, today)
    )


def _councils() -> QuerySet[CitizenCouncil]:
    return CitizenCouncil.objects.select_related("contract", "organization", "host_structure").prefetch_related(
        Prefetch("qpvs", queryset=Territory.objects.defer("geometry").order_by("code")),
        Prefetch(
            "members",
            queryset=CouncilMember.objects.select_related("neighbourhood")
            .defer("neighbourhood__geometry")
            .order_by(RESIDENTS_FIRST, "name", "pk"),
        ),
    )


def council_rows(*, contract: Contract, today: datetime.date | None = None) -> list[CouncilRow]:
    """The contract's councils, by name, with their QPVs, host structure and composition (three queries)."""
    today = today or timezone.localdate()
    return [
        CouncilRow(
            council=council,
            composition=council_composition(council.members.all(), today=today),
            public_names=_public_names(council.members.all(), today),
        )
        for council in _councils().filter(contract=contract).order_by("name", "pk")
    ]


def council_get(*, contract: Contract, council_id: int) -> CitizenCouncil:
    """A council of ``contract``, with its QPVs and members loaded; 404 outside the contract."""
    return found_or_404(_councils().filter(contract=contract, pk=council_id).first(), COUNCIL_NOT_FOUND)


def council_row(council: CitizenCouncil, *, today: datetime.date | None = None) -> CouncilRow:
    """``council`` (from ``council_get``) with its composition and published names (no query)."""
    today = today or timezone.localdate()
    members = council.members.all()
    return CouncilRow(
        council=council,
        composition=council_composition(members, today=today),
        public_names=_public_names(members, today),
    )


def council_access(*, user: Any, council_id: int) -> tuple[ContractAccess, CitizenCouncil]:
    """The caller's access to a council's contract and the council, for the API's ``/councils/{id}``: the public
    on a published contract, members on theirs; the same 404 whether the council exists elsewhere or not at all."""
    contract_id = CitizenCouncil.objects.filter(pk=council_id).values_list("contract_id", flat=True).first()
    if contract_id is None:
        raise Http404(COUNCIL_NOT_FOUND)
    try:
        access = contract_access_by_id(user=user, contract_id=contract_id, private=False)
    except Http404:
        raise Http404(COUNCIL_NOT_FOUND) from None
    return access, council_get(contract=access.contract, council_id=council_id)


def member_get(*, council: CitizenCouncil, member_id: int) -> CouncilMember:
    return found_or_404(
        CouncilMember.objects.select_related("neighbourhood").filter(council=council, pk=member_id).first(),
        MEMBER_NOT_FOUND,
    )


def council_organization_choices(*, contract: Contract) -> QuerySet[Organization]:
    """The conseil citoyen organisations the contract knows and has not registered yet (a new council may be
    registered on one of them instead of getting its own)."""
    registered = CitizenCouncil.objects.filter(contract=contract).values("organization_id")
    return (
        organizations_of_contract(contract=contract)
        .filter(kind=OrganizationKind.CITIZEN_COUNCIL)
        .exclude(pk__in=registered)
    )


def host_structure_choices(*, contract: Contract) -> QuerySet[Organization]:
    """The organisations that may host a council: the contract's, other than conseils citoyens."""
    return organizations_of_contract(contract=contract).exclude(kind=OrganizationKind.CITIZEN_COUNCIL)


# --- draws ----------------------------------------------------------------------------------------------------


def draw_list(*, council: CitizenCouncil, with_drafts: bool) -> list[Draw]:
    """The council's draws, the latest first; drafts only for those who prepare them."""
    draws = Draw.objects.filter(council=council)
    if not with_drafts:
        draws = draws.filter(status=DrawStatus.PUBLISHED)
    return list(draws.order_by("-created_at", "-pk"))


def draw_get(*, contract: Contract, draw_id: int, with_drafts: bool) -> Draw:
    """A draw of the contract; a draft is « introuvable » for those who may not prepare draws."""
    draws = Draw.objects.filter(council__contract=contract, pk=draw_id).select_related(
        "council__contract", "pool_batch", "published_by"
    )
    if not with_drafts:
        draws = draws.filter(status=DrawStatus.PUBLISHED)
    return found_or_404(draws.first(), "Tirage introuvable.")


@dataclass(frozen=True)
class PoolSummary:
    """How many candidates a pool holds, per college and sex, and per age band and neighbourhood when the file gave
    them (what quotas may bear on)."""

    total: int
    by_college: tuple[tuple[str, int, int], ...]  # (college label, women, men)
    by_age_band: tuple[tuple[str, int], ...] = ()
    by_neighbourhood: tuple[tuple[str, int], ...] = ()


def pool_summary(draw: Draw) -> PoolSummary:
    counts: dict[str, list[int]] = {}
    for entry in draw.pool:
        women_men = counts.setdefault(str(entry.get("college")), [0, 0])
        women_men[0 if entry.get("sex") == Sex.FEMALE else 1] += 1
    labels = dict(College.choices)
    age_bands: dict[str, int] = {}
    neighbourhoods: dict[str, int] = {}
    for entry in draw.pool:
        if entry.get("age_band"):
            age_bands[entry["age_band"]] = age_bands.get(entry["age_band"], 0) + 1
        if entry.get("neighbourhood"):
            neighbourhoods[entry["neighbourhood"]] = neighbourhoods.get(entry["neighbourhood"], 0) + 1
    return PoolSummary(
        total=len(draw.pool),
        by_college=tuple((labels.get(college, college), women, men) for college, (women, men) in counts.items()),
        by_age_band=tuple((band.label, age_bands[band.value]) for band in AgeBand if band.value in age_bands),
        by_neighbourhood=tuple(sorted(neighbourhoods.items())),
    )


@dataclass(frozen=True)
class DrawSeats:
    """Who holds a published draw's seats now: its replacements in order, and the identifiers seated after them."""

    replacements: list[DrawReplacement]
    seated: list[str]


def draw_seats_now(draw: Draw) -> DrawSeats:
    replacements = list(draw.replacements.order_by("created_at", "pk"))
    if not draw.result:
        return DrawSeats(replacements=replacements, seated=[])
    inputs = inputs_from_dict({"seed": draw.seed, "seats": {}, "pool": draw.pool})
    seats = seated_now(
        result_from_dict(inputs, draw.result),
        [Replacement(leaving=row.leaving, substitute=row.substitute) for row in replacements],
    )
    return DrawSeats(replacements=replacements, seated=[identifier for ids in seats.values() for identifier in ids])


def draw_access(*, user: Any, draw_id: int) -> Draw:
    """A draw for the API's ``/draws/{id}``: published ones for whoever sees their contract, drafts for those who
    prepare them; the same 404 otherwise."""
    contract_id = Draw.objects.filter(pk=draw_id).values_list("council__contract_id", flat=True).first()
    if contract_id is None:
        raise Http404("Tirage introuvable.")
    try:
        access = contract_access_by_id(user=user, contract_id=contract_id, private=False)
    except Http404:
        raise Http404("Tirage introuvable.") from None
    return draw_get(contract=access.contract, draw_id=draw_id, with_drafts=can_manage_councils(access))

"""Reads of the participation app: the registry of the conseils citoyens and its counts, and the councils'
opinions, whatever they judge.

Opinions are generic on purpose (design.md §2): a higher app passes its own objects (stake versions,
orientations…) and gets their opinions back in one query; this module never imports it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, Model, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.models import Organization
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.selectors import (
    ContractAccess,
    contract_access_by_id,
    contracts_in_region,
    organizations_of_contract,
)
from contrat_ville.core.lookups import filter_given, found_or_404
from contrat_ville.core.selectors import generic_keys_condition, objects_by_key
from contrat_ville.participation.draws import Replacement, inputs_from_dict, result_from_dict, seated_now
from contrat_ville.participation.enums import (
    YOUNG_AGE_BANDS,
    AgeBand,
    College,
    DesignationMethod,
    Difficulty,
    DrawStatus,
    FacilitatorKind,
    LegalForm,
    Need,
    OpinionVerdict,
    Sex,
    SurveyStatus,
    TrainingTopic,
)
from contrat_ville.participation.models import (
    CitizenCouncil,
    CouncilMember,
    CouncilSurvey,
    Draw,
    DrawReplacement,
    Opinion,
    SurveyCampaign,
)
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
    keys = ((content_type_id, pk) for content_type_id, objects in by_type.items() for pk in objects)
    for opinion in _opinions_with_people().filter(generic_keys_condition(keys)):
        target = by_type[opinion.content_type_id][opinion.object_id]
        opinion.target = target
        result[target].append(opinion)
    return result


def opinions_on(keys: Iterable[tuple[int, int]]) -> dict[tuple[int, int], list[Opinion]]:
    """The opinions on each (content type id, object id) of ``keys`` (every key present), in one query: for a
    higher app that knows its targets by reference only (a consultation's items)."""
    result: dict[tuple[int, int], list[Opinion]] = {key: [] for key in keys}
    if not result:
        return result
    for opinion in _opinions_with_people().filter(generic_keys_condition(result)):
        result[(opinion.content_type_id, opinion.object_id)].append(opinion)
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
    return objects_by_key((opinion.content_type_id, opinion.object_id) for opinion in opinions)


# --- the registry of councils -------------------------------------------------------------------------------


def _share(part: int, whole: int) -> int | None:
    """``part`` of ``whole`` in whole percent, halves rounded up (1 of 8 is 13 %), or ``None`` when there is nobody to
    count."""
    return (200 * part + whole) // (2 * whole) if whole else None


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

    def college_share(self, college: str) -> int | None:
        return _share(sum(count.total for count in self.colleges if count.college == college), self.total)


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


# --- the yearly questionnaire (issue 11 §5) --------------------------------------------------------------------

CAMPAIGN_NOT_FOUND = "Questionnaire introuvable."


def _in_region(campaigns: QuerySet[SurveyCampaign], region_code: str | None) -> QuerySet[SurveyCampaign]:
    """``None`` is every region (an administrator); any other value, that region only (« » finds nothing)."""
    return campaigns if region_code is None else campaigns.filter(region_code=region_code)


def campaign_list(*, region_code: str | None) -> list[SurveyCampaign]:
    """The campaigns of a region (every region for ``None``), the latest year first, each with ``survey_count`` and
    ``submitted_count`` (one query)."""
    campaigns = SurveyCampaign.objects.select_related("organization").annotate(
        survey_count=Count("surveys"),
        submitted_count=Count("surveys", filter=Q(surveys__status=SurveyStatus.SUBMITTED)),
    )
    return list(_in_region(campaigns, region_code).order_by("-year", "region_code"))


def campaign_get(*, campaign_id: int, region_code: str | None) -> SurveyCampaign:
    """A campaign of the caller's region (any for ``None``); « introuvable » outside it, whether it exists or not."""
    campaigns = _in_region(SurveyCampaign.objects.select_related("organization", "opened_by"), region_code)
    return found_or_404(campaigns.filter(pk=campaign_id).first(), CAMPAIGN_NOT_FOUND)


def campaign_surveys(*, campaign: SurveyCampaign) -> list[CouncilSurvey]:
    """The campaign's questionnaires with their council and contract, by contract then council (one query)."""
    return list(
        campaign.surveys.select_related("council__contract", "submitted_by").order_by(
            "council__contract__name", "council__name", "pk"
        )
    )


def campaign_survey_get(*, campaign: SurveyCampaign, survey_id: int) -> CouncilSurvey:
    return found_or_404(
        campaign.surveys.select_related("council__contract", "campaign", "submitted_by").filter(pk=survey_id).first(),
        CAMPAIGN_NOT_FOUND,
    )


def council_surveys(*, council: CitizenCouncil) -> list[CouncilSurvey]:
    """Every year's questionnaire of the council, the latest first (one query): the previous years stay for
    comparison."""
    return list(council.surveys.select_related("campaign", "submitted_by").order_by("-campaign__year", "-pk"))


def council_survey_get(*, council: CitizenCouncil, survey_id: int) -> CouncilSurvey:
    return found_or_404(
        council.surveys.select_related("campaign", "council__contract", "submitted_by").filter(pk=survey_id).first(),
        CAMPAIGN_NOT_FOUND,
    )


def surveys_awaiting(user: Any) -> list[CouncilSurvey]:
    """The questionnaires still to complete of the councils a user acts for (their organisation, with the council
    role on the council's contract), the earliest deadline first (one query)."""
    if not getattr(user, "is_authenticated", False) or user.organization_id is None:
        return []
    return list(
        CouncilSurvey.objects.filter(
            status=SurveyStatus.DRAFT,
            council__organization_id=user.organization_id,
            council__contract__roles__user=user,
            council__contract__roles__role=Role.COUNCIL,
        )
        .select_related("campaign", "council__contract")
        .order_by("campaign__due_on", "-campaign__year", "pk")
    )


# --- the state of play (issue 11 §6) ---------------------------------------------------------------------------
# Pure functions over plain data (``council_state``, ``state_of_play_totals``): the figures are tested on hand-made
# data; ``state_of_play`` only loads the councils of a region (five queries whatever their number).


@dataclass(frozen=True)
class CouncilState:
    """One council's line of the state of play: what it declared in its latest transmitted questionnaire, else what
    the registry says (``source``), and its composition from the registry's members."""

    contract_name: str
    contract_slug: str
    council_id: int
    council_name: str
    qpvs: tuple[str, ...]
    legal_form: str
    facilitator_kind: str
    designation_methods: frozenset[str]
    composition: Composition
    yearly_budget: int | None
    has_premises: bool
    charter_adopted: bool | None
    survey_year: int | None = None
    meetings_held: int | None = None
    training_topics: tuple[str, ...] = ()
    difficulties: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    prospects: str = ""

    @property
    def from_survey(self) -> bool:
        return self.survey_year is not None


def council_state(
    council: CitizenCouncil,
    members: Iterable[CouncilMember],
    survey: CouncilSurvey | None,
    *,
    today: datetime.date | None = None,
) -> CouncilState:
    """A council's line from its registry entry, its members and its latest transmitted questionnaire (no query:
    pass loaded objects; ``council.contract`` and ``council.qpvs`` prefetched)."""
    members = list(members)
    common: dict[str, Any] = {
        "contract_name": council.contract.name,
        "contract_slug": council.contract.slug,
        "council_id": council.pk,
        "council_name": council.name,
        "qpvs": tuple(qpv.name for qpv in council.qpvs.all()),
        "composition": council_composition(members, today=today),
    }
    if survey is not None:
        return CouncilState(
            **common,
            legal_form=survey.legal_form,
            facilitator_kind=survey.facilitator_kind,
            designation_methods=frozenset(survey.designation_methods),
            yearly_budget=survey.yearly_budget,
            has_premises=bool(survey.premises),
            charter_adopted=survey.charter_adopted,
            survey_year=survey.campaign.year,
            meetings_held=survey.meetings_held,
            training_topics=tuple(survey.training_topics),
            difficulties=tuple(survey.difficulties),
            needs=tuple(survey.needs),
            prospects=survey.prospects,
        )
    today = today or timezone.localdate()
    return CouncilState(
        **common,
        legal_form=council.legal_form,
        facilitator_kind=council.facilitator_kind,
        designation_methods=frozenset(member.designation_method for member in members if is_sitting(member, today)),
        yearly_budget=council.yearly_budget,
        has_premises=bool(council.premises),
        charter_adopted=True if (council.charter_adopted_on or council.charter) else None,
    )


@dataclass(frozen=True)
class Tally:
    """How many of a whole have a value, and their share in whole percent (``None`` when the whole is empty)."""

    value: str
    label: str
    count: int
    whole: int

    @property
    def share(self) -> int | None:
        return _share(self.count, self.whole)


@dataclass(frozen=True)
class StateOfPlayTotals:
    """The figures of the state of play, like the first seed's survey: how many councils, by legal form, by who
    facilitates them, by designation method, with a charter, a budget, premises; their composition (share of women,
    of each college, of young people — under 26, ``YOUNG_AGE_BANDS``); and, over the councils that transmitted a
    questionnaire, their training, difficulties and needs."""

    councils: int
    legal_forms: tuple[Tally, ...]
    facilitators: tuple[Tally, ...]
    designation_methods: tuple[Tally, ...]
    charter: Tally
    budget: Tally
    budget_total: int
    budget_average: int | None
    premises: Tally
    members: int
    women: Tally
    colleges: tuple[Tally, ...]
    young: Tally
    answered: Tally
    training_topics: tuple[Tally, ...]
    difficulties: tuple[Tally, ...]
    needs: tuple[Tally, ...]


def _tallies(choices: Any, counted: Iterable[Iterable[str]], whole: int) -> tuple[Tally, ...]:
    counts: dict[str, int] = defaultdict(int)
    for values in counted:
        for value in set(values):
            counts[value] += 1
    return tuple(Tally(choice.value, choice.label, counts[choice.value], whole) for choice in choices)


def state_of_play_totals(states: Sequence[CouncilState]) -> StateOfPlayTotals:
    """The totals and percentages of ``states`` (pure: no query). Shares of councils are over every council; the
    composition's over every sitting member; training, difficulties and needs over the councils whose line comes
    from a transmitted questionnaire."""
    councils = len(states)
    answered = [state for state in states if state.from_survey]
    budgets = [state.yearly_budget for state in states if state.yearly_budget is not None]
    members = sum(state.composition.total for state in states)
    college_totals: dict[str, int] = defaultdict(int)
    for state in states:
        for college in state.composition.colleges:
            college_totals[college.college] += college.total
    return StateOfPlayTotals(
        councils=councils,
        legal_forms=_tallies(LegalForm, ([state.legal_form] for state in states), councils),
        facilitators=_tallies(FacilitatorKind, ([state.facilitator_kind] for state in states), councils),
        designation_methods=_tallies(DesignationMethod, (state.designation_methods for state in states), councils),
        charter=Tally(
            "charter", "charte de fonctionnement adoptée", sum(bool(s.charter_adopted) for s in states), councils
        ),
        budget=Tally("budget", "budget de fonctionnement", sum(1 for budget in budgets if budget > 0), councils),
        budget_total=sum(budgets),
        budget_average=(sum(budgets) // len(budgets)) if budgets else None,
        premises=Tally("premises", "local", sum(state.has_premises for state in states), councils),
        members=members,
        women=Tally("women", "femmes", sum(state.composition.women for state in states), members),
        colleges=tuple(Tally(c.value, c.label, college_totals[c.value], members) for c in College),
        young=Tally("young", "jeunes (moins de 26 ans)", sum(state.composition.young for state in states), members),
        answered=Tally("answered", "questionnaire transmis", len(answered), councils),
        training_topics=_tallies(TrainingTopic, (state.training_topics for state in answered), len(answered)),
        difficulties=_tallies(Difficulty, (state.difficulties for state in answered), len(answered)),
        needs=_tallies(Need, (state.needs for state in answered), len(answered)),
    )


@dataclass(frozen=True)
class StateOfPlay:
    states: list[CouncilState]
    totals: StateOfPlayTotals


def state_of_play(*, region_code: str | None, today: datetime.date | None = None) -> StateOfPlay:
    """The councils of every contract of a region (of the platform for ``None``), by contract then council, with
    their latest transmitted questionnaire, and the totals (five queries whatever the number of councils)."""
    latest_submitted = CouncilSurvey.objects.filter(status=SurveyStatus.SUBMITTED).select_related("campaign")
    councils = (
        CitizenCouncil.objects.filter(contract__in=contracts_in_region(region_code).values("pk"))
        .select_related("contract")
        .prefetch_related(
            Prefetch("qpvs", queryset=Territory.objects.defer("geometry").order_by("code")),
            "members",
            Prefetch("surveys", queryset=latest_submitted.order_by("-campaign__year", "-pk"), to_attr="submitted"),
        )
        .order_by("contract__name", "name", "pk")
    )
    states = []
    for council in councils:
        submitted = cast("list[CouncilSurvey]", council.submitted)  # the prefetch's ``to_attr``, latest first
        states.append(council_state(council, council.members.all(), submitted[0] if submitted else None, today=today))
    return StateOfPlay(states=states, totals=state_of_play_totals(states))


def region_council_get(*, council_id: int, region_code: str | None) -> CitizenCouncil:
    """A council of a contract of the region (of any for ``None``), with its contract, QPVs and members;
    « introuvable » outside the region, whether it exists or not."""
    councils = CitizenCouncil.objects.filter(contract__in=contracts_in_region(region_code).values("pk"), pk=council_id)
    return found_or_404(
        councils.select_related("contract")
        .prefetch_related(Prefetch("qpvs", queryset=Territory.objects.defer("geometry").order_by("code")), "members")
        .first(),
        COUNCIL_NOT_FOUND,
    )


def judged_by_council(*, council_id: int, keys: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    """Which of ``keys`` — (content type id, object id) — ``council_id`` gave at least one opinion on (one query)."""
    keys = set(keys)
    if not keys:
        return set()
    given = Opinion.objects.filter(generic_keys_condition(keys), council_id=council_id).values_list(
        "content_type_id", "object_id"
    )
    return set(given) & keys

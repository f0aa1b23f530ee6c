"""Reading the partners' *droit commun* commitments, and their balance (issue 14 §2).

The balance compares, per partner and per pillar, what was planned and what was realised — unit by unit, since
euros and headcounts never add up. The realisation rate counts the years already reported: a past year (before
the current one) and the current year once its realised figure is in. A past year with no realised figure is a
commitment « sans suivi ». Every function reads a bounded number of queries, whatever the number of commitments.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from contrat_ville.accounts.models import Organization, User
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.models import Contract, Pillar
from contrat_ville.contracts.permissions import STEERING
from contrat_ville.contracts.selectors import ContractAccess, organizations_of_contract, state_contracts
from contrat_ville.core.historised import in_force
from contrat_ville.core.lookups import filter_given, found_or_404
from contrat_ville.core.models import ImportBatch, StatusChange
from contrat_ville.funding.enums import (
    DEPOSITED_STATUSES,
    PROGRAMMED_STATUSES,
    AgreementKind,
    ApplicationStatus,
    CallStatus,
    CommitmentStatus,
    CreditProgramme,
)
from contrat_ville.funding.models import (
    Application,
    ApplicationAmount,
    ApplicationAttachment,
    CallForProjects,
    CallFunder,
    CommitmentYear,
    Credit,
    MainstreamCommitment,
    Review,
    ReviewRequest,
)
from contrat_ville.funding.permissions import (
    REVIEWERS,
    can_manage_calls,
    can_review_applications,
    can_view_application,
)
from contrat_ville.governance.enums import BodyKind
from contrat_ville.governance.models import BodyMember
from contrat_ville.strategy.models import Action, Objective

NO_PILLAR_LABEL = "Contrat dans son ensemble"
POSTS_IMPORTER = "p147_posts"


def _commitments() -> QuerySet[MainstreamCommitment]:
    return MainstreamCommitment.objects.select_related(
        "contract",
        "partner",
        "pillar",
        "objective__orientation__pillar",
        "action__objective__orientation__pillar",
    ).prefetch_related(Prefetch("years", queryset=CommitmentYear.objects.order_by("year")))


def commitment_pillar(commitment: MainstreamCommitment) -> Pillar | None:
    """The pillar a commitment serves: its objective's or its action's, else the one it names, if any."""
    pillar: Pillar | None = commitment.pillar
    if commitment.objective is not None:
        pillar = commitment.objective.orientation.pillar
    elif commitment.action is not None:
        pillar = commitment.action.objective.orientation.pillar
    return pillar


def commitment_target_label(commitment: MainstreamCommitment) -> str:
    if commitment.objective is not None:
        return f"Objectif : {commitment.objective}"
    if commitment.action is not None:
        return f"Action : {commitment.action}"
    return "Contrat dans son ensemble"


def commitment_list(
    *, contract: Contract, partner_id: int | None = None, pillar_id: int | None = None
) -> list[MainstreamCommitment]:
    """The contract's commitments, by partner; ``pillar_id`` keeps those that serve that pillar."""
    commitments = filter_given(_commitments().filter(contract=contract), partner_id=partner_id)
    if pillar_id:
        commitments = commitments.filter(
            Q(pillar_id=pillar_id)
            | Q(objective__orientation__pillar_id=pillar_id)
            | Q(action__objective__orientation__pillar_id=pillar_id)
        )
    return list(commitments.order_by("partner__name", "pk"))


def commitment_get(*, contract: Contract, commitment_id: int) -> MainstreamCommitment:
    return found_or_404(_commitments().filter(contract=contract, pk=commitment_id).first(), "Engagement introuvable.")


def partner_choices(*, contract: Contract) -> QuerySet[Organization]:
    """The organisations that may commit: those the contract works with (``contracts`` organisations page)."""
    return organizations_of_contract(contract=contract)


def objective_choices(*, contract: Contract, keep: Iterable[int] = ()) -> list[Objective]:
    return list(
        Objective.objects.filter(orientation__contract=contract)
        .filter(in_force(keep))
        .select_related("orientation__pillar")
        .order_by("orientation__pillar__order", "orientation__order", "order", "code", "pk")
    )


def action_choices(*, contract: Contract, keep: Iterable[int] = ()) -> list[Action]:
    return list(
        Action.objects.filter(objective__orientation__contract=contract)
        .filter(in_force(keep))
        .select_related("objective__orientation__pillar")
        .order_by(
            "objective__orientation__pillar__order", "objective__orientation__order", "objective__order", "code", "pk"
        )
    )


def pillar_choices(*, contract: Contract) -> list[Pillar]:
    return list(Pillar.objects.filter(contract=contract).order_by("order", "pk"))


# --- the balance ------------------------------------------------------------------------------------------------


def year_is_due(line: CommitmentYear, today: date) -> bool:
    """A year counts in the realisation rate once it is over, or once its realised figure is in."""
    return line.year < today.year or line.realised is not None


def year_awaits_figure(line: CommitmentYear, today: date) -> bool:
    """A year that is over with no realised figure: the partner owes its report."""
    return line.year < today.year and line.realised is None


@dataclass
class Totals:
    """Planned and realised figures in one unit: ``planned`` over every year, ``due_planned`` over the years that
    count in the rate (``year_is_due``), ``realised`` as reported."""

    unit: str
    planned: Decimal = Decimal(0)
    due_planned: Decimal = Decimal(0)
    realised: Decimal = Decimal(0)
    commitments: int = 0
    awaiting: int = 0

    @property
    def rate(self) -> Decimal | None:
        """Realised ÷ planned over the years due; ``None`` when nothing planned is due yet."""
        if not self.due_planned:
            return None
        return self.realised / self.due_planned

    def add(self, commitment: MainstreamCommitment, today: date) -> None:
        self.commitments += 1
        lines = list(commitment.years.all())
        if any(year_awaits_figure(line, today) for line in lines):
            self.awaiting += 1
        for line in lines:
            self.planned += line.planned or 0
            if year_is_due(line, today):
                self.due_planned += line.planned or 0
                self.realised += line.realised or 0


@dataclass
class BalanceRow:
    """One partner's commitments on one pillar (or on the contract as a whole), unit by unit."""

    partner: Organization
    pillar_label: str
    totals: list[Totals]


@dataclass
class AwaitingCommitment:
    commitment: MainstreamCommitment
    years: list[int]


@dataclass
class Balance:
    """The *bilan du droit commun* of a contract (issue 14 §2)."""

    rows: list[BalanceRow]
    by_unit: list[Totals]
    awaiting: list[AwaitingCommitment]
    objectives_without_commitment: list[Objective]
    commitment_count: int
    partner_count: int
    today: date
    partners: list[Organization] = field(default_factory=list)


def _live(commitments: Iterable[MainstreamCommitment]) -> list[MainstreamCommitment]:
    return [item for item in commitments if item.status != CommitmentStatus.WITHDRAWN]


def contract_balance(*, contract: Contract, today: date) -> Balance:
    """The balance of the contract's commitments (withdrawn ones left out), in four queries."""
    commitments = _live(_commitments().filter(contract=contract).order_by("partner__name", "pk"))
    pillar_order = {pillar.pk: (pillar.order, pillar.pk) for pillar in pillar_choices(contract=contract)}
    grouped: dict[tuple[int, int | None], dict[str, Totals]] = defaultdict(dict)
    partners: dict[int, Organization] = {}
    pillars: dict[int | None, str] = {None: NO_PILLAR_LABEL}
    by_unit: dict[str, Totals] = {}
    awaiting: list[AwaitingCommitment] = []
    for commitment in commitments:
        pillar = commitment_pillar(commitment)
        pillar_id = pillar.pk if pillar is not None else None
        if pillar is not None:
            pillars[pillar.pk] = pillar.label
        partners[commitment.partner_id] = commitment.partner
        unit = commitment.unit_text
        grouped[(commitment.partner_id, pillar_id)].setdefault(unit, Totals(unit)).add(commitment, today)
        by_unit.setdefault(unit, Totals(unit)).add(commitment, today)
        late = [line.year for line in commitment.years.all() if year_awaits_figure(line, today)]
        if late:
            awaiting.append(AwaitingCommitment(commitment, late))
    rows = [
        BalanceRow(partners[partner_id], pillars[pillar_id], list(units.values()))
        for (partner_id, pillar_id), units in sorted(
            grouped.items(),
            key=lambda item: (
                partners[item[0][0]].name,
                pillar_order.get(item[0][1], (10_000, 0)) if item[0][1] is not None else (20_000, 0),
            ),
        )
    ]
    return Balance(
        rows=rows,
        by_unit=list(by_unit.values()),
        awaiting=awaiting,
        objectives_without_commitment=objectives_without_commitment(contract=contract),
        commitment_count=len(commitments),
        partner_count=len(partners),
        today=today,
        partners=sorted(partners.values(), key=lambda organization: organization.name),
    )


def objectives_without_commitment(*, contract: Contract) -> list[Objective]:
    """The objectives in force that no commitment serves, neither on them nor on one of their actions."""
    live = MainstreamCommitment.objects.exclude(status=CommitmentStatus.WITHDRAWN)
    return list(
        Objective.objects.filter(orientation__contract=contract)
        .filter(in_force())
        .exclude(Exists(live.filter(objective=OuterRef("pk"))))
        .exclude(Exists(live.filter(action__objective=OuterRef("pk"))))
        .select_related("orientation__pillar")
        .order_by("orientation__pillar__order", "orientation__order", "order", "code", "pk")
    )


def partner_commitments(*, contract: Contract, organization_id: int | None) -> list[MainstreamCommitment]:
    """What an organisation committed to the contract (« Mes engagements »)."""
    if organization_id is None:
        return []
    return list(_commitments().filter(contract=contract, partner_id=organization_id).order_by("pk"))


@dataclass(frozen=True)
class FundingSummary:
    commitment_count: int
    partner_count: int
    awaiting_count: int


def funding_summary(*, contract: Contract, today: date) -> FundingSummary:
    """The home panel's figures: commitments in force, partners, commitments waiting for a past year's figure."""
    live = MainstreamCommitment.objects.filter(contract=contract).exclude(status=CommitmentStatus.WITHDRAWN)
    awaiting = live.filter(
        Exists(CommitmentYear.objects.filter(commitment=OuterRef("pk"), year__lt=today.year, realised__isnull=True))
    )
    return FundingSummary(
        commitment_count=live.count(),
        partner_count=live.values("partner_id").distinct().count(),
        awaiting_count=awaiting.count(),
    )


# --- across contracts (a State delegate's view) -----------------------------------------------------------------


@dataclass
class ContractBalanceRow:
    contract: Contract
    commitment_count: int
    partner_count: int
    awaiting: int
    by_unit: list[Totals]


def balances_across_contracts(*, user: Any, today: date) -> list[ContractBalanceRow]:
    """The balance of each contract where ``user`` holds the State role (every contract for an administrator), in
    three queries whatever their number."""
    chosen = list(state_contracts(user).order_by("name"))
    commitments = _live(_commitments().filter(contract__in=chosen).order_by("pk"))
    by_contract: dict[int, list[MainstreamCommitment]] = defaultdict(list)
    for commitment in commitments:
        by_contract[commitment.contract_id].append(commitment)
    rows = []
    for contract in chosen:
        mine = by_contract.get(contract.pk, [])
        units: dict[str, Totals] = {}
        for commitment in mine:
            units.setdefault(commitment.unit_text, Totals(commitment.unit_text)).add(commitment, today)
        rows.append(
            ContractBalanceRow(
                contract=contract,
                commitment_count=len(mine),
                partner_count=len({commitment.partner_id for commitment in mine}),
                awaiting=sum(totals.awaiting for totals in units.values()),
                by_unit=list(units.values()),
            )
        )
    return rows


# --- specific credits -------------------------------------------------------------------------------------------


def _credits() -> QuerySet[Credit]:
    return Credit.objects.select_related(
        "contract", "objective__orientation__pillar", "action__objective__orientation__pillar", "import_batch"
    )


def credit_list(*, contract: Contract, year: int | None = None, programme: str = "") -> list[Credit]:
    credits = filter_given(_credits().filter(contract=contract), year=year, programme=programme)
    return list(credits.order_by("-year", "programme", "title", "pk"))


def credit_get(*, contract: Contract, credit_id: int) -> Credit:
    return found_or_404(_credits().filter(contract=contract, pk=credit_id).first(), "Crédit introuvable.")


def credit_years(*, contract: Contract) -> list[int]:
    return list(Credit.objects.filter(contract=contract).values_list("year", flat=True).distinct().order_by("-year"))


def credit_objective(credit: Credit) -> Objective | None:
    """The objective credits serve: theirs, or their action's."""
    objective: Objective | None = credit.objective
    if objective is None and credit.action is not None:
        objective = credit.action.objective
    return objective


def credit_warnings(credits: Iterable[Credit]) -> dict[int, str]:
    """Credits proposed for an objective that no *droit commun* commitment serves (domain.md §10 R17: the partners'
    droit commun is recorded before any programme 147 credit is proposed for the same objective): a warning, not a
    refusal. One query whatever the number of credits."""
    objectives = {credit.pk: credit_objective(credit) for credit in credits}
    ids = {objective.pk for objective in objectives.values() if objective is not None}
    live = MainstreamCommitment.objects.exclude(status=CommitmentStatus.WITHDRAWN)
    served = set(live.filter(objective_id__in=ids).values_list("objective_id", flat=True)) | set(
        live.filter(action__objective_id__in=ids).values_list("action__objective_id", flat=True)
    )
    return {
        pk: (
            f"Aucun engagement de droit commun n'est enregistré pour l'objectif « {objective} » : la loi demande de "
            "mobiliser d'abord le droit commun des partenaires, puis les crédits spécifiques."
        )
        for pk, objective in objectives.items()
        if objective is not None and objective.pk not in served
    }


@dataclass
class CreditTotals:
    """Amounts of a set of credits, in euros. Each credit counts in ``engaged`` for what was granted, or for what
    was requested while nothing is granted yet; ``multi_year`` is the part of ``engaged`` under multi-year
    agreements."""

    label: str
    count: int = 0
    requested: Decimal = Decimal(0)
    granted: Decimal = Decimal(0)
    paid: Decimal = Decimal(0)
    engaged: Decimal = Decimal(0)
    multi_year: Decimal = Decimal(0)

    @property
    def multi_year_share(self) -> Decimal | None:
        return self.multi_year / self.engaged if self.engaged else None

    def add(self, credit: Credit) -> None:
        self.count += 1
        self.requested += credit.requested or 0
        self.granted += credit.granted or 0
        self.paid += credit.paid or 0
        engaged = credit.granted if credit.granted is not None else credit.requested or Decimal(0)
        self.engaged += engaged
        if credit.agreement == AgreementKind.MULTI_YEAR:
            self.multi_year += engaged


def credit_totals(credits: Iterable[Credit]) -> tuple[CreditTotals, list[CreditTotals]]:
    """All the credits, then per programme (in the order of ``CreditProgramme``)."""
    everything = CreditTotals("Tous programmes")
    by_programme = {value: CreditTotals(label) for value, label in CreditProgramme.choices}
    for credit in credits:
        everything.add(credit)
        by_programme[credit.programme].add(credit)
    return everything, [totals for totals in by_programme.values() if totals.count]


def posts_across_contracts(*, user: Any, year: int | None = None) -> list[Credit]:
    """The programme 147 posts (adultes-relais, FONJEP) of the contracts where ``user`` represents the State, every
    contract's for an administrator."""
    posts = _credits().filter(
        programme__in=[CreditProgramme.ADULTES_RELAIS, CreditProgramme.FONJEP],
        contract__in=state_contracts(user).values("pk"),
    )
    posts = filter_given(posts, year=year)
    return list(posts.order_by("contract__name", "-year", "programme", "beneficiary", "post_id"))


def posts_import_batch_get(*, pk: int) -> ImportBatch | None:
    return ImportBatch.objects.filter(importer=POSTS_IMPORTER, pk=pk).select_related("imported_by").first()


# --- the annual call for projects ---------------------------------------------------------------------------------


def call_list(*, contract: Contract) -> list[CallForProjects]:
    """The contract's calls, newest year first, with their number of applications deposited and programmed."""
    return list(
        CallForProjects.objects.filter(contract=contract)
        .annotate(
            deposited_count=Count("applications", filter=Q(applications__status__in=DEPOSITED_STATUSES)),
            programmed_count=Count("applications", filter=Q(applications__status__in=PROGRAMMED_STATUSES)),
        )
        .prefetch_related("funders")
        .order_by("-year", "-opens_on", "pk")
    )


def open_calls_summary(*, contract: Contract) -> list[CallForProjects]:
    """The calls open to applications, with their number of deposited applications (one query): the home panel."""
    return list(
        CallForProjects.objects.filter(contract=contract, status=CallStatus.OPEN)
        .annotate(deposited_count=Count("applications", filter=Q(applications__status__in=DEPOSITED_STATUSES)))
        .order_by("closes_on", "pk")
    )


def open_calls(*, contract: Contract) -> list[CallForProjects]:
    return list(CallForProjects.objects.filter(contract=contract, status=CallStatus.OPEN).order_by("closes_on", "pk"))


def _calls() -> QuerySet[CallForProjects]:
    return CallForProjects.objects.select_related("contract").prefetch_related(
        Prefetch("funders", queryset=CallFunder.objects.select_related("organization").order_by("order", "pk")),
        Prefetch("priorities", queryset=Objective.objects.select_related("orientation__pillar").order_by("code")),
    )


def call_get(*, contract: Contract, call_id: int) -> CallForProjects:
    return found_or_404(_calls().filter(contract=contract, pk=call_id).first(), "Appel à projets introuvable.")


def calls_with_details(*, contract: Contract) -> list[CallForProjects]:
    """The contract's calls with their funders and priorities (three queries)."""
    return list(_calls().filter(contract=contract).order_by("-year", "-opens_on", "pk"))


def funder_get(*, call: CallForProjects, funder_id: int) -> CallFunder:
    return found_or_404(call.funders.filter(pk=funder_id).first(), "Financeur introuvable.")


def applications_visible_to(access: ContractAccess) -> QuerySet[Application]:
    """The contract's applications the caller may read (``can_view_application``, as a query): every one for the
    pilot and the State; its own organisation's for an applicant — never another association's —; the deposited
    ones for a member of the technical committee."""
    applications = Application.objects.filter(contract=access.contract)
    if can_manage_calls(access):
        return applications
    if not can_view_application.admits(access):
        return applications.none()
    user = access.user
    visible = Q(pk__in=[])
    if user is not None and user.organization_id is not None:
        visible |= Q(organization_id=user.organization_id)
    if can_review_applications(access):
        visible |= Q(status__in=DEPOSITED_STATUSES)
    return applications.filter(visible)


def _with_details(applications: QuerySet[Application]) -> QuerySet[Application]:
    return applications.select_related(
        "call", "contract", "organization", "submitted_by", "final_report"
    ).prefetch_related(
        Prefetch("attachments", queryset=ApplicationAttachment.objects.order_by("title", "pk")),
        Prefetch(
            "amounts", queryset=ApplicationAmount.objects.select_related("funder").order_by("funder__order", "pk")
        ),
        Prefetch("objectives", queryset=Objective.objects.select_related("orientation__pillar").order_by("code")),
        "qpvs",
        Prefetch("reviews", queryset=Review.objects.select_related("reviewer", "reviewer_organization")),
    )


def application_list(
    *, access: ContractAccess, call: CallForProjects | None = None, status: str = "", mine: bool = False
) -> list[Application]:
    """Visible applications, by call then applicant; ``mine`` keeps the caller's organisation's."""
    applications = filter_given(applications_visible_to(access), call=call, status=status)
    if mine:
        organization_id = access.user.organization_id if access.user is not None else None
        applications = applications.filter(organization_id=organization_id) if organization_id else applications.none()
    return list(_with_details(applications).order_by("-call__year", "call_id", "organization__name", "pk"))


def application_get(*, access: ContractAccess, application_id: int) -> Application:
    """One application the caller may read, or 404 — the same answer for another association's application as for
    one that does not exist."""
    return found_or_404(
        _with_details(applications_visible_to(access)).filter(pk=application_id).first(), "Dossier introuvable."
    )


def application_attachment_get(*, application: Application, attachment_id: int) -> ApplicationAttachment:
    """One document of an application the caller reads (``application_get`` checked who may)."""
    return found_or_404(
        ApplicationAttachment.objects.select_related("application")
        .filter(application=application, pk=attachment_id)
        .first(),
        "Pièce jointe introuvable.",
    )


def technical_committee_reviewers(*, contract: Contract) -> list[Any]:
    """Whom the pilot may ask for an opinion: the contract's members with a reviewing role who sit in one of its
    comités techniques, in person or through their organisation — ``permissions.sits_in_technical_committee``
    as a query (one query)."""
    seats = BodyMember.objects.filter(body__contract=contract, body__kind=BodyKind.TECHNICAL_COMMITTEE)
    return list(
        User.objects.filter(
            contract_roles__contract=contract,
            contract_roles__role__in=REVIEWERS,
            is_active=True,
        )
        .filter(Q(pk__in=seats.values("user_id")) | Q(organization_id__in=seats.values("organization_id")))
        .select_related("organization")
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


def review_requests(application: Application) -> list[ReviewRequest]:
    """Who was asked for an opinion on ``application`` (one query)."""
    return list(application.review_requests.select_related("reviewer__organization").order_by("pk"))


def organization_choices(*, contract: Contract) -> QuerySet[Organization]:
    """Whom the pilot may record an application for: the contract's organisations."""
    return organizations_of_contract(contract=contract)


def qpv_choices(*, contract: Contract) -> list[Any]:
    return list(contract.qpvs.order_by("name"))


def report_due_on(call: CallForProjects) -> date:
    """The compte rendu financier (Cerfa n° 15059) is due within six months after the end of the financial year of
    the grant (domain.md §4.2 step 6, R31): the date the call sets, by default 30 June of the year after its
    programming year."""
    return call.report_due_on or date(call.year + 1, 6, 30)


def awaits_report(application: Application) -> bool:
    """A paid grant whose project has not sent its compte rendu yet."""
    return application.status == ApplicationStatus.PAID


def requested_total(application: Application) -> Decimal:
    return sum((amount.requested or Decimal(0) for amount in application.amounts.all()), Decimal(0))


def granted_total(application: Application) -> Decimal | None:
    granted = [amount.granted for amount in application.amounts.all() if amount.granted is not None]
    return sum(granted, Decimal(0)) if granted else None


def application_pillar_label(application: Application) -> str:
    """The pillar an application counts under in the financial annex: its first objective's (by pillar order)."""
    objectives = sorted(
        application.objectives.all(),
        key=lambda objective: (objective.orientation.pillar.order, objective.orientation.pillar_id, objective.code),
    )
    return objectives[0].orientation.pillar.label if objectives else "Sans objectif désigné"


@dataclass
class ReviewSummary:
    favourable: int = 0
    reserved: int = 0
    unfavourable: int = 0
    mine: Review | None = None


def review_summary(application: Application, user: Any) -> ReviewSummary:
    summary = ReviewSummary()
    for review in application.reviews.all():
        setattr(summary, review.opinion, getattr(summary, review.opinion) + 1)
        if user is not None and review.reviewer_id == getattr(user, "pk", None):
            summary.mine = review
    return summary


# --- the programme and the financial annex --------------------------------------------------------------------


@dataclass
class ProgrammeLine:
    """A programmed application: what each funder of the call grants (in the order of ``Programme.funders``)."""

    application: Application
    pillar_label: str
    granted: list[Decimal | None]
    total: Decimal


@dataclass
class AnnexLine:
    """One pillar of the financial annex: what each funder grants to the applications serving it."""

    label: str
    granted: list[Decimal]
    total: Decimal
    count: int


@dataclass
class Programme:
    """The programme of a call (the *tableau de programmation*), with its financial annex per pillar and funder."""

    call: CallForProjects
    funders: list[CallFunder]
    lines: list[ProgrammeLine]
    totals: list[Decimal]
    total: Decimal
    annex: list[AnnexLine]


def _programme(call: CallForProjects, funders: list[CallFunder], applications: list[Application]) -> Programme:
    index = {funder.pk: position for position, funder in enumerate(funders)}
    lines = []
    totals = [Decimal(0) for _ in funders]
    annex: dict[str, AnnexLine] = {}
    for application in applications:
        granted: list[Decimal | None] = [None for _ in funders]
        for amount in application.amounts.all():
            if amount.granted is not None and amount.funder_id in index:
                granted[index[amount.funder_id]] = amount.granted
        figures = [value or Decimal(0) for value in granted]
        pillar = application_pillar_label(application)
        lines.append(ProgrammeLine(application, pillar, granted, sum(figures, Decimal(0))))
        line = annex.setdefault(pillar, AnnexLine(pillar, [Decimal(0) for _ in funders], Decimal(0), 0))
        line.count += 1
        for position, value in enumerate(figures):
            totals[position] += value
            line.granted[position] += value
        line.total += sum(figures, Decimal(0))
    return Programme(
        call=call,
        funders=funders,
        lines=lines,
        totals=totals,
        total=sum(totals, Decimal(0)),
        annex=sorted(annex.values(), key=lambda line: (line.label == "Sans objectif désigné", line.label)),
    )


def _programmed(calls: list[CallForProjects]) -> list[Application]:
    applications = Application.objects.filter(call__in=calls, status__in=PROGRAMMED_STATUSES)
    return list(
        applications.select_related("organization", "call")
        .prefetch_related(
            Prefetch("amounts", queryset=ApplicationAmount.objects.all()),
            Prefetch("objectives", queryset=Objective.objects.select_related("orientation__pillar")),
            "qpvs",
        )
        .order_by("organization__name", "title", "pk")
    )


def call_programme(*, call: CallForProjects) -> Programme:
    """The applications the steering committee programmed, with the amounts granted per funder (four queries)."""
    return _programme(call, list(call.funders.all()), _programmed([call]))


def contract_annex(*, contract: Contract) -> list[Programme]:
    """The financial annex of the contract: the programme of each call, newest first (a constant number of
    queries whatever the number of calls)."""
    calls = list(_calls().filter(contract=contract).order_by("-year", "pk"))
    by_call: dict[int, list[Application]] = defaultdict(list)
    for application in _programmed(calls):
        by_call[application.call_id].append(application)
    return [_programme(call, list(call.funders.all()), by_call.get(call.pk, [])) for call in calls]


@dataclass(frozen=True)
class CallsSummary:
    open_calls: list[CallForProjects]
    awaiting_reports: int


def status_counts(applications: Iterable[Application]) -> dict[str, int]:
    counts = dict.fromkeys(ApplicationStatus.values, 0)
    for application in applications:
        counts[application.status] += 1
    return counts


# --- open data: the grants in the national SCDL « subventions » schema (issue 14 §8) ------------------------------

# The programmed applications whose agreement is signed: the « données essentielles des conventions de
# subvention » (décret n° 2017-779) exist once there is a convention.
AGREED_STATUSES = frozenset(
    {ApplicationStatus.AGREEMENT_SIGNED, ApplicationStatus.PAID, ApplicationStatus.REPORT_RECEIVED}
)


@dataclass(frozen=True)
class OpenDataGrant:
    """One line of the SCDL « subventions » 2.1.1 file: what one funder grants to one project."""

    funder_name: str
    funder_siret: str
    agreement_on: date
    decision_reference: str
    beneficiary_name: str
    beneficiary_siret: str
    beneficiary_rna: str
    purpose: str
    amount: Decimal
    payment_period: str
    scheme: str


@dataclass
class OpenDataGrants:
    """The file's lines, what prevents producing it (French, one sentence a missing field) and how many
    programmed grants still wait for their agreement (not in the file yet)."""

    grants: list[OpenDataGrant] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    awaiting_agreement: int = 0


def _status_dates(applications: list[Application]) -> dict[tuple[int, str], date]:
    """When each application last reached each status (one query)."""
    if not applications:
        return {}
    changes = StatusChange.objects.filter(
        content_type=ContentType.objects.get_for_model(Application),
        object_id__in=[application.pk for application in applications],
    ).order_by("changed_at", "pk")
    return {(change.object_id, change.to_status): timezone.localtime(change.changed_at).date() for change in changes}


def open_data_calls(*, contract: Contract, year: int, public: bool) -> list[CallForProjects]:
    """The calls of a programming year whose grants are published together; the public's, those whose programme
    is decided only."""
    calls = CallForProjects.objects.filter(contract=contract, year=year)
    if public:
        calls = calls.filter(status=CallStatus.PROGRAMMED)
    return list(calls.order_by("pk"))


def open_data_grants(*, calls: Iterable[CallForProjects]) -> OpenDataGrants:
    """The calls' grants under a signed agreement, one line per funder and project, with the attributing
    organisation's and the beneficiary's identifiers taken from the organisations' records (five queries)."""
    applications = list(
        Application.objects.filter(call__in=list(calls), status__in=PROGRAMMED_STATUSES)
        .select_related("organization", "call")
        .prefetch_related(
            Prefetch("amounts", queryset=ApplicationAmount.objects.select_related("funder__organization"))
        )
        .order_by("organization__name", "title", "pk")
    )
    result = OpenDataGrants()
    agreed = [application for application in applications if application.status in AGREED_STATUSES]
    result.awaiting_agreement = len(applications) - len(agreed)
    dates = _status_dates(agreed)
    missing: dict[str, None] = {}
    for application in agreed:
        call = application.call
        year_period = f"{call.year}-01-01/{call.year}-12-31"
        beneficiary = application.organization
        if not beneficiary.siret and not beneficiary.rna:
            missing[
                f"L'organisation « {beneficiary} », bénéficiaire de « {application} », n'a ni SIRET ni numéro RNA : "
                "renseignez l'un des deux dans sa fiche."
            ] = None
        agreement_on = dates.get((application.pk, ApplicationStatus.AGREEMENT_SIGNED))
        if agreement_on is None:
            missing[f"La date de la convention de « {application} » n'est pas enregistrée."] = None
        programmed_on = dates.get((application.pk, ApplicationStatus.PROGRAMMED))
        paid_on = dates.get((application.pk, ApplicationStatus.PAID))
        for amount in application.amounts.all():
            if not amount.granted:
                continue
            funder = amount.funder
            organization = funder.organization
            if organization is None:
                missing[
                    f"Le financeur « {funder} » n'est rattaché à aucune organisation : indiquez laquelle attribue "
                    "ses subventions (son nom et son SIRET identifient l'attribuant)."
                ] = None
                continue
            if not organization.siret:
                missing[
                    f"L'organisation « {organization} », qui attribue les subventions de « {funder} », n'a pas de "
                    "SIRET : renseignez-le dans sa fiche."
                ] = None
                continue
            if agreement_on is None:
                continue
            result.grants.append(
                OpenDataGrant(
                    funder_name=organization.name,
                    funder_siret=organization.siret,
                    agreement_on=agreement_on,
                    decision_reference=f"Comité de pilotage du {programmed_on:%d/%m/%Y}" if programmed_on else "",
                    beneficiary_name=beneficiary.name,
                    beneficiary_siret=beneficiary.siret,
                    beneficiary_rna=beneficiary.rna,
                    purpose=application.title[:256],
                    amount=amount.granted,
                    payment_period=paid_on.isoformat() if paid_on else year_period,
                    scheme=(f"Programme 147 — politique de la ville, {call}" if funder.is_p147 else f"{call}")[:255],
                )
            )
    result.missing = list(missing)
    return result


# --- « Ce qui vous attend » (issue 14 §5): each query reads one user's items across all their contracts ----------


def _roles(user: Any, roles: Iterable[str]) -> Q:
    """The applications of the contracts where ``user`` holds one of ``roles``."""
    return Q(contract__roles__user=user, contract__roles__role__in=list(roles))


def _applicant_awaiting(user: Any, **conditions: Any) -> list[Application]:
    """The applications of ``user``'s organisation meeting ``conditions``, in the contracts where ``user`` acts as
    an applicant (one query; none for a user acting for no organisation)."""
    if user.organization_id is None:
        return []
    return list(
        Application.objects.filter(_roles(user, [Role.APPLICANT]), organization_id=user.organization_id, **conditions)
        .select_related("call", "contract")
        .distinct()
    )


def awaiting_drafts(*, user: Any, today: date) -> list[Application]:
    """An applicant's drafts that can still be deposited: the call open and its deadline not passed (one query)."""
    return _applicant_awaiting(
        user, status=ApplicationStatus.DRAFT, call__status=CallStatus.OPEN, call__closes_on__gte=today
    )


def awaiting_reports(*, user: Any) -> list[Application]:
    """An applicant's paid grants whose final report has not come (one query): ``report_due_on`` says when."""
    return _applicant_awaiting(user, status=ApplicationStatus.PAID)


def awaiting_reviews(*, user: Any) -> list[Application]:
    """The applications the pilot asked ``user`` to give an opinion on, still open to opinions, with no opinion of
    theirs yet (one query)."""
    return list(
        Application.objects.filter(
            _roles(user, REVIEWERS),
            review_requests__reviewer=user,
            status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW],
        )
        .exclude(Exists(Review.objects.filter(application=OuterRef("pk"), reviewer=user)))
        .select_related("call", "contract", "organization")
        .distinct()
    )


def awaiting_instruction(*, user: Any) -> list[Application]:
    """The deposited applications waiting to be taken into instruction, in the contracts where ``user`` manages
    the calls (``permissions.can_manage_calls``: the pilot and the State; one query)."""
    return list(
        Application.objects.filter(_roles(user, STEERING), status=ApplicationStatus.SUBMITTED)
        .select_related("call", "contract", "organization")
        .distinct()
    )


def awaiting_figures(*, user: Any, today: date) -> dict[MainstreamCommitment, list[int]]:
    """A partner's commitments with years over and no realised figure (``year_awaits_figure``), in the contracts
    where it acts as partner (one query)."""
    if user.organization_id is None:
        return {}
    lines = (
        CommitmentYear.objects.filter(
            commitment__contract__roles__user=user,
            commitment__contract__roles__role=Role.PARTNER,
            commitment__partner_id=user.organization_id,
            year__lt=today.year,
            realised__isnull=True,
        )
        .exclude(commitment__status=CommitmentStatus.WITHDRAWN)
        .select_related("commitment__contract")
        .order_by("commitment_id", "year")
        .distinct()
    )
    awaiting: dict[MainstreamCommitment, list[int]] = {}
    for line in lines:
        if year_awaits_figure(line, today):
            awaiting.setdefault(line.commitment, []).append(line.year)
    return awaiting

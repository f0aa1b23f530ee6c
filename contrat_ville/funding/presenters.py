"""How the commitments and their balance are written for people: French figures with their unit, rates, years.

Used by the pages, the XLSX export and the home panel alike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from contrat_ville.contracts.models import Contract
from contrat_ville.funding.enums import (
    APPLICATION_TRANSITIONS,
    CALL_TRANSITIONS,
    AgreementKind,
    ApplicationStatus,
    CallStatus,
    CommitmentUnit,
)
from contrat_ville.funding.models import Application, CallForProjects, CommitmentYear, Credit, MainstreamCommitment
from contrat_ville.funding.selectors import (
    Balance,
    ContractBalanceRow,
    CreditTotals,
    Programme,
    ReviewSummary,
    Totals,
    application_pillar_label,
    awaits_report,
    commitment_pillar,
    commitment_target_label,
    credit_objective,
    granted_total,
    report_due_on,
    requested_total,
    review_summary,
    year_awaits_figure,
)
from contrat_ville.observation.presenters import NBSP, NOT_AVAILABLE, format_number

UNIT_SUFFIX = {CommitmentUnit.EURO.label: "€", CommitmentUnit.SHARE.label: "%"}


def figure_text(value: Decimal | None, unit: str) -> str:
    """« 150 000 € », « 54 personnes », « 2,5 équivalents temps plein »; « — » for no figure."""
    if value is None:
        return NOT_AVAILABLE
    decimals = 0 if value == value.to_integral_value() else 2
    return f"{format_number(float(value), decimals=decimals)}{NBSP}{UNIT_SUFFIX.get(unit, unit)}"


def rate_text(rate: Decimal | None) -> str:
    """« 85 % » of realisation; « — » when nothing planned is due yet."""
    if rate is None:
        return NOT_AVAILABLE
    return f"{format_number(float(rate * 100), decimals=0)}{NBSP}%"


@dataclass(frozen=True)
class YearFigures:
    year: int
    planned: str
    realised: str
    awaiting: bool
    note: str


@dataclass(frozen=True)
class CommitmentRow:
    """A commitment as the lists show it."""

    commitment: MainstreamCommitment
    pillar_label: str
    target_label: str
    unit: str
    years: list[YearFigures]
    awaiting_years: list[int]


def year_figures(line: CommitmentYear, unit: str, today: date) -> YearFigures:
    return YearFigures(
        year=line.year,
        planned=figure_text(line.planned, unit),
        realised=figure_text(line.realised, unit),
        awaiting=year_awaits_figure(line, today),
        note=line.note,
    )


def commitment_row(commitment: MainstreamCommitment, today: date) -> CommitmentRow:
    pillar = commitment_pillar(commitment)
    unit = commitment.unit_text
    years = [year_figures(line, unit, today) for line in commitment.years.all()]
    return CommitmentRow(
        commitment=commitment,
        pillar_label=pillar.label if pillar is not None else "—",
        target_label=commitment_target_label(commitment),
        unit=unit,
        years=years,
        awaiting_years=[item.year for item in years if item.awaiting],
    )


def commitment_rows(commitments: list[MainstreamCommitment], today: date) -> list[CommitmentRow]:
    return [commitment_row(commitment, today) for commitment in commitments]


# --- the balance ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TotalsText:
    unit: str
    commitments: int
    awaiting: int
    planned: str
    due_planned: str
    realised: str
    rate: str
    has_rate: bool = False


@dataclass(frozen=True)
class BalanceRowText:
    partner: str
    pillar_label: str
    totals: list[TotalsText]


def totals_text(totals: Totals) -> TotalsText:
    return TotalsText(
        unit=totals.unit,
        commitments=totals.commitments,
        awaiting=totals.awaiting,
        planned=figure_text(totals.planned, totals.unit),
        due_planned=figure_text(totals.due_planned, totals.unit),
        realised=figure_text(totals.realised, totals.unit),
        rate=rate_text(totals.rate),
        has_rate=totals.rate is not None,
    )


def balance_rows(balance: Balance) -> list[BalanceRowText]:
    return [
        BalanceRowText(
            row.partner.acronym or row.partner.name, row.pillar_label, [totals_text(totals) for totals in row.totals]
        )
        for row in balance.rows
    ]


def balance_units(balance: Balance) -> list[TotalsText]:
    return [totals_text(totals) for totals in balance.by_unit]


@dataclass(frozen=True)
class ContractBalanceText:
    contract: Contract
    commitment_count: int
    partner_count: int
    awaiting: int
    by_unit: list[TotalsText]


def balances_across_contracts_text(rows: list[ContractBalanceRow]) -> list[ContractBalanceText]:
    return [
        ContractBalanceText(
            row.contract,
            row.commitment_count,
            row.partner_count,
            row.awaiting,
            [totals_text(totals) for totals in row.by_unit],
        )
        for row in rows
    ]


# --- specific credits -------------------------------------------------------------------------------------------


def euros_text(value: Decimal | None) -> str:
    return figure_text(value, CommitmentUnit.EURO.label)


@dataclass(frozen=True)
class CreditRow:
    credit: Credit
    target_label: str
    agreement_label: str
    requested: str
    granted: str
    paid: str
    warning: str


def credit_rows(credits: list[Credit], warnings: dict[int, str]) -> list[CreditRow]:
    rows = []
    for credit in credits:
        objective = credit_objective(credit)
        target = (
            f"Action : {credit.action}"
            if credit.action is not None
            else (f"Objectif : {objective}" if objective is not None else "Contrat dans son ensemble")
        )
        agreement = credit.get_agreement_display()
        if credit.agreement == AgreementKind.MULTI_YEAR and credit.agreement_end_year:
            agreement = f"{agreement}, jusqu'en {credit.agreement_end_year}"
        rows.append(
            CreditRow(
                credit=credit,
                target_label=target,
                agreement_label=agreement,
                requested=euros_text(credit.requested),
                granted=euros_text(credit.granted),
                paid=euros_text(credit.paid),
                warning=warnings.get(credit.pk, ""),
            )
        )
    return rows


@dataclass(frozen=True)
class CreditTotalsText:
    label: str
    count: int
    requested: str
    granted: str
    paid: str
    multi_year_share: str


def credit_totals_text(totals: CreditTotals) -> CreditTotalsText:
    return CreditTotalsText(
        label=totals.label,
        count=totals.count,
        requested=euros_text(totals.requested),
        granted=euros_text(totals.granted),
        paid=euros_text(totals.paid),
        multi_year_share=rate_text(totals.multi_year_share),
    )


# --- the annual call for projects ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FunderRow:
    name: str
    is_p147: bool
    envelope: str
    pk: int


def funder_rows(call: CallForProjects) -> list[FunderRow]:
    return [
        FunderRow(funder.name, funder.is_p147, euros_text(funder.envelope), funder.pk) for funder in call.funders.all()
    ]


@dataclass(frozen=True)
class AmountText:
    funder: str
    is_p147: bool
    requested: str
    granted: str


@dataclass(frozen=True)
class ApplicationRow:
    application: Application
    pillar_label: str
    requested: str
    granted: str
    total_budget: str
    co_funding: str
    amounts: list[AmountText]
    reviews: ReviewSummary
    qpvs: str
    report_due: str = ""
    report_late: bool = False


def application_row(application: Application, user: Any, today: date | None = None) -> ApplicationRow:
    due = report_due_on(application.call) if awaits_report(application) else None
    return ApplicationRow(
        application=application,
        pillar_label=application_pillar_label(application),
        requested=euros_text(requested_total(application)),
        granted=euros_text(granted_total(application)),
        total_budget=euros_text(application.total_budget),
        co_funding=euros_text(application.co_funding),
        amounts=[
            AmountText(
                amount.funder.name, amount.funder.is_p147, euros_text(amount.requested), euros_text(amount.granted)
            )
            for amount in application.amounts.all()
        ],
        reviews=review_summary(application, user),
        qpvs=", ".join(qpv.name for qpv in application.qpvs.all()),
        report_due=f"{due:%d/%m/%Y}" if due is not None else "",
        report_late=due is not None and (today or timezone.localdate()) > due,
    )


def application_rows(applications: list[Application], user: Any, today: date | None = None) -> list[ApplicationRow]:
    return [application_row(application, user, today) for application in applications]


@dataclass(frozen=True)
class Move:
    """A button of a status change: the status it leads to and its French label."""

    to: str
    label: str


CALL_MOVE_LABELS = {
    CallStatus.OPEN: "Ouvrir les dépôts",
    CallStatus.DRAFT: "Remettre en préparation",
    CallStatus.CLOSED: "Clore les dépôts",
}
APPLICATION_MOVE_LABELS = {
    ApplicationStatus.DRAFT: "Renvoyer au porteur pour compléter",
    ApplicationStatus.UNDER_REVIEW: "Mettre en instruction",
    ApplicationStatus.AGREEMENT_SIGNED: "Enregistrer la convention signée",
    ApplicationStatus.PAID: "Enregistrer le versement",
}


def call_moves(call: CallForProjects) -> list[Move]:
    reachable = CALL_TRANSITIONS.get(call.status, frozenset())
    labels = dict(CALL_MOVE_LABELS)
    if call.status == CallStatus.CLOSED:
        labels[CallStatus.OPEN] = "Rouvrir les dépôts"
    return [Move(to, label) for to, label in labels.items() if to in reachable]


def application_moves(application: Application) -> list[Move]:
    """The pilot's moves from the application's status (programming and refusal come from the committee)."""
    reachable = APPLICATION_TRANSITIONS.get(application.status, frozenset())
    return [Move(to, label) for to, label in APPLICATION_MOVE_LABELS.items() if to in reachable]


@dataclass(frozen=True)
class ProgrammeLineText:
    application: Application
    pillar_label: str
    granted: list[str]
    total: str
    qpvs: str


@dataclass(frozen=True)
class AnnexLineText:
    label: str
    count: int
    granted: list[str]
    total: str


@dataclass(frozen=True)
class ProgrammeText:
    call: CallForProjects
    funders: list[str]
    envelopes: list[str]
    lines: list[ProgrammeLineText]
    totals: list[str]
    total: str
    annex: list[AnnexLineText]


def programme_text(programme: Programme) -> ProgrammeText:
    return ProgrammeText(
        call=programme.call,
        funders=[funder.name for funder in programme.funders],
        envelopes=[euros_text(funder.envelope) for funder in programme.funders],
        lines=[
            ProgrammeLineText(
                line.application,
                line.pillar_label,
                [euros_text(value) for value in line.granted],
                euros_text(line.total),
                ", ".join(qpv.name for qpv in line.application.qpvs.all()),
            )
            for line in programme.lines
        ],
        totals=[euros_text(value) for value in programme.totals],
        total=euros_text(programme.total),
        annex=[
            AnnexLineText(
                line.label, line.count, [euros_text(value) for value in line.granted], euros_text(line.total)
            )
            for line in programme.annex
        ],
    )

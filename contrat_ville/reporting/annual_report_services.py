"""Writes of the annual report on the politique de la ville (décret n° 2015-1118, domain.md §5.1).

The procedure goes one way, each step one service with its French refusals and a ``core.StatusChange`` row:
draft → « en consultation » (the draft is sent to the municipal councils and, through the diagnostic's
consultations, to the conseils citoyens, with at least one month to answer) → « approuvé » (by the conseil
communautaire, once the deadline has passed or every council has answered; silence counts as favourable) →
« publié » (then public on the contract's pages).
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from contrat_ville.accounts.models import Organization
from contrat_ville.contracts.models import Contract
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.saving import delete_by, save_by
from contrat_ville.core.services import required_text, status_change
from contrat_ville.core.uploads import check_upload
from contrat_ville.diagnostic.enums import ConsultationStatus
from contrat_ville.diagnostic.services.consultations import consultation_close, consultation_create
from contrat_ville.reporting.annual_report_selectors import all_answered, commune_choices
from contrat_ville.reporting.enums import ANNUAL_REPORT_TRANSITIONS, AnnualReportStatus, MunicipalOpinion
from contrat_ville.reporting.models import AnnualReport, DsuLine, MunicipalConsultation
from contrat_ville.territories.models import Territory

STATUS_LABELS = dict(AnnualReportStatus.choices)
MIN_YEAR, MAX_YEAR = 1990, 2100


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (the last day of the month when it has fewer days: 31 January → 28 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def earliest_deadline(sent_on: datetime.date) -> datetime.date:
    """The decree leaves the councils at least one month to answer."""
    return add_months(sent_on, 1)


def _move(report: AnnualReport, to_status: str, *, by: Any, comment: str = "") -> None:
    status_change(
        obj=report,
        to_status=to_status,
        transitions=ANNUAL_REPORT_TRANSITIONS,
        labels=STATUS_LABELS,
        by=by,
        comment=comment,
    )


def _editable(report: AnnualReport) -> None:
    if not report.is_editable:
        raise BusinessRuleError(
            f"Le rapport annuel {report.year} a été approuvé par le conseil communautaire : il ne se modifie plus."
        )


@transaction.atomic
def annual_report_create(
    *, contract: Contract, year: int, by: Any, today: datetime.date | None = None
) -> AnnualReport:
    """The report of ``year`` (a past or the current year), drafted; one per contract and year."""
    today = today or timezone.localdate()
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise BusinessRuleError(f"L'année doit être comprise entre {MIN_YEAR} et {MAX_YEAR}.", field="year")
    if year > today.year:
        raise BusinessRuleError(
            "Le rapport annuel retrace une année écoulée ou en cours : choisissez une année passée.", field="year"
        )
    if AnnualReport.objects.filter(contract=contract, year=year).exists():
        raise BusinessRuleError(f"Le rapport annuel {year} de ce contrat existe déjà.", field="year")
    try:
        with transaction.atomic():
            return save_by(AnnualReport(contract=contract, year=year), by)
    except IntegrityError as error:  # created meanwhile by another request
        raise BusinessRuleError(f"Le rapport annuel {year} de ce contrat existe déjà.", field="year") from error


@dataclass(frozen=True)
class ReportTexts:
    introduction: str = ""
    situation_comment: str = ""
    perspectives: str = ""
    renewal_text: str = ""


@transaction.atomic
def annual_report_texts_update(*, report: AnnualReport, texts: ReportTexts, by: Any) -> AnnualReport:
    """The pilot's texts, until the conseil communautaire approves the report."""
    _editable(report)
    for name, value in vars(texts).items():
        setattr(report, name, (value or "").strip())
    return save_by(report, by, *vars(texts))


def _check_commune(report: AnnualReport, commune: Territory) -> None:
    if commune.pk not in {item.pk for item in commune_choices(contract=report.contract)}:
        raise BusinessRuleError(f"« {commune} » n'est pas une commune de ce contrat de ville.", field="commune")


@transaction.atomic
def dsu_line_add(*, report: AnnualReport, commune: Territory, amount: int, actions: str, by: Any) -> DsuLine:
    """A commune that received the DSU in the report's year, with its amount and its *développement social urbain*
    actions."""
    _editable(report)
    _check_commune(report, commune)
    actions = required_text(
        actions, "Décrivez les actions de développement social urbain de la commune.", field="actions"
    )
    if amount is None or amount <= 0:
        raise BusinessRuleError("Indiquez le montant de la DSU perçue, en euros.", field="amount")
    if report.dsu_lines.filter(commune=commune).exists():
        raise BusinessRuleError(f"La DSU de « {commune} » est déjà renseignée dans ce rapport.", field="commune")
    return save_by(DsuLine(report=report, commune=commune, amount=amount, actions=actions), by)


@transaction.atomic
def dsu_line_delete(*, line: DsuLine, by: Any) -> None:
    _editable(line.report)
    delete_by(line, by)


@transaction.atomic
def annual_report_submit(
    *,
    report: AnnualReport,
    sent_on: datetime.date,
    deadline: datetime.date,
    councils: Iterable[Organization] = (),
    communes: Iterable[Territory] = (),
    message: str = "",
    by: Any,
    today: datetime.date | None = None,
) -> AnnualReport:
    """« Soumettre pour avis »: the draft goes to the municipal councils of ``communes`` and to the conseils citoyens
    ``councils`` (a consultation of the diagnostic, on the report), who have until ``deadline``: at least one month
    after ``sent_on``."""
    today = today or timezone.localdate()
    councils, communes = list(councils), list(communes)
    if report.status != AnnualReportStatus.DRAFT:
        raise BusinessRuleError(f"Le rapport annuel {report.year} a déjà été soumis pour avis.")
    if sent_on > today:
        raise BusinessRuleError("La date de transmission ne peut pas être dans le futur.", field="sent_on")
    minimum = earliest_deadline(sent_on)
    if deadline < minimum:
        raise BusinessRuleError(
            "Les conseils municipaux et les conseils citoyens disposent d'au moins un mois pour rendre leur avis "
            f"(décret n° 2015-1118) : la date limite doit être le {minimum:%d/%m/%Y} ou plus tard.",
            field="deadline",
        )
    if not councils and not communes:
        raise BusinessRuleError(
            "Choisissez les conseils municipaux et les conseils citoyens à qui le projet de rapport est soumis."
        )
    for commune in communes:
        _check_commune(report, commune)
    if councils:
        report.consultation = consultation_create(
            contract=report.contract,
            title=f"Rapport annuel politique de la ville {report.year}",
            deadline=deadline,
            councils=councils,
            objects=[report],
            message=message,
            by=by,
            today=today,
        )
    MunicipalConsultation.objects.bulk_create(
        MunicipalConsultation(report=report, commune=commune) for commune in communes
    )
    report.sent_on, report.deadline = sent_on, deadline
    save_by(report, by, "sent_on", "deadline", "consultation")
    _move(
        report,
        AnnualReportStatus.CONSULTATION,
        by=by,
        comment=f"Soumis pour avis jusqu'au {deadline:%d/%m/%Y}.",
    )
    return report


@transaction.atomic
def municipal_opinion_record(
    *,
    consultation: MunicipalConsultation,
    deliberated_on: datetime.date,
    opinion: str,
    text: str = "",
    file: UploadedFile | None = None,
    by: Any,
    today: datetime.date | None = None,
) -> MunicipalConsultation:
    """A conseil municipal's deliberation on the draft: its date, its opinion, its observations and the act itself
    (optional). Recorded while the report is in consultation — a late opinion is still annexed."""
    today = today or timezone.localdate()
    report = consultation.report
    if report.status != AnnualReportStatus.CONSULTATION:
        raise BusinessRuleError("Les avis s'enregistrent tant que le rapport est en consultation.")
    if opinion not in MunicipalOpinion.values:
        raise BusinessRuleError("Choisissez l'avis du conseil municipal.", field="opinion")
    if deliberated_on > today:
        raise BusinessRuleError("La date de la délibération ne peut pas être dans le futur.", field="deliberated_on")
    if report.sent_on and deliberated_on < report.sent_on:
        raise BusinessRuleError(
            f"La délibération ne peut pas précéder la transmission du projet ({report.sent_on:%d/%m/%Y}).",
            field="deliberated_on",
        )
    text = (text or "").strip()
    if opinion != MunicipalOpinion.FAVOURABLE and not text:
        raise BusinessRuleError("Résumez les réserves ou les objections du conseil municipal.", field="text")
    if file is not None:
        check_upload(file)
        consultation.file = file
    consultation.deliberated_on, consultation.opinion, consultation.text = deliberated_on, opinion, text
    return save_by(consultation, by)


@transaction.atomic
def annual_report_approve(
    *,
    report: AnnualReport,
    approved_on: datetime.date,
    follow_up: str,
    by: Any,
    today: datetime.date | None = None,
) -> AnnualReport:
    """The conseil communautaire approves the report and says what follow-up it gives to the observations. Refused
    before the deadline unless every council consulted has answered; the conseils citoyens' consultation closes."""
    today = today or timezone.localdate()
    if report.status != AnnualReportStatus.CONSULTATION:
        raise BusinessRuleError(
            "Le rapport doit d'abord être soumis pour avis aux conseils municipaux et aux conseils citoyens."
        )
    if not report.deadline_passed(today) and not all_answered(report):
        raise BusinessRuleError(
            f"Les conseils consultés ont jusqu'au {report.deadline:%d/%m/%Y} pour rendre leur avis : le rapport "
            "s'approuve après cette date, ou dès que tous ont répondu."
        )
    if approved_on > today:
        raise BusinessRuleError("La date de la délibération ne peut pas être dans le futur.", field="approved_on")
    if report.sent_on and approved_on < report.sent_on:
        raise BusinessRuleError(
            "La délibération d'approbation ne peut pas précéder la transmission du projet pour avis.",
            field="approved_on",
        )
    report.follow_up = required_text(
        follow_up, "Indiquez les suites données aux observations des conseils consultés.", field="follow_up"
    )
    report.approved_on = approved_on
    save_by(report, by, "approved_on", "follow_up")
    consultation = report.consultation
    if consultation is not None and consultation.status != ConsultationStatus.CLOSED:
        consultation_close(consultation=consultation, by=by)
    _move(report, AnnualReportStatus.APPROVED, by=by, comment=f"Approuvé par délibération du {approved_on:%d/%m/%Y}.")
    return report


@transaction.atomic
def annual_report_publish(*, report: AnnualReport, by: Any, today: datetime.date | None = None) -> AnnualReport:
    """The approved report with its annexes is made public: anyone reads it on the contract's pages."""
    if report.status != AnnualReportStatus.APPROVED:
        raise BusinessRuleError("Seul un rapport approuvé par le conseil communautaire peut être publié.")
    report.published_on = today or timezone.localdate()
    save_by(report, by, "published_on")
    _move(report, AnnualReportStatus.PUBLISHED, by=by)
    return report

"""Reads of the annual report on the politique de la ville (décret n° 2015-1118): the reports a reader may see, the
councils' answers (silence after the deadline is a tacit favourable opinion), the procedure's steps and what awaits
the pilot. Bounded queries whatever the number of reports, communes and councils."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, QuerySet

from contrat_ville.accounts.models import Organization
from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.selectors import ContractAccess, epci_communes
from contrat_ville.core.lookups import found_or_404
from contrat_ville.core.registries import AwaitingItem
from contrat_ville.participation.models import Opinion
from contrat_ville.reporting.enums import AnnualReportStatus, MunicipalOpinion
from contrat_ville.reporting.models import AnnualReport, DsuLine, MunicipalConsultation
from contrat_ville.reporting.permissions import can_manage_annual_reports
from contrat_ville.territories.models import Territory

TACIT_FAVOURABLE = "avis favorable tacite"
AWAITED = "avis attendu"
NO_OPINION = "sans avis"


def commune_choices(*, contract: Contract) -> list[Territory]:
    """The communes whose councils may be consulted and whose DSU the report states: the contract's communes
    concerned, or else every commune of its EPCI (one query, two when the contract names none)."""
    communes = list(contract.communes.order_by("name", "code"))
    return communes or epci_communes(epci=contract.epci)


def annual_reports_visible_to(*, contract: Contract, access: ContractAccess | None) -> QuerySet[AnnualReport]:
    """Every report for the contract's members; the published ones for everyone else."""
    reports = AnnualReport.objects.filter(contract=contract)
    if access is None or not access.is_member:
        reports = reports.filter(status=AnnualReportStatus.PUBLISHED)
    return reports


def annual_report_list(*, contract: Contract, access: ContractAccess | None) -> list[AnnualReport]:
    """The reports ``access`` may read, newest year first (one query)."""
    return list(annual_reports_visible_to(contract=contract, access=access).order_by("-year"))


def _with_details(reports: QuerySet[AnnualReport]) -> QuerySet[AnnualReport]:
    return reports.select_related("contract", "consultation").prefetch_related(
        Prefetch("dsu_lines", queryset=DsuLine.objects.select_related("commune").order_by("commune__name")),
        Prefetch(
            "municipal_consultations",
            queryset=MunicipalConsultation.objects.select_related("commune").order_by("commune__name"),
        ),
    )


def annual_report_get(*, contract: Contract, report_id: int, access: ContractAccess | None) -> AnnualReport:
    """A report ``access`` may read, with its DSU lines and municipal consultations, or 404 (three queries)."""
    report = _with_details(annual_reports_visible_to(contract=contract, access=access).filter(pk=report_id)).first()
    return found_or_404(report, "Rapport annuel introuvable.")


def annual_report_of_year(*, contract: Contract, year: int) -> AnnualReport | None:
    """The contract's report for ``year`` with its details, whatever its status (the document's builder)."""
    return _with_details(AnnualReport.objects.filter(contract=contract, year=year)).first()


def dsu_line_get(*, report: AnnualReport, line_id: int) -> DsuLine:
    return found_or_404(
        next((line for line in report.dsu_lines.all() if line.pk == line_id), None), "Ligne introuvable."
    )


def municipal_consultation_get(*, report: AnnualReport, consultation_id: int) -> MunicipalConsultation:
    return found_or_404(
        next((item for item in report.municipal_consultations.all() if item.pk == consultation_id), None),
        "Conseil municipal introuvable dans ce rapport.",
    )


# --- the councils' answers --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """What one council consulted said: its opinion (or the tacit favourable one, or none yet), when, and why."""

    consulted: str  # « Conseil municipal de Sornac », « Conseil citoyen des Hauts de Sorne »
    opinion: str  # the French label shown
    on: datetime.date | None
    text: str
    answered: bool
    tacit: bool
    badge: str = ""  # the badge family's value: favourable, reservations, unfavourable, tacit, awaited
    municipal: MunicipalConsultation | None = None


def municipal_answers(report: AnnualReport, today: datetime.date) -> list[Answer]:
    """Each conseil municipal consulted, from the report's prefetched consultations (no query)."""
    passed = report.deadline_passed(today)
    answers: list[Answer] = []
    for item in report.municipal_consultations.all():
        if item.opinion:
            label, badge = MunicipalOpinion(item.opinion).label, item.opinion
        elif passed:
            label, badge = TACIT_FAVOURABLE, "tacit"
        else:
            label, badge = AWAITED, "awaited"
        answers.append(
            Answer(
                consulted=f"Conseil municipal de {item.commune.name}",
                opinion=label,
                on=item.deliberated_on,
                text=item.text,
                answered=bool(item.opinion),
                tacit=not item.opinion and passed,
                badge=badge,
                municipal=item,
            )
        )
    return answers


COUNCIL_BADGES = {"agree": "favourable", "agree_with_reservations": "reservations", "disagree": "unfavourable"}


def council_answers(report: AnnualReport, today: datetime.date) -> list[Answer]:
    """Each conseil citoyen consulted with the opinions its members gave on the report (two queries): silence after
    the deadline is a tacit favourable opinion, as for the municipal councils."""
    consultation = report.consultation
    if consultation is None:
        return []
    councils = list(consultation.councils.order_by("name", "pk"))
    opinions = _opinions_on(report, [council.pk for council in councils])
    passed = report.deadline_passed(today)
    answers: list[Answer] = []
    for council in councils:
        given = opinions.get(council.pk, [])
        answers.extend(
            Answer(
                consulted=council.name,
                opinion=opinion.get_verdict_display(),
                on=opinion.updated_at.date() if opinion.updated_at else None,
                text=opinion.text,
                answered=True,
                tacit=False,
                badge=COUNCIL_BADGES.get(opinion.verdict, ""),
            )
            for opinion in given
        )
        if not given:
            answers.append(
                Answer(
                    consulted=council.name,
                    opinion=TACIT_FAVOURABLE if passed else AWAITED,
                    on=None,
                    text="",
                    answered=False,
                    tacit=passed,
                    badge="tacit" if passed else "awaited",
                )
            )
    return answers


def _opinions_on(report: AnnualReport, council_ids: list[int]) -> dict[int, list[Opinion]]:
    if not council_ids:
        return {}
    result: dict[int, list[Opinion]] = {}
    opinions = Opinion.objects.filter(
        content_type=ContentType.objects.get_for_model(AnnualReport), object_id=report.pk, council_id__in=council_ids
    ).order_by("created_at", "pk")
    for opinion in opinions:
        result.setdefault(opinion.council_id, []).append(opinion)
    return result


def all_answered(report: AnnualReport) -> bool:
    """Every conseil municipal and every conseil citoyen consulted has given its opinion (three queries)."""
    if report.municipal_consultations.filter(opinion="").exists():
        return False
    consultation = report.consultation
    if consultation is None:
        return True
    council_ids = list(consultation.councils.values_list("pk", flat=True))
    answered = set(_opinions_on(report, council_ids))
    return set(council_ids) <= answered


def consulted_councils(report: AnnualReport) -> list[Organization]:
    return list(report.consultation.councils.order_by("name", "pk")) if report.consultation else []


# --- the procedure ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    title: str
    done: bool
    detail: str = ""


def procedure_steps(report: AnnualReport) -> list[Step]:
    """The four steps of the decree's procedure, with what is done (no query)."""
    status = report.status
    order = [
        AnnualReportStatus.DRAFT,
        AnnualReportStatus.CONSULTATION,
        AnnualReportStatus.APPROVED,
        AnnualReportStatus.PUBLISHED,
    ]
    reached = order.index(AnnualReportStatus(status))
    sent = (
        f"transmis le {report.sent_on:%d/%m/%Y}, avis jusqu'au {report.deadline:%d/%m/%Y}"
        if report.sent_on and report.deadline
        else ""
    )
    approved = f"délibération du {report.approved_on:%d/%m/%Y}" if report.approved_on else ""
    published = f"publié le {report.published_on:%d/%m/%Y}" if report.published_on else ""
    return [
        Step("Rédaction du projet de rapport", reached >= 1),
        Step("Avis des conseils municipaux et des conseils citoyens", reached >= 2, sent),
        Step("Approbation par le conseil communautaire", reached >= 2, approved),
        Step("Publication", reached >= 3, published),
    ]


def current_step(steps: list[Step]) -> int:
    """The 1-based number of the step in progress (the last one once everything is done)."""
    return next((position for position, step in enumerate(steps, start=1) if not step.done), len(steps))


# --- what awaits the pilot -------------------------------------------------------------------------------------


def awaiting_approvals(user: Any, today: datetime.date) -> list[AwaitingItem]:
    """For the pilot and the State: the reports in consultation whose deadline has passed, to have approved by the
    conseil communautaire (one query)."""
    if not getattr(user, "is_authenticated", False):
        return []
    reports = (
        AnnualReport.objects.filter(
            status=AnnualReportStatus.CONSULTATION,
            deadline__lt=today,
            contract__roles__user=user,
            contract__roles__role__in=list(can_manage_annual_reports.rule.roles),
        )
        .select_related("contract")
        .order_by("deadline", "pk")
        .distinct()
    )
    return [
        AwaitingItem.on_page(
            report.contract,
            title=f"Faire approuver le rapport annuel {report.year} par le conseil communautaire",
            route="reporting:annual_report_detail",
            route_kwargs={"report_id": report.pk},
            key=f"reporting.annual_report.approve:{report.pk}",
            due=report.deadline,
        )
        for report in reports
    ]

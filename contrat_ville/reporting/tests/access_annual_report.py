"""Rows of the access matrix for the annual report's URLs (see tests/access_rows.py)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from contrat_ville.reporting import annual_report_services as services
from contrat_ville.reporting.annual_report_selectors import commune_choices
from contrat_ville.reporting.enums import DocumentStatus
from contrat_ville.reporting.models import GeneratedDocument
from contrat_ville.territories.models import TerritoryLink
from contrat_ville.territories.tests.factories import TerritoryFactory
from tests.access_rows import CONTRACT_PRIVATE, CONTRACT_PUBLIC, Row, _slug


def _report(world: Any, contract: Any) -> dict[str, Any]:
    return {"contract_slug": contract.slug, "report_id": world.objects[contract.pk]["annual_report"].pk}


def _report_pdf(world: Any, contract: Any) -> dict[str, Any]:
    return {**_report(world, contract), "extension": "pdf"}


def _municipal(world: Any, contract: Any) -> dict[str, Any]:
    objects = world.objects[contract.pk]
    return {**_report(world, contract), "consultation_id": objects["annual_report_municipal"].pk}


def _dsu(world: Any, contract: Any) -> dict[str, Any]:
    objects = world.objects[contract.pk]
    return {**_report(world, contract), "line_id": objects["annual_report_dsu"].pk}


ACCESS_ROWS: dict[str, Row] = {
    "reporting:annual_report_list": Row(CONTRACT_PUBLIC, _slug),
    "reporting:annual_report_create": Row(CONTRACT_PRIVATE, _slug),
    "reporting:annual_report_detail": Row(CONTRACT_PUBLIC, _report),
    "reporting:annual_report_texts": Row(CONTRACT_PRIVATE, _report),
    "reporting:annual_report_dsu_add": Row(CONTRACT_PRIVATE, _report),
    "reporting:annual_report_dsu_delete": Row(CONTRACT_PRIVATE, _dsu, method="post"),
    "reporting:annual_report_submit": Row(CONTRACT_PRIVATE, _report),
    "reporting:annual_report_municipal_opinion": Row(CONTRACT_PRIVATE, _municipal),
    "reporting:annual_report_municipal_file": Row(CONTRACT_PUBLIC, _municipal),
    "reporting:annual_report_approve": Row(CONTRACT_PRIVATE, _report),
    "reporting:annual_report_publish": Row(CONTRACT_PRIVATE, _report, method="post"),
    "reporting:annual_report_file": Row(CONTRACT_PUBLIC, _report_pdf),
}


def access_objects(contract: Any, objects: dict[str, Any]) -> dict[str, Any]:
    """A report of 2025 with a DSU line, sent for opinion to a commune's council which answered with its
    deliberation; on a published contract, the report is approved and published (the public reads only those)."""
    today = timezone.localdate()
    communes = commune_choices(contract=contract)
    if not communes:
        commune = TerritoryFactory.create()
        TerritoryLink.objects.create(parent=contract.epci, child=commune)
        communes = [commune]
    report = services.annual_report_create(contract=contract, year=2025, by=None)
    line = services.dsu_line_add(report=report, commune=communes[0], amount=900000, actions="Médiation.", by=None)
    sent_on = today - datetime.timedelta(days=40)
    services.annual_report_submit(
        report=report,
        sent_on=sent_on,
        deadline=services.earliest_deadline(sent_on),
        communes=communes[:1],
        by=None,
        today=today,
    )
    municipal = report.municipal_consultations.get()
    services.municipal_opinion_record(
        consultation=municipal,
        deliberated_on=today,
        opinion="favourable",
        file=ContentFile(b"%PDF-1.4 deliberation", name="deliberation.pdf"),
        by=None,
        today=today,
    )
    if contract.is_published:
        services.annual_report_approve(report=report, approved_on=today, follow_up="Vu.", by=None, today=today)
        services.annual_report_publish(report=report, by=None, today=today)
    document = GeneratedDocument.objects.create(
        contract=contract, kind="annual_report", year=2025, status=DocumentStatus.DONE, finished_at=timezone.now()
    )
    document.pdf.save("rapport.pdf", ContentFile(b"%PDF-1.7"), save=True)
    return {"annual_report": report, "annual_report_dsu": line, "annual_report_municipal": municipal}

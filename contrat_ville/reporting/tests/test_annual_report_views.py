"""The annual report's pages: the procedure through the web, tenancy, the public's view, query counts."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from contrat_ville.reporting import annual_report_services as services
from contrat_ville.reporting.enums import AnnualReportStatus
from contrat_ville.reporting.tests.annual_report_factories import ACTION_TITLE, YEAR, report_world, submitted
from contrat_ville.reporting.tests.documents_world import docx_text, pdf_pages
from contrat_ville.territories.models import TerritoryLink
from contrat_ville.territories.tests.factories import TerritoryFactory

pytestmark = pytest.mark.django_db


def _url(name: str, world, **kwargs) -> str:
    return reverse(f"reporting:{name}", kwargs={"contract_slug": world.contract.slug, **kwargs})


def _report_url(name: str, world) -> str:
    return _url(name, world, report_id=world.report.pk)


def test_the_pilot_drives_the_procedure_through_the_pages(client):
    world = report_world()
    client.force_login(world.pilot)
    today = timezone.localdate()
    page = client.get(_url("annual_report_list", world))
    assert f"Rapport annuel {YEAR}" in page.content.decode()
    response = client.post(
        _report_url("annual_report_texts", world),
        {
            "introduction": "Un projet partagé.",
            "situation_comment": "",
            "perspectives": "Plus de droit commun.",
            "renewal_text": "",
        },
    )
    assert response.status_code == 302
    response = client.post(
        _report_url("annual_report_dsu_add", world),
        {"commune": world.commune.pk, "amount": "250000", "actions": "Médiation sociale."},
    )
    assert response.status_code == 302
    # A deadline shorter than a month is refused on its field, in French.
    response = client.post(
        _report_url("annual_report_submit", world),
        {
            "sent_on": today.isoformat(),
            "deadline": (today + datetime.timedelta(days=10)).isoformat(),
            "communes": [world.commune.pk],
            "councils": [world.council.pk],
        },
    )
    assert response.status_code == 200
    assert "au moins un mois" in response.content.decode()
    response = client.post(
        _report_url("annual_report_submit", world),
        {
            "sent_on": today.isoformat(),
            "deadline": (today + datetime.timedelta(days=40)).isoformat(),
            "communes": [world.commune.pk],
            "councils": [world.council.pk],
        },
    )
    assert response.status_code == 302
    world.report.refresh_from_db()
    assert world.report.status == AnnualReportStatus.CONSULTATION
    detail = client.get(_report_url("annual_report_detail", world)).content.decode()
    assert "avis attendu" in detail and "Médiation sociale." in detail and "Un projet partagé." in detail
    assert 'data-testid="annual-report-approve"' not in detail  # before the deadline, nobody answered
    municipal = world.report.municipal_consultations.get()
    response = client.post(
        _url("annual_report_municipal_opinion", world, report_id=world.report.pk, consultation_id=municipal.pk),
        {"deliberated_on": today.isoformat(), "opinion": "favourable", "text": ""},
    )
    assert response.status_code == 302
    response = client.post(
        _report_url("annual_report_approve", world), {"approved_on": today.isoformat(), "follow_up": "Vu."}
    )
    assert response.status_code == 200
    assert "s&#x27;approuve après cette date" in response.content.decode()


def test_approve_and_publish_then_the_public_reads_it(client):
    world = report_world()
    world.contract.is_published = True
    world.contract.save(update_fields=["is_published"])
    today = timezone.localdate()
    submitted(world, today=today - datetime.timedelta(days=40))
    # Before publication, the public sees neither the report nor its line.
    assert client.get(_report_url("annual_report_detail", world)).status_code == 404
    assert f"Rapport annuel {YEAR}" not in client.get(_url("annual_report_list", world)).content.decode()
    client.force_login(world.pilot)
    response = client.post(
        _report_url("annual_report_approve", world), {"approved_on": today.isoformat(), "follow_up": "Vu et retenu."}
    )
    assert response.status_code == 302
    detail = client.get(_report_url("annual_report_detail", world)).content.decode()
    assert "avis favorable tacite" in detail
    assert client.post(_report_url("annual_report_publish", world)).status_code == 302
    client.logout()
    public = client.get(_report_url("annual_report_detail", world))
    assert public.status_code == 200
    assert "Vu et retenu." in public.content.decode()
    assert f"Rapport annuel {YEAR}" in client.get(_url("annual_report_list", world)).content.decode()


def test_another_contracts_pilot_gets_404(client):
    world = report_world()
    other = report_world(name="Contrat voisin")
    client.force_login(other.pilot)
    for name in ("annual_report_detail", "annual_report_texts", "annual_report_submit", "annual_report_approve"):
        assert client.get(_report_url(name, world)).status_code == 404, name
    # Nor through its own contract's URL.
    url = reverse(
        "reporting:annual_report_detail", kwargs={"contract_slug": other.contract.slug, "report_id": world.report.pk}
    )
    assert client.get(url).status_code == 404


def test_a_council_member_reads_the_report_but_does_not_write_it(client):
    world = report_world()
    client.force_login(world.resident)
    assert client.get(_report_url("annual_report_detail", world)).status_code == 200
    assert client.get(_report_url("annual_report_texts", world)).status_code == 403


def test_the_council_member_finds_the_opinion_to_give_in_what_awaits_them(client):
    world = report_world()
    submitted(world, today=timezone.localdate())
    client.force_login(world.resident)
    page = client.get(reverse("awaiting")).content.decode()
    assert f"Rapport annuel politique de la ville {YEAR}" in page


@pytest.mark.query_count("reporting:annual_report_list", "reporting:annual_report_detail")
def test_list_and_detail_cost_the_same_queries_whatever_the_data(client, query_count):
    small = report_world(name="Petit contrat")
    large = report_world(name="Grand contrat", size=5)
    today = timezone.localdate()
    submitted(small, today=today)
    communes = [large.commune]
    for index in range(4):
        commune = TerritoryFactory.create(name=f"Commune {index}")
        TerritoryLink.objects.create(parent=large.contract.epci, child=commune)
        communes.append(commune)
    for commune in communes:
        services.dsu_line_add(report=large.report, commune=commune, amount=1000, actions="Actions.", by=None)
    services.annual_report_submit(
        report=large.report,
        sent_on=today,
        deadline=today + datetime.timedelta(days=40),
        communes=communes,
        councils=[large.council],
        by=None,
        today=today,
    )
    for year in range(2019, 2025):
        services.annual_report_create(contract=large.contract, year=year, by=None)
    counts = {}
    for label, world in (("small", small), ("large", large)):
        client.force_login(world.pilot)
        counts[label] = (
            query_count.page(client, _url("annual_report_list", world)),
            query_count.page(client, _report_url("annual_report_detail", world)),
        )
    assert counts["small"] == counts["large"]


def test_the_pilot_produces_the_report_and_the_public_downloads_the_published_one(
    client, django_capture_on_commit_callbacks
):
    world = report_world()
    world.contract.is_published = True
    world.contract.save(update_fields=["is_published"])
    today = timezone.localdate()
    submitted(world, today=today - datetime.timedelta(days=40))
    client.force_login(world.pilot)
    detail = client.get(_report_url("annual_report_detail", world)).content.decode()
    assert "Produire le rapport en DOCX et PDF" in detail
    pdf_url = reverse(
        "reporting:annual_report_file",
        kwargs={"contract_slug": world.contract.slug, "report_id": world.report.pk, "extension": "pdf"},
    )
    assert client.get(pdf_url).status_code == 404  # not produced yet
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reporting:document_generate", kwargs={"contract_slug": world.contract.slug}),
            {"kind": "annual_report", "year": YEAR},
        )
    assert response.status_code == 302
    assert "Télécharger le rapport (PDF)" in client.get(_report_url("annual_report_detail", world)).content.decode()
    pages = pdf_pages(client.get(pdf_url).content)
    whole = " ".join(pages)
    assert "Rapport annuel" in pages[0] and world.contract.name in pages[0]
    assert ACTION_TITLE in whole  # an action of the year's plan
    docx_url = pdf_url.replace("rapport.pdf", "rapport.docx")
    assert "Perspectives" in docx_text(client.get(docx_url).content)
    # Approved and published, the report's files are the public's too.
    services.annual_report_approve(report=world.report, approved_on=today, follow_up="Vu.", by=None, today=today)
    services.annual_report_publish(report=world.report, by=None, today=today)
    client.logout()
    assert client.get(pdf_url).status_code == 200

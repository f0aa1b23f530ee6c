"""Generated documents (issue 12 §2-4, §7): the diagnostic and the contract document say what the data says, in
the DOCX (read back with python-docx) and in the PDF (read back with pypdf); their builders read a fixed number of
queries; generation runs as a task with progress, on the immediate backend and on the database backend with its
worker; the page, the downloads and the API follow the permissions."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks import task_backends

from contrat_ville.accounts.services import api_token_create
from contrat_ville.accounts.tests.factories import UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.reporting.document_contract import build_contract_document
from contrat_ville.reporting.document_diagnostic import build_diagnostic
from contrat_ville.reporting.enums import DocumentStatus
from contrat_ville.reporting.models import GeneratedDocument
from contrat_ville.reporting.outline import DocumentKind, Image, document_kinds
from contrat_ville.reporting.rendering import outline_to_docx, outline_to_pdf
from contrat_ville.reporting.services import document_request
from contrat_ville.reporting.tests.documents_world import (
    COMMITMENT_TITLE,
    FINDING_TEXT,
    MAINSTREAM_POLICY,
    OPINION_TEXT,
    QPV_NAME,
    SIGNATORY,
    documents_world,
    docx_headings,
    docx_text,
    pdf_pages,
)
from contrat_ville.reporting.tests.evaluation_factories import make_evaluation, make_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return documents_world()


def url(name: str, contract, **kwargs) -> str:
    return reverse(f"reporting:{name}", kwargs={"contract_slug": contract.slug, **kwargs})


def test_the_contract_document_says_what_the_data_says_in_docx_and_pdf(world):
    outline = build_contract_document(world.contract, 2025)
    assert outline.titles()[:4] == ["Signataires", "Portrait du territoire", "Gouvernance", "Comité de pilotage"]
    assert "Plan d'actions 2025" in outline.titles()
    docx, pdf = outline_to_docx(outline), outline_to_pdf(outline)

    text = docx_text(docx)
    for expected in (
        SIGNATORY,
        QPV_NAME,
        COMMITMENT_TITLE,
        "48 250 €",  # the commitment's 2025 amount, in the financial annex
        "98 250 €",  # its two years together, in the partner's table
        "60,0 (2030)",  # the objective's target and its year
        "120,0 (2022)",  # its baseline
        "Préfecture du département (La préfète)",  # the steering committee's co-chair
        "Action 1",
        "programme 147",  # the specific credits, by programme
    ):
        assert expected in text, expected
    headings = docx_headings(docx)
    assert ("Title", "Contrat de ville") in headings
    assert ("Heading 1", "Annexe 1 — Annexe financière") in headings
    assert ("Heading 1", "Annexe 2 — Quartiers prioritaires") in headings
    assert ("Heading 2", "Éducation nationale") in headings  # the partner's commitments, under its name

    pages = pdf_pages(pdf)
    whole = " ".join(pages)
    assert "Contrat de ville" in pages[0] and world.contract.name in pages[0]
    assert "Sommaire" in pages[1] and "Annexe 1 — Annexe financière" in pages[1]
    for expected in (
        SIGNATORY,
        QPV_NAME,
        COMMITMENT_TITLE,
        "48 250 €",
        "60,0 (2030)",
        "Annexe 2 — Quartiers prioritaires",
    ):
        assert expected in whole, expected
    assert f"Page 2 / {len(pages)}" in pages[1]


def test_the_map_is_an_image_with_its_text_alternative(world):
    outline = build_contract_document(world.contract, 2025)
    annex = outline.annexes[1]
    image = annex.blocks[-1]
    assert isinstance(image, Image)
    assert image.png.startswith(b"\x89PNG")
    assert QPV_NAME in image.alternative and world.qpv.code in image.alternative
    docx = outline_to_docx(outline)
    assert image.alternative.encode() in _docx_part(docx, "word/document.xml")


def _docx_part(docx: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return archive.read(name)


def test_the_docx_is_in_french_with_numbered_pages_and_a_table_of_contents(world):
    docx = outline_to_docx(build_contract_document(world.contract, None))
    assert b'w:val="fr-FR"' in _docx_part(docx, "word/styles.xml")
    document = _docx_part(docx, "word/document.xml")
    assert b"TOC \\o" in document
    assert b"PAGE" in _docx_part(docx, "word/footer1.xml")


def test_the_diagnostic_says_what_the_data_says(world):
    outline = build_diagnostic(world.contract, None)
    assert outline.titles()[:3] == [
        "Le diagnostic en bref",
        "Recensement des données",
        "État des lieux : atouts et difficultés",
    ]
    text = docx_text(outline_to_docx(outline))
    for expected in (
        "Recensement 0",  # the data source
        FINDING_TEXT,
        "31,4 %",  # the figure the finding cites
        QPV_NAME,
        "Réussite éducative 1",
        f"Éducation nationale : {MAINSTREAM_POLICY}",
        OPINION_TEXT,
        "Conseil citoyen des Tilleuls",
    ):
        assert expected in text, expected
    whole = " ".join(pdf_pages(outline_to_pdf(outline)))
    assert FINDING_TEXT in whole and OPINION_TEXT in whole and "31,4 %" in whole


def test_text_is_escaped_in_the_pdf():
    from contrat_ville.reporting.outline import Outline, Paragraph
    from contrat_ville.reporting.rendering import outline_html

    outline = Outline("Titre <b>gras</b>")
    outline.section("Section").add(Paragraph("<script>alert(1)</script> & co"))
    html = outline_html(outline)
    assert "<script>alert" not in html and "&lt;script&gt;" in html and "Titre &lt;b&gt;" in html


@pytest.mark.parametrize("build", [build_contract_document, build_diagnostic])
def test_the_builders_read_a_fixed_number_of_queries(build):
    small = documents_world(name="Petit contrat", size=1)
    large = documents_world(name="Grand contrat", size=4)
    counts = []
    for world in (small, large):
        with CaptureQueriesContext(connection) as queries:
            build(world.contract, 2025)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_generation_through_the_page_runs_the_task_and_offers_the_files(
    world, client, django_capture_on_commit_callbacks
):
    client.force_login(world.pilot)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("document_generate", world.contract), {"kind": "contract", "year": "2025"})
    assert response.status_code == 302
    document = GeneratedDocument.objects.get()
    assert (document.status, document.progress, document.step, document.year) == (
        DocumentStatus.DONE,
        100,
        "Terminé",
        2025,
    )
    assert document.requested_by == world.pilot and document.duration is not None
    assert document.docx.name.startswith(f"reporting/contracts/{world.contract.pk}/contract/contrat-de-ville-2025-")
    page = client.get(url("document_list", world.contract)).content.decode()
    assert "Prêt" in page and url("document_pdf", world.contract, document_id=document.pk) in page
    assert 'hx-trigger="every 1s"' not in page  # nothing runs: no polling
    pdf = client.get(url("document_pdf", world.contract, document_id=document.pk))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert SIGNATORY in " ".join(pdf_pages(b"".join(pdf.streaming_content if pdf.streaming else [pdf.content])))
    docx = client.get(url("document_docx", world.contract, document_id=document.pk))
    assert docx.status_code == 200 and COMMITMENT_TITLE in docx_text(docx.content)


def test_a_queued_document_shows_its_progress_and_polls(world, client):
    document = GeneratedDocument.objects.create(
        contract=world.contract,
        kind="contract",
        year=2025,
        status=DocumentStatus.RUNNING,
        progress=55,
        step="Mise en page du PDF",
    )
    client.force_login(world.council_member)
    page = client.get(url("document_list", world.contract)).content.decode()
    assert 'hx-trigger="every 1s"' in page and "Mise en page du PDF — 55 %" in page and "Actualiser" in page
    fragment = client.get(
        url("document_status", world.contract, document_id=document.pk), headers={"HX-Request": "true"}
    )
    assert fragment.content.decode().lstrip().startswith('<div id="document-') and "55 %" in fragment.content.decode()


def test_a_document_no_worker_took_stops_polling(world, client):
    document = GeneratedDocument.objects.create(contract=world.contract, kind="diagnostic")
    GeneratedDocument.objects.filter(pk=document.pk).update(requested_at=timezone.now() - timedelta(hours=1))
    client.force_login(world.pilot)
    page = client.get(url("document_list", world.contract)).content.decode()
    assert 'hx-trigger="every 1s"' not in page and "n'a pas traité ce document" in page


def test_a_yearly_document_needs_the_year_of_a_plan(world, client):
    client.force_login(world.pilot)
    response = client.post(url("document_generate", world.contract), {"kind": "contract", "year": "2019"}, follow=True)
    assert "Choisissez un document" in response.content.decode()
    assert not GeneratedDocument.objects.exists()
    with pytest.raises(Exception, match="Aucun plan d'actions pour 2019"):
        document_request(contract=world.contract, kind="contract", year=2019, by=None)


def test_a_failure_is_recorded_in_french(world, monkeypatch, django_capture_on_commit_callbacks):
    def broken(contract, year):
        raise RuntimeError("boom")

    monkeypatch.setitem(document_kinds, "contract", DocumentKind("contract", "Contrat de ville", broken, yearly=True))
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(contract=world.contract, kind="contract", year=2025, by=None)
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert document.error.startswith("La production du document a échoué.") and "boom" not in document.error


def test_the_database_backend_queues_and_the_worker_builds(world, django_capture_on_commit_callbacks, monkeypatch):
    # The worker closes « old » connections between tasks; inside the test's transaction PostgreSQL's connection
    # counts as one (autocommit off) and would be closed under the test. The worker's own loop runs unchanged.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        task_backends._settings = None  # the backends follow the settings (django-tasks caches them)
        try:
            with django_capture_on_commit_callbacks(execute=True):
                document = document_request(contract=world.contract, kind="diagnostic", year=None, by=world.pilot)
            document.refresh_from_db()
            assert document.status == DocumentStatus.QUEUED  # the request only queued it
            call_command("db_worker", batch=True, startup_delay=False, reload=False)
        finally:
            task_backends._settings = None
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE and document.pdf and document.docx


def test_who_may_generate_and_download(world):
    outsider = UserFactory.create()
    grant(make_contract(name="Autre contrat"), outsider, Role.PILOT)
    document = GeneratedDocument.objects.create(contract=world.contract, kind="contract", status=DocumentStatus.DONE)
    document.pdf.save("contrat.pdf", ContentFile(b"%PDF"))

    def status(user, method, name, **kwargs):
        client = Client()
        if user is not None:
            client.force_login(user)
        target = url(name, world.contract, **kwargs)
        return (client.post(target, {"kind": "diagnostic"}) if method == "post" else client.get(target)).status_code

    assert status(outsider, "get", "document_list") == 404
    assert status(outsider, "get", "document_pdf", document_id=document.pk) == 404
    assert status(world.council_member, "get", "document_pdf", document_id=document.pk) == 200
    assert status(world.council_member, "get", "document_list") == 200
    assert status(world.partner, "post", "document_generate") == 403
    assert status(world.council_member, "post", "document_generate") == 403
    assert not GeneratedDocument.objects.filter(kind="diagnostic").exists()


def test_the_page_offers_the_form_to_the_pilot_only(world, client):
    client.force_login(world.partner)
    assert (
        'data-testid="document-form-contract"' not in client.get(url("document_list", world.contract)).content.decode()
    )
    client.force_login(world.pilot)
    page = client.get(url("document_list", world.contract)).content.decode()
    assert 'data-testid="document-form-contract"' in page and '<option value="2025">2025</option>' in page


@pytest.mark.query_count("reporting:document_list", "reporting:document_status")
def test_the_documents_pages_read_a_fixed_number_of_queries(world, client, query_count):
    client.force_login(world.pilot)
    first = GeneratedDocument.objects.create(
        contract=world.contract, kind="contract", year=2025, requested_by=world.pilot
    )
    few = query_count.page(client, url("document_list", world.contract))
    one = query_count.page(client, url("document_status", world.contract, document_id=first.pk))
    for _ in range(6):
        GeneratedDocument.objects.create(
            contract=world.contract, kind="diagnostic", requested_by=world.pilot, status=DocumentStatus.DONE
        )
    assert query_count.page(client, url("document_list", world.contract)) == few
    assert query_count.page(client, url("document_status", world.contract, document_id=first.pk)) == one


def test_the_api_lists_and_requests_documents(world, django_capture_on_commit_callbacks):
    base = f"/api/v1/contracts/{world.contract.pk}/reports"
    pilot = {"Authorization": f"Bearer {api_token_create(user=world.pilot)[1]}"}
    partner = {"Authorization": f"Bearer {api_token_create(user=world.partner)[1]}"}
    outsider_user = UserFactory.create()
    grant(make_contract(name="Autre contrat"), outsider_user, Role.PILOT)
    outsider = {"Authorization": f"Bearer {api_token_create(user=outsider_user)[1]}"}
    assert Client().get(base).status_code == 401
    assert Client().get(base, headers=outsider).status_code == 404
    refused = Client().post(base, {"kind": "diagnostic"}, content_type="application/json", headers=partner)
    assert refused.status_code == 403
    wrong_year = Client().post(
        base, {"kind": "contract", "year": 2019}, content_type="application/json", headers=pilot
    )
    assert wrong_year.status_code == 422 and "2019" in wrong_year.json()["detail"]
    with django_capture_on_commit_callbacks(execute=True):
        created = Client().post(base, {"kind": "contract"}, content_type="application/json", headers=pilot)
    assert created.status_code == 201
    assert created.json()["year"] == 2025 and created.json()["status"] == "queued"
    listed = Client().get(base, headers=partner).json()
    assert [(item["kind"], item["status"], item["progress"]) for item in listed] == [("contract", "done", 100)]
    assert listed[0]["pdf_url"].endswith(f"/documents/{listed[0]['id']}/pdf/")


def test_the_contract_document_tells_the_evaluations_and_their_questions(world):
    evaluation = make_evaluation(world.contract, title="Évaluation à mi-parcours 2027")
    make_question(evaluation, text="Les jeunes des quartiers accèdent-ils mieux aux droits ?")
    outline = build_contract_document(world.contract, 2025)
    assert "Modalités de suivi et d'évaluation" in outline.titles()
    text = docx_text(outline_to_docx(outline))
    assert "Évaluation à mi-parcours 2027" in text
    assert "Les jeunes des quartiers accèdent-ils mieux aux droits ?" in text

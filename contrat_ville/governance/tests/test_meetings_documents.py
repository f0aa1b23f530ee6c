import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.urls import reverse
from docx import Document

from contrat_ville.governance import documents
from contrat_ville.governance.enums import AttendanceStatus, Verdict
from contrat_ville.governance.models import Decision
from contrat_ville.governance.services import meetings as services
from contrat_ville.governance.tests.factories_meetings import meeting_world, schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return meeting_world()


@pytest.fixture
def held_meeting(world):
    meeting = schedule(
        world.body,
        days=-2,
        title="Première séance du comité de pilotage",
        agenda=[("Installation du comité", "Tour de table"), ("Validation des orientations stratégiques", "")],
        video_url="https://visio.exemple.fr/copil",
    )
    services.attendance_record(
        meeting=meeting,
        entries={
            world.seat_state.pk: (AttendanceStatus.PRESENT, ""),
            world.seat_partner.pk: (AttendanceStatus.REPRESENTED, "Adjoint de direction"),
        },
        by=world.pilot,
    )
    services.minutes_save(
        meeting=meeting,
        html=(
            "<h2>Ouverture</h2><p>Le <strong>sous-préfet</strong> ouvre la séance.</p>"
            "<ul><li>Point sur le diagnostic</li><li>Calendrier</li></ul>"
            "<table><tr><th>Pilier</th><th>Pilote</th></tr><tr><td>Cohésion sociale</td><td>DDETS</td></tr></table>"
        ),
        by=world.pilot,
    )
    Decision.objects.create(
        contract=world.contract,
        meeting=meeting,
        verdict=Verdict.VALIDATED_WITH_AMENDMENTS,
        target_label="Orientations stratégiques",
        text="Le comité valide les orientations, sous réserve d'amendements.",
    )
    return meeting


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def pdf_text(content: bytes) -> str | None:
    """The PDF's text through poppler's pdftotext, or None when it is not installed."""
    if shutil.which("pdftotext") is None:
        return None
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "document.pdf"
        path.write_bytes(content)
        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout


def test_convocation_docx_opens_and_contains_the_agenda(held_meeting):
    text = docx_text(documents.convocation_docx(held_meeting))

    assert "Convocation" in text
    assert "Comité de pilotage" in text
    assert "Installation du comité" in text
    assert "Validation des orientations stratégiques" in text
    assert "https://visio.exemple.fr/copil" in text
    assert "Préfecture de Valmont" in text


def test_minutes_docx_contains_attendance_minutes_and_decisions(held_meeting):
    text = docx_text(documents.minutes_docx(held_meeting))

    assert "Installation du comité" in text
    assert "Présents (1)" in text
    assert "Représentés (1)" in text and "représenté par Adjoint de direction" in text
    assert "Ouverture" in text and "Le sous-préfet ouvre la séance." in text
    assert "Point sur le diagnostic" in text
    assert "Cohésion sociale" in text
    assert "Validé avec amendements" in text and "Orientations stratégiques" in text


def test_minutes_blocks_keep_structure():
    blocks = documents.minutes_blocks("<h3>Titre</h3><p>Un <em>mot</em> en italique</p><ol><li>Premier</li></ol>")

    assert [(block.kind, block.text) for block in blocks] == [
        ("h3", "Titre"),
        ("p", "Un mot en italique"),
        ("ol", "Premier"),
    ]
    assert blocks[1].runs[1].italic


def test_convocation_pdf_is_a_pdf(held_meeting):
    content = documents.convocation_pdf(held_meeting)

    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    if text is not None:
        assert "Installation du comité" in text


def test_minutes_pdf_is_a_pdf(held_meeting):
    content = documents.minutes_pdf(held_meeting)

    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    if text is not None:
        assert "sous-préfet" in text


@pytest.mark.parametrize(
    ("name", "content_type", "magic"),
    [
        ("meeting_convocation_docx", documents.DOCX_CONTENT_TYPE, b"PK"),
        ("meeting_convocation_pdf", documents.PDF_CONTENT_TYPE, b"%PDF"),
        ("meeting_minutes_docx", documents.DOCX_CONTENT_TYPE, b"PK"),
        ("meeting_minutes_pdf", documents.PDF_CONTENT_TYPE, b"%PDF"),
    ],
)
def test_downloads_for_the_pilot(client, world, held_meeting, name, content_type, magic):
    client.force_login(world.pilot)
    url = reverse(f"governance:{name}", kwargs={"contract_slug": world.contract.slug, "meeting_id": held_meeting.pk})

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert response.content.startswith(magic)


@pytest.mark.parametrize(
    "name", ["meeting_convocation_docx", "meeting_convocation_pdf", "meeting_minutes_docx", "meeting_minutes_pdf"]
)
def test_downloads_are_404_for_the_pilot_of_another_contract(client, world, held_meeting, name):
    client.force_login(world.other_pilot)

    for slug in (world.contract.slug, world.other_contract.slug):
        url = reverse(f"governance:{name}", kwargs={"contract_slug": slug, "meeting_id": held_meeting.pk})
        assert client.get(url).status_code == 404


def test_minutes_downloads_wait_for_publication_for_members(client, world, held_meeting):
    client.force_login(world.partner_member)
    kwargs = {"contract_slug": world.contract.slug, "meeting_id": held_meeting.pk}

    assert client.get(reverse("governance:meeting_convocation_docx", kwargs=kwargs)).status_code == 200
    assert client.get(reverse("governance:meeting_minutes_docx", kwargs=kwargs)).status_code == 404

    services.minutes_publish(meeting=held_meeting, by=world.pilot)
    assert client.get(reverse("governance:meeting_minutes_docx", kwargs=kwargs)).status_code == 200

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.governance.enums import AttendanceStatus, MeetingStatus
from contrat_ville.governance.selectors.meetings import datetime_fr, meetings_visible_to
from contrat_ville.governance.services import meetings as services
from contrat_ville.governance.tests.factories_meetings import MeetingBodyMemberFactory, meeting_world, schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return meeting_world()


def test_meeting_schedule_invites_every_member_of_the_body(world):
    meeting = schedule(world.body, agenda=[("Installation", "Tour de table"), ("  ", ""), ("Calendrier", "")])

    assert meeting.status == MeetingStatus.PLANNED
    assert set(meeting.attendances.values_list("member_id", "status")) == {
        (world.seat_state.pk, AttendanceStatus.INVITED),
        (world.seat_partner.pk, AttendanceStatus.INVITED),
    }
    assert list(meeting.agenda_items.values_list("order", "title", "description")) == [
        (1, "Installation", "Tour de table"),
        (2, "Calendrier", ""),
    ]


def test_meeting_schedule_needs_a_place_or_a_video_link(world):
    with pytest.raises(BusinessRuleError, match="lieu ou un lien"):
        schedule(world.body, location="", video_url="")

    meeting = schedule(world.body, location="", video_url="https://visio.exemple.fr/copil")
    assert meeting.video_url == "https://visio.exemple.fr/copil"


def test_meeting_schedule_needs_a_start_and_an_end_after_it(world):
    with pytest.raises(BusinessRuleError, match="début"):
        services.meeting_schedule(body=world.body, title="Séance", starts_at=None, location="Mairie", by=None)
    starts_at = timezone.now() + datetime.timedelta(days=3)
    with pytest.raises(BusinessRuleError, match="fin"):
        schedule(world.body, starts_at=starts_at, ends_at=starts_at - datetime.timedelta(hours=1))


def test_meeting_update_replaces_the_agenda_and_invites_new_members(world):
    meeting = schedule(world.body, agenda=[("Installation", "Tour de table")])
    newcomer = MeetingBodyMemberFactory(body=world.body)

    services.meeting_update(
        meeting=meeting,
        title="Séance d'installation du comité",
        starts_at=meeting.starts_at,
        location="Mairie",
        agenda=[("Installation", ""), ("Questions diverses", "")],
        by=world.pilot,
    )

    assert list(meeting.agenda_items.values_list("title", "description")) == [
        ("Installation", "Tour de table"),
        ("Questions diverses", ""),
    ]
    assert meeting.attendances.filter(member_id=newcomer.pk).exists()


def test_meeting_convene_sets_the_date_and_status(world):
    meeting = schedule(world.body)

    services.meeting_convene(meeting=meeting, by=world.pilot)

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CONVENED
    assert meeting.convened_at is not None


def test_a_cancelled_meeting_cannot_be_convened(world):
    meeting = schedule(world.body)
    services.meeting_cancel(meeting=meeting, by=world.pilot)

    with pytest.raises(BusinessRuleError, match="annulée"):
        services.meeting_convene(meeting=meeting, by=world.pilot)


def test_a_held_meeting_cannot_be_convened_nor_cancelled(world):
    meeting = schedule(world.body, days=-1)
    services.attendance_record(
        meeting=meeting, entries={world.seat_state.pk: (AttendanceStatus.PRESENT, "")}, by=world.pilot
    )

    with pytest.raises(BusinessRuleError, match="tenue"):
        services.meeting_convene(meeting=meeting, by=world.pilot)
    with pytest.raises(BusinessRuleError, match="tenue"):
        services.meeting_cancel(meeting=meeting, by=world.pilot)


def test_attendance_record_marks_the_meeting_held(world):
    meeting = schedule(world.body, days=-1)

    services.attendance_record(
        meeting=meeting,
        entries={
            world.seat_state.pk: (AttendanceStatus.PRESENT, "ignoré"),
            world.seat_partner.pk: (AttendanceStatus.REPRESENTED, "Adjoint de direction"),
        },
        by=world.pilot,
    )

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert dict(meeting.attendances.values_list("member_id", "represented_by")) == {
        world.seat_state.pk: "",
        world.seat_partner.pk: "Adjoint de direction",
    }


def test_attendance_represented_needs_a_representative(world):
    meeting = schedule(world.body, days=-1)

    with pytest.raises(BusinessRuleError, match="représente"):
        services.attendance_record(
            meeting=meeting, entries={world.seat_partner.pk: (AttendanceStatus.REPRESENTED, " ")}, by=world.pilot
        )


def test_attendance_only_for_invited_members(world):
    meeting = schedule(world.body, days=-1)
    latecomer = MeetingBodyMemberFactory(body=world.body)

    with pytest.raises(BusinessRuleError, match="invités"):
        services.attendance_record(
            meeting=meeting, entries={latecomer.pk: (AttendanceStatus.PRESENT, "")}, by=world.pilot
        )


def test_attendance_of_a_future_meeting_is_refused(world):
    meeting = schedule(world.body, days=2)

    with pytest.raises(BusinessRuleError, match="pas encore eu lieu"):
        services.attendance_record(
            meeting=meeting, entries={world.seat_state.pk: (AttendanceStatus.PRESENT, "")}, by=world.pilot
        )


def test_meeting_mark_held_needs_recorded_attendance(world):
    meeting = schedule(world.body, days=-1)

    with pytest.raises(BusinessRuleError, match="présences"):
        services.meeting_mark_held(meeting=meeting, by=world.pilot)


def test_minutes_save_removes_scripts_and_event_attributes(world):
    meeting = schedule(world.body, days=-1)

    services.minutes_save(
        meeting=meeting,
        html=(
            '<h2 onclick="alert(1)">Ouverture</h2><script>alert("x")</script>'
            '<p style="color:red">Le <strong>préfet</strong> ouvre la séance. <img src=x onerror=alert(2)></p>'
            '<ul><li><a href="https://exemple.fr" onmouseover="x()">Lien</a></li>'
            '<li><a href="javascript:alert(3)">Piège</a></li></ul><iframe src="https://x"></iframe>'
        ),
        by=world.pilot,
    )

    minutes = meeting.minutes
    assert "<script" not in minutes and 'alert("x")' not in minutes
    assert "onclick" not in minutes and "onmouseover" not in minutes and "onerror" not in minutes
    assert "style=" not in minutes and "<img" not in minutes and "<iframe" not in minutes
    assert "javascript:" not in minutes
    assert "<h2>Ouverture</h2>" in minutes
    assert "<strong>préfet</strong>" in minutes
    assert 'href="https://exemple.fr"' in minutes


def test_minutes_save_turns_plain_text_lines_into_paragraphs(world):
    meeting = schedule(world.body, days=-1)

    services.minutes_save(meeting=meeting, html="Ouverture à 14 h.\n\nLe quorum est atteint & validé.", by=None)

    assert meeting.minutes == "<p>Ouverture à 14 h.</p>\n<p>Le quorum est atteint &amp; validé.</p>"


def test_minutes_publish_needs_a_held_meeting_with_minutes(world):
    meeting = schedule(world.body, days=-1)
    services.minutes_save(meeting=meeting, html="Compte rendu", by=world.pilot)
    with pytest.raises(BusinessRuleError, match="tenue"):
        services.minutes_publish(meeting=meeting, by=world.pilot)

    services.attendance_record(
        meeting=meeting, entries={world.seat_state.pk: (AttendanceStatus.PRESENT, "")}, by=world.pilot
    )
    services.minutes_publish(meeting=meeting, by=world.pilot)

    meeting.refresh_from_db()
    assert meeting.minutes_published


def test_attachment_add_accepts_a_pdf(world):
    meeting = schedule(world.body)

    attachment = services.attachment_add(
        meeting=meeting,
        title="",
        file=SimpleUploadedFile("diagnostic.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
        by=world.pilot,
    )

    assert attachment.title == "diagnostic"
    assert meeting.attachments.count() == 1
    services.attachment_remove(attachment=attachment, by=world.pilot)
    assert meeting.attachments.count() == 0


@pytest.mark.parametrize("name", ["programme.exe", "note.html", "script.js", "sans-extension"])
def test_attachment_add_refuses_other_types(world, name):
    meeting = schedule(world.body)

    with pytest.raises(BusinessRuleError, match="type de fichier n'est pas accepté"):
        services.attachment_add(
            meeting=meeting, title="Pièce", file=SimpleUploadedFile(name, b"contenu"), by=world.pilot
        )


def test_attachment_add_refuses_files_over_10_mo(world):
    meeting = schedule(world.body)
    big = SimpleUploadedFile("annexe.pdf", b"0" * (10 * 1024 * 1024 + 1), content_type="application/pdf")

    with pytest.raises(BusinessRuleError, match="10 Mo"):
        services.attachment_add(meeting=meeting, title="Annexe", file=big, by=world.pilot)


def test_meetings_visible_to_partners_of_the_body_only(world):
    meeting = schedule(world.body)
    from contrat_ville.contracts.selectors import contract_access

    def visible(user):
        access = contract_access(user=user, slug=world.contract.slug, private=True)
        return list(meetings_visible_to(access=access, user=user, contract=world.contract))

    assert visible(world.pilot) == [meeting]
    assert visible(world.partner_member) == [meeting]
    assert visible(world.partner_outsider) == []


def test_datetime_fr_writes_the_date_the_french_way():
    value = datetime.datetime(2026, 3, 12, 13, 30, tzinfo=datetime.UTC)  # 14 h 30 in Paris

    assert datetime_fr(value) == "jeudi 12 mars 2026 à 14 h 30"


def test_meeting_convene_emails_the_convocation_with_its_pdf_to_invited_members(mailoutbox):
    world = meeting_world()
    world.seat_partner.person_email = "directrice@exemple.test"
    world.seat_partner.save()
    meeting = schedule(world.body, days=7)
    services.meeting_convene(meeting=meeting, by=world.pilot)
    assert [message.to for message in mailoutbox] == [["directrice@exemple.test"]]
    message = mailoutbox[0]
    assert meeting.title in message.subject
    assert "Ordre du jour" in message.body
    _name, content, mimetype = message.attachments[0]
    assert mimetype == "application/pdf"
    assert content[:4] == b"%PDF"


def _macro_docx() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("programme.pdf", b"MZ\x90\x00" + b"\x00" * 60, "c'est un programme Windows"),
        ("compte-rendu.docx", None, "il contient des macros (vbaProject.bin)"),
    ],
)
def test_attachment_add_refuses_executable_content_and_stores_nothing(world, name, content, reason):
    """core.uploads: a program renamed .pdf, a Word file with macros; no attachment row, no file."""
    from django.core.files.storage import default_storage

    meeting = schedule(world.body)
    file = SimpleUploadedFile(name, content if content is not None else _macro_docx())
    with pytest.raises(BusinessRuleError, match=re.escape(f"Le fichier « {name} » est refusé : {reason}.")):
        services.attachment_add(meeting=meeting, title="Pièce", file=file, by=world.pilot)
    assert meeting.attachments.count() == 0
    assert not default_storage.exists(f"governance/meetings/{timezone.localdate():%Y}/{name}")

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from contrat_ville.governance.enums import AttendanceStatus, MeetingStatus
from contrat_ville.governance.models import Meeting
from contrat_ville.governance.services import meetings as services
from contrat_ville.governance.tests.factories_meetings import MeetingBodyMemberFactory, meeting_world, schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return meeting_world()


def url(name, world, **kwargs):
    return reverse(f"governance:{name}", kwargs={"contract_slug": world.contract.slug, **kwargs})


def test_schedule_a_meeting_through_the_form_then_see_it_on_the_calendar(client, world):
    client.force_login(world.pilot)
    starts_at = (timezone.localtime() + datetime.timedelta(days=40)).replace(hour=14, minute=30)

    response = client.post(
        url("meeting_create", world, body_id=world.body.pk),
        {
            "title": "Comité de pilotage de lancement",
            "starts_at": starts_at.strftime("%Y-%m-%dT%H:%M"),
            "location": "Hôtel de communauté",
            "agenda": "Installation du comité\n\nCalendrier d'élaboration\n",
        },
    )

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("meeting_detail", world, meeting_id=meeting.pk)
    assert list(meeting.agenda_items.values_list("title", flat=True)) == [
        "Installation du comité",
        "Calendrier d'élaboration",
    ]
    assert meeting.attendances.count() == 2

    month = client.get(url("meeting_calendar", world), {"mois": starts_at.strftime("%Y-%m")})
    assert month.status_code == 200
    assert "Comité de pilotage de lancement" in month.content.decode()
    assert "14h30" in month.content.decode()

    listing = client.get(url("meeting_calendar", world), {"vue": "liste"})
    assert "Comité de pilotage de lancement" in listing.content.decode()
    assert listing.context["listing"].upcoming == [meeting]

    other_month = client.get(url("meeting_calendar", world), {"mois": "2001-01"})
    assert "Comité de pilotage de lancement" not in other_month.content.decode()


def test_meeting_create_shows_the_business_rule_error(client, world):
    client.force_login(world.pilot)

    response = client.post(
        url("meeting_create", world, body_id=world.body.pk),
        {"title": "Séance", "starts_at": "2030-03-12T14:30", "agenda": "Point"},
    )

    assert response.status_code == 200
    assert "Indiquez un lieu ou un lien de visioconférence." in response.content.decode()
    assert not Meeting.objects.exists()


def test_calendar_month_defaults_to_the_current_month_and_links_to_neighbours(client, world):
    client.force_login(world.pilot)

    response = client.get(url("meeting_calendar", world), {"mois": "2026-11"})

    content = response.content.decode()
    assert "Séances de novembre 2026" in content
    assert "?mois=2026-10" in content and "?mois=2026-12" in content
    assert client.get(url("meeting_calendar", world), {"mois": "n'importe quoi"}).status_code == 200


def test_record_attendance_through_the_form(client, world):
    meeting = schedule(world.body, days=-1)
    client.force_login(world.state)
    page = client.get(url("meeting_attendance", world, meeting_id=meeting.pk))
    assert page.status_code == 200
    assert f"status_{world.seat_partner.pk}" in page.content.decode()

    response = client.post(
        url("meeting_attendance", world, meeting_id=meeting.pk),
        {
            f"status_{world.seat_state.pk}": AttendanceStatus.PRESENT,
            f"represented_by_{world.seat_state.pk}": "",
            f"status_{world.seat_partner.pk}": AttendanceStatus.REPRESENTED,
            f"represented_by_{world.seat_partner.pk}": "Adjoint de direction",
        },
    )

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert meeting.attendances.get(member=world.seat_partner).represented_by == "Adjoint de direction"


def test_record_attendance_shows_a_missing_representative(client, world):
    meeting = schedule(world.body, days=-1)
    client.force_login(world.pilot)

    response = client.post(
        url("meeting_attendance", world, meeting_id=meeting.pk),
        {
            f"status_{world.seat_state.pk}": AttendanceStatus.PRESENT,
            f"status_{world.seat_partner.pk}": AttendanceStatus.REPRESENTED,
        },
    )

    assert response.status_code == 200
    assert "Indiquez qui représente" in response.content.decode()


def test_write_and_publish_minutes(client, world):
    meeting = schedule(world.body, days=-1)
    services.attendance_record(
        meeting=meeting, entries={world.seat_state.pk: (AttendanceStatus.PRESENT, "")}, by=world.pilot
    )
    client.force_login(world.pilot)

    response = client.post(
        url("meeting_minutes", world, meeting_id=meeting.pk),
        {"minutes": "Ouverture de la séance.\n<script>alert(1)</script>", "publish": "on"},
    )

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes_published
    assert "<script" not in meeting.minutes
    detail = client.get(url("meeting_detail", world, meeting_id=meeting.pk)).content.decode()
    assert "Ouverture de la séance." in detail


def test_convene_and_cancel_by_post(client, world):
    meeting = schedule(world.body)
    client.force_login(world.pilot)

    assert client.get(url("meeting_convene", world, meeting_id=meeting.pk)).status_code == 405
    client.post(url("meeting_convene", world, meeting_id=meeting.pk))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CONVENED

    client.post(url("meeting_cancel", world, meeting_id=meeting.pk))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    response = client.post(url("meeting_convene", world, meeting_id=meeting.pk), follow=True)
    assert "Cette séance est annulée." in response.content.decode()


def test_update_a_meeting(client, world):
    meeting = schedule(world.body)
    client.force_login(world.pilot)
    form_page = client.get(url("meeting_update", world, meeting_id=meeting.pk))
    assert "Installation du comité" in form_page.content.decode()

    response = client.post(
        url("meeting_update", world, meeting_id=meeting.pk),
        {
            "title": "Séance reportée",
            "starts_at": "2031-01-15T09:00",
            "video_url": "https://visio.exemple.fr/copil",
            "agenda": "Installation du comité",
        },
    )

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Séance reportée"
    assert timezone.localtime(meeting.starts_at).hour == 9


def test_attachments_add_download_remove(client, world):
    meeting = schedule(world.body)
    client.force_login(world.pilot)

    refused = client.post(
        url("meeting_attachment_add", world, meeting_id=meeting.pk),
        {"title": "Programme", "file": SimpleUploadedFile("programme.exe", b"MZ")},
    )
    assert "Ce type de fichier" in refused.content.decode()

    client.post(
        url("meeting_attachment_add", world, meeting_id=meeting.pk),
        {"title": "Diagnostic", "file": SimpleUploadedFile("diagnostic.pdf", b"%PDF-1.4 test")},
    )
    attachment = meeting.attachments.get()
    download = client.get(
        url("meeting_attachment_download", world, meeting_id=meeting.pk, attachment_id=attachment.pk)
    )
    assert download.status_code == 200
    assert download.content == b"%PDF-1.4 test"
    assert download["Content-Disposition"].startswith("attachment;")

    client.force_login(world.partner_outsider)
    assert (
        client.get(
            url("meeting_attachment_download", world, meeting_id=meeting.pk, attachment_id=attachment.pk)
        ).status_code
        == 404
    )

    client.force_login(world.pilot)
    client.post(url("meeting_attachment_remove", world, meeting_id=meeting.pk, attachment_id=attachment.pk))
    assert not meeting.attachments.exists()


# --- permissions ----------------------------------------------------------------------------------------


def test_partner_not_member_of_the_body_gets_404(client, world):
    meeting = schedule(world.body)
    client.force_login(world.partner_outsider)

    assert client.get(url("meeting_detail", world, meeting_id=meeting.pk)).status_code == 404
    calendar = client.get(url("meeting_calendar", world), {"vue": "liste"})
    assert calendar.status_code == 200
    assert meeting.title not in calendar.content.decode()


def test_partner_member_reads_the_meeting_and_the_minutes_once_published(client, world):
    meeting = schedule(world.body, days=-1)
    services.attendance_record(
        meeting=meeting, entries={world.seat_state.pk: (AttendanceStatus.PRESENT, "")}, by=world.pilot
    )
    services.minutes_save(meeting=meeting, html="<p>Texte confidentiel du compte rendu</p>", by=world.pilot)
    client.force_login(world.partner_member)

    response = client.get(url("meeting_detail", world, meeting_id=meeting.pk))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Compte rendu non publié." in content
    assert "Texte confidentiel du compte rendu" not in content
    assert "Saisir les présences" not in content

    services.minutes_publish(meeting=meeting, by=world.pilot)
    content = client.get(url("meeting_detail", world, meeting_id=meeting.pk)).content.decode()
    assert "Texte confidentiel du compte rendu" in content


def test_member_of_the_body_by_user_seat_reads_the_meeting(client, world):
    from contrat_ville.accounts.tests.factories import UserFactory
    from contrat_ville.contracts.enums import Role
    from contrat_ville.contracts.tests.factories import grant

    council_member = UserFactory()
    grant(world.contract, council_member, Role.COUNCIL)
    MeetingBodyMemberFactory(body=world.body, user=council_member)
    meeting = schedule(world.body)
    client.force_login(council_member)

    assert client.get(url("meeting_detail", world, meeting_id=meeting.pk)).status_code == 200


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("meeting_create", lambda world, meeting: {"body_id": world.body.pk}),
        ("meeting_update", lambda world, meeting: {"meeting_id": meeting.pk}),
        ("meeting_attendance", lambda world, meeting: {"meeting_id": meeting.pk}),
        ("meeting_minutes", lambda world, meeting: {"meeting_id": meeting.pk}),
        ("meeting_attachment_add", lambda world, meeting: {"meeting_id": meeting.pk}),
    ],
)
def test_partner_gets_403_on_write_pages(client, world, name, kwargs):
    meeting = schedule(world.body)
    client.force_login(world.partner_member)

    assert client.get(url(name, world, **kwargs(world, meeting))).status_code == 403


def test_partner_gets_403_on_convene(client, world):
    meeting = schedule(world.body)
    client.force_login(world.partner_member)

    assert client.post(url("meeting_convene", world, meeting_id=meeting.pk)).status_code == 403


def test_pilot_of_another_contract_gets_404(client, world):
    meeting = schedule(world.body)
    client.force_login(world.other_pilot)

    assert client.get(url("meeting_detail", world, meeting_id=meeting.pk)).status_code == 404
    assert client.get(url("meeting_calendar", world)).status_code == 404
    other = reverse(
        "governance:meeting_detail", kwargs={"contract_slug": world.other_contract.slug, "meeting_id": meeting.pk}
    )
    assert client.get(other).status_code == 404
    other_create = reverse(
        "governance:meeting_create", kwargs={"contract_slug": world.other_contract.slug, "body_id": world.body.pk}
    )
    assert client.get(other_create).status_code == 404


def test_anonymous_gets_404(client, world):
    meeting = schedule(world.body)

    assert client.get(url("meeting_detail", world, meeting_id=meeting.pk)).status_code == 404


# --- query counts --------------------------------------------------------------------------------------------


def _many_meetings(world, count):
    base = timezone.localtime().replace(day=10, hour=10, minute=0, second=0, microsecond=0)
    for index in range(count):
        schedule(world.body, starts_at=base + datetime.timedelta(hours=index), title=f"Séance {index}")


@pytest.mark.parametrize("count", [2, 20])
@pytest.mark.parametrize("params", [{}, {"vue": "liste"}])
@pytest.mark.query_count("governance:meeting_calendar")
def test_calendar_query_count_is_bounded(client, world, query_count, count, params):
    _many_meetings(world, count)
    client.force_login(world.partner_member)

    assert query_count.page(client, url("meeting_calendar", world), params) <= 10
    assert query_count.response.content.decode().count("Séance ") >= count


@pytest.mark.parametrize("count", [2, 20])
@pytest.mark.query_count("governance:meeting_detail")
def test_detail_query_count_is_bounded(client, world, query_count, count):
    for _ in range(count):
        MeetingBodyMemberFactory(body=world.body)
    meeting = schedule(world.body, days=-1)
    for index in range(count):
        services.attachment_add(
            meeting=meeting, title=f"Annexe {index}", file=SimpleUploadedFile(f"a{index}.pdf", b"%PDF-1.4"), by=None
        )
    client.force_login(world.pilot)

    assert query_count.page(client, url("meeting_detail", world, meeting_id=meeting.pk)) <= 13

"""Meetings (*séances*) of the bodies: scheduling, convocation, attendance, minutes and attachments.

Source: seed 004 phases 2.1 to 2.3 (the steering committee, the technical committee and the working groups
meet, the steering committee validates), and issue 4 §3 (agenda, invited members, attendance, sanitised
minutes, attachments).
"""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Iterable
from typing import Required, TypedDict, Unpack

import nh3
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from contrat_ville.accounts.models import User
from contrat_ville.core.attachments import attachment_title, delete_file_on_commit
from contrat_ville.core.bounds import field_bounds
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.saving import save_by
from contrat_ville.core.services import required_text
from contrat_ville.core.uploads import check_upload
from contrat_ville.governance.enums import AttendanceStatus, MeetingFormat, MeetingPurpose, MeetingStatus
from contrat_ville.governance.models import AgendaItem, Attendance, Body, Meeting, MeetingAttachment

# Minutes keep simple structure only: paragraphs, headings, lists, emphasis, links and tables (issue 4 §3).
MINUTES_TAGS = frozenset(
    {
        "p",
        "h2",
        "h3",
        "h4",
        "ul",
        "ol",
        "li",
        "strong",
        "em",
        "a",
        "table",
        "caption",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
)
MINUTES_ATTRIBUTES = {"a": {"href"}}
MINUTES_URL_SCHEMES = frozenset({"http", "https", "mailto"})


_HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")

AgendaEntry = tuple[str, str]


def _check_place(*, location: str, video_url: str) -> None:
    if not location.strip() and not video_url.strip():
        raise BusinessRuleError("Indiquez un lieu ou un lien de visioconférence.", field="location")


def _check_times(*, starts_at: datetime.datetime | None, ends_at: datetime.datetime | None) -> datetime.datetime:
    """The start, once checked: it is required, and the end (optional) follows it."""
    if starts_at is None:
        raise BusinessRuleError("Indiquez la date et l'heure de début de la séance.", field="starts_at")
    if ends_at is not None and ends_at <= starts_at:
        raise BusinessRuleError("La fin de la séance doit suivre son début.", field="ends_at")
    return starts_at


def _clean_agenda(agenda: Iterable[AgendaEntry]) -> list[AgendaEntry]:
    items = [(title.strip(), description.strip()) for title, description in agenda if title.strip()]
    longest = field_bounds(AgendaItem, "title").max_length or 0
    too_long = [title for title, _ in items if len(title) > longest]
    if too_long:
        raise BusinessRuleError(
            f"Un point de l'ordre du jour tient en {longest} caractères au plus (« {too_long[0][:40]}… » en a "
            f"{len(too_long[0])}) : détaillez-le dans sa description.",
            field="agenda",
        )
    return items


def _write_agenda(meeting: Meeting, agenda: list[AgendaEntry]) -> None:
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, order=order, title=title[:255], description=description)
        for order, (title, description) in enumerate(agenda, start=1)
    )


def _invite_members(meeting: Meeting) -> int:
    """One invitation per seat of the body not invited yet; returns how many were added.

    A meeting in restricted format invites the seats of the restricted format only: the invitations of the
    enlarged format's seats whose attendance was not recorded are withdrawn.
    """
    seats = meeting.body.members.all()
    if meeting.formation == MeetingFormat.RESTRICTED:
        Attendance.objects.filter(
            meeting=meeting, member__enlarged_only=True, status=AttendanceStatus.INVITED
        ).delete()
        seats = seats.filter(enlarged_only=False)
    invited = set(Attendance.objects.filter(meeting=meeting).values_list("member_id", flat=True))
    new = [
        Attendance(meeting=meeting, member_id=member_id, status=AttendanceStatus.INVITED)
        for member_id in seats.values_list("pk", flat=True)
        if member_id not in invited
    ]
    Attendance.objects.bulk_create(new)
    return len(new)


def _check_not_cancelled(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise BusinessRuleError("Cette séance est annulée.")


def _meeting_save(
    meeting: Meeting,
    *,
    title: str,
    starts_at: datetime.datetime | None,
    ends_at: datetime.datetime | None = None,
    location: str = "",
    video_url: str = "",
    purpose: str | None = None,
    formation: str | None = None,
    by: User | None,
) -> Meeting:
    """Check and write a meeting's title, purpose, times and place: it takes place somewhere (a place, a video
    link, or both). ``purpose=None`` keeps the purpose; ``""`` clears it."""
    title = required_text(title, "Donnez un intitulé à la séance.", field="title")
    if purpose is not None:
        if purpose and purpose not in MeetingPurpose.values:
            raise BusinessRuleError(f"Objet de séance inconnu : « {purpose} ».", field="purpose")
        meeting.purpose = purpose
    if formation is not None:
        if formation and formation not in MeetingFormat.values:
            raise BusinessRuleError(f"Formation inconnue : « {formation} ».", field="formation")
        meeting.formation = formation
    meeting.starts_at = _check_times(starts_at=starts_at, ends_at=ends_at)
    _check_place(location=location, video_url=video_url)
    meeting.title = title
    meeting.ends_at = ends_at
    meeting.location = location.strip()
    meeting.video_url = video_url.strip()
    save_by(meeting, by)
    return meeting


class MeetingFields(TypedDict, total=False):
    """When and where a meeting takes place, as its form and the API give them."""

    title: Required[str]
    starts_at: Required[datetime.datetime | None]
    ends_at: datetime.datetime | None
    location: str
    video_url: str
    purpose: str | None
    formation: str | None


@transaction.atomic
def meeting_schedule(
    *, body: Body, agenda: Iterable[AgendaEntry] = (), by: User | None, **fields: Unpack[MeetingFields]
) -> Meeting:
    """Schedule a meeting of ``body`` and invite every member of the body (issue 4 §3; seed 004 phases 2.1-2.3)."""
    meeting = _meeting_save(Meeting(body=body, status=MeetingStatus.PLANNED), by=by, **fields)
    _write_agenda(meeting, _clean_agenda(agenda))
    _invite_members(meeting)
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    agenda: Iterable[AgendaEntry] | None = None,
    by: User | None,
    **fields: Unpack[MeetingFields],
) -> Meeting:
    """Change a meeting's title, times, place or agenda; members who joined the body since are invited too.

    ``agenda=None`` keeps the agenda; otherwise it replaces it (an item keeps its description when its title
    is unchanged and the new entry has none). A cancelled meeting cannot be changed.
    """
    _check_not_cancelled(meeting)
    _meeting_save(meeting, by=by, **fields)
    if agenda is not None:
        descriptions = dict(meeting.agenda_items.values_list("title", "description"))
        entries = [(title, description or descriptions.get(title, "")) for title, description in _clean_agenda(agenda)]
        meeting.agenda_items.all().delete()
        _write_agenda(meeting, entries)
    if meeting.status != MeetingStatus.HELD:
        _invite_members(meeting)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by: User | None) -> Meeting:
    """Cancel a meeting that has not been held."""
    _check_not_cancelled(meeting)
    if meeting.status == MeetingStatus.HELD:
        raise BusinessRuleError("Une séance qui s'est tenue ne peut pas être annulée.")
    if meeting.decisions.exists():
        raise BusinessRuleError("Cette séance porte des décisions : elle ne peut pas être annulée.")
    meeting.status = MeetingStatus.CANCELLED
    save_by(meeting, by, "status")
    return meeting


@transaction.atomic
def meeting_convene(*, meeting: Meeting, by: User | None) -> Meeting:
    """Send the convocation: record when (seed 004: the co-chairs convene the body with its agenda).

    Convening again (a new convocation) updates the date. A cancelled or held meeting cannot be convened.
    """
    _check_not_cancelled(meeting)
    if meeting.status == MeetingStatus.HELD:
        raise BusinessRuleError("Cette séance s'est déjà tenue : elle ne peut plus être convoquée.")
    meeting.convened_at = timezone.now()
    meeting.status = MeetingStatus.CONVENED
    save_by(meeting, by, "convened_at", "status")
    convocations_send(meeting=meeting)
    return meeting


def convocation_recipients(*, meeting: Meeting) -> list[str]:
    """E-mail addresses of the invited members: the seat's platform user, else the named contact."""
    addresses: list[str] = []
    for attendance in Attendance.objects.filter(meeting=meeting).select_related("member", "member__user"):
        member = attendance.member
        address = (member.user.email if member.user else "") or member.person_email
        if address and address not in addresses:
            addresses.append(address)
    return addresses


def convocations_send(*, meeting: Meeting) -> int:
    """E-mail the convocation with its agenda and the PDF to every invited member who has an address.

    One message per recipient (addresses are not disclosed to one another). A sending failure raises, so the
    surrounding transaction is rolled back and the meeting is not marked as convened.
    """
    from contrat_ville.governance import documents

    recipients = convocation_recipients(meeting=meeting)
    if not recipients:
        return 0
    agenda = "\n".join(f"{item.order}. {item.title}" for item in meeting.agenda_items.all()) or "(à préciser)"
    place = meeting.location or meeting.video_url
    body = (
        f"Bonjour,\n\nVous êtes convié(e) à la séance « {meeting.title} » de l'instance « {meeting.body.name} », "
        f"le {timezone.localtime(meeting.starts_at):%d/%m/%Y à %H:%M}, lieu : {place}.\n\n"
        f"Ordre du jour :\n{agenda}\n\n"
        "La convocation est jointe à ce message.\n\n— Plateforme des contrats de ville"
    )
    attachment = documents.convocation_pdf(meeting)
    filename = documents.document_filename(meeting, "convocation", "pdf")
    messages = []
    for address in recipients:
        message = EmailMessage(subject=f"Convocation : {meeting.title}", body=body, to=[address])
        message.attach(filename, attachment, documents.PDF_CONTENT_TYPE)
        messages.append(message)
    return get_connection().send_messages(messages) or 0


@transaction.atomic
def attendance_record(*, meeting: Meeting, entries: dict[int, tuple[str, str]], by: User | None) -> list[Attendance]:
    """Record who attended, for members invited to the meeting (issue 4 §3).

    ``entries`` maps a ``BodyMember`` id to ``(status, represented_by)``. « Représenté » needs the name of
    the representative. Attendance of a meeting that has not started yet, or was cancelled, is refused.
    Once at least one member's attendance is known the meeting is marked as held (``meeting_mark_held``).
    """
    _check_not_cancelled(meeting)
    if not meeting.has_started:
        raise BusinessRuleError("La séance n'a pas encore eu lieu : les présences ne peuvent pas être saisies.")
    attendances = {
        attendance.member_id: attendance
        for attendance in Attendance.objects.filter(meeting=meeting).select_related("member", "member__organization")
    }
    changed = []
    for member_id, (status, represented_by) in entries.items():
        attendance = attendances.get(member_id)
        if attendance is None:
            raise BusinessRuleError("Seuls les membres invités à la séance peuvent y être déclarés présents.")
        if status not in AttendanceStatus.values:
            raise BusinessRuleError(f"Présence inconnue : « {status} ».")
        represented_by = represented_by.strip()
        if status == AttendanceStatus.REPRESENTED and not represented_by:
            raise BusinessRuleError(f"Indiquez qui représente « {attendance.member} ».")
        attendance.status = status
        attendance.represented_by = represented_by if status == AttendanceStatus.REPRESENTED else ""
        changed.append(attendance)
    Attendance.objects.bulk_update(changed, ["status", "represented_by"])
    if meeting.status != MeetingStatus.HELD and any(a.status != AttendanceStatus.INVITED for a in changed):
        meeting_mark_held(meeting=meeting, by=by)
    return changed


@transaction.atomic
def meeting_mark_held(*, meeting: Meeting, by: User | None) -> Meeting:
    """Mark the meeting as held: it has started and its attendance is recorded (seed 004 phase 2.1: the
    steering committee « s'est réuni »)."""
    _check_not_cancelled(meeting)
    if not meeting.has_started:
        raise BusinessRuleError("La séance n'a pas encore eu lieu.")
    if not meeting.attendances.exclude(status=AttendanceStatus.INVITED).exists():
        raise BusinessRuleError("Saisissez les présences avant de déclarer la séance tenue.")
    meeting.status = MeetingStatus.HELD
    save_by(meeting, by, "status")
    return meeting


def minutes_sanitise(text: str) -> str:
    """Sanitised minutes HTML: simple HTML is cleaned, plain text becomes paragraphs (one per line)."""
    text = text.strip()
    if not text:
        return ""
    if not _HTML_TAG.search(text):
        paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
        text = "\n".join(f"<p>{html.escape(line)}</p>" for line in paragraphs)
    return nh3.clean(
        text,
        tags=set(MINUTES_TAGS),
        attributes={tag: set(names) for tag, names in MINUTES_ATTRIBUTES.items()},
        url_schemes=set(MINUTES_URL_SCHEMES),
        link_rel="noopener noreferrer",
    ).strip()


@transaction.atomic
def minutes_save(*, meeting: Meeting, html: str, by: User | None) -> Meeting:
    """Save the minutes, sanitised (issue 4 §3: « rich text, sanitised »); they are shown as HTML afterwards.

    Only paragraphs, headings (h2-h4), lists, emphasis, links and tables survive; scripts, styles and event
    attributes are removed. Plain text is accepted: each line becomes a paragraph.
    """
    _check_not_cancelled(meeting)
    meeting.minutes = minutes_sanitise(html)
    if not meeting.minutes:
        meeting.minutes_published = False
    save_by(meeting, by, "minutes", "minutes_published")
    return meeting


@transaction.atomic
def minutes_publish(*, meeting: Meeting, by: User | None, publish: bool = True) -> Meeting:
    """Publish the minutes to the members of the body (issue 4 §6), or withdraw them (``publish=False``).

    Only the minutes of a meeting that has been held, and that are written, can be published.
    """
    if publish:
        if meeting.status != MeetingStatus.HELD:
            raise BusinessRuleError("Seul le compte rendu d'une séance tenue peut être publié.")
        if not meeting.minutes.strip():
            raise BusinessRuleError("Le compte rendu est vide : rédigez-le avant de le publier.")
    if meeting.minutes_published != publish:
        meeting.minutes_published = publish
        save_by(meeting, by, "minutes_published")
    return meeting


@transaction.atomic
def attachment_add(*, meeting: Meeting, title: str, file: UploadedFile, by: User | None) -> MeetingAttachment:
    """Attach a document to a meeting (issue 4 §3): PDF, DOCX, ODT, XLSX, ODS, PNG or JPG, up to 10 Mo
    (``core.attachments``)."""
    _check_not_cancelled(meeting)
    check_upload(file)
    attachment = MeetingAttachment(meeting=meeting, title=attachment_title(title, file), file=file)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: MeetingAttachment, by: User | None) -> None:
    """Remove an attachment and its file."""
    file = attachment.file
    attachment.delete()
    delete_file_on_commit(file)

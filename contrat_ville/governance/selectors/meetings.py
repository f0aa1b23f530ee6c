"""Reads of meetings (*séances*): who sees which meeting, the calendar, the detail page (issue 4 §3 and §6).

Who sees which meeting is asked of ``governance.permissions`` (issue 4 §6): the steering roles every meeting of
their contract, other members the meetings of the bodies they sit in (their organisation holds a seat, or they
are the seat's user), with the minutes once published. Everyone else gets 404.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.dateformat import format as format_date

from contrat_ville.contracts.models import Contract
from contrat_ville.core.lookups import found_or_404
from contrat_ville.governance.enums import AttendanceStatus, MeetingStatus
from contrat_ville.governance.models import Attendance, Body, BodyMember, Decision, Meeting, MeetingAttachment
from contrat_ville.governance.permissions import (
    can_convene_meeting,
    can_read_all_governance,
    can_read_minutes,
    can_read_seated_bodies,
    can_record_attendance,
    can_run_meetings,
)

MONTH_PARAMETER_FORMAT = "%Y-%m"
WEEKDAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


# --- dates written the French way --------------------------------------------------------------------


def datetime_fr(value: datetime.datetime) -> str:
    """« jeudi 12 mars 2026 à 14 h 30 », in the platform's time zone."""
    with translation.override("fr"):
        return format_date(timezone.localtime(value), r"l j F Y à H \h i")


def time_fr(value: datetime.datetime) -> str:
    """« 14 h 30 », in the platform's time zone."""
    return format_date(timezone.localtime(value), r"H \h i")


def month_fr(value: datetime.date) -> str:
    """« novembre 2026 »."""
    with translation.override("fr"):
        return format_date(value, "F Y")


def meeting_when(meeting: Meeting) -> str:
    """When the meeting takes place: « jeudi 12 mars 2026 à 14 h 30 », with its end time when known."""
    when = datetime_fr(meeting.starts_at)
    if meeting.ends_at is None:
        return when
    if timezone.localdate(meeting.ends_at) == timezone.localdate(meeting.starts_at):
        return f"{when} (fin à {time_fr(meeting.ends_at)})"
    return f"{when} (fin le {datetime_fr(meeting.ends_at)})"


# --- permissions ---------------------------------------------------------------------------------------


def _seats_of(user: Any) -> QuerySet[BodyMember]:
    """The seats held by the user, personally or through their organisation."""
    if user is None or not getattr(user, "is_authenticated", False):
        return BodyMember.objects.none()
    condition = Q(user=user)
    if user.organization_id is not None:
        condition |= Q(organization_id=user.organization_id)
    return BodyMember.objects.filter(condition)


def meetings_visible_to(*, access: Any, user: Any, contract: Contract) -> QuerySet[Meeting]:
    """Meetings of the contract ``user`` may see (issue 4 §6): all of them, or those of the bodies they sit in.

    ``access`` is the user's ``ContractAccess`` on the contract (role, staff).
    """
    meetings = Meeting.objects.filter(body__contract=contract)
    if can_read_all_governance(access):
        return meetings
    if not can_read_seated_bodies(access):
        return meetings.none()
    return meetings.filter(body_id__in=_seats_of(user).filter(body__contract=contract).values("body_id"))


# --- single objects --------------------------------------------------------------------------------------


def meeting_body_get(*, contract: Contract, body_id: int) -> Body:
    """A body of the contract, to schedule a meeting of it; 404 otherwise."""
    return found_or_404(
        Body.objects.filter(contract=contract, pk=body_id).select_related("pillar").first(), "Instance introuvable."
    )


def meeting_get(*, contract: Contract, meeting_id: int, access: Any = None, user: Any = None) -> Meeting:
    """A meeting of the contract with its body; 404 when absent or not visible to ``access``/``user`` (when given)."""
    meetings = (
        meetings_visible_to(access=access, user=user, contract=contract)
        if access is not None
        else Meeting.objects.filter(body__contract=contract)
    )
    return found_or_404(
        meetings.filter(pk=meeting_id).select_related("body", "body__contract", "body__pillar").first(),
        "Séance introuvable.",
    )


def meeting_bodies(*, contract: Contract) -> list[Body]:
    """The contract's bodies, to offer scheduling a meeting of each."""
    return list(Body.objects.filter(contract=contract).order_by("kind", "name"))


def meeting_attachment_get(*, meeting: Meeting, attachment_id: int) -> MeetingAttachment:
    return found_or_404(
        MeetingAttachment.objects.filter(meeting=meeting, pk=attachment_id).first(), "Pièce jointe introuvable."
    )


def meeting_attendances(*, meeting: Meeting) -> list[Attendance]:
    """The invited seats with their attendance, by role then organisation (one query)."""
    return list(
        Attendance.objects.filter(meeting=meeting)
        .select_related("member", "member__organization", "member__user")
        .order_by("member__role", "member__organization__name", "member__person_name", "pk")
    )


def meeting_decisions(*, meeting: Meeting, access: Any = None) -> list[Decision]:
    """Decisions of the meeting; other members than the steering roles see them once published or once the minutes
    are."""
    decisions = Decision.objects.filter(meeting=meeting).order_by("pk")
    if access is not None and not can_read_all_governance(access) and not meeting.minutes_published:
        decisions = decisions.filter(is_published=True)
    return list(decisions)


# --- the detail page and the documents ----------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceGroup:
    status: str
    label: str
    attendances: list[Attendance]


@dataclass(frozen=True)
class MeetingDetail:
    """Everything the detail page and the documents show of one meeting, read in a fixed number of queries."""

    meeting: Meeting
    when: str
    agenda_items: list[Any]
    attendances: list[Attendance]
    attachments: list[MeetingAttachment]
    decisions: list[Decision]
    can_run_meetings: bool
    can_convene: bool
    can_record_attendance: bool
    can_read_minutes: bool

    @property
    def attendance_groups(self) -> list[AttendanceGroup]:
        """Attendance grouped by status, in the order present, represented, excused, absent, invited."""
        order = [
            AttendanceStatus.PRESENT,
            AttendanceStatus.REPRESENTED,
            AttendanceStatus.EXCUSED,
            AttendanceStatus.ABSENT,
            AttendanceStatus.INVITED,
        ]
        groups = []
        for status in order:
            members = [attendance for attendance in self.attendances if attendance.status == status]
            if members:
                groups.append(AttendanceGroup(status=status, label=_plural_label(status), attendances=members))
        return groups

    @property
    def attendance_recorded(self) -> bool:
        return any(attendance.status != AttendanceStatus.INVITED for attendance in self.attendances)

    @property
    def is_cancelled(self) -> bool:
        return self.meeting.status == MeetingStatus.CANCELLED


_PLURAL_LABELS = {
    AttendanceStatus.PRESENT: "Présents",
    AttendanceStatus.REPRESENTED: "Représentés",
    AttendanceStatus.EXCUSED: "Excusés",
    AttendanceStatus.ABSENT: "Absents",
    AttendanceStatus.INVITED: "Invités (présence non renseignée)",
}


def _plural_label(status: str) -> str:
    return _PLURAL_LABELS.get(AttendanceStatus(status), AttendanceStatus(status).label)


def meeting_detail(*, meeting: Meeting, access: Any = None) -> MeetingDetail:
    """The detail of a meeting for ``access`` (``None``: everything, for the documents). Four queries."""
    return MeetingDetail(
        meeting=meeting,
        when=meeting_when(meeting),
        agenda_items=list(meeting.agenda_items.all()),
        attendances=meeting_attendances(meeting=meeting),
        attachments=list(meeting.attachments.all()),
        decisions=meeting_decisions(meeting=meeting, access=access),
        can_run_meetings=access is None or can_run_meetings(access),
        can_convene=access is None or can_convene_meeting(access, meeting),
        can_record_attendance=access is None or can_record_attendance(access, meeting),
        can_read_minutes=access is None or can_read_minutes(access, meeting),
    )


# --- the calendar ------------------------------------------------------------------------------------------


def _with_body(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return meetings.select_related("body")


@dataclass(frozen=True)
class CalendarDay:
    day: datetime.date
    in_month: bool
    is_today: bool
    meetings: list[Meeting] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{WEEKDAY_NAMES[self.day.weekday()]} {self.day.day}"


@dataclass(frozen=True)
class CalendarMonth:
    """A month as a grid of weeks (Monday first), each day with its meetings."""

    first_day: datetime.date
    weeks: list[list[CalendarDay]]
    meeting_count: int

    @property
    def label(self) -> str:
        return month_fr(self.first_day)

    @property
    def parameter(self) -> str:
        return self.first_day.strftime(MONTH_PARAMETER_FORMAT)

    @property
    def previous_parameter(self) -> str:
        return (self.first_day - datetime.timedelta(days=1)).strftime(MONTH_PARAMETER_FORMAT)

    @property
    def next_parameter(self) -> str:
        return (self.first_day + datetime.timedelta(days=32)).replace(day=1).strftime(MONTH_PARAMETER_FORMAT)

    @property
    def previous_label(self) -> str:
        return month_fr(self.first_day - datetime.timedelta(days=1))

    @property
    def next_label(self) -> str:
        return month_fr((self.first_day + datetime.timedelta(days=32)).replace(day=1))

    @property
    def weekday_names(self) -> tuple[str, ...]:
        return WEEKDAY_NAMES


def parse_month(value: str | None) -> datetime.date:
    """The first day of the month written ``2026-11``; the current month when absent or malformed."""
    if value:
        try:
            return datetime.datetime.strptime(value, MONTH_PARAMETER_FORMAT).date().replace(day=1)  # noqa: DTZ007
        except ValueError:
            pass
    return timezone.localdate().replace(day=1)


def calendar_month(*, access: Any, user: Any, contract: Contract, first_day: datetime.date) -> CalendarMonth:
    """The month grid of the meetings visible to ``access`` (one query whatever the number of meetings)."""
    weeks_of_dates = calendar.Calendar(firstweekday=0).monthdatescalendar(first_day.year, first_day.month)
    grid_start, grid_end = weeks_of_dates[0][0], weeks_of_dates[-1][-1]
    current_zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(grid_start, datetime.time.min, tzinfo=current_zone)
    end = datetime.datetime.combine(grid_end + datetime.timedelta(days=1), datetime.time.min, tzinfo=current_zone)
    meetings = list(
        _with_body(meetings_visible_to(access=access, user=user, contract=contract))
        .filter(starts_at__gte=start, starts_at__lt=end)
        .order_by("starts_at", "pk")
    )
    by_day: dict[datetime.date, list[Meeting]] = {}
    for meeting in meetings:
        by_day.setdefault(timezone.localdate(meeting.starts_at), []).append(meeting)
    today = timezone.localdate()
    weeks = [
        [
            CalendarDay(
                day=day, in_month=day.month == first_day.month, is_today=day == today, meetings=by_day.get(day, [])
            )
            for day in week
        ]
        for week in weeks_of_dates
    ]
    in_month = sum(1 for meeting in meetings if timezone.localdate(meeting.starts_at).month == first_day.month)
    return CalendarMonth(first_day=first_day, weeks=weeks, meeting_count=in_month)


@dataclass(frozen=True)
class MeetingListing:
    upcoming: list[Meeting]
    past: list[Meeting]


def meeting_listing(*, access: Any, user: Any, contract: Contract) -> MeetingListing:
    """Upcoming meetings (soonest first), then past ones (latest first), with their body (one query)."""
    now = timezone.now()
    meetings = list(
        _with_body(meetings_visible_to(access=access, user=user, contract=contract)).order_by("starts_at", "pk")
    )
    return MeetingListing(
        upcoming=[meeting for meeting in meetings if meeting.starts_at >= now],
        past=[meeting for meeting in reversed(meetings) if meeting.starts_at < now],
    )

"""The governance of the demo contract « val-de-sorne-2024 », mid-way through its elaboration (seed 004).

Its bodies are all constituted with named (fictional) people and the demo accounts where they belong; five past
meetings carry their agenda, attendance, published minutes and decisions, and two upcoming ones are convened; the
phases of seed 004 show a contract in phase 3 (1.x and 2.x done, 3 and 3.1 in progress, 3.2 and 4 to come).

Dates. The seed's process takes about four months for phases 1 to 3, and the demo contract started on the first
day of the month four months before « today » (``services.preparation_dates``): launched on that start date, the
whole of phase 3 would already be over. The elaboration is therefore launched two months after the contract's
start (``LAUNCH_DELAY_DAYS``): « today » then always falls 60 to 93 days after the launch, inside phase 3.1 (days 60
to 105), whatever the day of the month. Meetings are dated from the launch too, so that the five past ones are
always past and the two upcoming ones always to come; all dates stay the same within a month.

Idempotent: bodies are looked up by contract and kind (and pillar), seats by body, organisation and person,
meetings by body and title (moved through ``meeting_update`` if the contract's dates moved), decisions by meeting
and text; the manual phase statuses are set only when they differ. Every write goes through the governance
services, so a second load adds no row, not even a history row.

The content (who, what, when) is data, in ``demo/data/governance.yaml``; this module holds the logic that loads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Model
from django.utils import timezone

from contrat_ville.accounts.models import User
from contrat_ville.contracts.models import Contract, Pillar
from contrat_ville.core.datafiles import load_records
from contrat_ville.demo.context import DemoContext
from contrat_ville.demo.users import PILOT, SLUG_VAL_DE_SORNE
from contrat_ville.governance.enums import AttendanceStatus, MeetingStatus
from contrat_ville.governance.models import Attendance, Body, BodyMember, Decision, Meeting, Phase
from contrat_ville.governance.services.bodies import body_create, body_member_add
from contrat_ville.governance.services.decisions import decision_record
from contrat_ville.governance.services.meetings import (
    MeetingFields,
    attendance_record,
    meeting_convene,
    meeting_mark_held,
    meeting_schedule,
    meeting_update,
    minutes_publish,
    minutes_save,
)
from contrat_ville.governance.services.phases import phase_reschedule, phase_set_status, phases_apply

PACKAGE, DATA_FILE = "contrat_ville.demo", "data/governance.yaml"
LAUNCH_DELAY_DAYS = 60
TEMPLATE_CODE = "processus-2014"  # seed 004's process (``governance.phase_templates.SEED_2014``)


# --- the bodies -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeatSpec:
    organization: str  # key in ``catalogue.ORGANIZATIONS``
    role: str
    person: str  # name and function
    user: str = ""  # e-mail of a demo account holding the seat


@dataclass(frozen=True)
class BodySpec:
    key: str
    kind: str
    name: str
    seats: tuple[SeatSpec, ...]
    pillar: str = ""  # pillar code (working groups)


BODIES: tuple[BodySpec, ...] = load_records(BodySpec, PACKAGE, DATA_FILE, section="bodies", key="key")


# --- the meetings ---------------------------------------------------------------------------------------------

CONTRACT_TARGET = "contract"


@dataclass(frozen=True)
class DecisionSpec:
    verdict: str
    text: str
    target: str = ""  # CONTRACT_TARGET, a phase code, or "" for none
    is_published: bool = False


@dataclass(frozen=True)
class MeetingSpec:
    body: str  # BodySpec.key
    title: str
    day: int  # days after the launch of the elaboration
    start: time
    location: str
    agenda: tuple[tuple[str, str], ...]
    minutes: str = ""
    decisions: tuple[DecisionSpec, ...] = ()
    duration: timedelta = timedelta(hours=2)
    video_url: str = ""
    upcoming: bool = False
    # (status, represented_by) for the seats of the body, by position; the others are present.
    absences: dict[int, tuple[str, str]] = field(default_factory=dict)


MEETINGS: tuple[MeetingSpec, ...] = load_records(MeetingSpec, PACKAGE, DATA_FILE, section="meetings", key="title")


# --- the phases -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhaseStatusSpec:
    """A phase without a rule computed from governance's data: its status set by hand, with who (and when)."""

    phase: str
    status: str
    by: str  # e-mail of a demo account


MANUAL_STATUSES: dict[str, PhaseStatusSpec] = {
    spec.phase: spec for spec in load_records(PhaseStatusSpec, PACKAGE, DATA_FILE, section="phase_statuses")
}


# --- the step -------------------------------------------------------------------------------------------------


def launch_date(contract: Contract) -> date:
    return contract.start_on + timedelta(days=LAUNCH_DELAY_DAYS)


def _body_upsert(spec: BodySpec, *, contract: Contract, pillars: dict[str, Pillar], by: User) -> Body:
    pillar = pillars[spec.pillar] if spec.pillar else None
    body = Body.objects.filter(contract=contract, kind=spec.kind, pillar=pillar).order_by("pk").first()
    if body is None:
        body = body_create(contract=contract, kind=spec.kind, name=spec.name, pillar=pillar, by=by)
    return body


def _seats_upsert(spec: BodySpec, body: Body, context: DemoContext, *, by: User) -> list[BodyMember]:
    existing = {
        (member.organization_id, member.person_name): member
        for member in BodyMember.objects.filter(body=body).select_related("organization")
    }
    seats = []
    for seat in spec.seats:
        organization = context.organizations[seat.organization]
        member = existing.get((organization.pk, seat.person))
        if member is None:
            member = body_member_add(
                body=body,
                organization=organization,
                role=seat.role,
                user=context.users[seat.user] if seat.user else None,
                person_name=seat.person,
                by=by,
            )
        seats.append(member)
    return seats


def _starts_at(launch_on: date, spec: MeetingSpec) -> datetime:
    return timezone.make_aware(datetime.combine(launch_on + timedelta(days=spec.day), spec.start))


def _meeting_upsert(spec: MeetingSpec, body: Body, *, launch_on: date, by: User) -> Meeting:
    starts_at = _starts_at(launch_on, spec)
    ends_at = starts_at + spec.duration
    fields = MeetingFields(
        title=spec.title, starts_at=starts_at, ends_at=ends_at, location=spec.location, video_url=spec.video_url
    )
    meeting = Meeting.objects.filter(body=body, title=spec.title).order_by("pk").first()
    if meeting is None:
        return meeting_schedule(body=body, agenda=spec.agenda, by=by, **fields)
    if meeting.starts_at != starts_at or meeting.ends_at != ends_at:
        # The contract's dates moved with the day of the load (another month): the meeting moves with them.
        meeting = meeting_update(meeting=meeting, by=by, **fields)
    return meeting


def _decision_target(target: str, *, contract: Contract, phases: dict[str, Phase]) -> Model | None:
    if not target:
        return None
    if target == CONTRACT_TARGET:
        return contract
    return phases[target]


def _hold(spec: MeetingSpec, meeting: Meeting, seats: list[BodyMember], context: DemoContext, *, by: User) -> None:
    """Attendance, minutes (published) and decisions of a past meeting, each written once."""
    if meeting.starts_at > timezone.now():
        context.log(f"    ⚠ « {meeting.title} » est postérieure à l'heure réelle : présences et décisions omises.")
        return
    recorded = Attendance.objects.filter(meeting=meeting).exclude(status=AttendanceStatus.INVITED).exists()
    if not recorded:
        entries = {
            member.pk: spec.absences.get(index, (AttendanceStatus.PRESENT, "")) for index, member in enumerate(seats)
        }
        attendance_record(meeting=meeting, entries=entries, by=by)
        meeting.refresh_from_db()
    if meeting.status != MeetingStatus.HELD:
        meeting_mark_held(meeting=meeting, by=by)
    if spec.minutes and not meeting.minutes:
        minutes_save(meeting=meeting, html=spec.minutes, by=by)
    if meeting.minutes and not meeting.minutes_published:
        minutes_publish(meeting=meeting, by=by)
    contract = meeting.body.contract
    phases = {phase.code: phase for phase in Phase.objects.filter(contract=contract)}
    recorded_texts = set(Decision.objects.filter(meeting=meeting).values_list("text", flat=True))
    for decision in spec.decisions:
        if decision.text in recorded_texts:
            continue
        decision_record(
            meeting=meeting,
            verdict=decision.verdict,
            text=decision.text,
            target=_decision_target(decision.target, contract=contract, phases=phases),
            is_published=decision.is_published,
            by=by,
        )


def _phases_upsert(contract: Contract, *, launch_on: date, by: User) -> list[Phase]:
    """The seed's phases launched on ``launch_on``; rescheduled (not re-applied) when they exist already."""
    phases = list(Phase.objects.filter(contract=contract).select_related("template_step").order_by("order"))
    if not phases:
        return phases_apply(contract=contract, template_code=TEMPLATE_CODE, launch_on=launch_on, by=by)
    for phase in phases:
        step = phase.template_step
        planned_start = launch_on + timedelta(days=step.start_offset_days)
        planned_end = planned_start + timedelta(days=step.duration_days)
        if (phase.planned_start, phase.planned_end) != (planned_start, planned_end):
            phase_reschedule(phase=phase, planned_start=planned_start, planned_end=planned_end, by=by)
    return phases


def _manual_statuses(phases: list[Phase], context: DemoContext) -> None:
    for phase in phases:
        wanted = MANUAL_STATUSES.get(phase.code)
        if wanted is not None and phase.manual_status != wanted.status:
            phase_set_status(phase=phase, status=wanted.status, by=context.users[wanted.by])


def step_governance(context: DemoContext) -> None:
    """Bodies, meetings, decisions and phases of the demo contract in preparation (seed 004)."""
    contract = context.contracts[SLUG_VAL_DE_SORNE]
    pilot = context.users[PILOT]
    launch_on = launch_date(contract)
    phases = _phases_upsert(contract, launch_on=launch_on, by=pilot)

    pillars = {pillar.code: pillar for pillar in Pillar.objects.filter(contract=contract)}
    bodies: dict[str, Body] = {}
    seats: dict[str, list[BodyMember]] = {}
    for spec in BODIES:
        bodies[spec.key] = _body_upsert(spec, contract=contract, pillars=pillars, by=pilot)
        seats[spec.key] = _seats_upsert(spec, bodies[spec.key], context, by=pilot)

    for meeting_spec in MEETINGS:
        meeting = _meeting_upsert(meeting_spec, bodies[meeting_spec.body], launch_on=launch_on, by=pilot)
        if meeting_spec.upcoming:
            if meeting.status == MeetingStatus.PLANNED:
                meeting_convene(meeting=meeting, by=pilot)
        else:
            _hold(meeting_spec, meeting, seats[meeting_spec.body], context, by=pilot)

    _manual_statuses(phases, context)
    context.log(
        f"  {len(BODIES)} instances, {sum(len(spec.seats) for spec in BODIES)} sièges, "
        f"{sum(1 for spec in MEETINGS if not spec.upcoming)} séances tenues et "
        f"{sum(1 for spec in MEETINGS if spec.upcoming)} à venir ; élaboration lancée le {launch_on:%d/%m/%Y}"
    )

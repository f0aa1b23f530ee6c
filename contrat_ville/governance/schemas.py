"""Input and output shapes of the governance API (django-ninja): bodies, meetings, decisions, phases."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from ninja import Field, Schema
from pydantic import AliasPath

from contrat_ville.core.bounds import BIGGEST_ID, schema_field
from contrat_ville.core.schemas import DateIn, DateTimeIn, InputSchema, ModelLabel, OutputSchema
from contrat_ville.governance.enums import (
    AttendanceStatus,
    BodyKind,
    MeetingFormat,
    MeetingPurpose,
    MemberRole,
    PhaseStatus,
    Verdict,
)
from contrat_ville.governance.models import (
    AgendaItem,
    Attendance,
    Body,
    BodyMember,
    Decision,
    Meeting,
    Phase,
    PhaseTemplate,
)

# --- bodies -----------------------------------------------------------------------------------------------


class OrganizationRefOut(Schema):
    id: int
    name: str
    kind: str


class BodyMemberOut(OutputSchema):
    id: int
    organization: OrganizationRefOut
    role: str
    role_label: str = Field(validation_alias="get_role_display")
    person: str = Field(
        validation_alias="display_person",
        description="Personne qui occupe le siège : compte de la plateforme ou contact nommé.",
    )
    person_email: str
    user_id: int | None
    enlarged_only: bool = Field(description="Siège en formation élargie seulement.")


class MeetingPaceOut(Schema):
    year: int
    minimum: int
    count: int = Field(description="Séances de l'année tenues, convoquées ou prévues (hors séances annulées).")
    is_short: bool = Field(description="Moins de séances que le minimum annuel.")


class BodyOut(OutputSchema):
    id: int
    kind: str
    kind_label: str = Field(description="Nature de l'instance ; pour une instance locale, sa nature propre.")
    local_kind_label: str = Field(description="Nature d'une instance locale (« Conférence des financeurs »).")
    name: str
    pillar: str | None = Field(description="Code du pilier (groupes de travail thématiques).")
    axis: str | None = Field(description="Code de l'axe transversal auquel l'instance est consacrée, le cas échéant.")
    mission: str
    member_count: int
    min_meetings_per_year: int | None
    meeting_pace: MeetingPaceOut | None = Field(
        description="Séances de l'année au regard du minimum annuel, quand l'instance en a un."
    )

    @staticmethod
    def resolve_pillar(body: Body) -> str | None:
        return body.pillar.code if body.pillar is not None else None

    @staticmethod
    def resolve_axis(body: Body) -> str | None:
        return body.axis.code if body.axis is not None else None


class BodyDetailOut(BodyOut):
    members: list[BodyMemberOut]


class BodyUpdateIn(InputSchema):
    """A body's fields that may change: its kind does not (create the other body instead)."""

    name: str = schema_field(
        Body, "name", "", description="Nom de l'instance ; vide : le nom par défaut de sa nature (et de son pilier)."
    )
    local_kind_label: str = schema_field(
        Body, "local_kind_label", "", description="Nature d'une instance locale, obligatoire pour `kind` = `local`."
    )
    pillar: str | None = Field(
        None, max_length=32, description="Code du pilier, pour un groupe de travail thématique ou une instance locale."
    )
    axis: str | None = Field(
        None, max_length=32, description="Code de l'axe transversal, pour un groupe de travail ou une instance locale."
    )
    mission: str = schema_field(Body, "mission", "")
    min_meetings_per_year: int | None = schema_field(Body, "min_meetings_per_year", None)


class BodyIn(BodyUpdateIn):
    kind: BodyKind


class SeatIn(InputSchema):
    """Who sits in a seat: its role and representative (the organisation stays)."""

    role: MemberRole = MemberRole.MEMBER
    user_id: int | None = Field(
        None, ge=1, le=BIGGEST_ID, description="Compte de la plateforme qui occupe le siège, le cas échéant."
    )
    person_name: str = schema_field(
        BodyMember, "person_name", "", description="Nom et fonction de la personne, sans compte sur la plateforme."
    )
    person_email: str = schema_field(BodyMember, "person_email", "")
    enlarged_only: bool = Field(
        False, description="Siège en formation élargie seulement (pas en formation restreinte)."
    )


class BodyMemberIn(SeatIn):
    organization_id: int = Field(ge=1, le=BIGGEST_ID)


# --- meetings ---------------------------------------------------------------------------------------------


class AgendaItemIn(InputSchema):
    title: str = schema_field(AgendaItem, "title")
    description: str = schema_field(AgendaItem, "description", "")


class AgendaItemOut(Schema):
    order: int
    title: str
    description: str


class AttendanceOut(OutputSchema):
    member_id: int
    organization: str
    person: str = Field(validation_alias=AliasPath("member", "display_person"))
    status: str
    status_label: str = Field(validation_alias="get_status_display")
    represented_by: str

    @staticmethod
    def resolve_organization(attendance: Attendance) -> str:
        return str(attendance.member.organization)


class MeetingOut(OutputSchema):
    id: int
    body_id: int
    body_name: str = Field(validation_alias=AliasPath("body", "name"))
    title: str
    purpose: str = Field(description="Objet de la séance (installation, validation…) ; vide s'il n'est pas dit.")
    purpose_label: str = Field(validation_alias="get_purpose_display")
    formation: str = Field(description="Formation restreinte ou élargie ; vide : tous les membres de l'instance.")
    formation_label: str = Field(validation_alias="get_formation_display")
    starts_at: datetime
    ends_at: datetime | None
    location: str
    video_url: str
    status: str
    status_label: str = Field(validation_alias="get_status_display")
    convened_at: datetime | None
    minutes_published: bool


class DecisionOut(OutputSchema):
    id: int
    meeting_id: int
    meeting_title: str = Field(validation_alias=AliasPath("meeting", "title"))
    body_name: str = Field(validation_alias=AliasPath("meeting", "body", "name"))
    decided_on: date
    verdict: str
    verdict_label: str = Field(validation_alias="get_verdict_display")
    text: str
    target_type: ModelLabel | None = Field(
        validation_alias="target_type_id", description="Nature de l'objet décidé (« app.modèle »), le cas échéant."
    )
    target_id: int | None
    target_label: str
    is_published: bool

    @staticmethod
    def resolve_decided_on(decision: Decision) -> date:
        return timezone.localdate(decision.meeting.starts_at)


class AttachmentOut(Schema):
    id: int
    title: str
    file_name: str = Field(description="Nom du fichier joint.")


class MeetingDetailOut(MeetingOut):
    agenda: list[AgendaItemOut]
    attendance: list[AttendanceOut]
    minutes: str | None = Field(description="Compte rendu (HTML nettoyé) ; absent quand il n'est pas visible.")
    decisions: list[DecisionOut]


class MeetingUpdateIn(InputSchema):
    title: str = schema_field(Meeting, "title")
    purpose: MeetingPurpose | None = Field(None, description="Objet de la séance, le cas échéant.")
    formation: MeetingFormat | None = Field(
        None, description="Formation restreinte (sans les sièges de la seule formation élargie) ou élargie."
    )
    starts_at: DateTimeIn = Field(description="Début, avec son fuseau horaire (2026-03-12T14:00:00+01:00).")
    ends_at: DateTimeIn | None = None
    location: str = schema_field(Meeting, "location", "")
    video_url: str = schema_field(Meeting, "video_url", "")
    agenda: list[AgendaItemIn] = Field(default_factory=list, max_length=100)


class MeetingIn(MeetingUpdateIn):
    body_id: int = Field(ge=1, le=BIGGEST_ID)


class MinutesIn(InputSchema):
    minutes: str = Field(
        max_length=100_000,
        description="HTML simple (paragraphes, titres h2 à h4, listes, gras, italique, liens, tableaux) ou texte brut "
        "(chaque ligne devient un paragraphe) ; tout autre balisage est retiré.",
    )
    publish: bool = Field(False, description="Publier le compte rendu aux membres de l'instance (séance tenue).")


class AttendanceEntryIn(InputSchema):
    member_id: int = Field(ge=1, le=BIGGEST_ID)
    status: AttendanceStatus
    represented_by: str = schema_field(Attendance, "represented_by", "")


class AttendanceIn(InputSchema):
    entries: list[AttendanceEntryIn] = Field(max_length=1000)
    mark_held: bool = Field(False, description="Marquer aussi la séance comme tenue.")


# --- decisions --------------------------------------------------------------------------------------------


class DecisionIn(InputSchema):
    meeting_id: int = Field(ge=1, le=BIGGEST_ID)
    verdict: Verdict
    text: str = schema_field(Decision, "text")
    target_type: str | None = Field(
        None, max_length=100, description="Objet décidé : « contracts.contract », « governance.phase »…"
    )
    target_id: int | None = Field(None, ge=1, le=BIGGEST_ID)
    is_published: bool = False


# --- phases -----------------------------------------------------------------------------------------------


class PhaseOut(OutputSchema):
    id: int
    code: str
    title: str
    description: str
    order: int
    depth: int
    planned_start: date
    planned_end: date
    status: str
    status_label: str
    status_source: str
    status_source_label: str
    rule: str = Field(description="Règle qui calcule l'état à partir des données, le cas échéant.")
    is_late: bool
    is_current: bool
    status_set_by: str | None
    status_set_at: datetime | None
    completed_on: date | None

    @staticmethod
    def resolve_status_set_by(phase: Phase) -> str | None:
        return phase.status_set_by.display_name if phase.status_set_by is not None else None


class PhasesApplyIn(InputSchema):
    template_code: str | None = schema_field(
        PhaseTemplate, "code", None, description="Code du modèle ; vide : le modèle par défaut."
    )
    launch_on: DateIn | None = Field(None, description="Date de lancement ; vide : la date de début du contrat.")


class PhaseStatusIn(InputSchema):
    status: PhaseStatus

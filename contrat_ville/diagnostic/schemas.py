"""Input and output shapes of the diagnostic API (django-ninja): stakes, consultations, opinions."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from contrat_ville.participation.enums import OpinionVerdict


class ErrorOut(Schema):
    detail: str


class AxisOut(Schema):
    code: str
    label: str


class MainstreamOut(Schema):
    organization_id: int
    organization: str
    policy: str


class StakeVersionOut(Schema):
    id: int
    number: int
    title: str
    description: str
    axes: list[AxisOut]
    mainstream: list[MainstreamOut]
    reason: str
    created_at: datetime
    created_by: str | None


class StakeOut(Schema):
    id: int
    pillar: str = Field(description="Code du pilier.")
    pillar_label: str
    title: str
    description: str
    status: str = Field(description="proposed, submitted, redefined, retained ou rejected.")
    status_label: str
    version: int = Field(description="Numéro de la version actuelle.")
    axes: list[AxisOut]
    mainstream: list[MainstreamOut] = Field(description="Droit commun identifié : partenaire et politique.")
    duplicate_of: int | None
    is_validated: bool = Field(description="La dernière décision du comité de pilotage sur l'enjeu le valide.")
    versions: list[StakeVersionOut]


class StatusChangeOut(Schema):
    from_status: str
    to_status: str
    changed_at: datetime
    changed_by: str | None
    comment: str


class StakeDetailOut(StakeOut):
    finding_ids: list[int]
    status_history: list[StatusChangeOut]


class MainstreamIn(Schema):
    organization_id: int
    policy: str


class StakeIn(Schema):
    pillar: str = Field(description="Code du pilier.")
    title: str
    description: str = ""
    axes: list[str] = Field(default_factory=list, description="Codes des axes transversaux.")
    finding_ids: list[int] = Field(default_factory=list)
    mainstream: list[MainstreamIn] = Field(default_factory=list)


class ConsultationOut(Schema):
    id: int
    title: str
    message: str
    deadline: date
    status: str
    is_open: bool
    council_ids: list[int]
    stake_version_ids: list[int]


class OpinionIn(Schema):
    stake_version_id: int
    verdict: OpinionVerdict
    text: str = ""


class OpinionOut(Schema):
    id: int
    council_id: int
    verdict: str
    text: str
    stake_version_id: int

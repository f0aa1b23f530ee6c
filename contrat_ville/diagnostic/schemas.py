"""Input and output shapes of the diagnostic API (django-ninja): stakes, consultations, opinions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from ninja import Field, Schema

from contrat_ville.core.bounds import BIGGEST_ID, schema_field
from contrat_ville.core.schemas import InputSchema
from contrat_ville.diagnostic.models import MainstreamPolicy, Stake
from contrat_ville.participation.enums import OpinionVerdict
from contrat_ville.participation.models import Opinion


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


class MainstreamIn(InputSchema):
    organization_id: int = Field(ge=1, le=BIGGEST_ID)
    policy: str = schema_field(MainstreamPolicy, "policy")


class StakeIn(InputSchema):
    pillar: str = Field(max_length=32, description="Code du pilier.")
    title: str = schema_field(Stake, "title")
    description: str = schema_field(Stake, "description", "")
    axes: list[Annotated[str, Field(max_length=32)]] = Field(
        default_factory=list, max_length=100, description="Codes des axes transversaux."
    )
    finding_ids: list[Annotated[int, Field(ge=1, le=BIGGEST_ID)]] = Field(default_factory=list, max_length=1000)
    mainstream: list[MainstreamIn] = Field(default_factory=list, max_length=100)


class ConsultationOut(Schema):
    id: int
    title: str
    message: str
    deadline: date
    status: str
    is_open: bool
    council_ids: list[int]
    stake_version_ids: list[int]


class OpinionIn(InputSchema):
    stake_version_id: int = Field(ge=1, le=BIGGEST_ID)
    verdict: OpinionVerdict
    text: str = schema_field(Opinion, "text", "")


class OpinionGivenOut(Schema):
    id: int
    council_id: int
    verdict: str
    text: str
    stake_version_id: int = Field(validation_alias="object_id")  # the opinion's target: the stake version

"""Input and output shapes of the strategy API (django-ninja): orientations, objectives, actions, yearly plans."""

from __future__ import annotations

from datetime import date
from typing import Any

from ninja import Field, Schema

from contrat_ville.strategy.enums import ActionStatus


class ErrorOut(Schema):
    detail: str


class RefOut(Schema):
    code: str
    label: str


class DecisionRefOut(Schema):
    verdict: str
    verdict_label: str
    decided_on: date
    body_name: str


class OrientationOut(Schema):
    id: int
    code: str
    title: str
    description: str
    pillar: RefOut
    stake_ids: list[int]
    is_validated: bool = Field(description="Validée par la dernière décision du comité de pilotage.")
    validation: DecisionRefOut | None


class ObjectiveOut(Schema):
    id: int
    orientation_id: int
    code: str
    title: str
    description: str
    indicator_code: str | None
    indicator_text: str
    territory: RefOut | None = Field(description="Territoire de mesure : code officiel et nom.")
    baseline_value: float | None
    baseline_year: int | None
    target_value: float | None
    target_year: int | None
    latest_value: float | None
    latest_year: int | None
    status: str = Field(description="Statut calculé : on_track, late, off_track, reached, unknown.")
    status_label: str


class ActionOut(Schema):
    id: int
    objective_id: int
    orientation_id: int
    pillar: str
    code: str
    title: str
    description: str
    lead_organization: str | None
    lead_contact: str
    partners: list[str]
    qpvs: list[RefOut]
    axes: list[RefOut]
    start_on: date | None
    end_on: date | None
    status: str
    status_label: str
    progress: int


class ActionIn(Schema):
    objective_id: int
    title: str
    code: str = ""
    description: str = ""
    lead_organization_id: int | None = None
    lead_contact: str = ""
    lead_email: str = ""
    partner_ids: list[int] = Field(default_factory=list)
    qpv_codes: list[str] = Field(default_factory=list, description="Codes des quartiers prioritaires du contrat.")
    axis_codes: list[str] = Field(default_factory=list, description="Codes des axes transversaux du contrat.")
    start_on: date | None = None
    end_on: date | None = None
    status: ActionStatus = ActionStatus.PLANNED
    progress: int = Field(0, ge=0, le=100)


class ActionStatusIn(Schema):
    status: ActionStatus
    progress: int | None = Field(None, ge=0, le=100)
    comment: str = ""


class ActionPlanOut(Schema):
    id: int
    year: int
    status: str
    status_label: str
    previous_id: int | None
    notes: str
    item_count: int


class ActionPlanItemOut(Schema):
    action_id: int
    carried_over: bool
    state: dict[str, Any] = Field(
        description="État de l'action dans ce plan : figé à la validation, état actuel tant que le plan est en "
        "préparation (numéro, intitulé, objectif, état, avancement, pilote, dates, quartiers)."
    )


class ActionPlanDetailOut(ActionPlanOut):
    items: list[ActionPlanItemOut]

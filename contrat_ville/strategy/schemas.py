"""Input and output shapes of the strategy API (django-ninja): orientations, objectives, actions, yearly plans."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import AliasPath

from contrat_ville.core.bounds import BIGGEST_ID, schema_field
from contrat_ville.core.models import StatusChange
from contrat_ville.core.schemas import DateIn, InputSchema, OutputSchema, RelatedIds, VerdictOut
from contrat_ville.strategy.enums import ActionStatus
from contrat_ville.strategy.models import Action, ActionPlan, Objective, Orientation
from contrat_ville.territories.models import Territory

IdItem = Annotated[int, Field(ge=1, le=BIGGEST_ID)]


class RefOut(Schema):
    code: str
    label: str


class DecisionRefOut(VerdictOut):
    pass


class OrientationOut(OutputSchema):
    id: int
    code: str
    title: str
    description: str
    pillar: RefOut
    stake_ids: RelatedIds = Field(validation_alias="stakes")
    axes: list[RefOut]
    is_validated: bool = Field(description="Validée par la dernière décision du comité de pilotage.")
    validation: DecisionRefOut | None


def _territory_ref(territory: Territory) -> RefOut:
    return RefOut(code=territory.code, label=territory.name)


class ObjectiveOut(OutputSchema):
    id: int
    orientation_id: int
    code: str
    title: str
    description: str
    indicator_code: str | None
    indicator_text: str
    territory: RefOut | None = Field(description="Territoire de mesure : code officiel et nom.")
    axes: list[RefOut]
    baseline_value: float | None
    baseline_year: int | None
    target_value: float | None
    target_year: int | None
    latest_value: float | None
    latest_year: int | None
    status: str = Field(description="Statut calculé : on_track, late, off_track, reached, unknown.")
    status_label: str

    @staticmethod
    def resolve_indicator_code(objective: Objective) -> str | None:
        return objective.indicator.code if objective.indicator is not None else None

    @staticmethod
    def resolve_territory(objective: Objective) -> RefOut | None:
        territory = objective.territory
        return _territory_ref(territory) if territory is not None else None


class ActionOut(OutputSchema):
    id: int
    objective_id: int
    orientation_id: int = Field(validation_alias=AliasPath("objective", "orientation_id"))
    pillar: str = Field(validation_alias=AliasPath("objective", "orientation", "pillar", "code"))
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
    status_label: str = Field(validation_alias="get_status_display")
    progress: int

    @staticmethod
    def resolve_lead_organization(action: Action) -> str | None:
        return str(action.lead_organization) if action.lead_organization is not None else None

    @staticmethod
    def resolve_partners(action: Action) -> list[str]:
        return [str(partner) for partner in action.partners.all()]

    @staticmethod
    def resolve_qpvs(action: Action) -> list[RefOut]:
        return [_territory_ref(qpv) for qpv in action.qpvs.all()]


class ActionBody(InputSchema):
    """What the creation and the update of an action share."""

    title: str = schema_field(Action, "title")
    code: str = schema_field(Action, "code", "")
    description: str = schema_field(Action, "description", "")
    lead_organization_id: int | None = Field(None, ge=1, le=BIGGEST_ID)
    lead_contact: str = schema_field(Action, "lead_contact", "")
    lead_email: str = schema_field(Action, "lead_email", "")
    partner_ids: list[IdItem] = Field(default_factory=list, max_length=100)
    qpv_codes: list[Annotated[str, Field(max_length=20)]] = Field(
        default_factory=list, max_length=100, description="Codes des quartiers prioritaires du contrat."
    )
    axis_codes: list[Annotated[str, Field(max_length=32)]] = Field(
        default_factory=list, max_length=100, description="Codes des axes transversaux du contrat."
    )
    start_on: DateIn | None = Field(None, description="Dans la période du contrat.")
    end_on: DateIn | None = Field(None, description="Dans la période du contrat, au plus tôt la date de début.")
    status: ActionStatus = ActionStatus.PLANNED
    progress: int = schema_field(Action, "progress", 0, description="Avancement en %, de 0 à 100.")


class ActionIn(ActionBody):
    objective_id: int = Field(ge=1, le=BIGGEST_ID)


class ActionUpdateIn(ActionBody):
    comment: str = schema_field(
        StatusChange, "comment", "", description="Pourquoi l'état change, s'il change : gardé dans l'historique."
    )


class ActionStatusIn(InputSchema):
    status: ActionStatus
    progress: int | None = schema_field(Action, "progress", None, description="Avancement en %, de 0 à 100.")
    comment: str = schema_field(StatusChange, "comment", "")


class ActionFilters(InputSchema):
    status: ActionStatus | None = None
    pillar: str = Field("", max_length=32, description="Code du pilier.")
    qpv: str = Field("", max_length=20, description="Code d'un quartier prioritaire.")
    objective_id: int | None = Field(None, ge=1, le=BIGGEST_ID)


class ObjectiveFilters(InputSchema):
    pillar: str = Field("", max_length=32, description="Code du pilier.")
    orientation_id: int | None = Field(None, ge=1, le=BIGGEST_ID)


class OrientationFilters(InputSchema):
    pillar: str = Field("", max_length=32, description="Code du pilier.")


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


class ActionPlanIn(InputSchema):
    year: int = schema_field(ActionPlan, "year", description="Une année du contrat.")
    notes: str = Field("", max_length=20000, description="Présentation du plan.")
    action_ids: list[IdItem] = Field(
        default_factory=list, max_length=1000, description="Actions de l'arbre que ce plan met en œuvre cette année."
    )


class ActionPlanNotesIn(InputSchema):
    notes: str = Field(max_length=20000, description="Présentation du plan.")


class ActionPlanActionIn(InputSchema):
    action_id: int = Field(ge=1, le=BIGGEST_ID)


AxisCode = Annotated[str, Field(max_length=60)]


def axis_codes_field() -> Any:
    return Field(default_factory=list, max_length=100, description="Codes des axes transversaux du contrat.")


class OrientationIn(InputSchema):
    pillar: str = Field(max_length=60, description="Code du pilier (ou premier niveau propre au contrat).")
    title: str = schema_field(Orientation, "title")
    code: str = schema_field(Orientation, "code", "")
    description: str = Field("", max_length=20000)
    stake_ids: list[IdItem] = Field(default_factory=list, max_length=100, description="Enjeux du même pilier.")
    axis_codes: list[AxisCode] = axis_codes_field()


class ObjectiveUpdateIn(InputSchema):
    title: str = schema_field(Objective, "title")
    code: str = schema_field(Objective, "code", "")
    description: str = Field("", max_length=20000)
    indicator_text: str = schema_field(Objective, "indicator_text", "")
    baseline_value: float | None = schema_field(Objective, "baseline_value", None)
    baseline_year: int | None = schema_field(Objective, "baseline_year", None)
    target_value: float | None = schema_field(Objective, "target_value", None)
    target_year: int | None = schema_field(Objective, "target_year", None)
    axis_codes: list[AxisCode] = axis_codes_field()


class ObjectiveIn(ObjectiveUpdateIn):
    orientation_id: int = Field(ge=1, le=BIGGEST_ID)

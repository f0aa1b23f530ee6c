"""Input and output shapes of the call-for-projects API (django-ninja)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from contrat_ville.core.bounds import BIGGEST_ID, schema_field
from contrat_ville.core.schemas import InputSchema
from contrat_ville.funding.enums import ApplicationStatus, ReviewOpinion
from contrat_ville.funding.models import Application


class FunderOut(Schema):
    id: int
    name: str
    is_p147: bool = Field(description="Crédits de l'État au titre du programme 147.")
    envelope: float | None


class CallOut(Schema):
    id: int
    year: int
    title: str
    opens_on: date
    closes_on: date
    status: str
    status_label: str
    eligibility: str
    local_priorities: str
    instruction_steps: str
    submission_channel: str
    documents: str
    priority_objective_ids: list[int]
    funders: list[FunderOut]


class AmountOut(Schema):
    funder_id: int
    funder: str
    requested: float | None
    granted: float | None = Field(description="Proposé par l'instruction, arrêté par le comité de pilotage.")


class ReviewOut(Schema):
    opinion: str
    opinion_label: str
    comment: str
    reviewer: str
    organization: str


class ApplicationOut(Schema):
    id: int
    call_id: int
    organization: str
    organization_id: int
    title: str
    description: str
    status: str
    status_label: str
    submitted_at: datetime | None
    objective_ids: list[int]
    qpv_codes: list[str]
    public: str
    expected_beneficiaries: int | None
    total_budget: float | None
    co_funding: float | None
    amounts: list[AmountOut]
    reviews: list[ReviewOut] = Field(description="Lus par le pilote, l'État et le comité technique seulement.")


class ApplicationFilters(InputSchema):
    call_id: int | None = Field(None, ge=1, le=BIGGEST_ID)
    status: ApplicationStatus | None = None


class RequestedIn(InputSchema):
    funder_id: int = Field(ge=1, le=BIGGEST_ID)
    amount: Decimal | None = schema_field(Application, "total_budget", None)


class ApplicationIn(InputSchema):
    call_id: int = Field(ge=1, le=BIGGEST_ID)
    organization_id: int | None = Field(
        None, ge=1, le=BIGGEST_ID, description="Pour le pilote et l'État seulement ; un porteur dépose pour la sienne."
    )
    title: str = schema_field(Application, "title")
    description: str = Field(max_length=20000)
    public: str = Field("", max_length=20000)
    expected_beneficiaries: int | None = schema_field(Application, "expected_beneficiaries", None)
    total_budget: Decimal | None = schema_field(Application, "total_budget", None)
    co_funding: Decimal | None = schema_field(Application, "co_funding", None)
    co_funding_detail: str = Field("", max_length=20000)
    objective_ids: list[int] = Field(default_factory=list, max_length=200)
    qpv_codes: list[str] = Field(default_factory=list, max_length=200)
    requested: list[RequestedIn] = Field(default_factory=list, max_length=50)


class ReviewIn(InputSchema):
    opinion: ReviewOpinion
    comment: str = Field("", max_length=5000)

"""Input and output shapes of the call-for-projects API (django-ninja)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.urls import reverse
from ninja import Field, Schema
from pydantic import AliasPath

from contrat_ville.core.attachments import file_name
from contrat_ville.core.bounds import BIGGEST_ID, schema_field
from contrat_ville.core.schemas import InputSchema, OutputSchema, RelatedIds
from contrat_ville.funding import selectors
from contrat_ville.funding.enums import ApplicationStatus, CallStatus, ReviewOpinion
from contrat_ville.funding.models import (
    Application,
    ApplicationAttachment,
    CallForProjects,
    CallFunder,
    FinalReport,
    Review,
)


class FunderOut(Schema):
    id: int
    name: str
    is_p147: bool = Field(description="Crédits de l'État au titre du programme 147.")
    envelope: float | None
    organization_id: int | None = Field(None, description="L'organisation qui attribue (données ouvertes).")


# Built from the call (``calls_with_details``: its priorities and funders prefetched).
class CallOut(OutputSchema):
    id: int
    year: int
    title: str
    opens_on: date
    closes_on: date
    status: str
    status_label: str = Field(validation_alias="get_status_display")
    eligibility: str
    local_priorities: str
    instruction_steps: str
    submission_channel: str
    documents: str
    priority_objective_ids: RelatedIds = Field(validation_alias="priorities")
    report_due_on: date = Field(description="Date limite des comptes rendus des projets financés.")
    funders: list[FunderOut]

    @staticmethod
    def resolve_report_due_on(call: CallForProjects) -> date:
        return selectors.report_due_on(call)


class AmountOut(OutputSchema):
    funder_id: int
    funder: str = Field(validation_alias=AliasPath("funder", "name"))
    requested: float | None
    granted: float | None = Field(description="Proposé par l'instruction, arrêté par le comité de pilotage.")


class ReviewOut(OutputSchema):
    opinion: str
    opinion_label: str = Field(validation_alias="get_opinion_display")
    comment: str
    reviewer: str
    organization: str

    @staticmethod
    def resolve_reviewer(review: Review) -> str:
        return review.reviewer.display_name if review.reviewer is not None else ""

    @staticmethod
    def resolve_organization(review: Review) -> str:
        return str(review.reviewer_organization or "")


class ApplicationOut(OutputSchema):
    id: int
    call_id: int
    organization: str = Field(validation_alias=AliasPath("organization", "name"))
    organization_id: int
    title: str
    description: str
    status: str
    status_label: str = Field(validation_alias="get_status_display")
    submitted_at: datetime | None
    objective_ids: RelatedIds = Field(validation_alias="objectives")
    qpv_codes: list[str]
    public: str
    expected_beneficiaries: int | None
    total_budget: float | None
    co_funding: float | None
    amounts: list[AmountOut]
    reviews: list[ReviewOut] = Field(description="Lus par le pilote, l'État et le comité technique seulement.")
    attachments: list[ApplicationAttachmentOut] = Field(default_factory=list)

    @staticmethod
    def resolve_qpv_codes(application: Application) -> list[str]:
        return [qpv.code for qpv in application.qpvs.all()]


class ApplicationFilters(InputSchema):
    call_id: int | None = Field(None, ge=1, le=BIGGEST_ID)
    status: ApplicationStatus | None = None


class RequestedIn(InputSchema):
    funder_id: int = Field(ge=1, le=BIGGEST_ID)
    amount: Decimal | None = schema_field(Application, "total_budget", None)


# What an application's author writes, at its creation and afterwards.
class ApplicationUpdateIn(InputSchema):
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


# A new application: its text, plus the call it answers and (for the pilot and the State) the organisation.
class ApplicationIn(ApplicationUpdateIn):
    call_id: int = Field(ge=1, le=BIGGEST_ID)
    organization_id: int | None = Field(
        None, ge=1, le=BIGGEST_ID, description="Pour le pilote et l'État seulement ; un porteur dépose pour la sienne."
    )


class ReviewIn(InputSchema):
    opinion: ReviewOpinion
    comment: str = Field("", max_length=5000)


class ApplicationAttachmentOut(OutputSchema):
    id: int
    title: str
    file_name: str = Field(description="Nom du fichier joint.")
    url: str = Field(description="Téléchargement (page web, pour ceux qui lisent le dossier).")

    @staticmethod
    def resolve_file_name(attachment: ApplicationAttachment) -> str:
        return file_name(attachment.file)

    @staticmethod
    def resolve_url(attachment: ApplicationAttachment) -> str:
        application = attachment.application
        return reverse(
            "funding_calls:application_attachment_download",
            kwargs={
                "contract_slug": application.contract.slug,
                "application_id": application.pk,
                "attachment_id": attachment.pk,
            },
        )


ApplicationOut.model_rebuild()


class CallIn(InputSchema):
    title: str = schema_field(CallForProjects, "title")
    year: int = schema_field(CallForProjects, "year")
    opens_on: date
    closes_on: date
    eligibility: str = Field("", max_length=20000)
    local_priorities: str = Field("", max_length=20000)
    instruction_steps: str = Field("", max_length=20000)
    submission_channel: str = schema_field(CallForProjects, "submission_channel", "")
    documents: str = Field("", max_length=20000)
    priority_objective_ids: list[int] = Field(default_factory=list, max_length=200)
    report_due_on: date | None = None


class CallStatusIn(InputSchema):
    status: CallStatus = Field(
        description="Ouvert, clos, ou revenir d'un pas ; « programmé » vient du comité de pilotage."
    )
    comment: str = Field("", max_length=2000)


class FunderIn(InputSchema):
    name: str = schema_field(CallFunder, "name")
    is_p147: bool = False
    envelope: Decimal | None = schema_field(CallFunder, "envelope", None)
    organization_id: int | None = Field(None, ge=1, le=BIGGEST_ID)


class ApplicationStatusIn(InputSchema):
    status: ApplicationStatus = Field(
        description="Le pilote et l'État : renvoyer en brouillon, prendre en instruction, convention signée, versé. "
        "Programmer ou refuser revient au comité de pilotage ; le dépôt passe par `…/submit`, le compte rendu par "
        "`…/final-report`."
    )
    comment: str = Field("", max_length=2000)


class GrantIn(InputSchema):
    funder_id: int = Field(ge=1, le=BIGGEST_ID)
    granted: Decimal | None = schema_field(Application, "total_budget", None)


class GrantsIn(InputSchema):
    granted: list[GrantIn] = Field(max_length=50)


class ReviewRequestIn(InputSchema):
    reviewer_ids: list[int] = Field(min_length=1, max_length=200, description="Membres du comité technique.")


class FinalReportIn(InputSchema):
    actions_carried_out: str = Field(max_length=20000)
    women: int = schema_field(FinalReport, "women", 0)
    men: int = schema_field(FinalReport, "men", 0)
    age_under_16: int = schema_field(FinalReport, "age_under_16", 0)
    age_16_25: int = schema_field(FinalReport, "age_16_25", 0)
    age_26_64: int = schema_field(FinalReport, "age_26_64", 0)
    age_65_plus: int = schema_field(FinalReport, "age_65_plus", 0)
    qpv_residents: int = schema_field(FinalReport, "qpv_residents", 0)
    realised_budget: Decimal | None = schema_field(FinalReport, "realised_budget", None)


class OpenDataGrantOut(Schema):
    """One line of the SCDL « subventions » 2.1.1 file, under the schema's own names and as the CSV writes them
    (ISO dates, a decimal point)."""

    nomAttribuant: str  # noqa: N815 — the national schema's names
    idAttribuant: str  # noqa: N815
    dateConvention: str  # noqa: N815
    referenceDecision: str  # noqa: N815
    nomBeneficiaire: str  # noqa: N815
    idBeneficiaire: str  # noqa: N815
    rnaBeneficiaire: str  # noqa: N815
    objet: str
    montant: str
    nature: str
    conditionsVersement: str  # noqa: N815
    datesPeriodeVersement: str  # noqa: N815
    idRAE: str  # noqa: N815
    notificationUE: str  # noqa: N815
    pourcentageSubvention: str  # noqa: N815
    dispositifAide: str  # noqa: N815

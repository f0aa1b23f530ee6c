"""Input and output shapes of the commitments API (django-ninja)."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from ninja import Field, Schema

from contrat_ville.contracts.models import Pillar
from contrat_ville.core.bounds import BIGGEST_ID, schema_field
from contrat_ville.core.schemas import InputSchema, OutputSchema
from contrat_ville.funding import selectors
from contrat_ville.funding.enums import (
    AgreementKind,
    CommitmentNature,
    CommitmentStatus,
    CommitmentUnit,
    CreditProgramme,
)
from contrat_ville.funding.models import CommitmentYear, Credit, MainstreamCommitment


class PartnerOut(Schema):
    id: int
    name: str


class PillarRefOut(Schema):
    code: str
    label: str


class CommitmentYearOut(OutputSchema):
    year: int
    planned: float | None
    realised: float | None = Field(description="Vide tant que le partenaire n'a pas dit ce qu'il a mobilisé.")
    note: str
    awaiting: bool = Field(description="Année échue sans réalisé.")

    @staticmethod
    def resolve_awaiting(line: CommitmentYear) -> bool:
        return selectors.year_awaits_figure(line, timezone.localdate())


# Built from the commitment (``commitment_list``: its partner, target and years fetched with it).
class CommitmentOut(OutputSchema):
    id: int
    partner: PartnerOut
    title: str
    description: str
    nature: str
    nature_label: str = Field(validation_alias="get_nature_display")
    unit: str
    unit_label: str = Field(
        validation_alias="unit_text", description="L'unité telle qu'affichée (celle du partenaire pour « autre »)."
    )
    status: str
    status_label: str = Field(validation_alias="get_status_display")
    evidence: str
    objective_id: int | None
    action_id: int | None
    pillar: PillarRefOut | None = Field(
        description="Le pilier servi : celui de l'objectif ou de l'action, sinon le sien."
    )
    years: list[CommitmentYearOut]

    @staticmethod
    def resolve_pillar(commitment: MainstreamCommitment) -> Pillar | None:
        return selectors.commitment_pillar(commitment)


class CommitmentIn(InputSchema):
    partner_id: int = Field(ge=1, le=BIGGEST_ID, description="Organisation du contrat qui s'engage.")
    title: str = schema_field(MainstreamCommitment, "title")
    nature: CommitmentNature
    unit: CommitmentUnit = CommitmentUnit.EURO
    unit_label: str = schema_field(MainstreamCommitment, "unit_label", "")
    description: str = Field("", max_length=20000)
    status: CommitmentStatus = CommitmentStatus.PROPOSED
    evidence: str = Field("", max_length=20000)
    objective_id: int | None = Field(None, ge=1, le=BIGGEST_ID)
    action_id: int | None = Field(None, ge=1, le=BIGGEST_ID)
    pillar: str = Field("", max_length=60, description="Code du pilier, pour un engagement sur le contrat entier.")


class CommitmentYearIn(InputSchema):
    planned: Decimal | None = schema_field(CommitmentYear, "planned", None)
    realised: Decimal | None = schema_field(CommitmentYear, "realised", None)
    note: str = schema_field(CommitmentYear, "note", "")


class CommitmentFilters(InputSchema):
    partner_id: int | None = Field(None, ge=1, le=BIGGEST_ID)
    pillar: str = Field("", max_length=60, description="Code du pilier.")


class BalanceTotalsOut(Schema):
    unit: str
    commitments: int
    awaiting: int
    planned: float
    due_planned: float = Field(
        description="Prévu des années échues (et de l'année en cours si son réalisé est saisi)."
    )
    realised: float
    rate: float | None = Field(description="Réalisé ÷ prévu échu ; vide quand rien de prévu n'est échu.")


class BalanceRowOut(Schema):
    partner: PartnerOut
    pillar_label: str
    totals: list[BalanceTotalsOut]


class BalanceOut(Schema):
    commitment_count: int
    partner_count: int
    by_unit: list[BalanceTotalsOut]
    rows: list[BalanceRowOut]
    awaiting_commitment_ids: list[int]
    objectives_without_commitment: list[int]


class CreditOut(OutputSchema):
    id: int
    programme: str
    programme_label: str = Field(validation_alias="get_programme_display")
    theme_code: str
    title: str
    beneficiary: str
    beneficiary_siret: str
    objective_id: int | None
    action_id: int | None
    year: int
    agreement: str
    agreement_end_year: int | None
    requested: float | None
    granted: float | None
    paid: float | None
    post_id: str = Field(description="Identifiant ANCT d'un poste d'adulte-relais ou FONJEP importé.")
    warning: str = Field(description="Crédits proposés pour un objectif sans engagement de droit commun (R17).")


class CreditIn(InputSchema):
    programme: CreditProgramme
    title: str = schema_field(Credit, "title")
    year: int = schema_field(Credit, "year")
    theme_code: str = schema_field(Credit, "theme_code", "")
    beneficiary: str = schema_field(Credit, "beneficiary", "")
    beneficiary_siret: str = schema_field(Credit, "beneficiary_siret", "")
    objective_id: int | None = Field(None, ge=1, le=BIGGEST_ID)
    action_id: int | None = Field(None, ge=1, le=BIGGEST_ID)
    agreement: AgreementKind = AgreementKind.SINGLE_YEAR
    agreement_end_year: int | None = schema_field(Credit, "agreement_end_year", None)
    requested: Decimal | None = schema_field(Credit, "requested", None)
    granted: Decimal | None = schema_field(Credit, "granted", None)
    paid: Decimal | None = schema_field(Credit, "paid", None)


class CreditFilters(InputSchema):
    year: int | None = schema_field(Credit, "year", None)
    programme: CreditProgramme | None = None

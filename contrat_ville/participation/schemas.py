"""Input and output shapes of the participation API (django-ninja)."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from contrat_ville.core.schemas import ModelLabel, OutputSchema
from contrat_ville.participation.models import CitizenCouncil, CouncilMember, Opinion


class CouncilRefOut(Schema):
    id: int
    name: str


class OpinionOut(OutputSchema):
    id: int
    council: CouncilRefOut
    author: str | None = Field(description="Nom du membre du conseil citoyen qui a donné l'avis.")
    verdict: str = Field(description="agree, agree_with_reservations ou disagree.")
    verdict_label: str = Field(validation_alias="get_verdict_display")
    text: str
    target_type: ModelLabel = Field(
        validation_alias="content_type", description="Type de l'objet jugé (« diagnostic.stakeversion »…)."
    )
    target_id: int = Field(validation_alias="object_id")
    target_label: str
    target_version: int | None = Field(description="Numéro de la version jugée, quand l'objet est une version.")
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_author(opinion: Opinion) -> str | None:
        return opinion.author.display_name if opinion.author is not None else None


class CouncilQpvOut(Schema):
    code: str
    name: str


class CollegeCountOut(Schema):
    college: str = Field(description="residents ou local_actors.")
    label: str
    women: int
    men: int
    total: int


class CompositionOut(Schema):
    """Counts of the sitting members: never a name."""

    total: int
    women: int
    men: int
    young: int = Field(description="Membres de moins de 26 ans.")
    women_share: int | None = Field(description="Part des femmes, en pour cent (null sans membre).")
    young_share: int | None = Field(description="Part des moins de 26 ans, en pour cent (null sans membre).")
    residents_share: int | None = Field(description="Part du collège des habitants, en pour cent.")
    colleges: list[CollegeCountOut]


class CouncilOut(OutputSchema):
    id: int
    organization_id: int = Field(description="L'organisation du conseil (instances, avis).")
    name: str
    qpvs: list[CouncilQpvOut]
    created_on: date | None
    legal_form: str = Field(description="association, collective ou hosted.")
    legal_form_label: str = Field(validation_alias="get_legal_form_display")
    host_structure: str | None
    has_charter: bool
    charter_adopted_on: date | None
    has_statutes: bool
    facilitator_kind: str
    facilitation: str
    yearly_budget: int | None = Field(description="Budget annuel, en euros.")
    premises: str
    training: str
    status: str = Field(description="active, dormant ou renewed.")
    status_label: str = Field(validation_alias="get_status_display")
    renewed_on: date | None
    composition: CompositionOut

    @staticmethod
    def resolve_host_structure(council: CitizenCouncil) -> str | None:
        return str(council.host_structure) if council.host_structure is not None else None

    @staticmethod
    def resolve_has_charter(council: CitizenCouncil) -> bool:
        return bool(council.charter)

    @staticmethod
    def resolve_has_statutes(council: CitizenCouncil) -> bool:
        return bool(council.statutes)


class CouncilMemberOut(OutputSchema):
    id: int
    name: str = Field(description="Vide quand le membre n'a pas de nom enregistré.")
    publish_name: bool
    college: str
    sex: str
    age_band: str
    neighbourhood: str | None = Field(description="Code du quartier prioritaire.")
    designation_method: str
    start_on: date
    end_on: date | None

    @staticmethod
    def resolve_neighbourhood(member: CouncilMember) -> str | None:
        return member.neighbourhood.code if member.neighbourhood is not None else None


class PublicMemberOut(Schema):
    name: str
    college: str


class CouncilMembersOut(Schema):
    council: CouncilRefOut
    composition: CompositionOut
    members: list[CouncilMemberOut] | None = Field(
        description="La liste nominative (anciens membres compris) : pour le pilote, l'État et les membres du "
        "conseil ; null pour les autres."
    )
    public_names: list[PublicMemberOut] = Field(
        description="Les membres en fonction qui ont accepté que leur nom soit publié."
    )

"""Input and output shapes of the contracts API (django-ninja)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import AliasPath

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.models import Organization
from contrat_ville.contracts.enums import AreaKind, ContractStatus, Generation, Role, SignatoryKind
from contrat_ville.contracts.models import (
    Amendment,
    Contract,
    ContractArea,
    ContractRole,
    Invitation,
    Pillar,
    Signatory,
)
from contrat_ville.core.bounds import BIGGEST_ID, schema_field
from contrat_ville.core.schemas import DateIn, InputSchema, OutputSchema


class ContractTerritoryOut(Schema):
    """A territory of the contract (its EPCI, its QPVs): enough to find it in ``/territories/{id}``."""

    id: int
    kind: str
    code: str
    vintage: str
    name: str


class ContractOut(OutputSchema):
    """What every answer about a contract says of it."""

    id: int
    slug: str
    name: str
    epci: ContractTerritoryOut
    generation: str
    generation_label: str
    status: str
    status_label: str
    is_published: bool
    start_on: date
    end_on: date
    signed_on: date | None

    @staticmethod
    def resolve_generation_label(obj: Any) -> str:
        return str(Generation(obj.generation).label)

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(ContractStatus(obj.status).label)


class ContractListItemOut(ContractOut):
    qpv_count: int


class TermOut(Schema):
    code: str
    label: str
    objective: str
    is_local: bool


class SignatoryOut(OutputSchema):
    id: int
    organization_id: int
    organization: str
    kind: str
    kind_label: str = Field(validation_alias="get_kind_display")
    signed_by: str
    signed_on: date | None
    is_signed: bool

    @staticmethod
    def resolve_organization(signatory: Signatory) -> str:
        return str(signatory.organization)

    @staticmethod
    def resolve_is_signed(signatory: Signatory) -> bool:
        return signatory.signed_on is not None


class ContractDetailOut(ContractOut):
    summary: str
    qpvs: list[ContractTerritoryOut]
    pillars: list[TermOut]
    axes: list[TermOut]
    signatories: list[SignatoryOut]


class MemberOut(OutputSchema):
    user_id: int
    name: str = Field(validation_alias=AliasPath("user", "display_name"))
    organization: str | None
    role: str
    role_label: str = Field(validation_alias="get_role_display")

    @staticmethod
    def resolve_organization(role: ContractRole) -> str | None:
        organization = role.user.organization
        return str(organization) if organization else None


# --- writes -------------------------------------------------------------------------------------------------------


class ContractIn(InputSchema):
    """Open a contract's space: administrators anywhere, State agents for an intercommunality of their
    département."""

    name: str = schema_field(Contract, "name")
    epci_id: int = Field(ge=1, le=BIGGEST_ID, description="Identifiant du territoire de l'EPCI (`/territories`).")
    generation: Generation
    start_on: DateIn | None = Field(None, description="Vide : le début de la génération.")
    end_on: DateIn | None = Field(None, description="Vide : la fin de la génération.")
    anct_code: str = schema_field(Contract, "anct_code", "")


class ContractUpdateIn(InputSchema):
    """What the pilot completes; the names of the levels of the strategic tree are the contract's own words."""

    name: str = schema_field(Contract, "name")
    summary: str = schema_field(Contract, "summary", "")
    start_on: DateIn
    end_on: DateIn
    anct_code: str = schema_field(Contract, "anct_code", "")
    framework_agreement_on: DateIn | None = None
    pillar_term: str = schema_field(Contract, "pillar_term", "pilier")
    pillar_term_plural: str = schema_field(Contract, "pillar_term_plural", "piliers")
    orientation_term: str = schema_field(Contract, "orientation_term", "orientation stratégique")
    objective_term: str = schema_field(Contract, "objective_term", "objectif opérationnel")
    action_term: str = schema_field(Contract, "action_term", "action")


class TermIn(InputSchema):
    label: str = schema_field(Pillar, "label")
    slogan: str = schema_field(Pillar, "slogan", "")
    objective: str = schema_field(Pillar, "objective", "")


class TermOrderIn(InputSchema):
    ids: list[Annotated[int, Field(ge=1, le=BIGGEST_ID)]] = Field(
        max_length=100, description="Identifiants dans l'ordre voulu ; ceux qui manquent gardent leur place après."
    )


class TermDetailOut(Schema):
    id: int
    code: str
    label: str
    slogan: str
    objective: str
    is_local: bool
    archived_on: date | None


class ContractTerritoriesIn(InputSchema):
    qpv_ids: list[Annotated[int, Field(ge=1, le=BIGGEST_ID)]] = Field(default_factory=list, max_length=500)
    commune_ids: list[Annotated[int, Field(ge=1, le=BIGGEST_ID)]] = Field(default_factory=list, max_length=2000)


class AmendmentIn(InputSchema):
    title: str = schema_field(Amendment, "title")
    signed_on: DateIn
    description: str = schema_field(Amendment, "description", "")
    new_end_on: DateIn | None = None
    pillars_added: list[Annotated[str, Field(min_length=1, max_length=255)]] = Field(
        default_factory=list, max_length=20
    )
    axes_added: list[Annotated[str, Field(min_length=1, max_length=255)]] = Field(default_factory=list, max_length=20)
    pillar_ids_archived: list[Annotated[int, Field(ge=1, le=BIGGEST_ID)]] = Field(default_factory=list, max_length=50)
    axis_ids_archived: list[Annotated[int, Field(ge=1, le=BIGGEST_ID)]] = Field(default_factory=list, max_length=50)
    qpv_ids_added: list[Annotated[int, Field(ge=1, le=BIGGEST_ID)]] = Field(default_factory=list, max_length=500)
    qpv_ids_removed: list[Annotated[int, Field(ge=1, le=BIGGEST_ID)]] = Field(default_factory=list, max_length=500)


class AmendmentChangeOut(Schema):
    kind: str
    kind_label: str = Field(validation_alias="get_kind_display")
    label: str
    before: str
    after: str


class AmendmentOut(Schema):
    id: int
    number: int
    title: str
    signed_on: date
    description: str
    changes: list[AmendmentChangeOut]


class InvitationIn(InputSchema):
    email: str = schema_field(Invitation, "email")
    role: Role
    first_name: str = schema_field(Invitation, "first_name", "")
    last_name: str = schema_field(Invitation, "last_name", "")
    organization_id: int | None = Field(None, ge=1, le=BIGGEST_ID)


class InvitationOut(Schema):
    id: int
    email: str
    role: str
    role_label: str = Field(validation_alias="get_role_display")
    state: str  # Invitation.state(), computed from its dates
    state_label: str = Field(validation_alias=AliasPath("state", "label"))
    expires_at: datetime


class OrganizationIn(InputSchema):
    """An organisation of the contract, and the contract's territories it serves (ids of its EPCI, communes, QPVs);
    the territories it serves outside the contract are kept."""

    name: str = schema_field(Organization, "name", min_length=1)
    kind: OrganizationKind
    acronym: str = schema_field(Organization, "acronym", "")
    siren: str = schema_field(Organization, "siren", "")
    departement_code: str = schema_field(Organization, "departement_code", "")
    former_names: str = schema_field(Organization, "former_names", "")
    served_territory_ids: list[Annotated[int, Field(ge=1, le=BIGGEST_ID)]] = Field(
        default_factory=list, max_length=2000
    )


class OrganizationOut(OutputSchema):
    id: int
    name: str
    acronym: str
    kind: str
    kind_label: str = Field(validation_alias="get_kind_display")
    siren: str
    departement_code: str
    former_names: str
    served_territories: list[ContractTerritoryOut]


# --- members, signatories, signature, status, publication, other perimeters (issue 10 §7) -----------------------


class MemberRoleIn(InputSchema):
    role: Role


class SignatoryIn(InputSchema):
    organization_id: int = Field(ge=1, le=BIGGEST_ID)
    kind: SignatoryKind = Field(description="Qualité : state, epci, commune, departement, region ou other.")


class SignatureEntryIn(InputSchema):
    signatory_id: int = Field(ge=1, le=BIGGEST_ID)
    signed_by: str = schema_field(Signatory, "signed_by", description="Nom et fonction de la personne qui a signé.")


class SignatureIn(InputSchema):
    signed_on: DateIn = Field(description="Date de signature du contrat.")
    signatures: list[SignatureEntryIn] = Field(
        min_length=1, max_length=100, description="Qui a signé, pour au moins un signataire."
    )


class ContractStatusIn(InputSchema):
    status: ContractStatus = Field(description="Le nouvel état ; la signature passe par `/signature`.")
    comment: str = Field("", max_length=500)


class ContractPublicationIn(InputSchema):
    is_published: bool = Field(description="Publier (ouvrir les pages publiques) ou retirer de la publication.")


class AreaOut(OutputSchema):
    id: int
    kind: str = Field(description="watch (veille active), lived (quartier vécu) ou observation.")
    kind_label: str = Field(validation_alias="get_kind_display")
    name: str
    description: str
    qpv: str | None = Field(description="Code du quartier prioritaire associé, le cas échéant.")
    geometry: dict[str, Any] | None = Field(description="Contour GeoJSON (Polygon ou MultiPolygon, WGS84).")

    @staticmethod
    def resolve_qpv(area: ContractArea) -> str | None:
        return area.qpv.code if area.qpv is not None else None


class AreaIn(InputSchema):
    kind: AreaKind
    name: str = schema_field(ContractArea, "name")
    description: str = Field("", max_length=5000, description="Rues, îlots, IRIS… : le périmètre en mots.")
    qpv: str | None = Field(None, max_length=20, description="Code d'un quartier prioritaire du contrat.")
    geometry: dict[str, Any] | None = Field(
        None, description="Contour GeoJSON facultatif : une géométrie Polygon ou MultiPolygon (ou une Feature), WGS84."
    )

"""Input and output shapes of the diagnostic API (django-ninja): data sources, findings, stakes, consultations,
opinions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import AliasPath

from contrat_ville.accounts.models import User
from contrat_ville.core.bounds import BIGGEST_ID, schema_field
from contrat_ville.core.models import StatusChange
from contrat_ville.core.schemas import (
    DateIn,
    InputSchema,
    ModelLabel,
    OutputSchema,
    RelatedIds,
    content_type_label,
)
from contrat_ville.diagnostic.enums import FindingKind
from contrat_ville.diagnostic.models import (
    Consultation,
    DataSource,
    FindingEvidence,
    MainstreamPolicy,
    Stake,
    StakeVersion,
)
from contrat_ville.diagnostic.selectors.consultations import consultation_is_open
from contrat_ville.participation.enums import OpinionVerdict
from contrat_ville.participation.models import Opinion


class AxisOut(Schema):
    code: str
    label: str


class MainstreamOut(Schema):
    organization_id: int
    organization: str
    policy: str


def _display_name(user: User | None) -> str | None:
    return user.display_name if user is not None else None


# A version keeps its axes and droit commun as they were, in JSON.
class StakeVersionOut(OutputSchema):
    id: int
    number: int
    title: str
    description: str
    axes: list[AxisOut]
    mainstream: list[MainstreamOut]
    reason: str
    created_at: datetime
    created_by: str | None

    @staticmethod
    def resolve_axes(version: StakeVersion) -> list[AxisOut]:
        return [AxisOut(code=axis.get("code", ""), label=axis.get("label", "")) for axis in version.axes]

    @staticmethod
    def resolve_mainstream(version: StakeVersion) -> list[MainstreamOut]:
        return [
            MainstreamOut(
                organization_id=row.get("organization_id") or 0,
                organization=row.get("organization", ""),
                policy=row.get("policy", ""),
            )
            for row in version.mainstream
        ]

    @staticmethod
    def resolve_created_by(version: StakeVersion) -> str | None:
        return _display_name(version.created_by)


class StakeOut(OutputSchema):
    id: int
    pillar: str = Field(validation_alias=AliasPath("pillar", "code"), description="Code du pilier.")
    pillar_label: str = Field(validation_alias=AliasPath("pillar", "label"))
    title: str
    description: str
    status: str = Field(description="proposed, submitted, redefined, retained ou rejected.")
    status_label: str = Field(validation_alias="get_status_display")
    version: int = Field(description="Numéro de la version actuelle.")
    axes: list[AxisOut]
    mainstream: list[MainstreamOut] = Field(description="Droit commun identifié : partenaire et politique.")
    duplicate_of: int | None = Field(validation_alias="duplicate_of_id")
    is_validated: bool = Field(description="La dernière décision du comité de pilotage sur l'enjeu le valide.")
    versions: list[StakeVersionOut]

    @staticmethod
    def resolve_mainstream(stake: Stake) -> list[MainstreamOut]:
        return [
            MainstreamOut(organization_id=row.organization_id, organization=str(row.organization), policy=row.policy)
            for row in stake.mainstream.all()
        ]


class StatusChangeOut(OutputSchema):
    from_status: str
    to_status: str
    changed_at: datetime
    changed_by: str | None
    comment: str

    @staticmethod
    def resolve_changed_by(change: StatusChange) -> str | None:
        return _display_name(change.changed_by)


class StakeDetailOut(StakeOut):
    finding_ids: RelatedIds = Field(validation_alias="findings")
    status_history: list[StatusChangeOut]


class MainstreamIn(InputSchema):
    organization_id: int = Field(ge=1, le=BIGGEST_ID)
    policy: str = schema_field(MainstreamPolicy, "policy")


class StakeUpdateIn(InputSchema):
    pillar: str = Field(max_length=32, description="Code du pilier.")
    title: str = schema_field(Stake, "title")
    description: str = schema_field(Stake, "description", "")
    axes: list[Annotated[str, Field(max_length=32)]] = Field(
        default_factory=list, max_length=100, description="Codes des axes transversaux."
    )
    finding_ids: list[Annotated[int, Field(ge=1, le=BIGGEST_ID)]] = Field(default_factory=list, max_length=1000)


class StakeIn(StakeUpdateIn):
    mainstream: list[MainstreamIn] = Field(default_factory=list, max_length=100)


class StakeRedefineIn(InputSchema):
    title: str = schema_field(Stake, "title")
    description: str = schema_field(Stake, "description", "")
    axes: list[Annotated[str, Field(max_length=32)]] = Field(
        default_factory=list, max_length=100, description="Codes des axes transversaux."
    )
    reason: str = Field(max_length=20000, description="Ce que les avis des conseils citoyens ont changé.")


class StakeDuplicateIn(InputSchema):
    duplicate_of: int | None = Field(
        ge=1, le=BIGGEST_ID, description="L'enjeu d'origine dont celui-ci est le doublon ; `null` : plus un doublon."
    )


# --- data inventory and état des lieux ---------------------------------------------------------------------


class DataSourceOut(OutputSchema):
    id: int
    pillar: str | None = Field(description="Code du pilier (groupe de travail) ; vide : source commune au contrat.")
    producer: str
    dataset: str
    level: str = Field(description="Échelle : QPV, IRIS, commune, EPCI…")
    year: int | None
    url: str
    notes: str

    @staticmethod
    def resolve_pillar(source: DataSource) -> str | None:
        return source.pillar.code if source.pillar is not None else None


class DataSourceIn(InputSchema):
    pillar: str | None = Field(
        None, max_length=32, description="Code du pilier (groupe de travail) ; absent : source commune au contrat."
    )
    producer: str = schema_field(DataSource, "producer", description="INSEE, CAF, France Travail, bailleur…")
    dataset: str = schema_field(DataSource, "dataset")
    level: str = schema_field(DataSource, "level", "", description="Échelle : QPV, IRIS, commune, EPCI…")
    year: int | None = schema_field(DataSource, "year", None, description="Entre 1950 et 2100.")
    url: str = schema_field(DataSource, "url", "")
    notes: str = Field("", max_length=20000)


class FindingTerritoryOut(Schema):
    code: str
    name: str


class FindingEvidenceOut(OutputSchema):
    id: int
    indicator_code: str = Field(validation_alias=AliasPath("indicator", "code"))
    territory_code: str = Field(validation_alias=AliasPath("territory", "code"))
    period: int


class FindingOut(OutputSchema):
    id: int
    pillar: str = Field(validation_alias=AliasPath("pillar", "code"), description="Code du pilier.")
    pillar_label: str = Field(validation_alias=AliasPath("pillar", "label"))
    territory: FindingTerritoryOut | None = Field(description="Le quartier prioritaire ; vide : tout le contrat.")
    kind: str = Field(description="strength (atout / ressource) ou handicap.")
    kind_label: str = Field(validation_alias="get_kind_display")
    text: str
    data_source_ids: RelatedIds = Field(validation_alias="data_sources")
    evidence: list[FindingEvidenceOut] = Field(description="Indicateurs cités : indicateur, territoire, année.")


class EvidenceIn(InputSchema):
    indicator_code: str = Field(max_length=32, description="Code de l'indicateur du catalogue.")
    territory_code: str = Field(
        max_length=20,
        description="Code officiel : un quartier prioritaire du contrat, une commune concernée ou l'EPCI.",
    )
    period: int = schema_field(FindingEvidence, "period", description="Année, entre 1950 et 2100.")


class FindingIn(InputSchema):
    pillar: str = Field(max_length=32, description="Code du pilier.")
    territory: str | None = Field(
        None, max_length=20, description="Code d'un quartier prioritaire du contrat ; absent : tout le contrat."
    )
    kind: FindingKind
    text: str = Field(max_length=20000)
    data_source_ids: list[Annotated[int, Field(ge=1, le=BIGGEST_ID)]] = Field(default_factory=list, max_length=1000)


class ConsultedObjectOut(OutputSchema):
    id: int
    kind: str = Field(
        description="Nature de l'objet soumis : diagnostic.stake, strategy.orientation, strategy.actionplan…"
    )
    label: str = Field(description="Intitulé de l'objet tel qu'il a été soumis.")
    target_type: ModelLabel = Field(
        validation_alias="target_type_id",
        description="Ce que jugent les avis (« app.modèle ») : la version figée d'un enjeu…",
    )
    target_id: int
    subject_type: ModelLabel = Field(
        validation_alias="subject_type_id", description="Ce sur quoi le comité de pilotage décide (« app.modèle »)."
    )
    subject_id: int


# Built from the consultation (its councils, versions and items prefetched).
class ConsultationOut(OutputSchema):
    id: int
    title: str
    message: str
    deadline: date
    status: str
    is_open: bool
    council_ids: RelatedIds = Field(validation_alias="councils")
    stake_version_ids: RelatedIds = Field(validation_alias="stake_versions")
    items: list[ConsultedObjectOut]

    @staticmethod
    def resolve_is_open(consultation: Consultation) -> bool:
        return consultation_is_open(consultation)


class ConsultedObjectIn(InputSchema):
    kind: str = Field(
        max_length=100,
        description="diagnostic.stake, strategy.orientation, strategy.actionplan (les natures soumises).",
    )
    id: int = Field(ge=1, le=BIGGEST_ID)


class ConsultationIn(InputSchema):
    title: str = schema_field(Consultation, "title")
    message: str = Field("", max_length=20000, description="Message aux conseils citoyens.")
    deadline: DateIn = Field(description="Date limite des avis : aujourd'hui au plus tôt.")
    council_ids: list[Annotated[int, Field(ge=1, le=BIGGEST_ID)]] = Field(
        max_length=100, description="Les conseils citoyens du contrat consultés."
    )
    stake_ids: list[Annotated[int, Field(ge=1, le=BIGGEST_ID)]] = Field(
        default_factory=list,
        max_length=1000,
        description="Les enjeux soumis : ni décidés par le comité de pilotage, ni doublons.",
    )
    objects: list[ConsultedObjectIn] = Field(
        default_factory=list,
        max_length=1000,
        description="Les autres objets soumis : orientations stratégiques, plans d'actions annuels…",
    )


class OpinionIn(InputSchema):
    stake_version_id: int | None = Field(
        None, ge=1, le=BIGGEST_ID, description="La version d'enjeu jugée (ou bien item_id)."
    )
    item_id: int | None = Field(None, ge=1, le=BIGGEST_ID, description="L'objet de la consultation jugé.")
    verdict: OpinionVerdict
    text: str = schema_field(Opinion, "text", "")


class OpinionGivenOut(OutputSchema):
    id: int
    council_id: int
    verdict: str
    text: str
    target_type: ModelLabel = Field(
        validation_alias="content_type_id", description="Ce que juge l'avis (« app.modèle »)."
    )
    target_id: int = Field(validation_alias="object_id")
    stake_version_id: int | None = Field(description="La version d'enjeu jugée, quand l'objet est un enjeu.")

    @staticmethod
    def resolve_stake_version_id(opinion: Opinion) -> int | None:
        return opinion.object_id if content_type_label(opinion.content_type_id) == "diagnostic.stakeversion" else None

"""API shapes of the observation app: the catalogue, values, and a territory's portrait (django-ninja).

A value under statistical secrecy comes out as ``value: null, confidential: true``, with no numerator,
denominator, gap or trend derived from it.
"""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema

from contrat_ville.core.bounds import BIGGEST_ID, schema_field
from contrat_ville.core.schemas import InputSchema
from contrat_ville.observation.enums import Aggregation, Direction, Theme
from contrat_ville.observation.models import Indicator, IndicatorValue
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import Territory


class IndicatorOut(Schema):
    code: str
    label: str
    theme: str
    theme_label: str
    unit: str
    definition: str
    numerator_label: str
    denominator_label: str
    source: str
    producer: str
    direction: str = Field(description="up : plus élevé est mieux ; down : plus bas est mieux ; context : sans sens")
    direction_label: str
    levels: list[str] = Field(description="Natures de territoire où l'indicateur est publié")
    aggregation: str = Field(description="sum, ratio (rapport des sommes) ou none (médianes, quantiles)")
    aggregation_label: str
    decimals: int

    @staticmethod
    def resolve_theme_label(obj: Any) -> str:
        return str(Theme(obj.theme).label) if obj.theme in Theme.values else obj.theme

    @staticmethod
    def resolve_direction_label(obj: Any) -> str:
        return str(Direction(obj.direction).label) if obj.direction in Direction.values else obj.direction

    @staticmethod
    def resolve_aggregation_label(obj: Any) -> str:
        return str(Aggregation(obj.aggregation).label) if obj.aggregation in Aggregation.values else obj.aggregation


class TerritoryRefOut(Schema):
    id: int
    kind: str
    code: str
    vintage: str
    name: str


class IndicatorValueFilters(InputSchema):
    indicator: str | None = schema_field(Indicator, "code", None, description="Code de l'indicateur (CS-02…)")
    territory: str | None = schema_field(
        Territory, "code", None, description="Code officiel du territoire (QN09359M, 93066…)"
    )
    kind: TerritoryKind | None = Field(None, description="Nature du territoire : qpv, iris, commune, epci, region…")
    vintage: str | None = schema_field(
        Territory, "vintage", None, description="Millésime du territoire (2024 pour les QPV 2024…)"
    )
    period: int | None = schema_field(IndicatorValue, "period", None, description="Année de la valeur")
    contract: int | None = Field(
        None,
        ge=1,
        le=BIGGEST_ID,
        description="Identifiant d'un contrat : ajoute ses valeurs privées si l'appelant en est membre "
        "(404 si le contrat ne lui est pas visible)",
    )


class PortraitFilters(InputSchema):
    vintage: str | None = schema_field(
        Territory, "vintage", None, description="Millésime du territoire ; le plus récent par défaut."
    )
    contract: int | None = Field(
        None,
        ge=1,
        le=BIGGEST_ID,
        description="Identifiant d'un contrat : ajoute ses valeurs privées si l'appelant en est membre.",
    )


class IndicatorValueOut(Schema):
    indicator: str
    territory: TerritoryRefOut
    period: int
    value: float | None
    numerator: float | None
    denominator: float | None
    confidential: bool = Field(description="Secret statistique : la valeur n'est pas diffusée")
    contract_id: int | None = Field(description="Contrat dont la valeur est privée ; null pour une valeur publique")
    producer: str
    vintage: str

    @staticmethod
    def resolve_indicator(obj: Any) -> str:
        return str(obj.indicator.code)

    @staticmethod
    def resolve_territory(obj: Any) -> dict[str, Any]:
        territory = obj.territory
        return {
            "id": territory.pk,
            "kind": territory.kind,
            "code": territory.code,
            "vintage": territory.vintage,
            "name": territory.name,
        }

    @staticmethod
    def resolve_value(obj: Any) -> float | None:
        return None if obj.is_confidential else obj.value

    @staticmethod
    def resolve_numerator(obj: Any) -> float | None:
        return None if obj.is_confidential else obj.numerator

    @staticmethod
    def resolve_denominator(obj: Any) -> float | None:
        return None if obj.is_confidential else obj.denominator

    @staticmethod
    def resolve_confidential(obj: Any) -> bool:
        return bool(obj.is_confidential)

    @staticmethod
    def resolve_producer(obj: Any) -> str:
        return obj.batch.producer if obj.batch is not None else ""

    @staticmethod
    def resolve_vintage(obj: Any) -> str:
        return obj.batch.vintage if obj.batch is not None else ""


class FigureOut(Schema):
    period: int | None
    value: float | None
    confidential: bool


class ReferenceValueOut(FigureOut):
    territory_id: int
    difference: float | None = Field(description="Valeur moins référence, la même année (en points pour un taux)")
    ratio: float | None = Field(description="Valeur / référence, la même année")


class PortraitIndicatorOut(Schema):
    code: str
    label: str
    unit: str
    latest: FigureOut
    private: bool = Field(description="La dernière valeur est propre au contrat demandé")
    source: str
    trend: str = Field(description="up, down, stable ou unknown")
    trend_text: str
    first_period: int | None
    last_period: int | None
    change: float | None
    references: list[ReferenceValueOut]


class PortraitThemeOut(Schema):
    theme: str
    label: str
    indicators: list[PortraitIndicatorOut]


class PortraitOut(Schema):
    territory: TerritoryRefOut
    references: list[TerritoryRefOut]
    themes: list[PortraitThemeOut]

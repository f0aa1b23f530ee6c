"""API shapes for territories: what the OpenAPI schema documents."""

from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from contrat_ville.core.bounds import BIGGEST_ID, schema_field
from contrat_ville.core.schemas import InputSchema
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import Territory


class TerritoryFilters(InputSchema):
    kind: TerritoryKind | None = Field(None, description="Nature : region, departement, epci, commune, iris, qpv…")
    code: str | None = schema_field(
        Territory, "code", None, description="Code officiel exact (code INSEE, SIREN d'EPCI, code QPV…)"
    )
    parent: int | None = Field(None, ge=1, le=BIGGEST_ID, description="Identifiant d'un territoire parent direct")
    vintage: str | None = schema_field(
        Territory, "vintage", None, description="Millésime (année du COG, génération de QPV 2015/2024…)"
    )


class TerritoryOut(Schema):
    id: int
    kind: str
    code: str
    vintage: str
    name: str
    siren: str
    population: int | None
    parent_ids: list[int]

    @staticmethod
    def resolve_parent_ids(obj: Any) -> list[int]:
        links = getattr(obj, "parent_ids_list", None)
        if links is None:
            return list(obj.parent_links.values_list("parent_id", flat=True))
        return [link.parent_id for link in links]


class TerritoryDetailOut(TerritoryOut):
    area_ha: Decimal | None
    attributes: dict[str, Any]
    former_codes: list[str]
    geometry: dict[str, Any] | None = Field(None, description="Contour GeoJSON en WGS84 (lon/lat)")

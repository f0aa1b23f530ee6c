"""Geometries and links computed from other imports, not read from a file.

No open package ships commune or EPCI contours, but IRIS contours tile each commune: the union of a
commune's IRIS is its contour, and the union of its communes is an EPCI's. Such derived contours are
marked ``attributes["geometry_source"]`` so that a later official contour replaces them, and a new
IRIS import recomputes them.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import shapely
from django.utils import timezone
from shapely.geometry.base import BaseGeometry

from contrat_ville.territories.enums import LinkKind, TerritoryKind
from contrat_ville.territories.importers.base import LinkSpec, sync_links
from contrat_ville.territories.importers.geo import area_hectares, from_geojson, to_geojson
from contrat_ville.territories.models import ImportBatch, Territory, TerritoryLink

FROM_IRIS = "union des IRIS"
FROM_COMMUNES = "union des communes"
MIN_SHARE = Decimal("0.000001")


def _fill(parent_kind: str, child_kind: str, parent_ids: list[int], source: str) -> int:
    """Give each parent without its own contour the union of its children's contours."""
    parents = [
        parent
        for parent in Territory.objects.filter(pk__in=parent_ids, kind=parent_kind).only(
            "pk", "geometry", "attributes", "area_ha"
        )
        if parent.geometry is None or parent.attributes.get("geometry_source") == source
    ]
    if not parents:
        return 0
    children: dict[int, list[BaseGeometry | None]] = defaultdict(list)
    for link in TerritoryLink.objects.filter(
        parent__in=[parent.pk for parent in parents], child__kind=child_kind
    ).select_related("child"):
        if child_kind == TerritoryKind.COMMUNE and link.child.attributes.get("typecom") == "ARM":
            continue
        children[link.parent_id].append(from_geojson(link.child.geometry))
    now = timezone.now()
    changed: list[Territory] = []
    for parent in parents:
        geometries = children.get(parent.pk) or []
        # A partial union would draw a wrong contour: only fill when every child has one.
        if not geometries or any(geometry is None for geometry in geometries):
            continue
        union = shapely.union_all([geometry for geometry in geometries if geometry is not None])
        parent.geometry = to_geojson(union, simplify=True)
        parent.area_ha = Decimal(f"{area_hectares(union):.2f}")
        parent.attributes = {**parent.attributes, "geometry_source": source}
        parent.updated_at = now
        changed.append(parent)
    Territory.objects.bulk_update(changed, ["geometry", "area_ha", "attributes", "updated_at"], batch_size=200)
    return len(changed)


def fill_commune_geometries(commune_ids: list[int]) -> int:
    return _fill(TerritoryKind.COMMUNE, TerritoryKind.IRIS, commune_ids, FROM_IRIS)


def fill_epci_geometries(epci_ids: list[int]) -> int:
    return _fill(TerritoryKind.EPCI, TerritoryKind.COMMUNE, epci_ids, FROM_COMMUNES)


def epcis_of_communes(commune_ids: list[int]) -> list[int]:
    return list(
        TerritoryLink.objects.filter(child_id__in=commune_ids, parent__kind=TerritoryKind.EPCI)
        .values_list("parent_id", flat=True)
        .distinct()
    )


def area_shares(target: BaseGeometry, pieces: dict[int, BaseGeometry]) -> dict[int, Decimal]:
    """The part of ``target``'s area inside each piece, rounded to the 6 decimals of ``TerritoryLink.share``.

    Ratios are computed in lon/lat degrees: over a quartier the scale factor is constant, so the
    ratio is the same as in a projection. Pieces that only touch the border (share rounds to 0) are dropped.
    """
    total = target.area
    shares: dict[int, Decimal] = {}
    if total <= 0:
        return shares
    for key, piece in pieces.items():
        if not piece.intersects(target):
            continue
        share = Decimal(f"{min(target.intersection(piece).area / total, 1.0):.6f}")
        if share >= MIN_SHARE:
            shares[key] = share
    return shares


def link_qpvs_to_iris(qpv_ids: list[int], *, batch: ImportBatch) -> int:
    """Link each QPV to the IRIS it overlaps (parent IRIS, child QPV, share = part of the QPV's area).

    There is no official IRIS↔QPV table (data-formats §3): QPVs cut across IRIS, so the overlap is
    computed from the contours, among the IRIS of the QPV's communes (newest IRIS vintage held).
    """
    qpvs = list(Territory.objects.filter(pk__in=qpv_ids, kind=TerritoryKind.QPV).exclude(geometry=None))
    if not qpvs:
        return 0
    commune_links = TerritoryLink.objects.filter(child__in=qpvs, parent__kind=TerritoryKind.COMMUNE).values_list(
        "child_id", "parent_id"
    )
    communes_of_qpv: dict[int, set[int]] = defaultdict(set)
    for qpv_id, commune_id in commune_links:
        communes_of_qpv[qpv_id].add(commune_id)
    iris_links = TerritoryLink.objects.filter(
        parent_id__in={commune for communes in communes_of_qpv.values() for commune in communes},
        child__kind=TerritoryKind.IRIS,
    ).select_related("child")
    iris_by_commune: dict[int, list[Territory]] = defaultdict(list)
    for link in iris_links:
        if link.child.geometry:
            iris_by_commune[link.parent_id].append(link.child)
    links: list[LinkSpec] = []
    for qpv in qpvs:
        candidates = [iris for commune in communes_of_qpv[qpv.pk] for iris in iris_by_commune.get(commune, [])]
        if not candidates:
            continue
        newest = max(iris.vintage for iris in candidates)
        pieces = {iris.pk: from_geojson(iris.geometry) for iris in candidates if iris.vintage == newest}
        target = from_geojson(qpv.geometry)
        if target is None:
            continue
        shares = area_shares(target, {key: piece for key, piece in pieces.items() if piece is not None})
        links.extend(
            LinkSpec(parent_id=iris_id, child_id=qpv.pk, kind=LinkKind.OVERLAP, share=share)
            for iris_id, share in shares.items()
        )
    created, _ = sync_links(
        links=links, batch=batch, child_ids=[qpv.pk for qpv in qpvs], parent_kind=TerritoryKind.IRIS
    )
    return created

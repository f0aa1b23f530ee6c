"""Geometries and links computed from other imports, not read from a file.

No open package ships commune or EPCI contours, but IRIS contours tile each commune: the union of a
commune's IRIS is its contour, and the union of its communes is an EPCI's. Such derived contours are
marked ``attributes["geometry_source"]`` so that a later official contour replaces them, and a new
IRIS import recomputes them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import shapely
from django.db.models import Q
from django.utils import timezone
from shapely.geometry.base import BaseGeometry

from contrat_ville.core.models import ImportBatch
from contrat_ville.territories.enums import LinkKind, TerritoryKind
from contrat_ville.territories.importers.base import LinkSpec, bulk_update, chunked, of_kind, sync_links
from contrat_ville.territories.importers.geo import area_hectares, from_geojson, to_geojson
from contrat_ville.territories.models import Territory, TerritoryLink

FROM_IRIS = "union des IRIS"
FROM_COMMUNES = "union des communes"
MIN_SHARE = Decimal("0.000001")


def _links_from(parent_ids: Iterable[int]) -> list[tuple[int, int]]:
    """(parent, child) links of these parents, by chunks and without join (see ``base.sync_links``)."""
    links: list[tuple[int, int]] = []
    for chunk in chunked(parent_ids):
        links.extend(TerritoryLink.objects.filter(parent_id__in=chunk).values_list("parent_id", "child_id"))
    return links


def _links_to(child_ids: Iterable[int]) -> list[tuple[int, int]]:
    """(parent, child) links of these children, by chunks and without join."""
    links: list[tuple[int, int]] = []
    for chunk in chunked(child_ids):
        links.extend(TerritoryLink.objects.filter(child_id__in=chunk).values_list("parent_id", "child_id"))
    return links


def _fill(parent_kind: str, child_kind: str, parent_ids: list[int], source: str) -> int:
    """Give each parent without its own contour the union of its children's contours.

    Set-based: the parents to fill, their links and whether each child has a contour are read in a few queries
    (none has one when communes come from decoupage-administratif); only complete parents' children's contours
    are then read. A partial union would draw a wrong contour: a parent with a child without contour is left.
    """
    candidates: list[int] = []
    for chunk in chunked(parent_ids):
        candidates.extend(
            Territory.objects.filter(pk__in=chunk, kind=parent_kind)
            .filter(Q(geometry__isnull=True) | Q(attributes__geometry_source=source))
            .values_list("pk", flat=True)
        )
    links = _links_from(candidates)
    if not links:
        return 0
    # Ids only, one table at a time: no long id list in the SQL, no join.
    children_of_kind = set(Territory.objects.filter(kind=child_kind).values_list("pk", flat=True))
    if child_kind == TerritoryKind.COMMUNE:  # an arrondissement lies inside its commune
        children_of_kind -= set(
            Territory.objects.filter(kind=child_kind, attributes__typecom="ARM").values_list("pk", flat=True)
        )
    with_geometry = set(Territory.objects.filter(kind=child_kind, geometry__isnull=False).values_list("pk", flat=True))
    pieces: dict[int, list[int]] = defaultdict(list)
    incomplete: set[int] = set()
    for parent_id, child_id in links:
        if child_id not in children_of_kind:
            continue
        pieces[parent_id].append(child_id)
        if child_id not in with_geometry:
            incomplete.add(parent_id)
    complete = [parent_id for parent_id in pieces if parent_id not in incomplete]
    if not complete:
        return 0
    geometries: dict[int, Any] = {}
    for chunk in chunked({child for parent_id in complete for child in pieces[parent_id]}):
        geometries.update(Territory.objects.filter(pk__in=chunk).values_list("pk", "geometry"))
    now = timezone.now()
    changed: list[Territory] = []
    for parent in Territory.objects.filter(pk__in=complete).only("pk", "attributes"):
        shapes = [shape for shape in (from_geojson(geometries[child]) for child in pieces[parent.pk]) if shape]
        union = shapely.union_all(shapes)
        parent.geometry = to_geojson(union, simplify=True)
        parent.area_ha = Decimal(f"{area_hectares(union):.2f}")
        parent.attributes = {**parent.attributes, "geometry_source": source}
        parent.updated_at = now
        changed.append(parent)
    bulk_update(changed, ["geometry", "area_ha", "attributes", "updated_at"])
    return len(changed)


def fill_commune_geometries(commune_ids: list[int]) -> int:
    return _fill(TerritoryKind.COMMUNE, TerritoryKind.IRIS, commune_ids, FROM_IRIS)


def fill_epci_geometries(epci_ids: list[int]) -> int:
    return _fill(TerritoryKind.EPCI, TerritoryKind.COMMUNE, epci_ids, FROM_COMMUNES)


def epcis_of_communes(commune_ids: list[int]) -> list[int]:
    links = _links_to(commune_ids)
    return sorted(of_kind({parent for parent, _ in links}, TerritoryKind.EPCI))


def qpvs_of_communes(commune_ids: list[int]) -> list[int]:
    links = _links_from(commune_ids)
    return sorted(of_kind({child for _, child in links}, TerritoryKind.QPV))


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
    links = _links_to([qpv.pk for qpv in qpvs])
    communes = of_kind({parent for parent, _ in links}, TerritoryKind.COMMUNE)
    communes_of_qpv: dict[int, set[int]] = defaultdict(set)
    for commune_id, qpv_id in links:
        if commune_id in communes:
            communes_of_qpv[qpv_id].add(commune_id)
    commune_links = _links_from(communes)
    iris: dict[int, tuple[str, Any]] = {}
    for chunk in chunked({child for _, child in commune_links}):
        iris.update(
            (pk, (vintage, geometry))
            for pk, vintage, geometry in Territory.objects.filter(
                pk__in=chunk, kind=TerritoryKind.IRIS, geometry__isnull=False
            ).values_list("pk", "vintage", "geometry")
        )
    iris_by_commune: dict[int, list[int]] = defaultdict(list)
    for commune_id, child_id in commune_links:
        if child_id in iris:
            iris_by_commune[commune_id].append(child_id)
    specs: list[LinkSpec] = []
    for qpv in qpvs:
        candidates = [pk for commune in communes_of_qpv[qpv.pk] for pk in iris_by_commune.get(commune, [])]
        if not candidates:
            continue
        newest = max(iris[pk][0] for pk in candidates)
        pieces = {pk: from_geojson(iris[pk][1]) for pk in candidates if iris[pk][0] == newest}
        target = from_geojson(qpv.geometry)
        if target is None:
            continue
        shares = area_shares(target, {key: piece for key, piece in pieces.items() if piece is not None})
        specs.extend(
            LinkSpec(parent_id=iris_id, child_id=qpv.pk, kind=LinkKind.OVERLAP, share=share)
            for iris_id, share in shares.items()
        )
    created, _ = sync_links(
        links=specs,
        batch=batch,
        child_ids=[qpv.pk for qpv in qpvs],
        parent_kind=TerritoryKind.IRIS,
        child_kind=TerritoryKind.QPV,
    )
    return created

"""Reads on territories. Territories are public reference data: no tenancy, no ``contract=`` here."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from django.db.models import Prefetch, Q, QuerySet

from contrat_ville.core.models import ImportBatch
from contrat_ville.core.selectors import given
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import Territory, TerritoryLink
from contrat_ville.territories.regions import REGION_DEPARTEMENTS, REGION_NAMES
from contrat_ville.territories.uploads import TERRITORY_IMPORTERS

# Contours can weigh hundreds of kilobytes: lists never load them.
HEAVY_FIELDS = ("geometry",)


def territory_list(
    kind: str | None = None,
    code: str | None = None,
    parent_id: int | None = None,
    vintage: str | None = None,
    search: str | None = None,
) -> QuerySet[Territory]:
    """Territories filtered by kind, exact code, direct parent and vintage, without their contours.

    Parent ids come prefetched (``parent_ids_list``), so serialising a page costs one more query.
    """
    queryset = Territory.objects.defer(*HEAVY_FIELDS).filter(
        **given(kind=kind, code=code, vintage=vintage, parent_links__parent_id=parent_id)
    )
    if search:
        term = search.strip()
        queryset = queryset.filter(Q(name__icontains=term) | Q(code__istartswith=term) | Q(siren=term))
    return queryset.prefetch_related(
        Prefetch(
            "parent_links",
            queryset=TerritoryLink.objects.only("id", "child_id", "parent_id"),
            to_attr="parent_ids_list",
        )
    ).order_by("kind", "code", "-vintage")


def territory_get(kind: str, vintage: str, code: str) -> Territory | None:
    return Territory.objects.filter(kind=kind, vintage=vintage, code=code).first()


@dataclass
class RelatedTerritory:
    territory: Territory
    share: Any = None
    link_kind: str = ""

    @property
    def share_percent(self) -> str:
        """« 33,3 % »: the part of the child (the QPV, the IRIS…) lying in the parent."""
        if self.share is None:
            return "—"
        return f"{float(self.share) * 100:.1f} %".replace(".", ",")


@dataclass
class TerritoryDetail:
    territory: Territory
    parents: dict[str, list[RelatedTerritory]] = field(default_factory=dict)
    children: dict[str, list[RelatedTerritory]] = field(default_factory=dict)
    epcis: list[Territory] = field(default_factory=list)
    published_contracts: list[Any] = field(default_factory=list)

    def parents_of_kind(self, kind: str) -> list[RelatedTerritory]:
        return self.parents.get(kind, [])

    def children_of_kind(self, kind: str) -> list[RelatedTerritory]:
        return self.children.get(kind, [])

    @property
    def children_groups(self) -> list[tuple[str, list[RelatedTerritory]]]:
        return [(TerritoryKind(kind).label, items) for kind, items in self.children.items()]


def _linked_by_kind(territory: Territory, *, side: Literal["parent", "child"]) -> dict[str, list[RelatedTerritory]]:
    """The territory's parents (``side="parent"``) or children, by kind then code, in one query."""
    other = "child" if side == "parent" else "parent"
    links = (
        TerritoryLink.objects.filter(**{other: territory})
        .select_related(side)
        .defer(f"{side}__geometry")
        .order_by(f"{side}__kind", f"{side}__code")
    )
    linked: dict[str, list[RelatedTerritory]] = defaultdict(list)
    for link in links:
        related = getattr(link, side)
        linked[related.kind].append(RelatedTerritory(related, link.share, link.kind))
    return dict(linked)


def territory_detail_data(territory: Territory) -> TerritoryDetail:
    """Parents (communes, IRIS, EPCI, département…) and children of a territory, in a fixed number of queries.

    For a QPV, the EPCI are those of its communes (QPV are linked to communes, not to EPCI). Contracts
    are shown only once published: this page is public.
    """
    detail = TerritoryDetail(territory=territory)
    parents = _linked_by_kind(territory, side="parent")
    detail.parents, detail.children = parents, _linked_by_kind(territory, side="child")
    if territory.kind == TerritoryKind.EPCI:
        detail.epcis = []
    elif TerritoryKind.EPCI in parents:
        detail.epcis = [related.territory for related in parents[TerritoryKind.EPCI]]
    else:
        commune_ids = [related.territory.pk for related in parents.get(TerritoryKind.COMMUNE, [])]
        detail.epcis = (
            list(
                Territory.objects.filter(kind=TerritoryKind.EPCI, child_links__child_id__in=commune_ids)
                .defer(*HEAVY_FIELDS)
                .distinct()
                .order_by("name")
            )
            if commune_ids
            else []
        )
    if territory.kind == TerritoryKind.QPV:
        # Reverse relation from contracts (the app above): names only, published contracts only.
        detail.published_contracts = list(
            territory.qpv_contracts.filter(is_published=True).only("id", "name", "slug").order_by("name")
        )
    return detail


def territory_map_features(territory: Territory, detail: TerritoryDetail) -> list[Territory]:
    """What the map draws: the territory, and the QPV inside a commune or an EPCI."""
    shown = [territory]
    qpv_ids = [related.territory.pk for related in detail.children_of_kind(TerritoryKind.QPV)]
    if territory.kind == TerritoryKind.EPCI:
        commune_ids = [related.territory.pk for related in detail.children_of_kind(TerritoryKind.COMMUNE)]
        qpv_ids += list(
            TerritoryLink.objects.filter(parent_id__in=commune_ids, child__kind=TerritoryKind.QPV).values_list(
                "child_id", flat=True
            )
        )
    if qpv_ids:
        shown += list(Territory.objects.filter(pk__in=set(qpv_ids)).exclude(geometry=None).order_by("code"))
    return [item for item in shown if item.geometry]


def territories_geojson(territories: list[Territory] | QuerySet[Territory]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection (WGS84) with the properties a map legend or popup needs."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": territory.pk,
                "geometry": territory.geometry,
                "properties": {
                    "kind": territory.kind,
                    "kind_label": territory.kind_label,
                    "code": territory.code,
                    "vintage": territory.vintage,
                    "name": territory.name,
                    "area_ha": float(territory.area_ha) if territory.area_ha is not None else None,
                },
            }
            for territory in territories
            if territory.geometry
        ],
    }


# --- an intercommunality's territory ------------------------------------------------------------------------


def epci_search(query: str, *, limit: int = 20) -> list[Territory]:
    """EPCI whose name contains ``query`` or whose SIREN (their code) starts with it, latest vintage first."""
    term = (query or "").strip()
    if len(term) < 2:
        return []
    return list(
        Territory.objects.defer(*HEAVY_FIELDS)
        .filter(kind=TerritoryKind.EPCI)
        .filter(Q(name__icontains=term) | Q(code__startswith=term) | Q(siren__startswith=term))
        .order_by("name", "-vintage")[:limit]
    )


def communes_of_epci(*, epci: Territory) -> QuerySet[Territory]:
    """The communes of an intercommunality, through its territory links."""
    return (
        Territory.objects.defer(*HEAVY_FIELDS)
        .filter(kind=TerritoryKind.COMMUNE, parent_links__parent=epci)
        .distinct()
        .order_by("name", "code")
    )


def qpvs_in_epci(*, epci: Territory, vintage: str) -> QuerySet[Territory]:
    """The QPVs of one generation's list lying (wholly or in part) in a commune of the intercommunality."""
    communes = Territory.objects.filter(kind=TerritoryKind.COMMUNE, parent_links__parent=epci).values("pk")
    return (
        Territory.objects.defer(*HEAVY_FIELDS)
        .filter(kind=TerritoryKind.QPV, vintage=vintage, parent_links__parent__in=communes)
        .distinct()
        .order_by("code")
    )


def departement_codes_of(*, epci: Territory) -> set[str]:
    """The départements an intercommunality lies in: those linked to its communes, else their codes' prefixes
    (2 characters, 3 overseas: 971…)."""
    communes = communes_of_epci(epci=epci)
    linked = set(
        Territory.objects.filter(kind=TerritoryKind.DEPARTEMENT, child_links__child__in=communes.values("pk"))
        .values_list("code", flat=True)
        .distinct()
    )
    if linked:
        return linked
    return {code[:3] if code.startswith("97") else code[:2] for code in communes.values_list("code", flat=True)}


def territory_of_kind(*, territory_id: int, kind: str) -> Territory | None:
    """The territory of that identifier if it is of that kind (an API names an EPCI, a QPV… by its id)."""
    return Territory.objects.defer(*HEAVY_FIELDS).filter(pk=territory_id, kind=kind).first()


def territories_by_ids(*, ids: Iterable[int]) -> list[Territory]:
    """The territories of these identifiers that exist, by code (one query)."""
    return list(Territory.objects.defer(*HEAVY_FIELDS).filter(pk__in=set(ids)).order_by("code"))


# --- imports of official files ---------------------------------------------------------------------------------


def territory_import_batches(*, limit: int = 20) -> list[ImportBatch]:
    """The latest imports of official territory files, from the commands or the web (one query)."""
    return list(
        ImportBatch.objects.filter(importer__in=TERRITORY_IMPORTERS, scope_type__isnull=True)
        .select_related("imported_by")
        .order_by("-imported_at", "-pk")[:limit]
    )


def territory_import_batch_get(*, pk: int) -> ImportBatch | None:
    return ImportBatch.objects.filter(importer__in=TERRITORY_IMPORTERS, pk=pk).select_related("imported_by").first()


# --- regions ----------------------------------------------------------------------------------------------------


def region_choices() -> list[tuple[str, str]]:
    """Every region a resource centre may cover, (INSEE code, name) by code: the official list of 2016 and the
    regions imported on the platform (their latest name wins). One query."""
    imported = Territory.objects.filter(kind=TerritoryKind.REGION).order_by("vintage").values_list("code", "name")
    names = {**REGION_NAMES, **dict(imported)}
    return sorted(names.items())


def region_name(code: str) -> str:
    """The region's name (« Occitanie »), from the imported regions else the official list; the code when unknown.
    One query at most."""
    if not code:
        return ""
    imported = (
        Territory.objects.filter(kind=TerritoryKind.REGION, code=code)
        .order_by("-vintage")
        .values_list("name", flat=True)
        .first()
    )
    return imported or REGION_NAMES.get(code, f"région {code}")


def region_departement_codes(region_code: str) -> set[str]:
    """The codes of the région's départements: those the imported files link to it, and the official list's. One
    query."""
    linked = set(
        Territory.objects.filter(
            kind=TerritoryKind.DEPARTEMENT,
            parent_links__parent__kind=TerritoryKind.REGION,
            parent_links__parent__code=region_code,
        )
        .values_list("code", flat=True)
        .distinct()
    )
    return linked | set(REGION_DEPARTEMENTS.get(region_code, ()))


def epcis_in_region(region_code: str) -> QuerySet[Territory]:
    """The intercommunalities with at least one commune in one of the région's départements (a commune's code
    starts with its département's: 34172, 2A004, 97101). For a subquery; the départements cost one query."""
    codes = region_departement_codes(region_code)
    if not codes:
        return Territory.objects.none()
    in_departements = Q()
    for code in codes:
        in_departements |= Q(child_links__child__code__startswith=code)
    return Territory.objects.filter(
        Q(kind=TerritoryKind.EPCI), Q(child_links__child__kind=TerritoryKind.COMMUNE) & in_departements
    ).distinct()

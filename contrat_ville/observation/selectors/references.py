"""The reference territories of a territory: one definition, for the portrait, the comparison page and the national
computation (docs/observation.md, « Computations »).

A QPV is compared with its communes, its EPCI, its unité urbaine, its département, its région and France. In the
data these are the territory's ancestors through ``TerritoryLink`` — a QPV lies in its commune(s), a commune in its
EPCI, unité urbaine and département, a département in its région, an arrondissement municipal in its commune —
never through an IRIS or a QPV (an IRIS is linked as the parent of the QPV it overlaps: it is not a reference, nor
a path to one). France is the ``france`` territory the links reach, or else the newest ``france`` territory.
References are listed from the closest to the widest: communes, EPCI, unité urbaine, département, région, France;
by name within a kind (accents ignored).

``reference_rows`` answers for one territory or for every QPV of France in one recursive SQL query, so the national
computation, the comparison page and a portrait read the same rows.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from typing import Any, NamedTuple

from django.db import connection

from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import Territory, TerritoryLink

# Display order, from the closest to the widest.
REFERENCE_KINDS: tuple[str, ...] = (
    TerritoryKind.COMMUNE,
    TerritoryKind.EPCI,
    TerritoryKind.UNITE_URBAINE,
    TerritoryKind.DEPARTEMENT,
    TerritoryKind.REGION,
    TerritoryKind.FRANCE,
)
# Kinds that are neither references nor a way up to one.
NOT_REFERENCES: tuple[str, ...] = (TerritoryKind.IRIS, TerritoryKind.QPV)
# Longest chain followed (QPV → arrondissement → commune → département → région → France is five links).
MAX_DEPTH = 8


class ReferenceRow(NamedTuple):
    """One reference territory, with what the national table needs of it (no model instance: thousands of rows)."""

    territory_id: int
    kind: str
    name: str
    code: str


def kind_rank(kind: str) -> int:
    return REFERENCE_KINDS.index(kind) if kind in REFERENCE_KINDS else len(REFERENCE_KINDS)


def name_key(name: str) -> str:
    """A name as French readers sort it: « Vénissieux » before « Villeurbanne » (accents and case ignored)."""
    return "".join(char for char in unicodedata.normalize("NFKD", name) if not unicodedata.combining(char)).casefold()


def _sort_key(row: ReferenceRow) -> tuple[int, str, str, int]:
    return kind_rank(row.kind), name_key(row.name), row.code, row.territory_id


def _ancestors_sql(territory_ids: Sequence[int] | None, *, within: int | None = None) -> tuple[str, list[Any]]:
    """The recursive query of the definition above. Anchored on ``territory_ids``, or on every QPV when None.
    Rows (origin id, territory id, kind, name, code); the newest France comes last with a NULL origin. With
    ``within``, only the origins having that territory among their ancestors (one column)."""
    links = TerritoryLink._meta.db_table
    territories = Territory._meta.db_table
    excluded = ", ".join(["%s"] * len(NOT_REFERENCES))
    anchor_params: list[Any]
    if territory_ids is None:
        anchor, anchor_params = "c.kind = %s", [TerritoryKind.QPV]
    else:
        anchor = f"l.child_id IN ({', '.join(['%s'] * len(territory_ids))})"
        anchor_params = list(territory_ids)
    cte = f"""
        WITH RECURSIVE anc(origin_id, territory_id, depth) AS (
            SELECT l.child_id, l.parent_id, 1
            FROM {links} l
            JOIN {territories} c ON c.id = l.child_id
            JOIN {territories} p ON p.id = l.parent_id
            WHERE {anchor} AND p.kind NOT IN ({excluded})
            UNION
            SELECT a.origin_id, l.parent_id, a.depth + 1
            FROM anc a
            JOIN {links} l ON l.child_id = a.territory_id
            JOIN {territories} p ON p.id = l.parent_id
            WHERE a.depth < %s AND p.kind NOT IN ({excluded})
        )
    """  # noqa: S608 (trusted table names)
    params: list[Any] = [*anchor_params, *NOT_REFERENCES, MAX_DEPTH, *NOT_REFERENCES]
    if within is not None:
        return f"{cte} SELECT DISTINCT a.origin_id FROM anc a WHERE a.territory_id = %s", [*params, within]  # noqa: S608
    sql = f"""{cte}
        SELECT DISTINCT a.origin_id, t.id, t.kind, t.name, t.code
        FROM anc a JOIN {territories} t ON t.id = a.territory_id
        UNION ALL
        SELECT NULL, f.id, f.kind, f.name, f.code FROM {territories} f
        WHERE f.id = (SELECT n.id FROM {territories} n WHERE n.kind = %s ORDER BY n.vintage DESC, n.id DESC LIMIT 1)
    """  # noqa: S608 (trusted table names)
    return sql, [*params, TerritoryKind.FRANCE]


def reference_rows(
    territory_ids: Sequence[int], *, kinds: dict[int, str] | None = None
) -> dict[int, list[ReferenceRow]]:
    """Territory id → its references, closest first, in one query whatever the number of territories.
    ``kinds`` (territory id → kind) spares a France territory a France reference of its own."""
    if not territory_ids:
        return {}
    sql, params = _ancestors_sql(territory_ids)
    found: dict[int, dict[int, ReferenceRow]] = defaultdict(dict)
    france: ReferenceRow | None = None
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for origin_id, territory_id, kind, name, code in cursor.fetchall():
            row = ReferenceRow(territory_id, kind, name, code)
            if origin_id is None:
                france = row
            elif territory_id != origin_id:
                found[origin_id][territory_id] = row
    result: dict[int, list[ReferenceRow]] = {}
    for origin_id in territory_ids:
        rows = found.get(origin_id, {})
        if (
            france is not None
            and origin_id != france.territory_id
            and (kinds or {}).get(origin_id) != TerritoryKind.FRANCE
            and not any(row.kind == TerritoryKind.FRANCE for row in rows.values())
        ):
            rows = {**rows, france.territory_id: france}
        result[origin_id] = sorted(rows.values(), key=_sort_key)
    return result


def references_for_many(territories: Sequence[Territory]) -> dict[int, list[Territory]]:
    """Each territory's references as territories (two queries), in the order of ``reference_rows``."""
    rows = reference_rows(
        [territory.pk for territory in territories], kinds={territory.pk: territory.kind for territory in territories}
    )
    ids = {row.territory_id for references in rows.values() for row in references}
    by_id = Territory.objects.defer("geometry", "attributes", "former_codes").in_bulk(list(ids)) if ids else {}
    return {
        territory.pk: [by_id[row.territory_id] for row in rows.get(territory.pk, []) if row.territory_id in by_id]
        for territory in territories
    }


def references_for(territory: Territory) -> list[Territory]:
    return references_for_many([territory])[territory.pk]


def qpv_ids_within(area: Territory) -> list[int]:
    """The QPVs having ``area`` among their references (one query; every QPV for France)."""
    if area.kind == TerritoryKind.FRANCE:
        return list(Territory.objects.filter(kind=TerritoryKind.QPV).values_list("pk", flat=True))
    sql, params = _ancestors_sql(None, within=area.pk)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [origin_id for (origin_id,) in cursor.fetchall()]

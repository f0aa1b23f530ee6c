"""The national computation: every QPV's latest value, trend and gaps to its reference territories.

For every QPV holding values and every indicator: the latest value (at or before ``period``), the value at the
previous available period (at least ``min_gap_years`` earlier) and the evolution between them, and the gap
(difference, ratio) to each reference territory at the same period. References are the QPV's ancestors
through ``TerritoryLink`` (its commune(s), then their EPCI, unité urbaine, département, région…; never an
IRIS or another QPV) plus the ``france`` territory when it exists.

``national_gaps_and_trends`` is set-based: three SQL queries whatever the number of QPVs (a window function
over the QPVs' values, a recursive query for the ancestors, one query for the references' values), run in
one transaction (one snapshot), then plain dictionaries. ``national_gaps_naive`` computes the same rows with
an ORM loop: the benchmark's yardstick, and the test oracle.

Statistical secrecy: a confidential value has no figure and yields no gap and no evolution.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.db.models import Q

from contrat_ville.observation.computations import TREND_UNKNOWN, gap_values, trend_of
from contrat_ville.observation.importers.base import without_gc
from contrat_ville.observation.models import Indicator, IndicatorValue
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import Territory, TerritoryLink

# References are listed from the closest to the widest.
REFERENCE_KIND_ORDER = {
    TerritoryKind.COMMUNE: 0,
    TerritoryKind.EPCI: 1,
    TerritoryKind.UNITE_URBAINE: 2,
    TerritoryKind.DEPARTEMENT: 3,
    TerritoryKind.REGION: 4,
    TerritoryKind.FRANCE: 5,
}
NOT_REFERENCES = (TerritoryKind.IRIS, TerritoryKind.QPV)
MAX_DEPTH = 8
ID_CHUNK = 5000


class ReferenceGap(NamedTuple):
    territory_id: int
    kind: str
    value: float | None
    is_confidential: bool
    difference: float | None
    ratio: float | None


class GapRow(NamedTuple):
    """One (QPV, indicator): latest value, previous value and evolution, gaps to each reference."""

    territory_id: int
    indicator_id: int
    period: int
    value: float | None
    is_confidential: bool
    previous_period: int | None
    previous_value: float | None
    change: float | None
    annual_change: float | None
    trend: str
    references: tuple[ReferenceGap, ...]


def _reference_key(kinds: dict[int, str]) -> Any:
    return lambda territory_id: (REFERENCE_KIND_ORDER.get(kinds[territory_id], 9), territory_id)  # type: ignore[call-overload]


def _row(
    qpv_id: int,
    indicator_id: int,
    latest: tuple[int, float | None, bool],
    previous: tuple[int, float | None, bool] | None,
    references: Iterable[tuple[int, str, tuple[float | None, bool] | None]],
    stable_threshold: float,
) -> GapRow:
    period, value, confidential = latest
    usable = None if confidential else value
    change = annual = None
    previous_period = previous_value = None
    if previous is not None:
        previous_period = previous[0]
        previous_value = None if previous[2] else previous[1]
        if usable is not None and previous_value is not None:
            change = usable - previous_value
            annual = change / (period - previous_period)
    gaps = []
    for territory_id, kind, figure in references:
        if figure is None:
            gaps.append(ReferenceGap(territory_id, kind, None, False, None, None))
            continue
        reference_value, reference_confidential = figure
        if reference_confidential:
            gaps.append(ReferenceGap(territory_id, kind, None, True, None, None))
            continue
        difference, ratio = gap_values(usable, reference_value)
        gaps.append(ReferenceGap(territory_id, kind, reference_value, False, difference, ratio))
    return GapRow(
        qpv_id,
        indicator_id,
        period,
        usable,
        confidential,
        previous_period,
        previous_value,
        change,
        annual,
        trend_of(change, stable_threshold=stable_threshold),
        tuple(gaps),
    )


# --- set-based ------------------------------------------------------------------------------------------------


def _in_list(name: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
    return f"{name} IN ({', '.join(['%s'] * len(values))})", list(values)


def _scope_sql(alias: str, contract_id: int | None) -> tuple[str, list[Any]]:
    if contract_id is None:
        return f"{alias}.contract_id IS NULL", []
    return f"({alias}.contract_id IS NULL OR {alias}.contract_id = %s)", [contract_id]


def _qpv_series_sql(
    *, period: int | None, indicator_ids: list[int] | None, contract_id: int | None, min_gap_years: int
) -> tuple[str, list[Any]]:
    """Per (QPV, indicator): the latest row and the previous one at least ``min_gap_years`` older."""
    values = IndicatorValue._meta.db_table
    territories = Territory._meta.db_table
    scope, params = _scope_sql("iv", contract_id)
    filters = ["t.kind = %s", scope]
    params = [TerritoryKind.QPV, *params]
    if period is not None:
        filters.append("iv.period <= %s")
        params.append(period)
    if indicator_ids is not None:
        clause, ids = _in_list("iv.indicator_id", indicator_ids)
        filters.append(clause)
        params.extend(ids)
    source = f"""
        SELECT iv.territory_id, iv.indicator_id, iv.period, iv.value, iv.is_confidential
        FROM {values} iv JOIN {territories} t ON t.id = iv.territory_id
        WHERE {" AND ".join(filters)}
    """  # noqa: S608 (trusted table names)
    if contract_id is not None:
        # The contract's private row outranks the public row of the same period.
        source = f"""
            SELECT territory_id, indicator_id, period, value, is_confidential FROM (
                SELECT iv.territory_id, iv.indicator_id, iv.period, iv.value, iv.is_confidential,
                    ROW_NUMBER() OVER (
                        PARTITION BY iv.territory_id, iv.indicator_id, iv.period
                        ORDER BY CASE WHEN iv.contract_id IS NULL THEN 1 ELSE 0 END
                    ) AS dup
                FROM {values} iv JOIN {territories} t ON t.id = iv.territory_id
                WHERE {" AND ".join(filters)}
            ) d WHERE d.dup = 1
        """  # noqa: S608 (trusted table names)
    if min_gap_years > 1:
        # Keep the latest row and the rows old enough to serve as « previous ».
        source = f"""
            SELECT territory_id, indicator_id, period, value, is_confidential FROM (
                SELECT s.*, MAX(s.period) OVER (PARTITION BY s.territory_id, s.indicator_id) AS latest
                FROM ({source}) s
            ) x WHERE x.period = x.latest OR x.period <= x.latest - %s
        """  # noqa: S608 (trusted table names)
        params.append(min_gap_years)
    sql = f"""
        SELECT territory_id, indicator_id, period, value, is_confidential, rn FROM (
            SELECT r.*, ROW_NUMBER() OVER (PARTITION BY r.territory_id, r.indicator_id ORDER BY r.period DESC) AS rn
            FROM ({source}) r
        ) y WHERE rn <= 2
    """  # noqa: S608 (trusted table names)
    return sql, params


def _ancestors_sql() -> tuple[str, list[Any]]:
    links = TerritoryLink._meta.db_table
    territories = Territory._meta.db_table
    excluded = ", ".join(["%s"] * len(NOT_REFERENCES))
    sql = f"""
        WITH RECURSIVE anc(qpv_id, territory_id, depth) AS (
            SELECT l.child_id, l.parent_id, 1
            FROM {links} l
            JOIN {territories} c ON c.id = l.child_id
            JOIN {territories} p ON p.id = l.parent_id
            WHERE c.kind = %s AND p.kind NOT IN ({excluded})
            UNION
            SELECT a.qpv_id, l.parent_id, a.depth + 1
            FROM anc a
            JOIN {links} l ON l.child_id = a.territory_id
            JOIN {territories} p ON p.id = l.parent_id
            WHERE a.depth < %s AND p.kind NOT IN ({excluded})
        )
        SELECT DISTINCT a.qpv_id, a.territory_id, t.kind FROM anc a JOIN {territories} t ON t.id = a.territory_id
        UNION
        SELECT q.id, f.id, f.kind FROM {territories} q CROSS JOIN {territories} f
        WHERE q.kind = %s AND f.kind = %s
    """  # noqa: S608 (trusted table names)
    params = [
        TerritoryKind.QPV,
        *NOT_REFERENCES,
        MAX_DEPTH,
        *NOT_REFERENCES,
        TerritoryKind.QPV,
        TerritoryKind.FRANCE,
    ]
    return sql, params


def _reference_values(
    territory_ids: list[int], periods: list[int], indicator_ids: list[int] | None, contract_id: int | None
) -> dict[tuple[int, int, int], tuple[float | None, bool]]:
    """(territory, indicator, period) → (value, confidential) for the references, private rows winning."""
    found: dict[tuple[int, int, int], tuple[float | None, bool]] = {}
    if not territory_ids or not periods:
        return found
    table = IndicatorValue._meta.db_table
    scope, scope_params = _scope_sql("iv", contract_id)
    private: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for start in range(0, len(territory_ids), ID_CHUNK):
            chunk = territory_ids[start : start + ID_CHUNK]
            territory_clause, territory_params = _in_list("iv.territory_id", chunk)
            period_clause, period_params = _in_list("iv.period", periods)
            filters = [territory_clause, period_clause, scope]
            params = [*territory_params, *period_params, *scope_params]
            if indicator_ids is not None:
                clause, ids = _in_list("iv.indicator_id", indicator_ids)
                filters.append(clause)
                params.extend(ids)
            cursor.execute(
                "SELECT iv.territory_id, iv.indicator_id, iv.period, iv.value, iv.is_confidential, iv.contract_id "  # noqa: S608 (trusted table names)
                f"FROM {table} iv WHERE {' AND '.join(filters)}",
                params,
            )
            for territory_id, indicator_id, year, value, confidential, owner in cursor.fetchall():
                if owner is not None:
                    private.append((territory_id, indicator_id, year, value, confidential))
                else:
                    found[(territory_id, indicator_id, year)] = (value, bool(confidential))
    for territory_id, indicator_id, year, value, confidential in private:
        found[(territory_id, indicator_id, year)] = (value, bool(confidential))
    return found


def _indicator_ids(indicator_codes: list[str] | None) -> list[int] | None:
    if indicator_codes is None:
        return None
    return list(Indicator.objects.filter(code__in=indicator_codes).values_list("pk", flat=True))


def national_gaps_and_trends(
    *,
    period: int | None = None,
    indicator_codes: list[str] | None = None,
    contract_id: int | None = None,
    min_gap_years: int = 0,
    stable_threshold: float = 0.0,
) -> list[GapRow]:
    """Every (QPV, indicator) with values: latest value (at or before ``period``), previous value and evolution,
    gaps to each reference at the latest period. Rows sorted by (QPV id, indicator id); references from the
    closest (commune) to the widest (France). Public values only, unless ``contract_id``: that contract's
    private values too, preferred to public ones for the same key. A constant number of queries."""
    with without_gc(), transaction.atomic():
        if connection.vendor == "postgresql":
            # Three short queries: JIT compilation (hundreds of ms when estimates are off) never pays back,
            # and the window's sort of ~500 000 rows fits in memory instead of spilling to disk.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
                cursor.execute("SET LOCAL work_mem = '64MB'")
        return _national_gaps_and_trends(
            period=period,
            indicator_codes=indicator_codes,
            contract_id=contract_id,
            min_gap_years=min_gap_years,
            stable_threshold=stable_threshold,
        )


def _national_gaps_and_trends(
    *,
    period: int | None,
    indicator_codes: list[str] | None,
    contract_id: int | None,
    min_gap_years: int,
    stable_threshold: float,
) -> list[GapRow]:
    indicator_ids = _indicator_ids(indicator_codes)
    if indicator_ids is not None and not indicator_ids:
        return []
    series_sql, series_params = _qpv_series_sql(
        period=period, indicator_ids=indicator_ids, contract_id=contract_id, min_gap_years=min_gap_years
    )
    ancestors_sql, ancestors_params = _ancestors_sql()
    latest: dict[tuple[int, int], tuple[int, float | None, bool]] = {}
    previous: dict[tuple[int, int], tuple[int, float | None, bool]] = {}
    references: dict[int, list[int]] = defaultdict(list)
    kinds: dict[int, str] = {}
    with connection.cursor() as cursor:
        cursor.execute(series_sql, series_params)
        for territory_id, indicator_id, year, value, confidential, rank in cursor.fetchall():
            target = latest if rank == 1 else previous
            target[(territory_id, indicator_id)] = (year, value, bool(confidential))
        if not latest:
            return []
        cursor.execute(ancestors_sql, ancestors_params)
        for qpv_id, territory_id, kind in cursor.fetchall():
            references[qpv_id].append(territory_id)
            kinds[territory_id] = kind
    order = _reference_key(kinds)
    for territory_ids in references.values():
        territory_ids.sort(key=order)
    periods = sorted({row[0] for row in latest.values()})
    reference_values = _reference_values(sorted(kinds), periods, indicator_ids, contract_id)
    # The loop below is ``_row`` inlined: 50 000 rows and 300 000 gaps at national scale.
    get = reference_values.get
    make_gap = ReferenceGap
    refs_of = {qpv_id: [(tid, kinds[tid]) for tid in territory_ids] for qpv_id, territory_ids in references.items()}
    rows: list[GapRow] = []
    append = rows.append
    for key in sorted(latest):
        qpv_id, indicator_id = key
        year, value, confidential = latest[key]
        usable = None if confidential else value
        change = annual = previous_period = previous_value = None
        before = previous.get(key)
        if before is not None:
            previous_period = before[0]
            previous_value = None if before[2] else before[1]
            if usable is not None and previous_value is not None:
                change = usable - previous_value
                annual = change / (year - previous_period)
        gaps = []
        for territory_id, kind in refs_of.get(qpv_id, ()):
            figure = get((territory_id, indicator_id, year))
            if figure is None:
                gaps.append(make_gap(territory_id, kind, None, False, None, None))
            elif figure[1]:
                gaps.append(make_gap(territory_id, kind, None, True, None, None))
            else:
                reference_value = figure[0]
                if usable is None or reference_value is None:
                    gaps.append(make_gap(territory_id, kind, reference_value, False, None, None))
                else:  # computations.gap_values, inlined
                    gaps.append(
                        make_gap(
                            territory_id,
                            kind,
                            reference_value,
                            False,
                            usable - reference_value,
                            usable / reference_value if reference_value != 0 else None,
                        )
                    )
        append(
            GapRow(
                qpv_id,
                indicator_id,
                year,
                usable,
                confidential,
                previous_period,
                previous_value,
                change,
                annual,
                trend_of(change, stable_threshold=stable_threshold) if change is not None else TREND_UNKNOWN,
                tuple(gaps),
            )
        )
    return rows


# --- naive yardstick ------------------------------------------------------------------------------------------


def _naive_ancestors(qpv: Territory) -> list[Territory]:
    found: dict[int, Territory] = {}
    frontier = [qpv]
    for _ in range(MAX_DEPTH):
        parents = []
        for child in frontier:
            for link in TerritoryLink.objects.filter(child=child).select_related("parent"):
                parent = link.parent
                if parent.kind in NOT_REFERENCES or parent.pk in found:
                    continue
                found[parent.pk] = parent
                parents.append(parent)
        if not parents:
            break
        frontier = parents
    for france in Territory.objects.filter(kind=TerritoryKind.FRANCE):
        found.setdefault(france.pk, france)
    return sorted(found.values(), key=lambda t: (REFERENCE_KIND_ORDER.get(t.kind, 9), t.pk))  # type: ignore[call-overload]


def _naive_value(
    *, territory: Territory, indicator: Indicator, period: int, contract_id: int | None
) -> tuple[float | None, bool] | None:
    scope = Q(contract__isnull=True) if contract_id is None else Q(contract__isnull=True) | Q(contract_id=contract_id)
    found = None
    for value in IndicatorValue.objects.filter(scope, territory=territory, indicator=indicator, period=period):
        if found is None or value.contract_id is not None:
            found = (value.value, value.is_confidential)
    return found


def national_gaps_naive(
    *,
    period: int | None = None,
    indicator_codes: list[str] | None = None,
    contract_id: int | None = None,
    min_gap_years: int = 0,
    stable_threshold: float = 0.0,
) -> list[GapRow]:
    """The same rows as ``national_gaps_and_trends``, computed by a plain ORM loop (queries per QPV,
    indicator and reference): the benchmark's yardstick."""
    indicators = Indicator.objects.all().order_by("pk")
    if indicator_codes is not None:
        indicators = indicators.filter(code__in=indicator_codes)
    scope = Q(contract__isnull=True) if contract_id is None else Q(contract__isnull=True) | Q(contract_id=contract_id)
    rows: list[GapRow] = []
    for qpv in Territory.objects.filter(kind=TerritoryKind.QPV).order_by("pk"):
        ancestors: list[Territory] | None = None
        for indicator in indicators:
            values = IndicatorValue.objects.filter(scope, territory=qpv, indicator=indicator)
            if period is not None:
                values = values.filter(period__lte=period)
            by_period: dict[int, IndicatorValue] = {}
            for value in values.order_by("-period"):
                if value.period not in by_period or value.contract_id is not None:
                    by_period[value.period] = value
            if not by_period:
                continue
            latest_period = max(by_period)
            current = by_period[latest_period]
            older = [year for year in by_period if year <= latest_period - max(min_gap_years, 1)]
            before = by_period[max(older)] if older else None
            if ancestors is None:
                ancestors = _naive_ancestors(qpv)
            rows.append(
                _row(
                    qpv.pk,
                    indicator.pk,
                    (latest_period, current.value, current.is_confidential),
                    (before.period, before.value, before.is_confidential) if before is not None else None,
                    [
                        (
                            reference.pk,
                            reference.kind,
                            _naive_value(
                                territory=reference, indicator=indicator, period=latest_period, contract_id=contract_id
                            ),
                        )
                        for reference in ancestors
                    ],
                    stable_threshold,
                )
            )
    return rows

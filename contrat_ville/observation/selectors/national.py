"""The national computation: every QPV's latest value, trend and gaps to its reference territories.

For every QPV holding values and every indicator: the latest value (at or before ``period``), the value at the
previous available period (at least ``min_gap_years`` earlier) and the evolution between them, and the gap
(difference, ratio) to each reference territory at the same period. References are those of
``references.reference_rows`` — the one definition the portrait and the comparison page use too: the QPV's
commune(s), EPCI, unité urbaine, département, région and France.

``national_gaps_and_trends`` is set-based: three SQL queries whatever the number of QPVs (the latest and
previous rows of every (QPV, indicator), the recursive query of the references, one query for the references'
values), run in one transaction (one snapshot), then plain dictionaries. The first query reads only the two
rows it needs per (QPV, indicator) through the unique index: ``LATERAL … LIMIT 1`` probes on PostgreSQL,
correlated ``MAX(period)`` elsewhere; a window function over the QPVs' whole series remains for private
values on SQLite. ``observation.tests.naive.national_gaps_naive`` computes the same rows with an ORM loop: the
test oracle and the benchmark's yardstick.

Statistical secrecy: a confidential value has no figure and yields no gap and no evolution.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, QuerySet

from contrat_ville.observation.computations import TREND_UNKNOWN, Evolution, trend_of
from contrat_ville.observation.importers.base import without_gc
from contrat_ville.observation.models import Indicator, IndicatorValue
from contrat_ville.observation.selectors.references import (
    ReferenceRow,
    qpv_ids_within,
    reference_rows,
)
from contrat_ville.observation.selectors.values import min_gap_years as indicator_min_gap_years
from contrat_ville.observation.selectors.values import stable_threshold as indicator_stable_threshold
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import Territory

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


# --- set-based ------------------------------------------------------------------------------------------------


def _in_list(name: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
    return f"{name} IN ({', '.join(['%s'] * len(values))})", list(values)


def _scope_sql(alias: str, contract_id: int | None) -> tuple[str, list[Any]]:
    if contract_id is None:
        return f"{alias}.contract_id IS NULL", []
    return f"({alias}.contract_id IS NULL OR {alias}.contract_id = %s)", [contract_id]


@dataclass(frozen=True)
class PairQuery:
    """Which (QPV, indicator) pairs to read: values at or before ``period`` (any if None), the previous one at
    least ``min_gap_years`` older, public rows plus ``contract_id``'s private ones, narrowed to ``indicator_ids``
    and ``qpv_ids`` when given."""

    period: int | None
    indicator_ids: list[int] | None
    contract_id: int | None
    min_gap_years: int
    qpv_ids: list[int] | None = None


def _pair_filters(query: PairQuery) -> tuple[list[str], list[Any]]:
    """The WHERE clauses on the QPV ``t`` and the indicator ``i`` of the pair queries."""
    filters = ["t.kind = %s"]
    params: list[Any] = [TerritoryKind.QPV]
    for name, restriction in (("i.id", query.indicator_ids), ("t.id", query.qpv_ids)):
        if restriction is not None:
            clause, ids = _in_list(name, restriction)
            filters.append(clause)
            params.extend(ids)
    return filters, params


def _qpv_series_sql(query: PairQuery) -> tuple[str, list[Any]]:
    """Per (QPV, indicator): the latest row and the previous one at least ``min_gap_years`` older."""
    values = IndicatorValue._meta.db_table
    territories = Territory._meta.db_table
    scope, params = _scope_sql("iv", query.contract_id)
    filters = ["t.kind = %s", scope]
    params = [TerritoryKind.QPV, *params]
    if query.period is not None:
        filters.append("iv.period <= %s")
        params.append(query.period)
    for name, restriction in (("iv.indicator_id", query.indicator_ids), ("iv.territory_id", query.qpv_ids)):
        if restriction is not None:
            clause, ids = _in_list(name, restriction)
            filters.append(clause)
            params.extend(ids)
    source = f"""
        SELECT iv.territory_id, iv.indicator_id, iv.period, iv.value, iv.is_confidential
        FROM {values} iv JOIN {territories} t ON t.id = iv.territory_id
        WHERE {" AND ".join(filters)}
    """  # noqa: S608 (trusted table names)
    if query.contract_id is not None:
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
    if query.min_gap_years > 1:
        # Keep the latest row and the rows old enough to serve as « previous ».
        source = f"""
            SELECT territory_id, indicator_id, period, value, is_confidential FROM (
                SELECT s.*, MAX(s.period) OVER (PARTITION BY s.territory_id, s.indicator_id) AS latest
                FROM ({source}) s
            ) x WHERE x.period = x.latest OR x.period <= x.latest - %s
        """  # noqa: S608 (trusted table names)
        params.append(query.min_gap_years)
    sql = f"""
        SELECT territory_id, indicator_id, period, value, is_confidential, rn FROM (
            SELECT r.*, ROW_NUMBER() OVER (PARTITION BY r.territory_id, r.indicator_id ORDER BY r.period DESC) AS rn
            FROM ({source}) r
        ) y WHERE rn <= 2
    """  # noqa: S608 (trusted table names)
    return sql, params


def _qpv_pairs_lateral_sql(query: PairQuery) -> tuple[str, list[Any]]:
    """PostgreSQL: one row per (QPV, indicator) with values, sorted: latest row, then the previous one.

    Every (QPV, indicator) of the catalogue probes the unique index twice with ``LIMIT 1`` (latest, then the
    latest at least ``max(min_gap_years, 1)`` years older): about 130 000 index lookups instead of a scan of
    the whole table and a window over the QPVs' ten years (ten times faster at national scale). With a contract,
    each probe merges its private rows (preferred for the same period) with the public ones.
    """
    values = IndicatorValue._meta.db_table
    territories = Territory._meta.db_table
    indicators = Indicator._meta.db_table
    contract_id = query.contract_id

    def probe(bound: str, bound_params: list[Any]) -> tuple[str, list[Any]]:
        """The newest row of the current (t, i) within ``bound``; a private row wins at the same period."""
        if contract_id is None:
            sql = f"""
                SELECT iv.period, iv.value, iv.is_confidential FROM {values} iv
                WHERE iv.territory_id = t.id AND iv.indicator_id = i.id AND iv.contract_id IS NULL{bound}
                ORDER BY iv.period DESC LIMIT 1
            """  # noqa: S608 (trusted table names)
            return sql, bound_params
        sql = f"""
            SELECT c.period, c.value, c.is_confidential FROM (
                (SELECT iv.period, iv.value, iv.is_confidential, 0 AS public FROM {values} iv
                 WHERE iv.territory_id = t.id AND iv.indicator_id = i.id AND iv.contract_id = %s{bound})
                UNION ALL
                (SELECT iv.period, iv.value, iv.is_confidential, 1 AS public FROM {values} iv
                 WHERE iv.territory_id = t.id AND iv.indicator_id = i.id AND iv.contract_id IS NULL{bound})
            ) c ORDER BY c.period DESC, c.public LIMIT 1
        """  # noqa: S608 (trusted table names)
        return sql, [contract_id, *bound_params, *bound_params]

    period = query.period
    latest_sql, latest_params = probe(*((" AND iv.period <= %s", [period]) if period is not None else ("", [])))
    previous_sql, previous_params = probe(" AND iv.period <= a.period - %s", [max(query.min_gap_years, 1)])
    filters, filter_params = _pair_filters(query)
    sql = f"""
        SELECT t.id, i.id, a.period, a.value, a.is_confidential, b.period, b.value, b.is_confidential
        FROM {territories} t CROSS JOIN {indicators} i
        CROSS JOIN LATERAL ({latest_sql}) a
        LEFT JOIN LATERAL ({previous_sql}) b ON TRUE
        WHERE {" AND ".join(filters)}
        ORDER BY t.id, i.id
    """  # noqa: S608 (trusted table names)
    return sql, [*latest_params, *previous_params, *filter_params]


def _qpv_pairs_correlated_sql(query: PairQuery) -> tuple[str, list[Any]]:
    """Public values only, any database: the same rows as ``_qpv_pairs_lateral_sql`` by two correlated
    ``MAX(period)`` per (QPV, indicator), each an index seek (SQLite: twice as fast as the window)."""
    values = IndicatorValue._meta.db_table
    territories = Territory._meta.db_table
    indicators = Indicator._meta.db_table
    match = "{a}.territory_id = t.id AND {a}.indicator_id = i.id AND {a}.contract_id IS NULL"
    params: list[Any] = []
    bound = ""
    if query.period is not None:
        bound = " AND x.period <= %s"
        params.append(query.period)
    params.append(max(query.min_gap_years, 1))
    filters, filter_params = _pair_filters(query)
    params.extend(filter_params)
    sql = f"""
        SELECT t.id, i.id, a.period, a.value, a.is_confidential, b.period, b.value, b.is_confidential
        FROM {territories} t CROSS JOIN {indicators} i
        JOIN {values} a ON {match.format(a="a")} AND a.period = (
            SELECT MAX(x.period) FROM {values} x WHERE {match.format(a="x")}{bound}
        )
        LEFT JOIN {values} b ON {match.format(a="b")} AND b.period = (
            SELECT MAX(y.period) FROM {values} y WHERE {match.format(a="y")} AND y.period <= a.period - %s
        )
        WHERE {" AND ".join(filters)}
        ORDER BY t.id, i.id
    """  # noqa: S608 (trusted table names)
    return sql, params


Pair = tuple[int, int, int, float | None, bool, int | None, float | None, bool | None]
"""(QPV, indicator, period, value, confidential, previous period, previous value, previous confidential)."""


def _qpv_pairs_window(cursor: Any, query: PairQuery) -> list[Pair]:
    """Any database: the two newest rows of every (QPV, indicator) by a window function, paired in Python."""
    cursor.execute(*_qpv_series_sql(query))
    latest: dict[tuple[int, int], tuple[int, float | None, bool]] = {}
    previous: dict[tuple[int, int], tuple[int, float | None, bool]] = {}
    for territory_id, indicator_id, year, value, confidential, rank in cursor.fetchall():
        target = latest if rank == 1 else previous
        target[(territory_id, indicator_id)] = (year, value, confidential)
    pairs: list[Pair] = []
    for key in sorted(latest):
        before = previous.get(key)
        pairs.append((*key, *latest[key], *(before if before is not None else (None, None, None))))
    return pairs


def _qpv_pairs_lateral(cursor: Any, query: PairQuery) -> list[Pair]:
    cursor.execute(*_qpv_pairs_lateral_sql(query))
    pairs: list[Pair] = cursor.fetchall()
    return pairs


def _qpv_pairs_correlated(cursor: Any, query: PairQuery) -> list[Pair]:
    if query.contract_id is not None:  # private rows outranking public ones: the window handles them
        return _qpv_pairs_window(cursor, query)
    cursor.execute(*_qpv_pairs_correlated_sql(query))
    pairs: list[Pair] = cursor.fetchall()
    return pairs


PAIR_STRATEGIES = {"lateral": _qpv_pairs_lateral, "correlated": _qpv_pairs_correlated, "window": _qpv_pairs_window}


def _reference_values(
    territory_ids: list[int], periods: list[int], indicator_ids: list[int] | None, contract_id: int | None
) -> dict[tuple[int, int], dict[int, tuple[float | None, bool]]]:
    """(indicator, period) → territory → (value, confidential) for the references, private rows winning."""
    found: dict[tuple[int, int], dict[int, tuple[float | None, bool]]] = defaultdict(dict)
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
                    found[(indicator_id, year)][territory_id] = (value, bool(confidential))
    for territory_id, indicator_id, year, value, confidential in private:
        found[(indicator_id, year)][territory_id] = (value, bool(confidential))
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
    qpv_ids: Sequence[int] | None = None,
) -> list[GapRow]:
    """Every (QPV, indicator) with values: latest value (at or before ``period``), previous value and evolution,
    gaps to each reference at the latest period. Rows sorted by (QPV id, indicator id); references from the
    closest (commune) to the widest (France). Public values only, unless ``contract_id``: that contract's
    private values too, preferred to public ones for the same key. ``qpv_ids`` narrows the QPVs (a page of the
    national table). A constant number of queries."""
    lateral = connection.vendor == "postgresql"
    with without_gc(), transaction.atomic():
        if lateral:
            # Short queries: JIT compilation (hundreds of ms when estimates are off) never pays back.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        return _national_gaps_and_trends(
            period=period,
            indicator_codes=indicator_codes,
            contract_id=contract_id,
            min_gap_years=min_gap_years,
            stable_threshold=stable_threshold,
            strategy="lateral" if lateral else "correlated",
            qpv_ids=qpv_ids,
        )


def _national_gaps_and_trends(
    *,
    period: int | None,
    indicator_codes: list[str] | None,
    contract_id: int | None,
    min_gap_years: int,
    stable_threshold: float,
    strategy: str,
    qpv_ids: Sequence[int] | None = None,
) -> list[GapRow]:
    """``strategy`` selects the (QPV, indicator) rows: ``lateral`` (PostgreSQL: two index probes per pair),
    ``correlated`` (any database: two correlated ``MAX``, the window with a contract) or ``window``."""
    indicator_ids = _indicator_ids(indicator_codes)
    if (indicator_ids is not None and not indicator_ids) or (qpv_ids is not None and not qpv_ids):
        return []
    with connection.cursor() as cursor:
        query = PairQuery(
            period=period,
            indicator_ids=indicator_ids,
            contract_id=contract_id,
            min_gap_years=min_gap_years,
            qpv_ids=sorted(set(qpv_ids)) if qpv_ids is not None else None,
        )
        pairs = PAIR_STRATEGIES[strategy](cursor, query)
    if not pairs:
        return []
    references = reference_rows(sorted({pair[0] for pair in pairs}))
    kinds = {row.territory_id: row.kind for rows in references.values() for row in rows}
    periods = sorted({pair[2] for pair in pairs})
    reference_values = _reference_values(sorted(kinds), periods, indicator_ids, contract_id)
    # The loop below is the test oracle's ``_row`` (``observation/tests/naive.py``) inlined: 60 000 rows and
    # 400 000 gaps at national scale. Gaps without a figure do not depend on the QPV: one (immutable) tuple per
    # reference serves every row.
    new = tuple.__new__
    refs_of = {
        qpv_id: [
            (
                tid,
                kinds[tid],
                new(ReferenceGap, (tid, kinds[tid], None, False, None, None)),
                new(ReferenceGap, (tid, kinds[tid], None, True, None, None)),
            )
            for tid in (row.territory_id for row in rows)
        ]
        for qpv_id, rows in references.items()
    }
    no_figures: dict[int, tuple[float | None, bool]] = {}
    get_figures = reference_values.get
    get_refs = refs_of.get
    unknown = TREND_UNKNOWN
    rows: list[GapRow] = []
    append = rows.append
    for qpv_id, indicator_id, year, value, confidential, previous_period, previous_value, previous_secret in pairs:
        confidential = bool(confidential)
        usable = None if confidential else value
        change = annual = None
        if previous_period is not None:
            if previous_secret:
                previous_value = None
            elif usable is not None and previous_value is not None:
                change = usable - previous_value
                annual = change / (year - previous_period)
        figures = get_figures((indicator_id, year), no_figures)
        gaps: list[ReferenceGap] = []
        add = gaps.append
        for territory_id, kind, missing, secret in get_refs(qpv_id, ()):
            figure = figures.get(territory_id)
            if figure is None:
                add(missing)
            elif figure[1]:
                add(secret)
            else:
                reference_value = figure[0]
                if usable is None or reference_value is None:
                    add(new(ReferenceGap, (territory_id, kind, reference_value, False, None, None)))
                else:  # computations.gap_values, inlined
                    add(
                        new(
                            ReferenceGap,
                            (
                                territory_id,
                                kind,
                                reference_value,
                                False,
                                usable - reference_value,
                                usable / reference_value if reference_value != 0 else None,
                            ),
                        )
                    )
        append(
            new(
                GapRow,
                (
                    qpv_id,
                    indicator_id,
                    year,
                    usable,
                    confidential,
                    previous_period,
                    previous_value,
                    change,
                    annual,
                    trend_of(change, stable_threshold=stable_threshold) if change is not None else unknown,
                    tuple(gaps),
                ),
            )
        )
    return rows


# --- the national table: every QPV's gaps and trend for one indicator (the ONPV's view) ------------------------

NATIONAL_PAGE_SIZE = 20
# The ONPV's conjunctural fiches (domain.md §5.3): unemployment rate, brevet success rate, poverty rate.
ONPV_CODES = ("DE-03", "CS-08", "CS-02")


@dataclass(frozen=True)
class NationalFilters:
    """What the national table shows: one indicator, optionally one région or département, the latest value at
    or before ``period`` (the newest one by default)."""

    indicator: Indicator
    area: Territory | None = None
    period: int | None = None


@dataclass(frozen=True)
class NationalReference:
    reference: ReferenceRow
    gap: ReferenceGap


@dataclass(frozen=True)
class NationalRow:
    qpv: Territory
    row: GapRow
    references: list[NationalReference]  # closest first, as ``references.reference_rows`` lists them

    @property
    def evolution(self) -> Evolution:
        """The change from the previous value to the latest one, as an ``Evolution`` (same wording as portraits)."""
        row = self.row
        if row.change is None:
            return Evolution(None, row.period if row.value is not None else None, None, None, row.trend)
        return Evolution(row.previous_period, row.period, row.change, row.annual_change, row.trend)


@dataclass(frozen=True)
class NationalTable:
    filters: NationalFilters
    rows: list[NationalRow]
    qpv_count: int
    page: Page[Territory] | None = None  # None: every QPV (the export)


def default_national_indicator(indicators: Sequence[Indicator]) -> Indicator | None:
    """The first of the ONPV's indicators in the catalogue, else the first indicator."""
    by_code = {indicator.code: indicator for indicator in indicators}
    return next((by_code[code] for code in ONPV_CODES if code in by_code), indicators[0] if indicators else None)


def _qpvs_with_values(filters: NationalFilters) -> QuerySet[Territory]:
    """QPVs with a public value of the indicator at or before the year (in the area), by name (one query, plus
    one for the area)."""
    values = IndicatorValue.objects.filter(
        territory_id=OuterRef("pk"), indicator_id=filters.indicator.pk, contract__isnull=True
    )
    if filters.period is not None:
        values = values.filter(period__lte=filters.period)
    qpvs = Territory.objects.filter(kind=TerritoryKind.QPV).filter(Exists(values))
    if filters.area is not None:
        qpvs = qpvs.filter(pk__in=qpv_ids_within(filters.area))
    return qpvs.only("pk", "kind", "code", "vintage", "name").order_by("name", "code", "pk")


def national_table(*, filters: NationalFilters, page_number: Any = None, paginate: bool = True) -> NationalTable:
    """The national table of one indicator: for each QPV (a page of them, or all with ``paginate=False``), its
    latest public value, the change since its previous one and its gap to each reference territory at the same
    year. Public values only: never a contract's own values. A constant number of queries whatever the data."""
    indicator = filters.indicator
    qpvs = _qpvs_with_values(filters)
    page: Page[Territory] | None = None
    if paginate:
        page = Paginator(qpvs, NATIONAL_PAGE_SIZE).get_page(page_number)
        shown = list(page.object_list)
        count = page.paginator.count
    else:
        shown = list(qpvs)
        count = len(shown)
    rows = national_gaps_and_trends(
        period=filters.period,
        indicator_codes=[indicator.code],
        min_gap_years=indicator_min_gap_years(indicator),
        stable_threshold=indicator_stable_threshold(indicator),
        qpv_ids=[qpv.pk for qpv in shown],
    )
    by_qpv = {row.territory_id: row for row in rows}
    reference_ids = {gap.territory_id for row in rows for gap in row.references}
    names = {
        pk: ReferenceRow(pk, kind, name, code)
        for pk, kind, name, code in Territory.objects.filter(pk__in=sorted(reference_ids)).values_list(
            "pk", "kind", "name", "code"
        )
    }
    return NationalTable(
        filters=filters,
        rows=[
            NationalRow(
                qpv=qpv,
                row=by_qpv[qpv.pk],
                references=[
                    NationalReference(reference=names[gap.territory_id], gap=gap) for gap in by_qpv[qpv.pk].references
                ],
            )
            for qpv in shown
            if qpv.pk in by_qpv
        ],
        qpv_count=count,
        page=page,
    )

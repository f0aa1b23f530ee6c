"""Reads of the observation app: the catalogue, the values a reader may see, portraits, comparisons, indicator pages.

Who sees what: public values (``contract`` empty: official statistics) answer to everyone; values private to a
contract answer only to its members, and only on that contract's pages (``Scope``). When a contract holds its own
value for a key that also has a public one, the contract's value wins on its pages.

Statistical secrecy (domain.md §7.3): a confidential value has no figures in the database; it is shown as
« secret statistique », and every figure derived from it (gap, evolution, aggregate, map class) is absent too —
the computations of ``computations.py`` enforce it, the builders here never bypass them.

Every builder runs a fixed number of queries whatever the data (asserted in tests/test_selectors.py).
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.http import Http404

from contrat_ville.contracts.models import Contract
from contrat_ville.observation.computations import (
    NOT_AVAILABLE,
    Evolution,
    Figure,
    Gap,
    aggregate,
    evolution,
    format_gap,
    format_ratio,
    format_value,
    gap,
    scale_for_unit,
)

# Re-exported for the apps above (strategy shows an objective's status): they may import only our selectors.
from contrat_ville.observation.computations import OBJECTIVE_STATUS_RULE as OBJECTIVE_STATUS_RULE
from contrat_ville.observation.computations import objective_status as objective_status
from contrat_ville.observation.enums import Aggregation, Direction, Theme
from contrat_ville.observation.models import Indicator, IndicatorValue, ValueBatch
from contrat_ville.observation.permissions import can_read_private_values
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import Territory, TerritoryLink

CONFIDENTIAL_TEXT = "secret statistique"
# Reference territories of a portrait, in the order they are shown (domain.md §7.2: EPCI, commune, UU, France).
REFERENCE_KINDS = (TerritoryKind.COMMUNE, TerritoryKind.EPCI, TerritoryKind.UNITE_URBAINE, TerritoryKind.FRANCE)
# Kinds a portrait's reference territories are looked for among the parents of its communes.
UPPER_REFERENCE_KINDS = (TerritoryKind.EPCI, TerritoryKind.UNITE_URBAINE)
# INSEE advises against comparing consecutive infra-communal census vintages (rolling census): the trend of a
# census indicator spans at least this many years (domain.md §7.2, « unconfirmed » figure).
CENSUS_MIN_GAP_YEARS = 5
# Kinds a choropleth map may draw (issue 6: « a choropleth map over QPVs and IRIS »).
MAP_KINDS = (TerritoryKind.QPV, TerritoryKind.IRIS)
MAP_MAX_FEATURES = 3000
MAP_CLASS_COUNT = 5
# Sequential palette (light → dark); the legend and the table say the class in words too.
MAP_COLORS = ("#e8edff", "#b6c6f5", "#7b97e6", "#3f63c9", "#14307a")
MAP_CONFIDENTIAL_COLOR = "#929292"
MAP_MISSING_COLOR = "#ffffff"
# The home panel's key figures: the first of these codes that have values (domain.md §7.4 catalogue codes).
KEY_FIGURE_CODES = ("CTX-01", "CS-02", "DE-01", "DE-03", "CS-01")
KEY_FIGURE_COUNT = 3
THEME_ORDER = (Theme.COHESION_SOCIALE, Theme.CADRE_DE_VIE, Theme.DEVELOPPEMENT_ECONOMIQUE, Theme.CONTEXT)

# Columns loaded for values: never the whole row (no batch JSON warnings).
VALUE_COLUMNS = (
    "indicator_id",
    "territory_id",
    "period",
    "value",
    "numerator",
    "denominator",
    "is_confidential",
    "contract_id",
    "batch__producer",
    "batch__vintage",
)


# --- scope and basic reads ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Which values a reader sees: public ones, plus those private to ``contract`` (set only for its members)."""

    contract: Contract | None = None

    @property
    def includes_private(self) -> bool:
        return self.contract is not None


PUBLIC = Scope()


def scope_for(access: Any) -> Scope:
    """The scope of a contract page: the contract's private values for its members, public values otherwise."""
    if access is not None and can_read_private_values(access):
        return Scope(contract=access.contract)
    return PUBLIC


def visible_values(scope: Scope) -> QuerySet[IndicatorValue]:
    """The values of the scope: public ones and, for a member's scope, the contract's private ones."""
    condition = Q(contract__isnull=True)
    if scope.contract is not None:
        condition |= Q(contract=scope.contract)
    return IndicatorValue.objects.filter(condition)


def indicator_list() -> list[Indicator]:
    return list(Indicator.objects.order_by("order", "code"))


@dataclass(frozen=True)
class ThemeGroup:
    theme: str
    label: str
    indicators: list[Indicator]


def _theme_label(theme: str) -> str:
    return Theme(theme).label if theme in Theme.values else theme


def _theme_rank(theme: str) -> int:
    return THEME_ORDER.index(theme) if theme in THEME_ORDER else len(THEME_ORDER)


def indicator_catalogue() -> list[ThemeGroup]:
    """The catalogue grouped by theme (the three pillars, then context), in catalogue order (one query)."""
    groups: dict[str, list[Indicator]] = defaultdict(list)
    for indicator in indicator_list():
        groups[indicator.theme].append(indicator)
    return [
        ThemeGroup(theme=theme, label=_theme_label(theme), indicators=groups[theme])
        for theme in sorted(groups, key=_theme_rank)
    ]


def indicator_get(*, code: str) -> Indicator:
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        raise Http404("Indicateur introuvable.")
    return indicator


def level_labels(indicator: Indicator) -> list[str]:
    """« IRIS », « quartier prioritaire (QPV) »… for the kinds an indicator is published at."""
    return [TerritoryKind(level).label if level in TerritoryKind.values else str(level) for level in indicator.levels]


def territory_get(*, kind: str, vintage: str, code: str) -> Territory:
    territory = Territory.objects.defer("geometry").filter(kind=kind, vintage=vintage, code=code).first()
    if territory is None:
        raise Http404("Territoire introuvable.")
    return territory


def territory_find(*, kind: str, code: str, vintage: str | None = None) -> Territory:
    """A territory by kind and code (codes alone are ambiguous: région 84, département 84); newest vintage
    unless one is given."""
    territories = Territory.objects.defer("geometry").filter(kind=kind, code=code)
    if vintage:
        territories = territories.filter(vintage=vintage)
    territory = territories.order_by("-vintage").first()
    if territory is None:
        raise Http404("Territoire introuvable.")
    return territory


def contract_qpvs(*, contract: Contract) -> list[Territory]:
    return list(contract.qpvs.defer("geometry").order_by("name", "code"))


def contract_qpv_get(*, contract: Contract, territory_id: int) -> Territory:
    """One of the contract's QPVs, or 404 (a territory outside the contract is not one of its pages)."""
    territory = contract.qpvs.defer("geometry").filter(pk=territory_id).first()
    if territory is None:
        raise Http404("Ce quartier n'est pas un quartier prioritaire du contrat.")
    return territory


def value_batches_for(*, contract: Contract, limit: int = 50) -> list[ValueBatch]:
    """The contract's previous imports, newest first (one query)."""
    return list(ValueBatch.objects.filter(contract=contract).select_related("imported_by")[:limit])


# --- reference territories ------------------------------------------------------------------------------------


def _reference_rank(territory: Territory) -> tuple[int, str, str]:
    kinds: tuple[str, ...] = REFERENCE_KINDS
    kind_rank = kinds.index(territory.kind) if territory.kind in kinds else len(kinds)
    return kind_rank, territory.name, territory.code


def references_for_many(territories: Sequence[Territory]) -> dict[int, list[Territory]]:
    """Each territory's references — its communes, EPCI, unité urbaine and France — in three queries.

    They follow ``TerritoryLink`` parents: the territory's own parents of those kinds, then the EPCI and unité
    urbaine of its communes (QPV and IRIS are linked to communes, communes to EPCI and UU). France is the newest
    territory of kind ``france`` when one exists.
    """
    ids = [territory.pk for territory in territories]
    direct: dict[int, list[Territory]] = defaultdict(list)
    for link in (
        TerritoryLink.objects.filter(child_id__in=ids, parent__kind__in=REFERENCE_KINDS)
        .select_related("parent")
        .defer("parent__geometry")
    ):
        direct[link.child_id].append(link.parent)
    commune_ids = {parent.pk for parents in direct.values() for parent in parents if parent.kind == "commune"}
    upper: dict[int, list[Territory]] = defaultdict(list)
    if commune_ids:
        for link in (
            TerritoryLink.objects.filter(child_id__in=commune_ids, parent__kind__in=UPPER_REFERENCE_KINDS)
            .select_related("parent")
            .defer("parent__geometry")
        ):
            upper[link.child_id].append(link.parent)
    france = Territory.objects.defer("geometry").filter(kind=TerritoryKind.FRANCE).order_by("-vintage").first()
    result: dict[int, list[Territory]] = {}
    for territory in territories:
        found: dict[int, Territory] = {}
        for parent in direct.get(territory.pk, []):
            found[parent.pk] = parent
            for grand_parent in upper.get(parent.pk, []):
                found.setdefault(grand_parent.pk, grand_parent)
        if france is not None and territory.kind != TerritoryKind.FRANCE:
            found.setdefault(france.pk, france)
        found.pop(territory.pk, None)
        result[territory.pk] = sorted(found.values(), key=_reference_rank)
    return result


def references_for(territory: Territory) -> list[Territory]:
    return references_for_many([territory])[territory.pk]


# --- values ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One figure as a page shows it: its year, its formatted text, and whether it is masked or private."""

    period: int | None
    figure: Figure | None
    text: str
    source: str = ""
    is_private: bool = False

    @property
    def is_confidential(self) -> bool:
        return self.figure is not None and self.figure.is_confidential

    @property
    def is_available(self) -> bool:
        return self.figure is not None and self.figure.is_available

    @property
    def value(self) -> float | None:
        """The number, only when it may be shown (never for a confidential figure)."""
        return self.figure.value if self.figure is not None and self.figure.is_available else None


EMPTY_CELL = Cell(period=None, figure=None, text=NOT_AVAILABLE)

# (indicator id, territory id) → period → cell
ValueIndex = dict[tuple[int, int], dict[int, Cell]]


def _figure(row: dict[str, Any]) -> Figure:
    if row["is_confidential"]:
        return Figure(None, is_confidential=True)
    return Figure(row["value"], row["numerator"], row["denominator"])


def cell_text(figure: Figure | None, indicator: Indicator) -> str:
    if figure is None:
        return NOT_AVAILABLE
    if figure.is_confidential:
        return CONFIDENTIAL_TEXT
    return format_value(figure.value, decimals=indicator.decimals, unit=indicator.unit)


def _source(row: dict[str, Any], indicator: Indicator) -> str:
    parts = [indicator.source or row["batch__producer"] or indicator.producer]
    if row["batch__vintage"]:
        parts.append(f"millésime {row['batch__vintage']}")
    return ", ".join(part for part in parts if part)


def value_index(
    *,
    indicators: Iterable[Indicator],
    territory_ids: Iterable[int],
    scope: Scope,
    periods: Iterable[int] | None = None,
) -> ValueIndex:
    """The visible values of these indicators and territories (one query), the contract's own ones winning."""
    by_id = {indicator.pk: indicator for indicator in indicators}
    territory_ids = list(set(territory_ids))
    index: ValueIndex = defaultdict(dict)
    if not by_id or not territory_ids:
        return index
    values = visible_values(scope).filter(indicator_id__in=list(by_id), territory_id__in=territory_ids)
    if periods is not None:
        values = values.filter(period__in=list(periods))
    # Public rows first, so that a contract's own row for the same key replaces the public one.
    rows = values.order_by("period").values(*VALUE_COLUMNS)
    for row in sorted(rows, key=lambda row: row["contract_id"] is not None):
        indicator = by_id[row["indicator_id"]]
        figure = _figure(row)
        index[(row["indicator_id"], row["territory_id"])][row["period"]] = Cell(
            period=row["period"],
            figure=figure,
            text=cell_text(figure, indicator),
            source=_source(row, indicator),
            is_private=row["contract_id"] is not None,
        )
    return index


def latest_cell(series: dict[int, Cell] | None) -> Cell:
    """The newest cell of a series (masked or not: a masked latest value is shown as masked, not skipped)."""
    if not series:
        return EMPTY_CELL
    return series[max(series)]


@dataclass(frozen=True)
class Comparison:
    """A figure compared with a reference at the same period: difference (points for a rate) and ratio."""

    reference: Cell
    gap: Gap
    difference_text: str = NOT_AVAILABLE
    ratio_text: str = NOT_AVAILABLE

    @property
    def has_gap(self) -> bool:
        return self.gap.difference is not None


def compare(indicator: Indicator, cell: Cell, reference_series: dict[int, Cell] | None) -> Comparison:
    """``cell`` against the reference's value of the same year; no gap when either is masked or missing."""
    if not reference_series:
        return Comparison(reference=EMPTY_CELL, gap=Gap(None, None))
    reference = reference_series.get(cell.period) if cell.period is not None else None
    if reference is None:
        # No value of the same year: show the reference's newest one, without a gap (different years).
        return Comparison(reference=latest_cell(reference_series), gap=Gap(None, None))
    result = gap(cell.figure or Figure(None), reference.figure or Figure(None))
    return Comparison(
        reference=reference,
        gap=result,
        difference_text=format_gap(result.difference, decimals=indicator.decimals, unit=indicator.unit),
        ratio_text=format_ratio(result.ratio),
    )


def min_gap_years(indicator: Indicator) -> int:
    """Census (RP) indicators compare vintages at least ``CENSUS_MIN_GAP_YEARS`` apart (domain.md §7.2)."""
    words = f"{indicator.source} {indicator.producer}".replace("(", " ").replace(")", " ").replace(";", " ").split()
    is_census = "RP" in words or "recensement" in indicator.source.lower()
    return CENSUS_MIN_GAP_YEARS if is_census else 0


def evolution_of(indicator: Indicator, series: dict[int, Cell] | None) -> Evolution:
    """The trend of a series; masked periods are skipped by ``computations.evolution``."""
    figures = {period: cell.figure for period, cell in (series or {}).items() if cell.figure is not None}
    return _evolution_of_figures(indicator, figures)


def _evolution_of_figures(indicator: Indicator, figures: dict[int, Figure]) -> Evolution:
    threshold = 0.5 * 10 ** (-indicator.decimals)  # a change that rounds to 0 is « stable »
    return evolution(figures, min_gap_years=min_gap_years(indicator), stable_threshold=threshold)


TREND_WORDS = {"up": "en hausse", "down": "en baisse", "stable": "stable", "unknown": "non calculable"}
TREND_ARROWS = {"up": "↗", "down": "↘", "stable": "→", "unknown": ""}


def trend_text(indicator: Indicator, result: Evolution) -> str:
    """« en hausse de +2,1 pts entre 2016 et 2021 (évolution favorable) »."""
    if result.trend == "unknown" or result.first_period is None:
        return "évolution non calculable"
    words = TREND_WORDS[result.trend]
    text = f"{words} entre {result.first_period} et {result.last_period}"
    if result.trend != "stable":
        change = format_gap(result.change, decimals=indicator.decimals, unit=indicator.unit)
        text = f"{words} de {change} entre {result.first_period} et {result.last_period}"
        judgement = trend_judgement(indicator, result.trend)
        if judgement:
            text = f"{text} ({judgement})"
    return text


def trend_judgement(indicator: Indicator, trend: str) -> str:
    if indicator.direction == Direction.CONTEXT or trend not in ("up", "down"):
        return ""
    good = (trend == "up") == (indicator.direction == Direction.HIGHER_IS_BETTER)
    return "évolution favorable" if good else "évolution défavorable"


# --- sparkline and chart geometry ------------------------------------------------------------------------------


def sparkline_points(series: dict[int, Cell] | None, *, width: int = 80, height: int = 20) -> str:
    """SVG ``points`` of a tiny line over the visible values (masked years are left out); "" under two points."""
    points = [(period, cell.value) for period, cell in (series or {}).items() if cell.value is not None]
    return _sparkline(points, width=width, height=height)


def _sparkline(pairs: Sequence[tuple[int, float | None]], *, width: int = 80, height: int = 20) -> str:
    """The ``points`` of (period, visible value) pairs, in any order."""
    if len(pairs) < 2:
        return ""
    points = sorted(pairs)
    periods = [period for period, _ in points]
    values = [value for _, value in points if value is not None]
    low, high = min(values), max(values)
    span_x = (periods[-1] - periods[0]) or 1
    span_y = (high - low) or 1
    return " ".join(
        f"{(period - periods[0]) / span_x * width:.1f},{height - ((value or 0) - low) / span_y * height:.1f}"
        for period, value in points
    )


# --- portrait ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PortraitValue:
    """A value cell of the portrait table with every text already written: the template only prints them
    (one loop, no include per cell — issue 6 §8, portrait p95 ≤ 100 ms). A masked value has no figure text:
    the template shows the « secret statistique » badge, and ``gap_text`` is empty (no gap is computed)."""

    text: str  # « 23,4 % » (unused when masked)
    is_confidential: bool
    period_text: str = ""  # « en 2021 » (every value has a year)
    source_text: str = ""  # « Source : Filosofi, millésime 2021 » (the territory's own value only)
    is_private: bool = False  # « donnée du contrat » badge
    gap_text: str = ""  # « écart : <difference> (<ratio>) » (references only, same year, neither masked)
    is_missing: bool = False  # a reference without any value: « — »


MISSING_VALUE = PortraitValue(text=NOT_AVAILABLE, is_confidential=False, is_missing=True)


def _portrait_value(cell: Cell, *, with_source: bool = False, comparison: Comparison | None = None) -> PortraitValue:
    if cell.figure is None:
        return MISSING_VALUE
    gap_text = ""
    if comparison is not None and comparison.has_gap:
        gap_text = f"écart : {comparison.difference_text} ({comparison.ratio_text})"
    return PortraitValue(
        text=cell.text,
        is_confidential=cell.is_confidential,
        period_text=f"en {cell.period}" if cell.period else "",
        source_text=f"Source : {cell.source}" if with_source and cell.source else "",
        is_private=cell.is_private,
        gap_text=gap_text,
    )


@dataclass(frozen=True)
class PortraitRow:
    indicator: Indicator
    latest: Cell
    comparisons: list[Comparison]
    evolution: Evolution
    trend: str
    trend_text: str
    sparkline: str
    # What the page prints: the territory's latest value, and each reference's (in the order of ``comparisons``).
    value: PortraitValue
    reference_values: list[PortraitValue]

    @property
    def trend_arrow(self) -> str:
        return TREND_ARROWS.get(self.trend, "")


@dataclass(frozen=True)
class PortraitSection:
    theme: str
    label: str
    rows: list[PortraitRow]


@dataclass(frozen=True)
class Portrait:
    """A territory by pillar: for each indicator with a value, the latest value, references, gaps and trend."""

    territory: Territory
    references: list[Territory]
    sections: list[PortraitSection]
    scope: Scope = PUBLIC

    @property
    def has_values(self) -> bool:
        return any(section.rows for section in self.sections)

    @property
    def has_private_values(self) -> bool:
        return any(row.latest.is_private for section in self.sections for row in section.rows)


# Columns of the portrait's value queries (``VALUE_COLUMNS`` without the territory for its own series).
_OWN_COLUMNS = tuple(column for column in VALUE_COLUMNS if column != "territory_id")


def _visible_rows(rows: Iterable[dict[str, Any]], key: Any) -> dict[Any, dict[str, Any]]:
    """Rows by ``key(row)``, the contract's own row winning over the public one of the same key."""
    found: dict[Any, dict[str, Any]] = {}
    for row in rows:
        item = key(row)
        if row["contract_id"] is None and item in found:
            continue  # a private row of the same key was read first: it wins
        found[item] = row
    return found


def _cell(row: dict[str, Any], indicator: Indicator) -> Cell:
    figure = _figure(row)
    return Cell(
        period=row["period"],
        figure=figure,
        text=cell_text(figure, indicator),
        source=_source(row, indicator),
        is_private=row["contract_id"] is not None,
    )


def _reference_series(
    *, latest_periods: dict[int, int], reference_ids: list[int], scope: Scope
) -> dict[tuple[int, int], dict[str, Any]]:
    """The one row of each (indicator, reference) a portrait shows, in two queries: the reference's value of the
    year of the territory's latest value (``latest_periods``: indicator id → year) or, failing it, the
    reference's newest value (shown without a gap, as ``compare`` does).

    Only those years are read, not every year of every reference: the newest visible year of each (indicator,
    reference) comes from an aggregate on the (territory, indicator, period, …) index, then the rows of the
    needed years (a few hundred rows instead of ten years of five references)."""
    if not latest_periods or not reference_ids:
        return {}
    values = visible_values(scope).filter(indicator_id__in=list(latest_periods), territory_id__in=reference_ids)
    newest = {
        (indicator_id, territory_id): period
        for indicator_id, territory_id, period in values.order_by()
        .values_list("indicator_id", "territory_id")
        .annotate(newest=Max("period"))
    }
    periods = {*latest_periods.values(), *newest.values()}
    rows = _visible_rows(
        values.filter(period__in=sorted(periods)).order_by().values(*VALUE_COLUMNS),
        lambda row: (row["indicator_id"], row["territory_id"], row["period"]),
    )
    shown: dict[tuple[int, int], dict[str, Any]] = {}
    for (indicator_id, territory_id), period in newest.items():
        row = rows.get((indicator_id, territory_id, latest_periods[indicator_id])) or rows.get(
            (indicator_id, territory_id, period)
        )
        if row is not None:
            shown[(indicator_id, territory_id)] = row
    return shown


def portrait_get(*, territory: Territory, scope: Scope = PUBLIC) -> Portrait:
    """The portrait of ``territory`` in seven queries whatever the number of indicators, values or references:
    the references (three), the catalogue, the territory's own series (every year: trend and sparkline), and
    only the reference values it shows (two, see ``_reference_series``)."""
    references = references_for(territory)
    indicators = indicator_list()
    by_id = {indicator.pk: indicator for indicator in indicators}
    own = _visible_rows(
        visible_values(scope).filter(territory_id=territory.pk).order_by().values(*_OWN_COLUMNS),
        lambda row: (row["indicator_id"], row["period"]),
    )
    series: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
    for (indicator_id, period), row in own.items():
        if indicator_id in by_id:
            series[indicator_id][period] = row
    latest_periods = {indicator_id: max(rows) for indicator_id, rows in series.items()}
    shown = _reference_series(latest_periods=latest_periods, reference_ids=[ref.pk for ref in references], scope=scope)
    sections: dict[str, list[PortraitRow]] = defaultdict(list)
    for indicator in indicators:
        rows = series.get(indicator.pk)
        if not rows:
            continue
        latest = _cell(rows[latest_periods[indicator.pk]], indicator)
        figures = {period: _figure(row) for period, row in rows.items()}
        result = _evolution_of_figures(indicator, figures)
        comparisons = []
        for ref in references:
            shown_row = shown.get((indicator.pk, ref.pk))
            reference = _cell(shown_row, indicator) if shown_row is not None else None
            reference_series = {reference.period: reference} if reference and reference.period is not None else None
            comparisons.append(compare(indicator, latest, reference_series))
        sections[indicator.theme].append(
            PortraitRow(
                indicator=indicator,
                latest=latest,
                comparisons=comparisons,
                evolution=result,
                trend=result.trend,
                trend_text=trend_text(indicator, result),
                sparkline=_sparkline(
                    [(period, figure.value) for period, figure in figures.items() if figure.is_available]
                ),
                value=_portrait_value(latest, with_source=True),
                reference_values=[_portrait_value(item.reference, comparison=item) for item in comparisons],
            )
        )
    return Portrait(
        territory=territory,
        references=references,
        sections=[
            PortraitSection(theme=theme, label=_theme_label(theme), rows=sections[theme])
            for theme in sorted(sections, key=_theme_rank)
        ],
        scope=scope,
    )


# --- comparison of a contract's QPVs ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComparisonCell:
    cell: Cell
    comparison: Comparison


@dataclass(frozen=True)
class ComparisonRow:
    qpv: Territory
    cells: list[ComparisonCell]


@dataclass(frozen=True)
class QpvComparison:
    """The contract's QPVs by chosen indicators, each cell with its gap to the EPCI."""

    contract: Contract
    epci: Territory
    indicators: list[Indicator]
    rows: list[ComparisonRow]
    epci_cells: list[Cell]
    sort: str
    descending: bool

    @property
    def sort_label(self) -> str:
        for indicator in self.indicators:
            if indicator.code == self.sort:
                return indicator.label
        return "nom du quartier"


SORT_BY_NAME = "nom"


def indicators_with_values(*, territory_ids: Iterable[int], scope: Scope) -> list[Indicator]:
    """Indicators that have at least one visible value for these territories, in catalogue order (two queries)."""
    ids = set(
        visible_values(scope)
        .filter(territory_id__in=list(territory_ids))
        .order_by()
        .values_list("indicator_id", flat=True)
        .distinct()
    )
    return [indicator for indicator in indicator_list() if indicator.pk in ids]


def _sort_key(row: ComparisonRow, position: int, descending: bool) -> tuple[int, float, str]:
    value = row.cells[position].cell.value
    if value is None:  # missing and masked values last, whatever the order: a masked value has no rank
        return 1, 0.0, row.qpv.name
    return 0, -value if descending else value, row.qpv.name


def comparison_get(
    *,
    contract: Contract,
    scope: Scope,
    indicators: list[Indicator],
    sort: str = SORT_BY_NAME,
    descending: bool = False,
) -> QpvComparison:
    """The comparison table in two queries (QPVs, values) plus the caller's indicator list."""
    epci = contract.epci
    qpvs = contract_qpvs(contract=contract)
    index = value_index(indicators=indicators, territory_ids=[epci.pk, *(qpv.pk for qpv in qpvs)], scope=scope)
    rows = []
    for qpv in qpvs:
        cells = []
        for indicator in indicators:
            cell = latest_cell(index.get((indicator.pk, qpv.pk)))
            cells.append(
                ComparisonCell(cell=cell, comparison=compare(indicator, cell, index.get((indicator.pk, epci.pk))))
            )
        rows.append(ComparisonRow(qpv=qpv, cells=cells))
    codes = [indicator.code for indicator in indicators]
    if sort in codes:
        position = codes.index(sort)
        rows.sort(key=lambda row: _sort_key(row, position, descending))
    else:
        sort = SORT_BY_NAME
        rows.sort(key=lambda row: (row.qpv.name, row.qpv.code), reverse=descending)
    return QpvComparison(
        contract=contract,
        epci=epci,
        indicators=indicators,
        rows=rows,
        epci_cells=[latest_cell(index.get((indicator.pk, epci.pk))) for indicator in indicators],
        sort=sort,
        descending=descending,
    )


# --- indicator page: series over time and choropleth map ----------------------------------------------------------


@dataclass(frozen=True)
class Series:
    territory: Territory
    cells: dict[int, Cell]

    def cell(self, period: int) -> Cell:
        return self.cells.get(period, EMPTY_CELL)


@dataclass(frozen=True)
class LegendClass:
    index: int
    lower: float
    upper: float
    color_index: int  # in MAP_COLORS
    label: str
    count: int = 0

    @property
    def color(self) -> str:
        return MAP_COLORS[self.color_index]


@dataclass(frozen=True)
class MapItem:
    territory: Territory
    cell: Cell
    class_index: int | None  # None: masked or missing

    @property
    def class_label(self) -> str:
        if self.cell.is_confidential:
            return CONFIDENTIAL_TEXT
        if self.class_index is None:
            return "pas de donnée"
        return f"classe {self.class_index + 1}"


@dataclass(frozen=True)
class ChoroplethMap:
    kind: str
    period: int | None
    items: list[MapItem]
    legend: list[LegendClass]
    confidential_count: int
    missing_count: int
    truncated: bool = False

    @property
    def kind_label(self) -> str:
        return TerritoryKind(self.kind).label

    @property
    def has_geometry(self) -> bool:
        return any(item.territory.geometry for item in self.items)

    def geojson(self, *, tile_url: str = "", attribution: str = "") -> dict[str, Any]:
        """What the Leaflet script draws: one feature per territory with its colour and its text (no number
        for a masked territory), plus the optional tiles."""
        features = []
        for item in self.items:
            if not item.territory.geometry:
                continue
            if item.cell.is_confidential:
                color = MAP_CONFIDENTIAL_COLOR
            elif item.class_index is None:
                color = MAP_MISSING_COLOR
            else:
                color = self.legend[item.class_index].color
            features.append(
                {
                    "type": "Feature",
                    "geometry": item.territory.geometry,
                    "properties": {
                        "name": item.territory.name,
                        "code": item.territory.code,
                        "text": item.cell.text,
                        "color": color,
                        "masked": item.cell.is_confidential,
                    },
                }
            )
        return {
            "type": "FeatureCollection",
            "features": features,
            "tiles": {"url": tile_url, "attribution": attribution} if tile_url else None,
        }


@dataclass(frozen=True)
class IndicatorPage:
    indicator: Indicator
    periods: list[int]
    series: list[Series]
    map: ChoroplethMap | None
    scope: Scope = PUBLIC
    all_periods: list[int] = field(default_factory=list)

    @property
    def has_values(self) -> bool:
        return any(series.cells for series in self.series)

    @property
    def latest_period(self) -> int | None:
        return self.periods[-1] if self.periods else None

    @property
    def table_rows(self) -> list[tuple[Series, list[Cell]]]:
        """Each series with its cells in the order of ``periods`` (the page's table and the export)."""
        return [(item, [item.cell(period) for period in self.periods]) for item in self.series]


def quantile_breaks(values: Sequence[float], count: int = MAP_CLASS_COUNT) -> list[float]:
    """Upper bounds of up to ``count`` classes of equal size (quantiles); fewer when values repeat."""
    ordered = sorted(values)
    if not ordered:
        return []
    breaks: list[float] = []
    for position in range(1, count + 1):
        bound = ordered[max(0, math.ceil(position * len(ordered) / count) - 1)]
        if not breaks or bound > breaks[-1]:
            breaks.append(bound)
    return breaks


def _legend(indicator: Indicator, values: Sequence[float]) -> list[LegendClass]:
    breaks = quantile_breaks(values)
    colors = _palette(len(breaks))
    legend = []
    lower = min(values) if values else 0.0
    for position, upper in enumerate(breaks):
        low_text = format_value(lower, decimals=indicator.decimals, unit=indicator.unit)
        high_text = format_value(upper, decimals=indicator.decimals, unit=indicator.unit)
        if lower == upper:
            label = high_text
        elif position == 0:
            label = f"de {low_text} à {high_text}"
        else:
            label = f"plus de {low_text} à {high_text}"
        legend.append(LegendClass(index=position, lower=lower, upper=upper, color_index=colors[position], label=label))
        lower = upper
    return legend


def _palette(count: int) -> list[int]:
    """Indexes in ``MAP_COLORS`` spread from the lightest to the darkest for ``count`` classes."""
    if count <= 0:
        return []
    if count == 1:
        return [2]
    step = (len(MAP_COLORS) - 1) / (count - 1)
    return [round(position * step) for position in range(count)]


def _class_of(value: float, legend: list[LegendClass]) -> int:
    uppers = [item.upper for item in legend]
    return min(bisect.bisect_left(uppers, value), len(legend) - 1)


def map_area_communes(territories: Sequence[Territory]) -> list[int]:
    """The communes a map covers: those of the chosen territories (their own communes, or themselves)."""
    ids = [territory.pk for territory in territories]
    communes = {territory.pk for territory in territories if territory.kind == TerritoryKind.COMMUNE}
    parents = TerritoryLink.objects.filter(
        Q(child_id__in=ids, parent__kind=TerritoryKind.COMMUNE)
        | Q(parent_id__in=ids, child__kind=TerritoryKind.COMMUNE)
    ).values_list("parent_id", "child_id", "parent__kind")
    for parent_id, child_id, parent_kind in parents:
        communes.add(parent_id if parent_kind == TerritoryKind.COMMUNE else child_id)
    return sorted(communes)


def choropleth_get(
    *, indicator: Indicator, kind: str, period: int | None, commune_ids: Sequence[int], scope: Scope
) -> ChoroplethMap:
    """QPVs or IRIS lying in these communes, coloured by their value of ``period`` — by default the newest year
    with a value for one of them (three queries)."""
    territories = list(
        Territory.objects.filter(kind=kind, parent_links__parent_id__in=list(commune_ids))
        .distinct()
        .order_by("name", "code")[: MAP_MAX_FEATURES + 1]
    )
    truncated = len(territories) > MAP_MAX_FEATURES
    territories = territories[:MAP_MAX_FEATURES]
    if period is None and territories:
        period = (
            visible_values(scope)
            .filter(indicator=indicator, territory_id__in=[t.pk for t in territories])
            .aggregate(latest=Max("period"))["latest"]
        )
    index = (
        value_index(indicators=[indicator], territory_ids=[t.pk for t in territories], scope=scope, periods=[period])
        if period is not None
        else {}
    )
    cells = {
        territory.pk: index.get((indicator.pk, territory.pk), {}).get(period or 0, EMPTY_CELL)
        for territory in territories
    }
    values = [cell.value for cell in cells.values() if cell.value is not None]
    legend = _legend(indicator, values)
    items = []
    counts: dict[int, int] = defaultdict(int)
    for territory in territories:
        cell = cells[territory.pk]
        class_index = _class_of(cell.value, legend) if cell.value is not None and legend else None
        if class_index is not None:
            counts[class_index] += 1
        items.append(MapItem(territory=territory, cell=cell, class_index=class_index))
    legend = [
        LegendClass(item.index, item.lower, item.upper, item.color_index, item.label, counts[item.index])
        for item in legend
    ]
    return ChoroplethMap(
        kind=kind,
        period=period,
        items=items,
        legend=legend,
        confidential_count=sum(1 for item in items if item.cell.is_confidential),
        missing_count=sum(1 for item in items if item.cell.figure is None),
        truncated=truncated,
    )


def indicator_periods(*, indicator: Indicator, scope: Scope) -> list[int]:
    """The years with at least one visible value of the indicator (one query)."""
    periods = visible_values(scope).filter(indicator=indicator).order_by().values_list("period", flat=True)
    return sorted(set(periods.distinct()))


def indicator_page_get(
    *,
    indicator: Indicator,
    territories: Sequence[Territory],
    scope: Scope,
    period: int | None = None,
    map_kind: str = TerritoryKind.QPV,
    map_communes: Sequence[int] | None = None,
    all_periods: Sequence[int] | None = None,
) -> IndicatorPage:
    """The series of the chosen territories and a map of ``map_kind`` over ``map_communes`` (bounded queries)."""
    index = value_index(indicators=[indicator], territory_ids=[t.pk for t in territories], scope=scope)
    series = [
        Series(territory=t, cells=dict(sorted(index.get((indicator.pk, t.pk), {}).items()))) for t in territories
    ]
    periods = sorted({year for item in series for year in item.cells})
    choropleth = None
    if map_communes:
        choropleth = choropleth_get(
            indicator=indicator, kind=map_kind, period=period, commune_ids=map_communes, scope=scope
        )
    return IndicatorPage(
        indicator=indicator,
        periods=periods,
        series=series,
        map=choropleth,
        scope=scope,
        all_periods=list(all_periods)
        if all_periods is not None
        else indicator_periods(indicator=indicator, scope=scope),
    )


def default_territories(*, indicator: Indicator, scope: Scope, limit: int = 4) -> list[Territory]:
    """A few territories for the global indicator page: France when it has values, then QPVs with values of the
    newest year (two queries)."""
    values = visible_values(scope).filter(indicator=indicator)
    latest = values.aggregate(latest=Max("period"))["latest"]
    if latest is None:
        return []
    ids = list(
        values.filter(period=latest, territory__kind__in=[TerritoryKind.FRANCE, TerritoryKind.QPV])
        .order_by("territory__kind", "territory__code")
        .values_list("territory_id", flat=True)[: limit * 4]
    )
    territories = {t.pk: t for t in Territory.objects.defer("geometry").filter(pk__in=ids)}
    ordered = sorted(territories.values(), key=lambda t: (t.kind != TerritoryKind.FRANCE, t.code))
    return ordered[:limit]


def territories_by_codes(*, kind: str, codes: Sequence[str], vintage: str | None = None) -> list[Territory]:
    """Territories of one kind by code (newest vintage of each code unless one is given), in the given order."""
    found = Territory.objects.defer("geometry").filter(kind=kind, code__in=list(codes))
    if vintage:
        found = found.filter(vintage=vintage)
    newest: dict[str, Territory] = {}
    for territory in found.order_by("code", "vintage"):
        newest[territory.code] = territory
    return [newest[code] for code in codes if code in newest]


def contract_territory_choices(*, contract: Contract) -> list[Territory]:
    """What a contract's indicator page may chart: its QPVs, then their references (four queries)."""
    qpvs = contract_qpvs(contract=contract)
    references = references_for_many([*qpvs, contract.epci])
    seen: dict[int, Territory] = {contract.epci.pk: contract.epci}
    for territory in qpvs:
        for reference in references[territory.pk]:
            seen.setdefault(reference.pk, reference)
    for reference in references[contract.epci.pk]:
        seen.setdefault(reference.pk, reference)
    return [*qpvs, *sorted(seen.values(), key=_reference_rank)]


def contract_map_communes(*, contract: Contract) -> list[int]:
    """The communes of the contract's EPCI (one query)."""
    return list(
        TerritoryLink.objects.filter(parent=contract.epci, child__kind=TerritoryKind.COMMUNE).values_list(
            "child_id", flat=True
        )
    )


# --- key figures of the contract home ------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyFigure:
    indicator: Indicator
    period: int
    qpvs: Cell
    epci: Cell
    comparison: Comparison


def _aggregate_qpvs(indicator: Indicator, cells: list[Cell]) -> Figure:
    if len(cells) == 1:
        return cells[0].figure or Figure(None)
    parts = [(cell.figure or Figure(None), 1.0) for cell in cells]
    return aggregate(parts, method=indicator.aggregation, scale=scale_for_unit(indicator.unit))


def contract_key_figures(*, contract: Contract, scope: Scope, count: int = KEY_FIGURE_COUNT) -> list[KeyFigure]:
    """Up to ``count`` figures of the contract's QPVs taken together, against the EPCI, the same year (three
    queries). QPVs are aggregated by ``computations.aggregate``: a masked QPV masks the total, and a year
    where a QPV has no value is not shown (a partial total would mislead)."""
    qpvs = contract_qpvs(contract=contract)
    if not qpvs:
        return []
    epci = contract.epci
    indicators = indicator_list()
    preferred = sorted(
        indicators, key=lambda i: (KEY_FIGURE_CODES.index(i.code) if i.code in KEY_FIGURE_CODES else 99, i.order)
    )
    index = value_index(indicators=indicators, territory_ids=[epci.pk, *(qpv.pk for qpv in qpvs)], scope=scope)
    figures = []
    for indicator in preferred:
        if indicator.aggregation == Aggregation.NONE and len(qpvs) > 1:
            continue
        epci_series = index.get((indicator.pk, epci.pk), {})
        qpv_series = [index.get((indicator.pk, qpv.pk), {}) for qpv in qpvs]
        common = set(epci_series).intersection(*[set(series) for series in qpv_series])
        if not common:
            continue
        period = max(common)
        total = _aggregate_qpvs(indicator, [series[period] for series in qpv_series])
        if total.value is None and not total.is_confidential:
            continue  # not computable (no numerators, a zero denominator): nothing to show
        qpv_cell = Cell(period=period, figure=total, text=cell_text(total, indicator))
        epci_cell = epci_series[period]
        figures.append(
            KeyFigure(
                indicator=indicator,
                period=period,
                qpvs=qpv_cell,
                epci=epci_cell,
                comparison=compare(indicator, qpv_cell, {period: epci_cell}),
            )
        )
        if len(figures) >= count:
            break
    return figures


# --- API ----------------------------------------------------------------------------------------------------------


def indicator_value_list(
    *,
    scope: Scope,
    indicator: str | None = None,
    territory: str | None = None,
    kind: str | None = None,
    vintage: str | None = None,
    period: int | None = None,
) -> QuerySet[IndicatorValue]:
    """Visible values filtered by indicator code, territory code, kind, vintage and year, with what the API shows
    (indicator, territory) loaded in the same query. Ordered along the (territory, indicator, period) index, so
    that a page of a national table is read without sorting millions of rows."""
    values = visible_values(scope)
    if indicator:
        values = values.filter(indicator__code=indicator)
    if territory:
        values = values.filter(territory__code=territory)
    if kind:
        values = values.filter(territory__kind=kind)
    if vintage:
        values = values.filter(territory__vintage=vintage)
    if period is not None:
        values = values.filter(period=period)
    return (
        values.select_related("indicator", "territory", "batch")
        .defer("territory__geometry", "territory__attributes", "territory__former_codes", "batch__warnings")
        .order_by("territory_id", "indicator_id", "period", "contract_id")
    )

"""The indicator catalogue and the indicator page: series over time of chosen territories and a choropleth map."""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Max

from contrat_ville.contracts.models import Contract
from contrat_ville.core.lookups import found_or_404
from contrat_ville.observation.enums import Theme
from contrat_ville.observation.models import Indicator
from contrat_ville.observation.selectors.references import kind_rank, name_key, references_for_many
from contrat_ville.observation.selectors.territories import contract_qpvs
from contrat_ville.observation.selectors.values import EMPTY_CELL, PUBLIC, Cell, Scope, value_index, visible_values
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import Territory

THEME_ORDER: tuple[str, ...] = (
    Theme.COHESION_SOCIALE,
    Theme.CADRE_DE_VIE,
    Theme.DEVELOPPEMENT_ECONOMIQUE,
    Theme.CONTEXT,
)
# Kinds a choropleth map may draw (issue 6: « a choropleth map over QPVs and IRIS »).
MAP_KINDS = (TerritoryKind.QPV, TerritoryKind.IRIS)
MAP_MAX_FEATURES = 3000
MAP_CLASS_COUNT = 5


# --- the catalogue ----------------------------------------------------------------------------------------------


def indicator_list() -> list[Indicator]:
    return list(Indicator.objects.order_by("order", "code"))


def theme_label(theme: str) -> str:
    return Theme(theme).label if theme in Theme.values else theme


def theme_rank(theme: str) -> int:
    return THEME_ORDER.index(theme) if theme in THEME_ORDER else len(THEME_ORDER)


@dataclass(frozen=True)
class ThemeGroup:
    theme: str
    label: str
    indicators: list[Indicator]


def indicator_catalogue() -> list[ThemeGroup]:
    """The catalogue grouped by theme (the three pillars, then context), in catalogue order (one query)."""
    groups: dict[str, list[Indicator]] = defaultdict(list)
    for indicator in indicator_list():
        groups[indicator.theme].append(indicator)
    return [
        ThemeGroup(theme=theme, label=theme_label(theme), indicators=groups[theme])
        for theme in sorted(groups, key=theme_rank)
    ]


def indicator_get(*, code: str) -> Indicator:
    return found_or_404(Indicator.objects.filter(code=code).first(), "Indicateur introuvable.")


def indicator_periods(*, indicator: Indicator, scope: Scope) -> list[int]:
    """The years with at least one visible value of the indicator (one query)."""
    periods = visible_values(scope).filter(indicator=indicator).order_by().values_list("period", flat=True)
    return sorted(set(periods.distinct()))


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


# --- series and map ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    territory: Territory
    cells: dict[int, Cell]

    def cell(self, period: int) -> Cell:
        return self.cells.get(period, EMPTY_CELL)


@dataclass(frozen=True)
class LegendClass:
    """A class of the map: values above ``lower`` (from ``lower`` for the first class) up to ``upper``."""

    index: int
    lower: float
    upper: float
    count: int = 0


@dataclass(frozen=True)
class MapItem:
    territory: Territory
    cell: Cell
    class_index: int | None  # None: masked or missing


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


def _legend(values: Sequence[float]) -> list[LegendClass]:
    legend = []
    lower = min(values) if values else 0.0
    for position, upper in enumerate(quantile_breaks(values)):
        legend.append(LegendClass(index=position, lower=lower, upper=upper))
        lower = upper
    return legend


def _class_of(value: float, legend: list[LegendClass]) -> int:
    uppers = [item.upper for item in legend]
    return min(bisect.bisect_left(uppers, value), len(legend) - 1)


def choropleth_get(
    *, indicator: Indicator, kind: str, period: int | None, commune_ids: Sequence[int], scope: Scope
) -> ChoroplethMap:
    """QPVs or IRIS lying in these communes, classed by their value of ``period`` — by default the newest year
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
    legend = _legend([cell.value for cell in cells.values() if cell.value is not None])
    items = []
    counts: dict[int, int] = defaultdict(int)
    for territory in territories:
        cell = cells[territory.pk]
        class_index = _class_of(cell.value, legend) if cell.value is not None and legend else None
        if class_index is not None:
            counts[class_index] += 1
        items.append(MapItem(territory=territory, cell=cell, class_index=class_index))
    return ChoroplethMap(
        kind=kind,
        period=period,
        items=items,
        legend=[LegendClass(item.index, item.lower, item.upper, counts[item.index]) for item in legend],
        confidential_count=sum(1 for item in items if item.cell.is_confidential),
        missing_count=sum(1 for item in items if item.cell.figure is None),
        truncated=truncated,
    )


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


def with_references(territories: Sequence[Territory]) -> list[Territory]:
    """The territories, then their references not already among them (two queries)."""
    chosen = list(territories)
    references = references_for_many(territories)
    seen = {territory.pk for territory in chosen}
    for territory in territories:
        for reference in references[territory.pk]:
            if reference.pk not in seen:
                seen.add(reference.pk)
                chosen.append(reference)
    return chosen


def contract_territory_choices(*, contract: Contract) -> list[Territory]:
    """What a contract's indicator page may chart: its QPVs, then the EPCI and their references (three queries)."""
    qpvs = contract_qpvs(contract=contract)
    references = references_for_many([*qpvs, contract.epci])
    seen: dict[int, Territory] = {contract.epci.pk: contract.epci}
    for territory in [*qpvs, contract.epci]:
        for reference in references[territory.pk]:
            seen.setdefault(reference.pk, reference)
    return [*qpvs, *sorted(seen.values(), key=_reference_rank)]


def _reference_rank(territory: Territory) -> tuple[int, str, str]:
    return kind_rank(territory.kind), name_key(territory.name), territory.code

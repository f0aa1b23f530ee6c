"""The portrait of a territory by pillar: latest value of each indicator, its references the same year, its trend.

Every figure is plain data (``Cell``, ``Comparison``, ``Evolution``); ``presenters.portrait_view`` writes the page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import Max

from contrat_ville.observation.computations import Evolution
from contrat_ville.observation.models import Indicator
from contrat_ville.observation.selectors.indicators import indicator_list, theme_label, theme_rank
from contrat_ville.observation.selectors.references import references_for
from contrat_ville.observation.selectors.values import (
    PUBLIC,
    VALUE_COLUMNS,
    Cell,
    Comparison,
    Scope,
    cell_of,
    compare,
    evolution_of_figures,
    figure_of,
    visible_rows,
    visible_values,
)
from contrat_ville.territories.models import Territory


@dataclass(frozen=True)
class PortraitRow:
    indicator: Indicator
    latest: Cell
    comparisons: list[Comparison]  # one per reference of the portrait, in its order
    evolution: Evolution
    points: tuple[tuple[int, float], ...]  # (year, value) of the visible values, by year

    @property
    def trend(self) -> str:
        return self.evolution.trend


Row = TypeVar("Row")


@dataclass(frozen=True)
class PortraitSection(Generic[Row]):
    """One theme of a portrait: its rows (``PortraitRow``; the presenter's rows carry the written texts)."""

    theme: str
    label: str
    rows: list[Row]


@dataclass(frozen=True)
class Portrait:
    """A territory by pillar: for each indicator with a value, the latest value, references, gaps and trend."""

    territory: Territory
    references: list[Territory]
    sections: list[PortraitSection[PortraitRow]]
    scope: Scope = PUBLIC

    @property
    def has_values(self) -> bool:
        return any(section.rows for section in self.sections)

    @property
    def has_private_values(self) -> bool:
        return any(row.latest.is_private for section in self.sections for row in section.rows)


# Columns of the portrait's value queries (``VALUE_COLUMNS`` without the territory for its own series).
_OWN_COLUMNS = tuple(column for column in VALUE_COLUMNS if column != "territory_id")


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
    rows = visible_rows(
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
    """The portrait of ``territory`` in six queries whatever the number of indicators, values or references:
    the references (two, ``references.references_for``), the catalogue, the territory's own series (every year:
    trend and sparkline), and only the reference values it shows (two, see ``_reference_series``)."""
    references = references_for(territory)
    indicators = indicator_list()
    by_id = {indicator.pk: indicator for indicator in indicators}
    own = visible_rows(
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
        latest = cell_of(rows[latest_periods[indicator.pk]])
        figures = {period: figure_of(row) for period, row in rows.items()}
        comparisons = []
        for ref in references:
            shown_row = shown.get((indicator.pk, ref.pk))
            reference = cell_of(shown_row) if shown_row is not None else None
            reference_series = {reference.period: reference} if reference and reference.period is not None else None
            comparisons.append(compare(latest, reference_series))
        sections[indicator.theme].append(
            PortraitRow(
                indicator=indicator,
                latest=latest,
                comparisons=comparisons,
                evolution=evolution_of_figures(indicator, figures),
                points=tuple(
                    sorted(
                        (period, figure.value)
                        for period, figure in figures.items()
                        if figure.is_available and figure.value is not None
                    )
                ),
            )
        )
    return Portrait(
        territory=territory,
        references=references,
        sections=[
            PortraitSection(theme=theme, label=theme_label(theme), rows=sections[theme])
            for theme in sorted(sections, key=theme_rank)
        ],
        scope=scope,
    )

"""Which values a reader sees, and the plain figures built from them: cells, same-year comparisons, evolutions.

Who sees what: public values (``contract`` empty: official statistics) answer to everyone; values private to a
contract answer only to its members, and only on that contract's pages (``Scope``). When a contract holds its own
value for a key that also has a public one, the contract's value wins on its pages.

Statistical secrecy (domain.md §7.3): a confidential value has no figures in the database; every figure derived
from it (gap, evolution, aggregate, map class) is absent too — ``computations.py`` enforces it, the readers here
never bypass it. Nothing here is worded for a reader: ``observation.presenters`` writes every text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from contrat_ville.contracts.models import Contract
from contrat_ville.core.models import ImportBatch
from contrat_ville.core.selectors import given, import_batch_list
from contrat_ville.observation.computations import Evolution, Figure, Gap, evolution, gap
from contrat_ville.observation.importers import VALUE_IMPORTERS
from contrat_ville.observation.models import Indicator, IndicatorValue, visible_condition
from contrat_ville.observation.permissions import can_read_private_values

# INSEE advises against comparing consecutive infra-communal census vintages (rolling census): the trend of a
# census indicator spans at least this many years (domain.md §7.2, « unconfirmed » figure).
CENSUS_MIN_GAP_YEARS = 5

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


# --- scope ------------------------------------------------------------------------------------------------------


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
    return IndicatorValue.objects.filter(visible_condition(scope.contract.pk if scope.contract is not None else None))


def value_batches_for(*, contract: Contract, limit: int = 50) -> list[ImportBatch]:
    """The contract's previous value imports, newest first (one query)."""
    return import_batch_list(scope=contract, importers=VALUE_IMPORTERS, limit=limit)


# --- cells ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One visible value: its year, its figure (no number when masked), whether it is the contract's own, and
    the producer and vintage of its import (``presenters.source_text`` words them)."""

    period: int | None
    figure: Figure | None
    is_private: bool = False
    producer: str = ""
    vintage: str = ""

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


EMPTY_CELL = Cell(period=None, figure=None)

# (indicator id, territory id) → period → cell
ValueIndex = dict[tuple[int, int], dict[int, Cell]]


def figure_of(row: dict[str, Any]) -> Figure:
    if row["is_confidential"]:
        return Figure(None, is_confidential=True)
    return Figure(row["value"], row["numerator"], row["denominator"])


def cell_of(row: dict[str, Any]) -> Cell:
    """The cell of a value row read with ``VALUE_COLUMNS``."""
    return Cell(
        period=row["period"],
        figure=figure_of(row),
        is_private=row["contract_id"] is not None,
        producer=row["batch__producer"] or "",
        vintage=row["batch__vintage"] or "",
    )


def visible_rows(rows: Iterable[dict[str, Any]], key: Any) -> dict[Any, dict[str, Any]]:
    """Rows by ``key(row)``, the contract's own row winning over the public one of the same key."""
    found: dict[Any, dict[str, Any]] = {}
    for row in rows:
        item = key(row)
        if row["contract_id"] is None and item in found:
            continue  # a private row of the same key was read first: it wins
        found[item] = row
    return found


def value_index(
    *,
    indicators: Iterable[Indicator],
    territory_ids: Iterable[int],
    scope: Scope,
    periods: Iterable[int] | None = None,
) -> ValueIndex:
    """The visible values of these indicators and territories (one query), the contract's own ones winning."""
    indicator_ids = {indicator.pk for indicator in indicators}
    territory_ids = list(set(territory_ids))
    index: ValueIndex = defaultdict(dict)
    if not indicator_ids or not territory_ids:
        return index
    values = visible_values(scope).filter(indicator_id__in=list(indicator_ids), territory_id__in=territory_ids)
    if periods is not None:
        values = values.filter(period__in=list(periods))
    # Public rows first, so that a contract's own row for the same key replaces the public one.
    rows = values.order_by("period").values(*VALUE_COLUMNS)
    for row in sorted(rows, key=lambda row: row["contract_id"] is not None):
        index[(row["indicator_id"], row["territory_id"])][row["period"]] = cell_of(row)
    return index


def latest_cell(series: dict[int, Cell] | None) -> Cell:
    """The newest cell of a series (masked or not: a masked latest value is shown as masked, not skipped)."""
    if not series:
        return EMPTY_CELL
    return series[max(series)]


def latest_measured_values(
    *, pairs: Iterable[tuple[int, int]], scope: Scope, until: int | None = None
) -> dict[tuple[int, int], tuple[float, int]]:
    """(indicator id, territory id) → (value, year) of the newest visible value that is not masked (at or before
    ``until`` when given), in one query.

    What an objective is measured against (strategy, the demo's objectives): a masked year is skipped, never
    guessed; the contract's own value wins over a public one of the same year.
    """
    pairs = set(pairs)
    if not pairs:
        return {}
    values = visible_values(scope).filter(
        indicator_id__in={pair[0] for pair in pairs},
        territory_id__in={pair[1] for pair in pairs},
        is_confidential=False,
        value__isnull=False,
    )
    if until is not None:
        values = values.filter(period__lte=until)
    rows = values.values_list("indicator_id", "territory_id", "period", "value", "contract_id")
    best: dict[tuple[int, int], tuple[int, bool, float]] = {}
    for indicator_id, territory_id, period, value, contract_id in rows:
        key = (indicator_id, territory_id)
        if key not in pairs or value is None:
            continue
        rank = (period, contract_id is not None, float(value))
        if key not in best or rank[:2] > best[key][:2]:
            best[key] = rank
    return {key: (rank[2], rank[0]) for key, rank in best.items()}


# --- comparisons and evolutions ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """A figure compared with a reference at the same period: difference (points for a rate) and ratio."""

    reference: Cell
    gap: Gap

    @property
    def has_gap(self) -> bool:
        return self.gap.difference is not None


NO_COMPARISON = Comparison(reference=EMPTY_CELL, gap=Gap(None, None))


def compare(cell: Cell, reference_series: dict[int, Cell] | None) -> Comparison:
    """``cell`` against the reference's value of the same year; no gap when either is masked or missing."""
    if not reference_series:
        return NO_COMPARISON
    reference = reference_series.get(cell.period) if cell.period is not None else None
    if reference is None:
        # No value of the same year: show the reference's newest one, without a gap (different years).
        return Comparison(reference=latest_cell(reference_series), gap=Gap(None, None))
    return Comparison(reference=reference, gap=gap(cell.figure or Figure(None), reference.figure or Figure(None)))


def min_gap_years(indicator: Indicator) -> int:
    """Census (RP) indicators compare vintages at least ``CENSUS_MIN_GAP_YEARS`` apart (domain.md §7.2)."""
    words = f"{indicator.source} {indicator.producer}".replace("(", " ").replace(")", " ").replace(";", " ").split()
    is_census = "RP" in words or "recensement" in indicator.source.lower()
    return CENSUS_MIN_GAP_YEARS if is_census else 0


def stable_threshold(indicator: Indicator) -> float:
    """A change that rounds to 0 at the indicator's decimals is « stable »."""
    return 0.5 * 10.0 ** (-indicator.decimals)


def evolution_of_figures(indicator: Indicator, figures: dict[int, Figure]) -> Evolution:
    return evolution(figures, min_gap_years=min_gap_years(indicator), stable_threshold=stable_threshold(indicator))


def evolution_of(indicator: Indicator, series: dict[int, Cell] | None) -> Evolution:
    """The trend of a series; masked periods are skipped by ``computations.evolution``."""
    figures = {period: cell.figure for period, cell in (series or {}).items() if cell.figure is not None}
    return evolution_of_figures(indicator, figures)


def visible_points(series: dict[int, Cell] | None) -> tuple[tuple[int, float], ...]:
    """(year, value) of the values that may be shown, by year: what a sparkline draws (masked years left out)."""
    return tuple(sorted((period, cell.value) for period, cell in (series or {}).items() if cell.value is not None))


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
    values = visible_values(scope).filter(
        **given(
            indicator__code=indicator,
            territory__code=territory,
            territory__kind=kind,
            territory__vintage=vintage,
            period=period,
        )
    )
    return (
        values.select_related("indicator", "territory", "batch")
        .defer("territory__geometry", "territory__attributes", "territory__former_codes", "batch__warnings")
        .order_by("territory_id", "indicator_id", "period", "contract_id")
    )

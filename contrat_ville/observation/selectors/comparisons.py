"""A contract's QPVs side by side: the comparison table (each QPV against its reference of a chosen kind) and the
key figures of the contract home (the QPVs taken together against the EPCI)."""

from __future__ import annotations

from dataclasses import dataclass

from contrat_ville.contracts.models import Contract
from contrat_ville.observation.computations import Figure, aggregate, scale_for_unit
from contrat_ville.observation.enums import Aggregation
from contrat_ville.observation.models import Indicator
from contrat_ville.observation.selectors.indicators import indicator_list
from contrat_ville.observation.selectors.references import ReferenceRow, reference_rows
from contrat_ville.observation.selectors.territories import contract_qpvs
from contrat_ville.observation.selectors.values import (
    NO_COMPARISON,
    Cell,
    Comparison,
    Scope,
    compare,
    latest_cell,
    value_index,
)
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import Territory

SORT_BY_NAME = "nom"
# The references a QPV may be compared with on the comparison page: one territory of each kind (a QPV may lie
# in two communes, so communes are compared on the portrait, which shows each of them).
COMPARISON_REFERENCE_KINDS: tuple[str, ...] = (
    TerritoryKind.EPCI,
    TerritoryKind.UNITE_URBAINE,
    TerritoryKind.DEPARTEMENT,
    TerritoryKind.REGION,
    TerritoryKind.FRANCE,
)
DEFAULT_REFERENCE_KIND = TerritoryKind.EPCI
# The home panel's key figures: the first of these codes that have values (domain.md §7.4 catalogue codes).
KEY_FIGURE_CODES = ("CTX-01", "CS-02", "DE-01", "DE-03", "CS-01")
KEY_FIGURE_COUNT = 3


@dataclass(frozen=True)
class ComparisonCell:
    cell: Cell
    comparison: Comparison


@dataclass(frozen=True)
class ComparisonRow:
    qpv: Territory
    reference: ReferenceRow | None  # the QPV's reference of the chosen kind (``references.reference_rows``)
    cells: list[ComparisonCell]


@dataclass(frozen=True)
class ReferenceLine:
    """A reference territory of the table, with its latest value of each indicator."""

    territory: ReferenceRow
    cells: list[Cell]


@dataclass(frozen=True)
class QpvComparison:
    """The contract's QPVs by chosen indicators, each cell with its gap to the QPV's reference of one kind."""

    contract: Contract
    reference_kind: str
    indicators: list[Indicator]
    rows: list[ComparisonRow]
    references: list[ReferenceLine]
    sort: str
    descending: bool


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
    reference_kind: str = DEFAULT_REFERENCE_KIND,
    sort: str = SORT_BY_NAME,
    descending: bool = False,
) -> QpvComparison:
    """The comparison table in three queries (QPVs, their references, values) plus the caller's indicators.
    Each QPV is compared with its own reference of ``reference_kind`` (the first one, should it have two)."""
    if reference_kind not in COMPARISON_REFERENCE_KINDS:
        reference_kind = DEFAULT_REFERENCE_KIND
    qpvs = contract_qpvs(contract=contract)
    references = reference_rows([qpv.pk for qpv in qpvs])
    chosen: dict[int, ReferenceRow | None] = {
        qpv.pk: next((row for row in references.get(qpv.pk, []) if row.kind == reference_kind), None) for qpv in qpvs
    }
    lines = {row.territory_id: row for row in chosen.values() if row is not None}
    index = value_index(indicators=indicators, territory_ids=[*lines, *(qpv.pk for qpv in qpvs)], scope=scope)
    rows = []
    for qpv in qpvs:
        reference = chosen[qpv.pk]
        cells = []
        for indicator in indicators:
            cell = latest_cell(index.get((indicator.pk, qpv.pk)))
            comparison = (
                compare(cell, index.get((indicator.pk, reference.territory_id)))
                if reference is not None
                else NO_COMPARISON
            )
            cells.append(ComparisonCell(cell=cell, comparison=comparison))
        rows.append(ComparisonRow(qpv=qpv, reference=reference, cells=cells))
    codes = [indicator.code for indicator in indicators]
    if sort in codes:
        position = codes.index(sort)
        rows.sort(key=lambda row: _sort_key(row, position, descending))
    else:
        sort = SORT_BY_NAME
        rows.sort(key=lambda row: (row.qpv.name, row.qpv.code), reverse=descending)
    return QpvComparison(
        contract=contract,
        reference_kind=reference_kind,
        indicators=indicators,
        rows=rows,
        references=[
            ReferenceLine(
                territory=line,
                cells=[latest_cell(index.get((indicator.pk, line.territory_id))) for indicator in indicators],
            )
            for line in sorted(lines.values(), key=lambda line: (line.name, line.code))
        ],
        sort=sort,
        descending=descending,
    )


# --- key figures of the contract home ----------------------------------------------------------------------------


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
        qpv_cell = Cell(period=period, figure=total)
        epci_cell = epci_series[period]
        figures.append(
            KeyFigure(
                indicator=indicator,
                period=period,
                qpvs=qpv_cell,
                epci=epci_cell,
                comparison=compare(qpv_cell, {period: epci_cell}),
            )
        )
        if len(figures) >= count:
            break
    return figures

"""Stacked bar charts of the dashboards (issue 12 §1): a table of counts whose every figure links to its detail,
each row ending with the bar that draws it.

The table is the chart's accessible form (RGAA 1.3, 3.3: no information by colour alone); the bar is an SVG hidden
from assistive technologies, drawn with presentation attributes (no script, readable without JavaScript). Bars
share one scale (the largest row fills the width), so rows compare by length.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# DSFR illustrative colours, each at least 3:1 against white (RGAA 3.3), in the order series use them.
TONES = {
    "success": "#18753c",
    "info": "#0063cb",
    "warning": "#b34000",
    "error": "#ce0500",
    "blue-france": "#000091",
    "purple-glycine": "#8f5fa6",
    "grey": "#666666",
}


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    tone: str

    @property
    def color(self) -> str:
        return TONES[self.tone]


@dataclass(frozen=True)
class Cell:
    value: int
    url: str = ""


@dataclass(frozen=True)
class Segment:
    series: Series
    x: float  # percent of the drawing's width
    width: float


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell, ...]  # one per series, in the chart's series order
    url: str = ""
    segments: tuple[Segment, ...] = ()

    @property
    def total(self) -> int:
        return sum(cell.value for cell in self.cells)


@dataclass(frozen=True)
class StackedBars:
    caption: str
    row_header: str
    series: tuple[Series, ...]
    rows: tuple[Row, ...]
    testid: str = ""

    @property
    def headers(self) -> list[str]:
        return [self.row_header, *(series.label for series in self.series), "Total", "Répartition"]

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)


def stacked_bars(
    *,
    caption: str,
    row_header: str,
    series: Sequence[Series],
    rows: Sequence[tuple[str, str, Mapping[str, Cell]]],
    testid: str = "",
) -> StackedBars:
    """The chart of ``rows`` — (label, url, cells by series key) — over ``series``; missing cells count 0."""
    raw = [(label, url, tuple(cells.get(item.key, Cell(0)) for item in series)) for label, url, cells in rows]
    largest = max((sum(cell.value for cell in cells) for _, _, cells in raw), default=0)
    built = []
    for label, url, cells in raw:
        segments = []
        x = 0.0
        for item, cell in zip(series, cells, strict=True):
            if cell.value and largest:
                width = 100 * cell.value / largest
                segments.append(Segment(series=item, x=round(x, 2), width=round(width, 2)))
                x += width
        built.append(Row(label=label, url=url, cells=cells, segments=tuple(segments)))
    return StackedBars(caption=caption, row_header=row_header, series=tuple(series), rows=tuple(built), testid=testid)

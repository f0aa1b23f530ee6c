"""Geometry of the server-side SVG line chart of an indicator page (no JavaScript needed).

The chart is drawn by ``observation/_line_chart.html`` from a ``LineChart``; the same figures are in the data
table under it (the accessible alternative). Series differ by colour, marker shape and dash pattern, so that
colour is never the only way to tell them apart. Masked (secret statistique) and missing years break the line.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from contrat_ville.observation.computations import format_number, format_value
from contrat_ville.observation.models import Indicator
from contrat_ville.observation.selectors import Series

WIDTH = 720
HEIGHT = 340
MARGIN_LEFT = 84
MARGIN_RIGHT = 24
MARGIN_TOP = 20
MARGIN_BOTTOM = 56
MARKER_SIZE = 4.5
COLORS = ("#000091", "#ce0500", "#18753c", "#b34000", "#6e445a", "#0063cb", "#716043", "#3a3a3a")
MARKERS = ("circle", "square", "triangle", "diamond")
DASHES = ("", "6 4", "2 3", "10 3 2 3")
RATE_UNITS = ("%", "‰", "‱")


@dataclass(frozen=True)
class Tick:
    position: str  # SVG coordinates are written by Python, never by the template (no localised decimal comma)
    label: str


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    period: int
    text: str
    marker_path: str


@dataclass(frozen=True)
class ChartLine:
    name: str
    color: str
    marker: str
    dash: str
    segments: list[str]
    points: list[ChartPoint]
    legend_marker_path: str

    @property
    def marker_label(self) -> str:
        return {"circle": "rond", "square": "carré", "triangle": "triangle", "diamond": "losange"}[self.marker]


@dataclass(frozen=True)
class LineChart:
    title: str
    description: str
    y_label: str
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    lines: list[ChartLine]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = MARGIN_LEFT
    top: int = MARGIN_TOP
    right: int = WIDTH - MARGIN_RIGHT
    bottom: int = HEIGHT - MARGIN_BOTTOM

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def x_label_y(self) -> int:
        return self.height - 12

    @property
    def y_label_x(self) -> int:
        return 16

    @property
    def y_label_y(self) -> str:
        return f"{(self.top + self.bottom) / 2:.1f}"


def nice_step(span: float, target_ticks: int = 5) -> float:
    """A round step (1, 2, 2.5 or 5 times 10^n) giving about ``target_ticks`` intervals over ``span``."""
    if span <= 0:
        return 1.0
    raw = span / target_ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def y_range(values: Sequence[float], unit: str) -> tuple[float, float, float]:
    """(low, high, step) of the value axis: from 0 for rates and counts that are all positive, else around
    the data, on round steps."""
    low, high = min(values), max(values)
    if low >= 0 and (unit.strip() in RATE_UNITS or low <= 0.5 * high):
        low = 0.0
    if high == low:
        high = low + (abs(low) or 1.0)
    step = nice_step(high - low)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def marker_path(shape: str, x: float, y: float, size: float = MARKER_SIZE) -> str:
    if shape == "square":
        return f"M{x - size:.1f},{y - size:.1f}h{2 * size:.1f}v{2 * size:.1f}h{-2 * size:.1f}z"
    if shape == "triangle":
        top, side = y - size * 1.2, size * 1.1
        return f"M{x:.1f},{top:.1f}L{x + side:.1f},{y + size:.1f}L{x - side:.1f},{y + size:.1f}z"
    if shape == "diamond":
        r = size * 1.3
        return f"M{x:.1f},{y - r:.1f}L{x + r:.1f},{y:.1f}L{x:.1f},{y + r:.1f}L{x - r:.1f},{y:.1f}z"
    arc = f"a{size:.1f},{size:.1f} 0 1,0"
    return f"M{x - size:.1f},{y:.1f}{arc} {2 * size:.1f},0{arc} {-2 * size:.1f},0"


def _decimals_for_step(step: float) -> int:
    """The fewest decimals that write every tick exactly (2 for a 0.25 step)."""
    for decimals in range(4):
        scaled = step * 10**decimals
        if abs(scaled - round(scaled)) < 1e-9:
            return decimals
    return 3


def line_chart(*, indicator: Indicator, series: Sequence[Series], periods: Sequence[int]) -> LineChart | None:
    """The chart of the series over ``periods``; ``None`` when there is nothing to draw."""
    values = [cell.value for item in series for cell in item.cells.values() if cell.value is not None]
    if not values or not periods:
        return None
    low, high, step = y_range(values, indicator.unit)
    first, last = min(periods), max(periods)
    left, right, top, bottom = MARGIN_LEFT, WIDTH - MARGIN_RIGHT, MARGIN_TOP, HEIGHT - MARGIN_BOTTOM

    def x_of(period: int) -> float:
        if first == last:
            return (left + right) / 2
        return left + (period - first) / (last - first) * (right - left)

    def y_of(value: float) -> float:
        return bottom - (value - low) / (high - low) * (bottom - top)

    tick_decimals = _decimals_for_step(step)
    y_ticks = []
    count = round((high - low) / step)
    for position in range(count + 1):
        value = low + position * step
        y_ticks.append(Tick(position=f"{y_of(value):.1f}", label=format_number(value, decimals=tick_decimals)))
    year_step = max(1, math.ceil((last - first + 1) / 10))
    x_ticks = [Tick(position=f"{x_of(year):.1f}", label=str(year)) for year in range(first, last + 1, year_step)]
    lines = []
    for number, item in enumerate(series):
        shape = MARKERS[number % len(MARKERS)]
        points: list[ChartPoint] = []
        segments: list[str] = []
        current: list[str] = []
        for period in range(first, last + 1):
            cell = item.cells.get(period)
            if cell is None or cell.value is None:
                # A missing or masked year breaks the line: no value is interpolated across it.
                if cell is not None and current:
                    segments.append(" ".join(current))
                    current = []
                continue
            x, y = x_of(period), y_of(cell.value)
            current.append(f"{x:.1f},{y:.1f}")
            points.append(
                ChartPoint(
                    x=round(x, 1),
                    y=round(y, 1),
                    period=period,
                    text=format_value(cell.value, decimals=indicator.decimals, unit=indicator.unit),
                    marker_path=marker_path(shape, x, y),
                )
            )
        if current:
            segments.append(" ".join(current))
        lines.append(
            ChartLine(
                name=item.territory.name,
                color=COLORS[number % len(COLORS)],
                marker=shape,
                dash=DASHES[(number // len(MARKERS)) % len(DASHES)],
                segments=[segment for segment in segments if " " in segment],
                points=points,
                legend_marker_path=marker_path(shape, 12, 8, 4),
            )
        )
    unit = indicator.unit.strip()
    names = ", ".join(item.territory.name for item in series)
    return LineChart(
        title=f"{indicator.label} de {first} à {last}",
        description=(
            f"Graphique en courbes : {indicator.label.lower()} par année pour {names}. "
            "Les valeurs exactes figurent dans le tableau qui suit."
        ),
        y_label=f"{indicator.label} ({unit})" if unit else indicator.label,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        lines=lines,
    )

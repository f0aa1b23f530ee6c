"""Every formatting rule of the observation app, in one place: what a figure reads like on a page, in a CSV or
XLSX export, in a document or on another app's page (diagnostic findings, strategy objectives).

- French numbers: comma as decimal mark, no-break space (U+00A0) between thousands and before the unit, points
  (« pts ») for a difference of rates, the multiplication sign for a ratio, « — » for a figure that does not exist;
- statistical secrecy: a masked figure reads « secret statistique », never a number, and nothing derived from it
  is written (the selectors give no number for it; this module never computes one);
- sentences: the gap to a reference, the trend between two years and its judgement, the objective-status rule;
- drawings: sparkline points, the SVG line chart of an indicator page, the classes and colours of a map.

The selectors (``observation.selectors``) return data; pages, exports, the API and the apps above call the
functions and the ``*_view`` builders here, so that a number reads the same everywhere. Nothing here reads the
database.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from contrat_ville.observation.computations import TREND_DOWN, TREND_STABLE, TREND_UNKNOWN, TREND_UP, Evolution, Figure
from contrat_ville.observation.enums import Aggregation, Direction, ObjectiveStatus
from contrat_ville.observation.models import Indicator
from contrat_ville.observation.selectors.comparisons import KeyFigure, QpvComparison
from contrat_ville.observation.selectors.indicators import ChoroplethMap, IndicatorPage, LegendClass, Series
from contrat_ville.observation.selectors.national import NationalReference, NationalTable
from contrat_ville.observation.selectors.portraits import Portrait, PortraitSection
from contrat_ville.observation.selectors.references import REFERENCE_KINDS
from contrat_ville.observation.selectors.values import Cell, Comparison
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import Territory

NBSP = "\u00a0"
MINUS = "\u2212"
TIMES = "\u00d7"
NOT_AVAILABLE = "—"
CONFIDENTIAL_TEXT = "secret statistique"
NO_DATA_TEXT = "pas de donnée"

# Units printed without a suffix (a count, a bare ratio).
UNITS_WITHOUT_SUFFIX = frozenset({"", "nb", "ratio", "indice"})

OBJECTIVE_STATUS_RULE = (
    "La trajectoire attendue est linéaire entre la valeur de référence (année de référence) et la cible "
    "(année cible). Pour la dernière valeur connue, on compare le chemin parcouru depuis la référence au "
    "chemin attendu à cette date : la cible est atteinte si la dernière valeur a atteint ou dépassé la cible "
    "dans le bon sens ; l'objectif est en bonne voie si le chemin parcouru est au moins égal au chemin "
    "attendu ; en retard s'il en couvre au moins la moitié (et a progressé) ; hors trajectoire sinon, ou si "
    "l'indicateur s'éloigne de la cible. Le bon sens est celui qui va de la référence vers la cible (ou le sens "
    "de l'indicateur quand la cible égale la référence : objectif de maintien). Le statut est « non "
    "mesurable » quand une valeur ou une année manque, qu'une valeur est couverte par le secret statistique, "
    "ou qu'aucune mesure n'est postérieure à l'année de référence."
)

AGGREGATION_RULE = (
    "Les effectifs s'additionnent, pondérés par la part de chaque territoire inclus ; les taux sont recalculés "
    "comme rapport de la somme des numérateurs à la somme des dénominateurs, jamais comme moyenne de taux. "
    "Médianes et quantiles ne s'agrègent pas. Une composante manquante rend le total non disponible ; une "
    "composante couverte par le secret statistique le rend secret."
)


# --- French numbers ------------------------------------------------------------------------------------------


def format_number(value: float, *, decimals: int) -> str:
    """French digits: comma as decimal mark, no-break space (U+00A0) between thousands, no « -0 »."""
    text = f"{value:,.{decimals}f}"
    if text.lstrip("-").strip("0,.") == "":
        text = text.lstrip("-")
    return text.replace(",", NBSP).replace(".", ",")


def format_value(value: float | None, *, decimals: int, unit: str) -> str:
    """« 23,4 % », « 1 234 hab. », « 14 500 € »: French formatting with a no-break space (U+00A0).

    Units ``""``, ``nb``, ``ratio`` and ``indice`` are printed without a suffix. ``None`` gives « — »;
    the caller shows « secret statistique » for a confidential figure (``figure_text`` does).
    """
    if value is None or not math.isfinite(value):
        return NOT_AVAILABLE
    text = format_number(value, decimals=decimals)
    unit = unit.strip()
    if unit in UNITS_WITHOUT_SUFFIX:
        return text
    return f"{text}{NBSP}{unit}"


def format_gap(difference: float | None, *, decimals: int, unit: str) -> str:
    """A signed difference: « +3,2 pts » for a rate, « -1 200 hab. » (with a minus sign, U+2212) for a count;
    « — » when unknown."""
    if difference is None or not math.isfinite(difference):
        return NOT_AVAILABLE
    text = format_number(abs(difference), decimals=decimals)
    sign = "" if text.strip("0,") == "" else ("+" if difference > 0 else MINUS)
    unit = unit.strip()
    suffix = "" if unit in UNITS_WITHOUT_SUFFIX else NBSP + ("pts" if unit == "%" else unit)
    return f"{sign}{text}{suffix}"


def format_ratio(ratio: float | None) -> str:
    """« \u00d7 1,8 » (multiplication sign): how many times the reference; « — » when unknown."""
    if ratio is None or not math.isfinite(ratio):
        return NOT_AVAILABLE
    return f"{TIMES}{NBSP}{format_number(ratio, decimals=2 if ratio < 10 else 1)}"


def indicator_value_text(indicator: Indicator, value: float | None) -> str:
    """A bare number of the indicator (a baseline, a target), in its unit and decimals."""
    return format_value(value, decimals=indicator.decimals, unit=indicator.unit)


def figure_text(figure: Figure | None, indicator: Indicator) -> str:
    """« 23,4 % », « secret statistique » for a masked figure, « — » when there is none."""
    if figure is None:
        return NOT_AVAILABLE
    if figure.is_confidential:
        return CONFIDENTIAL_TEXT
    return format_value(figure.value, decimals=indicator.decimals, unit=indicator.unit)


def cell_text(cell: Cell | None, indicator: Indicator) -> str:
    return figure_text(cell.figure if cell is not None else None, indicator)


def source_text(cell: Cell, indicator: Indicator) -> str:
    """« Filosofi, millésime 2021 »: the catalogue's source (or the import's producer) and the vintage."""
    parts = [indicator.source or cell.producer or indicator.producer]
    if cell.vintage:
        parts.append(f"millésime {cell.vintage}")
    return ", ".join(part for part in parts if part)


def period_text(period: int | None) -> str:
    return f"en {period}" if period else ""


def gap_text(comparison: Comparison, indicator: Indicator) -> str:
    """« écart : +3,2 pts (\u00d7 1,27) », or nothing when there is no gap (other year, masked or missing value)."""
    if not comparison.has_gap:
        return ""
    return pair_gap_text(comparison.gap.difference, comparison.gap.ratio, indicator)


def pair_gap_text(difference: float | None, ratio: float | None, indicator: Indicator) -> str:
    if difference is None:
        return ""
    return (
        f"écart : {format_gap(difference, decimals=indicator.decimals, unit=indicator.unit)} ({format_ratio(ratio)})"
    )


def level_labels(indicator: Indicator) -> list[str]:
    """« IRIS », « quartier prioritaire (QPV) »… for the kinds an indicator is published at."""
    return [TerritoryKind(level).label if level in TerritoryKind.values else str(level) for level in indicator.levels]


def kind_label(kind: str) -> str:
    return str(TerritoryKind(kind).label) if kind in TerritoryKind.values else kind


# « écart à l'EPCI », « écart au département »…
_KIND_PHRASES: dict[str, str] = {
    TerritoryKind.COMMUNE: "à la commune",
    TerritoryKind.EPCI: "à l'EPCI",
    TerritoryKind.UNITE_URBAINE: "à l'unité urbaine",
    TerritoryKind.DEPARTEMENT: "au département",
    TerritoryKind.REGION: "à la région",
    TerritoryKind.FRANCE: "à la France",
}


def reference_phrase(kind: str) -> str:
    return _KIND_PHRASES.get(kind, f"au territoire de référence ({kind_label(kind)})")


# Column headers of the national table, one per reference kind.
REFERENCE_COLUMN_LABELS: dict[str, str] = {
    TerritoryKind.COMMUNE: "Communes",
    TerritoryKind.EPCI: "Intercommunalité",
    TerritoryKind.UNITE_URBAINE: "Unité urbaine",
    TerritoryKind.DEPARTEMENT: "Département",
    TerritoryKind.REGION: "Région",
    TerritoryKind.FRANCE: "France",
}


# --- trends and objectives -----------------------------------------------------------------------------------

TREND_WORDS: dict[str, str] = {
    TREND_UP: "en hausse",
    TREND_DOWN: "en baisse",
    TREND_STABLE: "stable",
    TREND_UNKNOWN: "non calculable",
}
TREND_ARROWS: dict[str, str] = {TREND_UP: "↗", TREND_DOWN: "↘", TREND_STABLE: "→", TREND_UNKNOWN: ""}


def trend_judgement(indicator: Indicator, trend: str) -> str:
    if indicator.direction == Direction.CONTEXT or trend not in (TREND_UP, TREND_DOWN):
        return ""
    good = (trend == TREND_UP) == (indicator.direction == Direction.HIGHER_IS_BETTER)
    return "évolution favorable" if good else "évolution défavorable"


def trend_text(indicator: Indicator, result: Evolution) -> str:
    """« en hausse de +2,1 pts entre 2016 et 2021 (évolution favorable) »."""
    if result.trend == TREND_UNKNOWN or result.first_period is None:
        return "évolution non calculable"
    words = TREND_WORDS[result.trend]
    if result.trend == TREND_STABLE:
        return f"{words} entre {result.first_period} et {result.last_period}"
    change = format_gap(result.change, decimals=indicator.decimals, unit=indicator.unit)
    text = f"{words} de {change} entre {result.first_period} et {result.last_period}"
    judgement = trend_judgement(indicator, result.trend)
    return f"{text} ({judgement})" if judgement else text


def trend_arrow(trend: str) -> str:
    return TREND_ARROWS.get(trend, "")


def objective_status_label(status: str) -> str:
    return str(ObjectiveStatus(status).label) if status in ObjectiveStatus.values else status


# --- sparkline ---------------------------------------------------------------------------------------------


def sparkline_points(points: Sequence[tuple[int, float | None]], *, width: int = 80, height: int = 20) -> str:
    """SVG ``points`` of a tiny line over (year, visible value) pairs, in any order; "" under two points."""
    if len(points) < 2:
        return ""
    ordered = sorted(points)
    periods = [period for period, _ in ordered]
    values = [value for _, value in ordered if value is not None]
    low, high = min(values), max(values)
    span_x = (periods[-1] - periods[0]) or 1
    span_y = (high - low) or 1
    return " ".join(
        f"{(period - periods[0]) / span_x * width:.1f},{height - ((value or 0) - low) / span_y * height:.1f}"
        for period, value in ordered
    )


# --- one value as a page shows it ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ShownValue:
    """A value cell with every text already written: templates only print it (``observation/_value.html``, and
    the portrait's inline copy of that markup). A masked value has no figure text: the template shows the
    « secret statistique » badge, and ``gap_text`` is empty (no gap is computed)."""

    text: str  # « 23,4 % » (unused when masked)
    is_confidential: bool
    period_text: str = ""  # « en 2021 »
    source_text: str = ""  # « Source : Filosofi, millésime 2021 »
    is_private: bool = False  # « donnée du contrat » badge
    gap_text: str = ""  # « écart : <difference> (<ratio>) » (same year, neither masked)
    is_missing: bool = False  # no value at all: « — »


MISSING_VALUE = ShownValue(text=NOT_AVAILABLE, is_confidential=False, is_missing=True)


def shown_value(
    cell: Cell,
    indicator: Indicator,
    *,
    with_period: bool = False,
    with_source: bool = False,
    comparison: Comparison | None = None,
) -> ShownValue:
    if cell.figure is None:
        return MISSING_VALUE
    source = source_text(cell, indicator) if with_source else ""
    return ShownValue(
        text=cell_text(cell, indicator),
        is_confidential=cell.is_confidential,
        period_text=period_text(cell.period) if with_period else "",
        source_text=f"Source : {source}" if source else "",
        is_private=cell.is_private,
        gap_text=gap_text(comparison, indicator) if comparison is not None else "",
    )


# --- spreadsheets (CSV and XLSX) -----------------------------------------------------------------------------

ExportValue = str | int | float | None


def export_number(value: float | None, decimals: int) -> float | None:
    """A number for a spreadsheet: rounded as the page shows it, left as a number (XLSX sums it)."""
    return None if value is None or not math.isfinite(value) else round(value, decimals)


def export_value(cell: Cell, indicator: Indicator) -> ExportValue:
    """The number of a cell, « secret statistique » for a masked one, nothing when there is no value."""
    if cell.is_confidential:
        return CONFIDENTIAL_TEXT
    return export_number(cell.value, indicator.decimals)


def export_gap(comparison: Comparison, indicator: Indicator) -> tuple[ExportValue, ExportValue]:
    """(difference, ratio) of a comparison as numbers: the difference at the indicator's decimals, the ratio at
    two, as on the page."""
    return export_number(comparison.gap.difference, indicator.decimals), export_number(comparison.gap.ratio, 2)


def csv_text(value: Any) -> str:
    """A CSV field in French spreadsheet habits: decimal comma, no thousands separator (the figure stays a number
    for the spreadsheet), whole numbers without decimals, dates as jj/mm/aaaa, nothing for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        text = repr(value) if value != int(value) else str(int(value))
        return text.replace(".", ",")
    if hasattr(value, "strftime"):
        return str(value.strftime("%d/%m/%Y"))
    return str(value)


# --- portrait --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PortraitRowView:
    indicator: Indicator
    value: ShownValue  # the territory's latest value, with its year and source
    reference_values: list[ShownValue]  # each reference's, in the order of the portrait's references
    trend: str
    trend_text: str
    trend_arrow: str
    sparkline: str


@dataclass(frozen=True)
class PortraitView:
    portrait: Portrait
    sections: list[PortraitSection[PortraitRowView]]

    @property
    def territory(self) -> Territory:
        return self.portrait.territory

    @property
    def references(self) -> list[Territory]:
        return self.portrait.references

    @property
    def has_values(self) -> bool:
        return self.portrait.has_values


def portrait_view(portrait: Portrait) -> PortraitView:
    """The portrait with every text written (one loop in the template, no include per cell: issue 6 §8)."""
    sections = []
    for section in portrait.sections:
        rows = []
        for row in section.rows:
            indicator = row.indicator
            rows.append(
                PortraitRowView(
                    indicator=indicator,
                    value=shown_value(row.latest, indicator, with_period=True, with_source=True),
                    reference_values=[
                        shown_value(item.reference, indicator, with_period=True, comparison=item)
                        for item in row.comparisons
                    ],
                    trend=row.trend,
                    trend_text=trend_text(indicator, row.evolution),
                    trend_arrow=trend_arrow(row.trend),
                    sparkline=sparkline_points(row.points),
                )
            )
        sections.append(PortraitSection(theme=section.theme, label=section.label, rows=rows))
    return PortraitView(portrait=portrait, sections=sections)


# --- comparison of a contract's QPVs and key figures -------------------------------------------------------------


@dataclass(frozen=True)
class ComparisonLineView:
    name: str
    code: str
    kind_label: str
    values: list[ShownValue]
    territory: Territory | None = None  # the QPV of a row (reference lines have none)
    reference_name: str = ""  # a QPV's reference of the chosen kind


@dataclass(frozen=True)
class ComparisonView:
    comparison: QpvComparison
    reference_kind_label: str
    reference_phrase: str  # « à l'EPCI »
    references: list[ComparisonLineView]
    rows: list[ComparisonLineView]
    sort_label: str


def comparison_view(comparison: QpvComparison) -> ComparisonView:
    indicators = comparison.indicators
    references = [
        ComparisonLineView(
            name=line.territory.name,
            code=line.territory.code,
            kind_label=kind_label(line.territory.kind),
            values=[
                shown_value(cell, indicator, with_period=True)
                for indicator, cell in zip(indicators, line.cells, strict=True)
            ],
        )
        for line in comparison.references
    ]
    rows = [
        ComparisonLineView(
            name=row.qpv.name,
            code=row.qpv.code,
            kind_label=kind_label(row.qpv.kind),
            territory=row.qpv,
            reference_name=row.reference.name if row.reference is not None else "",
            values=[
                shown_value(item.cell, indicator, with_period=True, comparison=item.comparison)
                for indicator, item in zip(indicators, row.cells, strict=True)
            ],
        )
        for row in comparison.rows
    ]
    sort_label = next(
        (indicator.label for indicator in indicators if indicator.code == comparison.sort), "nom du quartier"
    )
    return ComparisonView(
        comparison=comparison,
        reference_kind_label=kind_label(comparison.reference_kind),
        reference_phrase=reference_phrase(comparison.reference_kind),
        references=references,
        rows=rows,
        sort_label=sort_label,
    )


@dataclass(frozen=True)
class KeyFigureView:
    indicator: Indicator
    period: int
    qpvs: ShownValue
    epci: ShownValue
    gap_text: str  # « +3,2 pts (\u00d7 1,27) », or « — »


def _share_of_epci(figure: KeyFigure) -> float | None:
    """For a count that adds up (population, households…), the QPVs' share of the EPCI's total — the figure a
    contract states (« 12 % de la population de l'agglomération »), rather than a difference of inhabitants."""
    if figure.indicator.aggregation != Aggregation.SUM:
        return None
    qpvs = figure.qpvs.figure.value if figure.qpvs.figure is not None else None
    epci = figure.epci.figure.value if figure.epci.figure is not None else None
    if qpvs is None or not epci:
        return None
    return qpvs / epci


def key_figures_view(figures: Iterable[KeyFigure]) -> list[KeyFigureView]:
    views = []
    for figure in figures:
        indicator = figure.indicator
        gap = figure.comparison.gap
        share = _share_of_epci(figure)
        if share is not None:
            text = f"{format_number(share * 100, decimals=1)}{NBSP}% de l'intercommunalité"
        elif figure.comparison.has_gap:
            text = (
                f"{format_gap(gap.difference, decimals=indicator.decimals, unit=indicator.unit)} "
                f"({format_ratio(gap.ratio)})"
            )
        else:
            text = NOT_AVAILABLE
        views.append(
            KeyFigureView(
                indicator=indicator,
                period=figure.period,
                qpvs=shown_value(figure.qpvs, indicator),
                epci=shown_value(figure.epci, indicator),
                gap_text=text,
            )
        )
    return views


# --- indicator page: table, SVG line chart, map ------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesRowView:
    territory: Territory
    values: list[ShownValue]


def series_caption(indicator: Indicator) -> str:
    """The caption of an indicator page's table: « Taux de chômage par territoire et par année (%) »."""
    return f"{indicator.label} par territoire et par année" + (f" ({indicator.unit})" if indicator.unit else "")


def indicator_table(data: IndicatorPage) -> list[SeriesRowView]:
    """Each series with its values in the order of the page's years."""
    return [
        SeriesRowView(territory=item.territory, values=[shown_value(cell, data.indicator) for cell in cells])
        for item, cells in data.table_rows
    ]


CHART_WIDTH = 720
CHART_HEIGHT = 340
CHART_MARGIN_LEFT = 84
CHART_MARGIN_RIGHT = 24
CHART_MARGIN_TOP = 20
CHART_MARGIN_BOTTOM = 56
MARKER_SIZE = 4.5
CHART_COLORS = ("#000091", "#ce0500", "#18753c", "#b34000", "#6e445a", "#0063cb", "#716043", "#3a3a3a")
MARKERS = ("circle", "square", "triangle", "diamond")
MARKER_LABELS = {"circle": "rond", "square": "carré", "triangle": "triangle", "diamond": "losange"}
DASHES = ("", "6 4", "2 3", "10 3 2 3")
RATE_UNITS = ("%", "‰", "‱")


@dataclass(frozen=True)
class Tick:
    position: str  # SVG coordinates are written here, never by the template (no localised decimal comma)
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
        return MARKER_LABELS[self.marker]


@dataclass(frozen=True)
class LineChart:
    """What ``observation/_line_chart.html`` draws: an accessible SVG, the page's table being its alternative.
    Series differ by colour, marker shape and dash pattern, so that colour is never the only way to tell them
    apart; masked (secret statistique) and missing years break the line."""

    title: str
    description: str
    y_label: str
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    lines: list[ChartLine]
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    left: int = CHART_MARGIN_LEFT
    top: int = CHART_MARGIN_TOP
    right: int = CHART_WIDTH - CHART_MARGIN_RIGHT
    bottom: int = CHART_HEIGHT - CHART_MARGIN_BOTTOM

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
    left, right = CHART_MARGIN_LEFT, CHART_WIDTH - CHART_MARGIN_RIGHT
    top, bottom = CHART_MARGIN_TOP, CHART_HEIGHT - CHART_MARGIN_BOTTOM

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
                color=CHART_COLORS[number % len(CHART_COLORS)],
                marker=shape,
                dash=DASHES[(number // len(MARKERS)) % len(DASHES)],
                segments=segments,
                points=points,
                legend_marker_path=marker_path(shape, 12, 8, 3.5),
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


# Sequential palette (light → dark); the legend and the table say the class in words too. Same colours as the
# ``obs-swatch--<n>`` classes of observation.css.
MAP_COLORS = ("#e8edff", "#b6c6f5", "#7b97e6", "#3f63c9", "#14307a")
MAP_CONFIDENTIAL_COLOR = "#929292"
MAP_MISSING_COLOR = "#ffffff"


def _palette(count: int) -> list[int]:
    """Indexes in ``MAP_COLORS`` spread from the lightest to the darkest for ``count`` classes."""
    if count <= 0:
        return []
    if count == 1:
        return [2]
    step = (len(MAP_COLORS) - 1) / (count - 1)
    return [round(position * step) for position in range(count)]


@dataclass(frozen=True)
class LegendView:
    index: int
    label: str  # « plus de 20,0 % à 40,0 % »
    color_index: int  # in MAP_COLORS
    count: int

    @property
    def color(self) -> str:
        return MAP_COLORS[self.color_index]


@dataclass(frozen=True)
class MapItemView:
    territory: Territory
    value: ShownValue
    class_label: str  # « classe 2 », « secret statistique », « pas de donnée »
    color: str


@dataclass(frozen=True)
class MapView:
    map: ChoroplethMap
    legend: list[LegendView]
    items: list[MapItemView]

    @property
    def kind_label(self) -> str:
        return self.map.kind_label

    @property
    def period(self) -> int | None:
        return self.map.period

    @property
    def title(self) -> str:
        """« QPV en 2021 »: what the map shows, for its heading, its label and its table's caption."""
        return f"{self.kind_label} en {self.period}" if self.period else self.kind_label

    @property
    def confidential_count(self) -> int:
        return self.map.confidential_count

    @property
    def missing_count(self) -> int:
        return self.map.missing_count

    @property
    def truncated(self) -> bool:
        return self.map.truncated

    def geojson(self, *, tile_url: str = "", attribution: str = "") -> dict[str, Any]:
        """What the Leaflet script draws: one feature per territory with its colour and its text (no number
        for a masked territory), plus the optional tiles."""
        features = [
            {
                "type": "Feature",
                "geometry": item.territory.geometry,
                "properties": {
                    "name": item.territory.name,
                    "code": item.territory.code,
                    "text": item.value.text,
                    "color": item.color,
                    "masked": item.value.is_confidential,
                },
            }
            for item in self.items
            if item.territory.geometry
        ]
        return {
            "type": "FeatureCollection",
            "features": features,
            "tiles": {"url": tile_url, "attribution": attribution} if tile_url else None,
        }


def legend_label(item: LegendClass, indicator: Indicator) -> str:
    low = format_value(item.lower, decimals=indicator.decimals, unit=indicator.unit)
    high = format_value(item.upper, decimals=indicator.decimals, unit=indicator.unit)
    if item.lower == item.upper:
        return high
    if item.index == 0:
        return f"de {low} à {high}"
    return f"plus de {low} à {high}"


def map_view(choropleth: ChoroplethMap, indicator: Indicator) -> MapView:
    colors = _palette(len(choropleth.legend))
    legend = [
        LegendView(
            index=item.index, label=legend_label(item, indicator), color_index=colors[item.index], count=item.count
        )
        for item in choropleth.legend
    ]
    items = []
    for item in choropleth.items:
        if item.cell.is_confidential:
            class_label, color = CONFIDENTIAL_TEXT, MAP_CONFIDENTIAL_COLOR
        elif item.class_index is None:
            class_label, color = NO_DATA_TEXT, MAP_MISSING_COLOR
        else:
            class_label, color = f"classe {item.class_index + 1}", legend[item.class_index].color
        items.append(
            MapItemView(
                territory=item.territory,
                value=shown_value(item.cell, indicator),
                class_label=class_label,
                color=color,
            )
        )
    return MapView(map=choropleth, legend=legend, items=items)


# --- the national table (ONPV's view) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NationalReferenceView:
    name: str
    code: str
    value: ShownValue  # the reference's value the same year, with the gap


@dataclass(frozen=True)
class NationalRowView:
    qpv: Territory
    value: ShownValue
    trend_text: str
    trend_arrow: str
    columns: list[list[NationalReferenceView]]  # one list per kind of ``REFERENCE_KINDS`` (several communes)


@dataclass(frozen=True)
class NationalTableView:
    table: NationalTable
    column_labels: list[str]
    rows: list[NationalRowView]

    @property
    def caption(self) -> str:
        """The indicator (and its unit), what each row holds, and the page when there are several."""
        indicator = self.table.filters.indicator
        unit = f" ({indicator.unit})" if indicator.unit else ""
        page = self.table.page
        where = (
            f" — page {page.number} sur {page.paginator.num_pages}" if page and page.paginator.num_pages > 1 else ""
        )
        rows = "valeur de chaque quartier, évolution et écart à ses territoires de référence"
        return f"{indicator.label}{unit} : {rows}{where}"


def _reference_figure(reference: NationalReference) -> Figure | None:
    gap = reference.gap
    if gap.is_confidential:
        return Figure(None, is_confidential=True)
    return None if gap.value is None else Figure(gap.value)


def national_reference_view(reference: NationalReference, indicator: Indicator, period: int) -> NationalReferenceView:
    figure = _reference_figure(reference)
    gap = reference.gap
    value = (
        MISSING_VALUE
        if figure is None
        else ShownValue(
            text=figure_text(figure, indicator),
            is_confidential=figure.is_confidential,
            period_text=period_text(period),
            gap_text=pair_gap_text(gap.difference, gap.ratio, indicator),
        )
    )
    return NationalReferenceView(name=reference.reference.name, code=reference.reference.code, value=value)


def national_table_view(table: NationalTable) -> NationalTableView:
    indicator = table.filters.indicator
    rows = []
    for item in table.rows:
        row = item.row
        figure = Figure(None, is_confidential=True) if row.is_confidential else Figure(row.value)
        columns: list[list[NationalReferenceView]] = [[] for _ in REFERENCE_KINDS]
        for reference in item.references:
            kind = reference.reference.kind
            if kind in REFERENCE_KINDS:
                columns[REFERENCE_KINDS.index(kind)].append(national_reference_view(reference, indicator, row.period))
        evolution = item.evolution
        rows.append(
            NationalRowView(
                qpv=item.qpv,
                value=ShownValue(
                    text=figure_text(figure, indicator),
                    is_confidential=row.is_confidential,
                    period_text=period_text(row.period),
                ),
                trend_text=trend_text(indicator, evolution),
                trend_arrow=trend_arrow(evolution.trend),
                columns=columns,
            )
        )
    return NationalTableView(
        table=table,
        column_labels=[REFERENCE_COLUMN_LABELS[kind] for kind in REFERENCE_KINDS],
        rows=rows,
    )

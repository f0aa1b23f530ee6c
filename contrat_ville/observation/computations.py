"""Plain computations on indicator figures: aggregation, gaps, evolutions, objective status.

No database and no wording here: every function takes and returns plain values, so that the rules are unit-tested
on hand-made cases and shared by pages, exports, the API and the national computation (domain.md §7). How a
figure reads (French numbers, « secret statistique », sentences) is ``observation.presenters``' job.

Statistical secrecy (domain.md §7.3): a confidential figure has no value, and any figure computed from a
confidential one is confidential too — a masked value is never revealed, not even by subtraction.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from contrat_ville.observation.enums import Aggregation, Direction, ObjectiveStatus

# Values are stored as displayed (23.4 for a rate of 23.4 %), numerators and denominators as raw counts:
# the ratio of sums is multiplied by the unit's scale.
UNIT_SCALES: dict[str, float] = {"%": 100.0, "‰": 1000.0, "‱": 10000.0}

TREND_UP = "up"
TREND_DOWN = "down"
TREND_STABLE = "stable"
TREND_UNKNOWN = "unknown"


@dataclass(frozen=True)
class Figure:
    """One value usable in computations: ``value`` as displayed, ``numerator``/``denominator`` as raw counts."""

    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    is_confidential: bool = False

    @property
    def is_available(self) -> bool:
        return self.value is not None and not self.is_confidential


CONFIDENTIAL = Figure(None, is_confidential=True)
MISSING = Figure(None)


def scale_for_unit(unit: str) -> float:
    """The factor from a raw ratio to the displayed value: 100 for %, 1 000 for ‰, 10 000 for ‱, else 1."""
    return UNIT_SCALES.get(unit.strip(), 1.0)


def aggregate(parts: Iterable[tuple[Figure, float]], *, method: str, scale: float = 1.0) -> Figure:
    """Combine children into their parent; each part is (child figure, share of the child inside the parent).

    - ``sum``: value = Σ value * share.
    - ``ratio``: numerator = Σ numerator * share, denominator = Σ denominator * share,
      value = ``scale`` * numerator / denominator (``scale`` = 100 for a %). A part without a numerator but
      with a value and a denominator contributes value / scale * denominator.
    - ``none`` (medians, quantiles): not aggregable, ``Figure(None)``.

    Rules: parts with a share of 0 are ignored; no part → ``Figure(None)``; any confidential part → the
    result is confidential (value None), so a masked value can never be recovered by subtraction; any
    missing part (no value, or for a ratio no usable numerator/denominator) → ``Figure(None)``: a partial
    total would understate the parent without saying so. A ratio whose denominator sums to 0 is None.
    """
    if method == Aggregation.NONE:
        return MISSING
    if method not in (Aggregation.SUM, Aggregation.RATIO):
        raise ValueError(f"méthode d'agrégation inconnue : {method}")
    kept = [(figure, float(share)) for figure, share in parts if share]
    if not kept:
        return MISSING
    if any(figure.is_confidential for figure, _ in kept):
        return CONFIDENTIAL
    if method == Aggregation.SUM:
        total = 0.0
        for figure, share in kept:
            if figure.value is None:
                return MISSING
            total += figure.value * share
        return Figure(total)
    numerator = 0.0
    denominator = 0.0
    for figure, share in kept:
        part_numerator = figure.numerator
        if part_numerator is None and figure.value is not None and figure.denominator is not None and scale:
            part_numerator = figure.value / scale * figure.denominator
        if part_numerator is None or figure.denominator is None:
            return MISSING
        numerator += part_numerator * share
        denominator += figure.denominator * share
    if denominator == 0:
        return Figure(None, numerator, denominator)
    return Figure(scale * numerator / denominator, numerator, denominator)


@dataclass(frozen=True)
class Gap:
    """A territory compared with a reference: difference (value - reference, in the unit: points for a %) and
    ratio (value / reference)."""

    difference: float | None
    ratio: float | None


NO_GAP = Gap(None, None)


def gap_values(value: float | None, reference: float | None) -> tuple[float | None, float | None]:
    """The (difference, ratio) of two bare values; ratio None when the reference is 0. Shared with national.py."""
    if value is None or reference is None:
        return None, None
    return value - reference, (value / reference if reference != 0 else None)


def gap(value: Figure, reference: Figure) -> Gap:
    """The gap of ``value`` to ``reference``: None when either is confidential or missing."""
    if not value.is_available or not reference.is_available:
        return NO_GAP
    difference, ratio = gap_values(value.value, reference.value)
    return Gap(difference, ratio)


@dataclass(frozen=True)
class Evolution:
    first_period: int | None
    last_period: int | None
    change: float | None
    annual_change: float | None
    trend: str  # "up" | "down" | "stable" | "unknown"


def trend_of(change: float | None, *, stable_threshold: float = 0.0) -> str:
    if change is None:
        return TREND_UNKNOWN
    if abs(change) <= stable_threshold:
        return TREND_STABLE
    return TREND_UP if change > 0 else TREND_DOWN


def evolution(series: Mapping[int, Figure], *, min_gap_years: int = 0, stable_threshold: float = 0.0) -> Evolution:
    """The evolution from the first to the last usable period of ``series`` (period → figure).

    Confidential and missing figures are skipped. The last period is the newest usable one; the first is the
    oldest usable one at least ``min_gap_years`` (and at least one year) before it — INSEE advises against
    comparing consecutive infra-communal census vintages, hence the minimum gap. ``change`` is the
    difference of values (points for a rate), ``annual_change`` the change per year, and the trend is
    ``stable`` when |change| ≤ ``stable_threshold``. With fewer than two usable periods far enough apart,
    the trend is ``unknown`` and ``last_period`` still names the newest usable period (if any).
    """
    usable = sorted((period, figure.value) for period, figure in series.items() if figure.is_available)
    if not usable:
        return Evolution(None, None, None, None, TREND_UNKNOWN)
    last_period, last_value = usable[-1]
    gap_years = max(min_gap_years, 1)
    first = next(((period, value) for period, value in usable if period <= last_period - gap_years), None)
    if first is None:
        return Evolution(None, last_period, None, None, TREND_UNKNOWN)
    first_period, first_value = first
    assert first_value is not None and last_value is not None
    change = last_value - first_value
    annual = change / (last_period - first_period)
    return Evolution(first_period, last_period, change, annual, trend_of(change, stable_threshold=stable_threshold))


def objective_status(
    *,
    direction: str,
    baseline_value: float | None,
    baseline_year: int | None,
    target_value: float | None,
    target_year: int | None,
    latest_value: float | None,
    latest_year: int | None,
) -> ObjectiveStatus:
    """The status of an objective measured by an indicator (rule in ``presenters.OBJECTIVE_STATUS_RULE``, shown
    on pages).

    Expected progress at ``latest_year`` is linear between (baseline_year, baseline_value) and
    (target_year, target_value), capped at 100 % once the target year is passed. With progress =
    (latest - baseline) / (target - baseline):

    - ``reached``: progress ≥ 100 % (the latest value is at or beyond the target in the good direction);
    - ``on_track``: progress ≥ expected;
    - ``late``: progress > 0 and ≥ 50 % of expected;
    - ``off_track``: otherwise, including a move in the wrong direction;
    - ``unknown``: a value or a year is missing, or ``latest_year`` ≤ ``baseline_year``.

    The good direction is baseline → target; ``direction`` (up/down, or context) only decides a maintenance
    objective (target = baseline): at or better than the target → reached (target year passed) or on track,
    worse → off track; a context indicator with target = baseline is ``unknown``.
    """
    if None in (baseline_value, baseline_year, target_value, target_year, latest_value, latest_year):
        return ObjectiveStatus.UNKNOWN
    assert baseline_value is not None and target_value is not None and latest_value is not None
    assert baseline_year is not None and target_year is not None and latest_year is not None
    if not all(math.isfinite(value) for value in (baseline_value, target_value, latest_value)):
        return ObjectiveStatus.UNKNOWN
    needed = target_value - baseline_value
    if needed == 0:
        if direction == Direction.HIGHER_IS_BETTER:
            good = latest_value >= target_value
        elif direction == Direction.LOWER_IS_BETTER:
            good = latest_value <= target_value
        else:
            return ObjectiveStatus.UNKNOWN
        if not good:
            return ObjectiveStatus.OFF_TRACK
        return ObjectiveStatus.REACHED if latest_year >= target_year else ObjectiveStatus.ON_TRACK
    progress = (latest_value - baseline_value) / needed
    if progress >= 1:
        return ObjectiveStatus.REACHED
    if latest_year <= baseline_year:
        return ObjectiveStatus.UNKNOWN
    if target_year > baseline_year:
        expected = min(1.0, (latest_year - baseline_year) / (target_year - baseline_year))
    else:
        expected = 1.0
    if progress >= expected:
        return ObjectiveStatus.ON_TRACK
    if progress > 0 and progress >= 0.5 * expected:
        return ObjectiveStatus.LATE
    return ObjectiveStatus.OFF_TRACK

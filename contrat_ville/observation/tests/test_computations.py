"""Hand-made cases for the plain computations (no database)."""

import pytest

from contrat_ville.observation.computations import (
    Figure,
    Gap,
    aggregate,
    evolution,
    gap,
    objective_status,
    scale_for_unit,
)
from contrat_ville.observation.enums import Aggregation, Direction, ObjectiveStatus


class TestAggregate:
    def test_sum_with_partial_shares(self):
        # A QPV made of 30 % of IRIS A (1 000 inhabitants) and all of IRIS B (500).
        parts = [(Figure(1000.0), 0.3), (Figure(500.0), 1.0)]
        assert aggregate(parts, method=Aggregation.SUM).value == pytest.approx(800.0)

    def test_ratio_aggregates_numerators_and_denominators_never_rates(self):
        # IRIS A: 100 unemployed / 400 active (25 %), IRIS B: 30 / 600 (5 %); 30 % of A and all of B in the QPV.
        parts = [(Figure(25.0, 100.0, 400.0), 0.3), (Figure(5.0, 30.0, 600.0), 1.0)]
        result = aggregate(parts, method=Aggregation.RATIO, scale=100)
        assert result.numerator == pytest.approx(60.0)
        assert result.denominator == pytest.approx(720.0)
        assert result.value == pytest.approx(100 * 60 / 720)
        # Not the mean of the rates (15 %), nor their share-weighted mean.
        assert result.value != pytest.approx(15.0)
        assert result.value != pytest.approx((25 * 0.3 + 5) / 1.3)

    def test_ratio_derives_a_missing_numerator_from_value_and_denominator(self):
        parts = [(Figure(25.0, None, 400.0), 1.0), (Figure(5.0, 30.0, 600.0), 1.0)]
        assert aggregate(parts, method=Aggregation.RATIO, scale=100).value == pytest.approx(13.0)

    def test_confidential_child_makes_the_parent_confidential(self):
        parts = [(Figure(1000.0), 1.0), (Figure(None, is_confidential=True), 0.2)]
        for method in (Aggregation.SUM, Aggregation.RATIO):
            result = aggregate(parts, method=method)
            assert result.is_confidential
            assert result.value is None
            assert result.numerator is None

    def test_missing_child_gives_no_value(self):
        assert aggregate([(Figure(10.0), 1.0), (Figure(None), 1.0)], method=Aggregation.SUM).value is None
        ratio_parts = [(Figure(10.0, 1.0, 10.0), 1.0), (Figure(10.0), 1.0)]
        assert aggregate(ratio_parts, method=Aggregation.RATIO).value is None

    def test_zero_share_parts_are_ignored_and_empty_is_none(self):
        assert aggregate([(Figure(None, is_confidential=True), 0)], method=Aggregation.SUM).value is None
        assert not aggregate([(Figure(None, is_confidential=True), 0)], method=Aggregation.SUM).is_confidential
        assert aggregate([], method=Aggregation.SUM) == Figure(None)

    def test_none_method_is_not_aggregated(self):
        assert aggregate([(Figure(14000.0), 1.0)], method=Aggregation.NONE) == Figure(None)

    def test_zero_denominator(self):
        assert aggregate([(Figure(0.0, 0.0, 0.0), 1.0)], method=Aggregation.RATIO, scale=100).value is None

    def test_unit_scales(self):
        assert scale_for_unit("%") == 100
        assert scale_for_unit("‰") == 1000
        assert scale_for_unit("‱") == 10000
        assert scale_for_unit("hab.") == 1


class TestGap:
    def test_difference_and_ratio(self):
        result = gap(Figure(42.0), Figure(15.0))
        assert result.difference == pytest.approx(27.0)
        assert result.ratio == pytest.approx(2.8)

    def test_no_gap_with_confidential_or_missing(self):
        assert gap(Figure(None, is_confidential=True), Figure(15.0)) == Gap(None, None)
        assert gap(Figure(42.0), Figure(None, is_confidential=True)) == Gap(None, None)
        assert gap(Figure(42.0), Figure(None)) == Gap(None, None)

    def test_ratio_none_when_reference_is_zero(self):
        assert gap(Figure(3.0), Figure(0.0)) == Gap(3.0, None)


class TestEvolution:
    def test_first_to_last(self):
        series = {2017: Figure(40.0), 2019: Figure(42.0), 2021: Figure(44.0)}
        result = evolution(series)
        assert (result.first_period, result.last_period) == (2017, 2021)
        assert result.change == pytest.approx(4.0)
        assert result.annual_change == pytest.approx(1.0)
        assert result.trend == "up"

    def test_min_gap_years(self):
        series = {2019: Figure(40.0), 2021: Figure(38.0)}
        assert evolution(series, min_gap_years=5).trend == "unknown"
        assert evolution(series, min_gap_years=5).last_period == 2021
        series[2015] = Figure(45.0)
        result = evolution(series, min_gap_years=5)
        assert result.first_period == 2015
        assert result.trend == "down"
        assert result.change == pytest.approx(-7.0)

    def test_confidential_points_are_skipped(self):
        series = {2018: Figure(None, is_confidential=True), 2019: Figure(10.0), 2020: Figure(10.2)}
        result = evolution(series, stable_threshold=0.5)
        assert result.first_period == 2019
        assert result.trend == "stable"

    def test_unknown(self):
        assert evolution({}).trend == "unknown"
        assert evolution({2020: Figure(1.0)}).trend == "unknown"


def status(**overrides):
    values = {
        "direction": Direction.HIGHER_IS_BETTER,
        "baseline_value": 40.0,
        "baseline_year": 2020,
        "target_value": 50.0,
        "target_year": 2030,
        "latest_value": 45.0,
        "latest_year": 2025,
    }
    values.update(overrides)
    return objective_status(**values)


class TestObjectiveStatus:
    def test_on_track(self):
        assert status() == ObjectiveStatus.ON_TRACK  # 50 % of the way after 50 % of the time

    def test_late(self):
        assert status(latest_value=43.0) == ObjectiveStatus.LATE  # 30 % done, 50 % expected

    def test_off_track_when_too_slow_or_wrong_way(self):
        assert status(latest_value=41.0) == ObjectiveStatus.OFF_TRACK
        assert status(latest_value=38.0) == ObjectiveStatus.OFF_TRACK

    def test_reached(self):
        assert status(latest_value=50.0, latest_year=2030) == ObjectiveStatus.REACHED
        assert status(latest_value=51.0, latest_year=2024) == ObjectiveStatus.REACHED

    def test_target_year_passed_not_reached(self):
        assert status(latest_value=46.0, latest_year=2031) == ObjectiveStatus.LATE
        assert status(latest_value=42.0, latest_year=2031) == ObjectiveStatus.OFF_TRACK

    def test_lower_is_better(self):
        # Poverty rate 44 % → 38 % between 2020 and 2026.
        values = {
            "direction": Direction.LOWER_IS_BETTER,
            "baseline_value": 44.0,
            "target_value": 38.0,
            "target_year": 2026,
        }
        assert status(**values, latest_value=41.0, latest_year=2023) == ObjectiveStatus.ON_TRACK
        assert status(**values, latest_value=42.4, latest_year=2023) == ObjectiveStatus.LATE
        assert status(**values, latest_value=45.0, latest_year=2023) == ObjectiveStatus.OFF_TRACK
        assert status(**values, latest_value=37.5, latest_year=2025) == ObjectiveStatus.REACHED

    def test_context_direction_is_inferred_from_the_target(self):
        values = {"direction": Direction.CONTEXT, "baseline_value": 30.0, "target_value": 20.0}
        assert status(**values, latest_value=25.0) == ObjectiveStatus.ON_TRACK
        assert status(**values, latest_value=31.0) == ObjectiveStatus.OFF_TRACK

    def test_maintenance_objective(self):
        assert status(target_value=40.0, latest_value=41.0) == ObjectiveStatus.ON_TRACK
        assert status(target_value=40.0, latest_value=39.0) == ObjectiveStatus.OFF_TRACK
        assert status(target_value=40.0, latest_value=40.0, latest_year=2030) == ObjectiveStatus.REACHED
        assert status(direction=Direction.CONTEXT, target_value=40.0) == ObjectiveStatus.UNKNOWN

    def test_unknown_when_data_is_missing(self):
        assert status(latest_value=None) == ObjectiveStatus.UNKNOWN
        assert status(baseline_year=None) == ObjectiveStatus.UNKNOWN
        assert status(target_value=None) == ObjectiveStatus.UNKNOWN
        assert status(latest_year=2020, latest_value=41.0) == ObjectiveStatus.UNKNOWN

"""The formatting rules, on hand-made data (no database): one place says how a figure reads everywhere."""

from datetime import date

import pytest

from contrat_ville.observation import presenters
from contrat_ville.observation.computations import Evolution, Figure, Gap
from contrat_ville.observation.enums import Direction, ObjectiveStatus
from contrat_ville.observation.models import Indicator
from contrat_ville.observation.presenters import (
    NBSP,
    cell_text,
    csv_text,
    export_gap,
    export_value,
    format_gap,
    format_ratio,
    format_value,
    gap_text,
    shown_value,
    source_text,
    sparkline_points,
    trend_text,
)
from contrat_ville.observation.selectors.indicators import LegendClass
from contrat_ville.observation.selectors.values import EMPTY_CELL, Cell, Comparison

POVERTY = Indicator(code="CS-02", label="Taux de pauvreté", unit="%", decimals=1, direction=Direction.LOWER_IS_BETTER)
POPULATION = Indicator(code="CTX-01", label="Population", unit="hab.", decimals=0, direction=Direction.CONTEXT)
SECRET = Cell(period=2021, figure=Figure(None, is_confidential=True))


class TestNumbers:
    def test_values(self):
        assert format_value(23.44, decimals=1, unit="%") == f"23,4{NBSP}%"
        assert format_value(1234.0, decimals=0, unit="hab.") == f"1{NBSP}234{NBSP}hab."
        assert format_value(14500.4, decimals=0, unit="€") == f"14{NBSP}500{NBSP}€"
        assert format_value(1.25, decimals=2, unit="ratio") == "1,25"
        assert format_value(-0.01, decimals=1, unit="%") == f"0,0{NBSP}%"
        assert format_value(None, decimals=1, unit="%") == "—"
        assert format_value(float("nan"), decimals=1, unit="%") == "—"

    def test_gaps_and_ratios(self):
        assert format_gap(27.0, decimals=1, unit="%") == f"+27,0{NBSP}pts"
        assert format_gap(-1200.0, decimals=0, unit="hab.") == f"\u22121{NBSP}200{NBSP}hab."
        assert format_gap(0.04, decimals=1, unit="%") == f"0,0{NBSP}pts"  # no sign on a rounded zero
        assert format_gap(None, decimals=1, unit="%") == "—"
        assert format_ratio(2.8) == f"\u00d7{NBSP}2,80"
        assert format_ratio(12.34) == f"\u00d7{NBSP}12,3"
        assert format_ratio(None) == "—"


class TestSecrecy:
    def test_a_masked_figure_reads_secret_and_yields_no_number_nor_gap(self):
        assert cell_text(SECRET, POVERTY) == "secret statistique"
        assert export_value(SECRET, POVERTY) == "secret statistique"
        shown = shown_value(SECRET, POVERTY, with_period=True, comparison=Comparison(SECRET, Gap(None, None)))
        assert (shown.is_confidential, shown.gap_text, shown.period_text) == (True, "", "en 2021")

    def test_a_missing_figure_is_a_dash(self):
        assert cell_text(EMPTY_CELL, POVERTY) == "—"
        assert cell_text(None, POVERTY) == "—"
        assert shown_value(EMPTY_CELL, POVERTY).is_missing
        assert export_value(EMPTY_CELL, POVERTY) is None


class TestSentences:
    def test_source_names_the_catalogue_source_or_the_producer_and_the_vintage(self):
        cell = Cell(period=2021, figure=Figure(44.5), producer="Caf", vintage="2021")
        assert source_text(cell, Indicator(source="Filosofi")) == "Filosofi, millésime 2021"
        assert source_text(cell, Indicator(source="")) == "Caf, millésime 2021"
        shown = shown_value(cell, POVERTY, with_source=True)
        assert shown.source_text == "Source : Caf, millésime 2021"

    def test_gap_only_when_computed(self):
        reference = Cell(period=2021, figure=Figure(15.0))
        assert gap_text(Comparison(reference, Gap(29.5, 44.5 / 15)), POVERTY) == (
            f"écart : +29,5{NBSP}pts (\u00d7{NBSP}2,97)"
        )
        assert gap_text(Comparison(reference, Gap(None, None)), POVERTY) == ""
        assert export_gap(Comparison(reference, Gap(29.54, 2.9666)), POVERTY) == (29.5, 2.97)

    def test_trend_words_change_years_and_judgement(self):
        up = Evolution(2016, 2021, 2.06, 0.41, "up")
        assert trend_text(POVERTY, up) == f"en hausse de +2,1{NBSP}pts entre 2016 et 2021 (évolution défavorable)"
        assert trend_text(POPULATION, Evolution(2016, 2021, 120.0, 24.0, "up")) == (
            f"en hausse de +120{NBSP}hab. entre 2016 et 2021"
        )
        assert trend_text(POVERTY, Evolution(2016, 2021, 0.0, 0.0, "stable")) == "stable entre 2016 et 2021"
        assert trend_text(POVERTY, Evolution(None, 2021, None, None, "unknown")) == "évolution non calculable"
        assert presenters.trend_arrow("down") == "↘"

    def test_objective_wording(self):
        assert "trajectoire" in presenters.OBJECTIVE_STATUS_RULE
        assert "en bonne voie" in presenters.OBJECTIVE_STATUS_RULE
        assert presenters.objective_status_label(ObjectiveStatus.LATE) == str(ObjectiveStatus.LATE.label)

    def test_reference_phrases(self):
        assert presenters.reference_phrase("epci") == "à l'EPCI"
        assert presenters.reference_phrase("departement") == "au département"


class TestDrawings:
    def test_sparkline_scales_years_and_values_to_the_box(self):
        assert sparkline_points([(2021, 3.0), (2015, 1.0), (2018, 2.0)]) == "0.0,20.0 40.0,10.0 80.0,0.0"
        assert sparkline_points([(2021, 3.0)]) == ""

    def test_legend_labels(self):
        assert presenters.legend_label(LegendClass(0, 10.0, 20.0), POVERTY) == f"de 10,0{NBSP}% à 20,0{NBSP}%"
        assert presenters.legend_label(LegendClass(1, 20.0, 40.0), POVERTY) == f"plus de 20,0{NBSP}% à 40,0{NBSP}%"
        assert presenters.legend_label(LegendClass(0, 20.0, 20.0), POVERTY) == f"20,0{NBSP}%"


class TestSpreadsheets:
    @pytest.mark.parametrize(
        ("value", "text"),
        [
            (44.5, "44,5"),
            (43.0, "43"),
            (1234567.25, "1234567,25"),  # no thousands separator: the spreadsheet reads a number
            (12, "12"),
            (None, ""),
            (date(2025, 1, 1), "01/01/2025"),
            ("secret statistique", "secret statistique"),
        ],
    )
    def test_csv_fields(self, value, text):
        assert csv_text(value) == text

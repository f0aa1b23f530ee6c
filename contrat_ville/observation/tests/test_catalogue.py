"""The indicator kit: complete, consistent with the enums, and with the declared INSEE mappings."""

from dataclasses import replace
from typing import cast

import pytest

from contrat_ville.core.datafiles import DataFileError
from contrat_ville.observation.catalogue import BY_CODE, CATALOGUE, _checked, catalogue_rows
from contrat_ville.observation.computations import scale_for_unit
from contrat_ville.observation.enums import Aggregation, Direction, Theme
from contrat_ville.observation.importers.mappings import MAPPINGS
from contrat_ville.territories.enums import TerritoryKind

PILLARS = {Theme.COHESION_SOCIALE, Theme.DEVELOPPEMENT_ECONOMIQUE, Theme.CADRE_DE_VIE}


def test_about_thirty_indicators_with_unique_codes():
    codes = [spec.code for spec in CATALOGUE]
    assert len(codes) == len(set(codes))
    assert 30 <= len(codes) <= 45


def test_every_field_is_valid():
    kinds = {kind.value for kind in TerritoryKind}
    for code, fields in catalogue_rows():
        assert fields["theme"] in Theme.values, code
        assert fields["direction"] in Direction.values, code
        assert fields["aggregation"] in Aggregation.values, code
        assert fields["label"] and fields["definition"] and fields["source"] and fields["producer"], code
        assert fields["unit"], code
        assert set(fields["levels"]) <= kinds and fields["levels"], code
        if fields["aggregation"] == Aggregation.RATIO:
            assert fields["numerator_label"] and fields["denominator_label"], code


def test_themes_follow_the_code_prefix_and_cover_the_pillars():
    rows = dict(catalogue_rows())
    assert rows["CTX-01"]["theme"] == Theme.CONTEXT
    assert rows["CS-02"]["theme"] == Theme.COHESION_SOCIALE
    assert rows["DE-03"]["theme"] == Theme.DEVELOPPEMENT_ECONOMIQUE
    assert rows["CV-01"]["theme"] == Theme.CADRE_DE_VIE
    assert {fields["theme"] for fields in rows.values()} >= PILLARS


def test_order_follows_the_list():
    orders = [cast(int, fields["order"]) for _, fields in catalogue_rows()]
    assert orders == sorted(orders)
    assert len(set(orders)) == len(orders)


def test_indicators_by_sex_are_split():
    for code in ("DE-01", "DE-03"):
        assert {f"{code}F", f"{code}H"} <= set(BY_CODE)
        assert BY_CODE[f"{code}F"].label.endswith("des femmes")
        assert BY_CODE[f"{code}F"].direction == BY_CODE[code].direction


def test_medians_do_not_aggregate_and_rates_are_ratios():
    assert BY_CODE["CS-01"].aggregation == Aggregation.NONE
    assert BY_CODE["CS-02"].aggregation == Aggregation.NONE
    assert BY_CODE["CTX-01"].aggregation == Aggregation.SUM
    assert BY_CODE["DE-03"].aggregation == Aggregation.RATIO
    assert BY_CODE["DE-03"].direction == Direction.LOWER_IS_BETTER
    assert BY_CODE["DE-01"].direction == Direction.HIGHER_IS_BETTER


def test_mappings_only_name_catalogue_indicators():
    for mapping in MAPPINGS.values():
        for rule in mapping.rules:
            assert rule.indicator in BY_CODE, (mapping.name, rule.indicator)
            if rule.is_ratio:
                assert rule.numerator and rule.denominator
                assert rule.scale == scale_for_unit(BY_CODE[rule.indicator].unit), rule.indicator


def test_a_value_outside_the_enums_is_refused_in_french():
    with pytest.raises(
        DataFileError, match=r"catalogue\.yaml, CS-01 : « haut » n'est pas une valeur de « direction »"
    ):
        _checked(replace(BY_CODE["CS-01"], direction="haut"))

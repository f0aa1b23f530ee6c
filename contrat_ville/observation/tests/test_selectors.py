"""Selectors of the observation pages on hand-made values: references, portrait, comparison, map, key figures."""

import pytest
from django.http import Http404

from contrat_ville.observation import presenters
from contrat_ville.observation.enums import Aggregation, Direction, Theme
from contrat_ville.observation.presenters import NBSP
from contrat_ville.observation.selectors import PUBLIC, Scope, comparisons, indicators, portraits, territories, values
from contrat_ville.observation.selectors.references import references_for
from contrat_ville.observation.tests.factories_pages import link, make_geography, make_indicator, make_value
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.tests.factories import TerritoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def geo():
    return make_geography(qpv_count=2)


@pytest.fixture
def poverty():
    return make_indicator("CS-02", label="Taux de pauvreté", unit="%", direction=Direction.LOWER_IS_BETTER)


def test_references_follow_links_up_to_epci_unite_urbaine_and_france(geo):
    references = references_for(geo.qpv)
    assert [reference.kind for reference in references] == ["commune", "epci", "unite_urbaine", "france"]
    assert references[0] == geo.commune
    assert references[1] == geo.epci


def test_references_of_a_qpv_over_two_communes_list_both(geo):
    other = TerritoryFactory.create(name="Aval")
    link(geo.epci, other)
    link(other, geo.qpv, share=0.4)
    references = references_for(geo.qpv)
    assert [reference.name for reference in references if reference.kind == "commune"] == ["Aval", "Valmont"]
    assert sum(1 for reference in references if reference.kind == "epci") == 1


def test_references_of_an_epci_are_france_only(geo):
    assert references_for(geo.epci) == [geo.france]


def test_portrait_shows_latest_value_references_gaps_and_trend(geo, poverty):
    for period, value in ((2015, 40.0), (2021, 44.5)):
        make_value(poverty, geo.qpv, period, value)
    make_value(poverty, geo.commune, 2021, 20.0)
    make_value(poverty, geo.epci, 2021, 15.0)
    make_value(poverty, geo.epci, 2019, 14.0)
    make_value(poverty, geo.france, 2020, 14.5)  # other year: shown, no gap
    portrait = portraits.portrait_get(territory=geo.qpv)
    [section] = portrait.sections
    assert section.theme == Theme.COHESION_SOCIALE
    [row] = section.rows
    assert row.latest.period == 2021
    assert row.latest.value == 44.5
    commune, epci, unite_urbaine, france = row.comparisons
    assert commune.gap.difference == pytest.approx(24.5)
    assert epci.gap.ratio == pytest.approx(44.5 / 15)
    assert unite_urbaine.reference.figure is None
    assert france.reference.period == 2020
    assert not france.has_gap
    assert row.trend == "up"
    assert row.points == ((2015, 40.0), (2021, 44.5))
    [shown_section] = presenters.portrait_view(portrait).sections
    [shown] = shown_section.rows
    assert shown.value.text == f"44,5{NBSP}%"
    assert shown.reference_values[0].gap_text == f"écart : +24,5{NBSP}pts (\u00d7{NBSP}2,23)"
    assert "en hausse" in shown.trend_text
    assert "défavorable" in shown.trend_text  # poverty up is bad news
    assert shown.sparkline


def test_census_trend_skips_vintages_closer_than_five_years(geo):
    employment = make_indicator(
        "DE-01",
        label="Taux d'emploi",
        theme=Theme.DEVELOPPEMENT_ECONOMIQUE,
        direction=Direction.HIGHER_IS_BETTER,
        source="Recensement de la population (RP)",
    )
    for period, value in ((2019, 50.0), (2020, 51.0), (2021, 52.0)):
        make_value(employment, geo.qpv, period, value)
    [section] = portraits.portrait_get(territory=geo.qpv).sections
    assert section.rows[0].trend == "unknown"
    make_value(employment, geo.qpv, 2015, 45.0)
    [section] = portraits.portrait_get(territory=geo.qpv).sections
    row = section.rows[0]
    assert (row.evolution.first_period, row.evolution.last_period) == (2015, 2021)
    assert "favorable" in presenters.trend_text(employment, row.evolution)


def test_portrait_masks_a_confidential_latest_value_and_derives_nothing_from_it(geo, poverty):
    make_value(poverty, geo.qpv, 2015, 40.0)
    make_value(poverty, geo.qpv, 2021, confidential=True)
    make_value(poverty, geo.epci, 2021, 15.0)
    [section] = portraits.portrait_get(territory=geo.qpv).sections
    row = section.rows[0]
    assert row.latest.is_confidential
    assert presenters.cell_text(row.latest, poverty) == "secret statistique"
    assert row.latest.value is None
    assert all(not comparison.has_gap for comparison in row.comparisons)
    assert row.trend == "unknown"  # a single usable year


def test_private_values_only_in_the_contract_scope_and_they_win(geo, poverty):
    make_value(poverty, geo.qpv, 2021, 44.0)
    make_value(poverty, geo.qpv, 2021, 47.0, contract=geo.contract)
    make_value(poverty, geo.qpv, 2022, 48.0, contract=geo.contract)
    public = portraits.portrait_get(territory=geo.qpv)
    assert public.sections[0].rows[0].latest.value == 44.0
    private = portraits.portrait_get(territory=geo.qpv, scope=Scope(contract=geo.contract))
    row = private.sections[0].rows[0]
    assert row.latest.period == 2022 and row.latest.is_private
    index = values.value_index(indicators=[poverty], territory_ids=[geo.qpv.pk], scope=Scope(contract=geo.contract))
    assert index[(poverty.pk, geo.qpv.pk)][2021].value == 47.0


def test_another_contract_private_values_are_never_in_scope(geo, poverty):
    other = make_geography(name="Autre contrat").contract
    make_value(poverty, geo.qpv, 2021, 47.0, contract=other)
    assert not portraits.portrait_get(territory=geo.qpv, scope=Scope(contract=geo.contract)).has_values


def _portrait_queries(query_count, territory, scope=PUBLIC):
    with query_count() as queries:
        portraits.portrait_get(territory=territory, scope=scope)
    return len(queries)


def test_portrait_query_count_does_not_grow_with_values(geo, poverty, query_count):
    make_value(poverty, geo.qpv, 2021, 44.0)
    few = _portrait_queries(query_count, geo.qpv)
    for number in range(6):
        indicator = make_indicator(f"X-{number}", label=f"Indicateur {number}", theme=Theme.CADRE_DE_VIE)
        for period in range(2015, 2022):
            for territory in (geo.qpv, geo.commune, geo.epci, geo.france):
                make_value(indicator, territory, period, float(period - 2000))
    other = TerritoryFactory.create(name="Aval")
    link(other, geo.qpv, share=0.5)
    assert _portrait_queries(query_count, geo.qpv) == few
    assert _portrait_queries(query_count, geo.qpv, Scope(contract=geo.contract)) == few


def test_comparison_sorts_by_value_and_puts_masked_values_last(poverty):
    geo = make_geography(qpv_count=3)
    first, second, third = geo.qpvs
    make_value(poverty, first, 2021, 30.0)
    make_value(poverty, second, 2021, confidential=True)
    make_value(poverty, third, 2021, 45.0)
    make_value(poverty, geo.epci, 2021, 15.0)
    table = comparisons.comparison_get(
        contract=geo.contract, scope=PUBLIC, indicators=[poverty], sort="CS-02", descending=True
    )
    assert [row.qpv for row in table.rows] == [third, first, second]
    assert table.rows[0].cells[0].comparison.gap.difference == pytest.approx(30.0)
    assert not table.rows[2].cells[0].comparison.has_gap
    [epci] = table.references
    assert (epci.territory.territory_id, epci.cells[0].value) == (geo.epci.pk, 15.0)
    ascending = comparisons.comparison_get(contract=geo.contract, scope=PUBLIC, indicators=[poverty], sort="CS-02")
    assert [row.qpv for row in ascending.rows] == [first, third, second]


def test_comparison_query_count_does_not_grow_with_qpvs(poverty, query_count):
    small = make_geography(qpv_count=1, name="Petit")
    make_value(poverty, small.qpv, 2021, 30.0)
    with query_count() as few:
        comparisons.comparison_get(contract=small.contract, scope=PUBLIC, indicators=[poverty])
    big = make_geography(qpv_count=8, name="Grand")
    for qpv in big.qpvs:
        for period in (2019, 2020, 2021):
            make_value(poverty, qpv, period, 30.0)
    with query_count() as many:
        comparisons.comparison_get(contract=big.contract, scope=PUBLIC, indicators=[poverty])
    assert len(many) == len(few)


def test_choropleth_classes_legend_and_masked_territories(geo, poverty):
    first, second = geo.iris
    make_value(poverty, first, 2021, 10.0)
    make_value(poverty, second, 2021, confidential=True)
    make_value(poverty, geo.qpv, 2021, 40.0)
    make_value(poverty, geo.qpvs[1], 2021, 20.0)
    iris_map = indicators.choropleth_get(
        indicator=poverty, kind=TerritoryKind.IRIS, period=None, commune_ids=[geo.commune.pk], scope=PUBLIC
    )
    assert iris_map.period == 2021
    assert iris_map.confidential_count == 1
    masked = next(item for item in iris_map.items if item.territory == second)
    assert masked.class_index is None
    shown = presenters.map_view(iris_map, poverty)
    assert next(item for item in shown.items if item.territory == second).class_label == "secret statistique"
    feature = next(f for f in shown.geojson()["features"] if f["properties"]["code"] == second.code)
    assert feature["properties"]["text"] == "secret statistique"
    qpv_map = indicators.choropleth_get(
        indicator=poverty, kind=TerritoryKind.QPV, period=2021, commune_ids=[geo.commune.pk], scope=PUBLIC
    )
    labels = [legend.label for legend in presenters.map_view(qpv_map, poverty).legend]
    assert labels == [f"20,0{NBSP}%", f"plus de 20,0{NBSP}% à 40,0{NBSP}%"]
    assert {item.class_index for item in qpv_map.items} == {0, 1}


def test_quantile_breaks():
    assert indicators.quantile_breaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) == [2, 4, 6, 8, 10]
    assert indicators.quantile_breaks([5, 5, 5]) == [5]
    assert indicators.quantile_breaks([]) == []


def test_key_figures_aggregate_qpvs_and_mask_the_total_when_one_is_masked(poverty):
    geo = make_geography(qpv_count=2)
    population = make_indicator(
        "CTX-01", label="Population", theme=Theme.CONTEXT, unit="hab.", aggregation=Aggregation.SUM, decimals=0
    )
    make_value(population, geo.qpvs[0], 2021, 1000)
    make_value(population, geo.qpvs[1], 2021, 3000)
    make_value(population, geo.epci, 2021, 90000)
    make_value(poverty, geo.qpvs[0], 2021, 40.0, numerator=400, denominator=1000)
    make_value(poverty, geo.qpvs[1], 2021, confidential=True)
    make_value(poverty, geo.epci, 2021, 15.0, numerator=13500, denominator=90000)
    figures = comparisons.contract_key_figures(contract=geo.contract, scope=PUBLIC)
    by_code = {figure.indicator.code: figure for figure in figures}
    assert by_code["CTX-01"].qpvs.value == 4000
    assert by_code["CS-02"].qpvs.is_confidential
    assert not by_code["CS-02"].comparison.has_gap


def test_key_figures_query_count_is_bounded(poverty, query_count):
    geo = make_geography(qpv_count=1)
    make_value(poverty, geo.qpv, 2021, 40.0)
    make_value(poverty, geo.epci, 2021, 15.0)
    with query_count() as few:
        comparisons.contract_key_figures(contract=geo.contract, scope=PUBLIC)
    big = make_geography(qpv_count=6, name="Grand")
    for qpv in big.qpvs:
        make_value(poverty, qpv, 2021, 40.0, numerator=40, denominator=100)
    make_value(poverty, big.epci, 2021, 15.0)
    with query_count() as many:
        figures = comparisons.contract_key_figures(contract=big.contract, scope=PUBLIC)
    assert figures and len(many) == len(few)


def test_territory_find_disambiguates_kinds_and_vintages():
    region = TerritoryFactory.create(kind=TerritoryKind.REGION, code="84", vintage="2024", name="Auvergne-Rhône-Alpes")
    TerritoryFactory.create(kind=TerritoryKind.DEPARTEMENT, code="84", vintage="2024", name="Vaucluse")
    old = TerritoryFactory.create(kind=TerritoryKind.REGION, code="84", vintage="2016", name="Ancienne")
    assert territories.territory_find(kind="region", code="84") == region
    assert territories.territory_find(kind="region", code="84", vintage="2016") == old
    assert territories.territory_find(kind="departement", code="84").name == "Vaucluse"
    with pytest.raises(Http404):
        territories.territory_find(kind="commune", code="84")


def test_contract_qpv_get_refuses_a_qpv_of_another_contract(geo):
    other = make_geography(name="Autre")
    with pytest.raises(Http404):
        territories.contract_qpv_get(contract=geo.contract, territory_id=other.qpv.pk)
    assert territories.contract_qpv_get(contract=geo.contract, territory_id=geo.qpv.pk) == geo.qpv


def test_indicator_page_series_and_periods(geo, poverty):
    make_value(poverty, geo.qpv, 2019, 41.0)
    make_value(poverty, geo.qpv, 2021, confidential=True)
    make_value(poverty, geo.epci, 2020, 15.0)
    data = indicators.indicator_page_get(indicator=poverty, territories=[geo.qpv, geo.epci], scope=PUBLIC)
    assert data.periods == [2019, 2020, 2021]
    _qpv_row, epci_row = data.table_rows
    assert epci_row[1][1].value == 15.0
    shown_qpv, _shown_epci = presenters.indicator_table(data)
    assert [value.text for value in shown_qpv.values] == [f"41,0{NBSP}%", "—", "secret statistique"]

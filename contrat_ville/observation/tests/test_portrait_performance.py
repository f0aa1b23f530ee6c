"""The portrait page stays cheap (issue 6 §8: p95 ≤ 100 ms at national scale) without changing what it shows.

No timing here: the guards are structural. The page runs a fixed number of queries and renders a fixed number
of templates whatever the number of indicators, years and references (no ``{% include %}`` per value cell);
the portrait reads only the reference values it shows, yet gives exactly what the straightforward computation
over every visible value gives (``value_index`` + ``compare``…), masked and private values included; and a
value cell is written with the markup of ``observation/_value.html`` from the same ``presenters.ShownValue``.
"""

from __future__ import annotations

import random
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from contrat_ville.accounts.tests.factories import UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant
from contrat_ville.observation import presenters
from contrat_ville.observation.enums import Direction, Theme
from contrat_ville.observation.models import IndicatorValue
from contrat_ville.observation.presenters import NBSP, TIMES
from contrat_ville.observation.selectors import PUBLIC, Scope, indicators, portraits, values
from contrat_ville.observation.selectors.references import references_for
from contrat_ville.observation.tests.factories_pages import Geography, link, make_geography, make_indicator, make_value
from contrat_ville.territories.tests.factories import TerritoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def geo() -> Geography:
    return make_geography(qpv_count=1, published=True)


@pytest.fixture
def pilot(geo):
    user = UserFactory.create(email="pilote-perf@exemple.fr")
    grant(geo.contract, user, Role.PILOT)
    return user


def _public_url(geo: Geography) -> str:
    qpv = geo.qpv
    return reverse("observation:territory_portrait", kwargs={"kind": "qpv", "vintage": qpv.vintage, "code": qpv.code})


def _member_url(geo: Geography) -> str:
    return reverse(
        "observation_contract:qpv_portrait", kwargs={"contract_slug": geo.contract.slug, "territory_id": geo.qpv.pk}
    )


def _measure(query_count, client, url: str) -> tuple[int, int, str]:
    """(queries, templates rendered, html) of one page."""
    queries = query_count.page(client, url)
    return queries, len(query_count.response.templates), query_count.response.content.decode()


def _fill(geo: Geography, *, indicators: range, years: range, with_private: bool = False) -> None:
    territories = (geo.qpv, geo.commune, geo.epci, geo.unite_urbaine, geo.france)
    for number in indicators:
        indicator = make_indicator(f"P-{number:02d}", label=f"Indicateur {number}", theme=Theme.CADRE_DE_VIE)
        for period in years:
            for territory in territories:
                make_value(indicator, territory, period, 10.0 + number + period % 7)
        if with_private:
            make_value(indicator, geo.qpv, years[-1] + 1, 50.0, contract=geo.contract)


@pytest.mark.query_count("observation:territory_portrait", "observation_contract:qpv_portrait")
def test_portrait_pages_run_fixed_queries_and_templates_whatever_the_data(client, geo, pilot, query_count):
    _fill(geo, indicators=range(1), years=range(2021, 2022))
    public_few = _measure(query_count, client, _public_url(geo))
    client.force_login(pilot)
    member_few = _measure(query_count, client, _member_url(geo))
    client.logout()

    _fill(geo, indicators=range(1, 9), years=range(2012, 2023), with_private=True)
    other_commune = TerritoryFactory.create(name="Aval")  # one more reference
    link(geo.epci, other_commune)
    link(other_commune, geo.qpv, share=0.3)
    public_many = _measure(query_count, client, _public_url(geo))
    client.force_login(pilot)
    member_many = _measure(query_count, client, _member_url(geo))

    assert public_many[:2] == public_few[:2]
    assert member_many[:2] == member_few[:2]
    assert public_many[2].count('data-testid="portrait-value"') == 9
    assert "Aval" in public_many[2]
    assert f"50,0{NBSP}%" in member_many[2] and f"50,0{NBSP}%" not in public_many[2]


def test_value_cells_are_not_rendered_by_an_include_each(client, geo):
    _fill(geo, indicators=range(3), years=range(2019, 2022))
    response = client.get(_public_url(geo))
    names = [template.name for template in response.templates]
    assert "observation/_portrait.html" in names
    assert "observation/_value.html" not in names


def test_a_reference_without_the_same_year_shows_its_newest_value_without_gap(geo):
    poverty = make_indicator("CS-02", label="Taux de pauvreté", direction=Direction.LOWER_IS_BETTER)
    for period, value in ((2016, 40.0), (2021, 44.0)):
        make_value(poverty, geo.qpv, period, value)
    make_value(poverty, geo.commune, 2021, 20.0)  # same year: gap
    for period in range(2012, 2020):
        make_value(poverty, geo.epci, period, 15.0 + period - 2012)  # older years only: its newest, 2019
    make_value(poverty, geo.unite_urbaine, 2015, 17.0)
    make_value(poverty, geo.unite_urbaine, 2023, 18.0)  # a newer year only: 2023, no gap
    make_value(poverty, geo.france, 2021, confidential=True)  # same year, masked: shown masked, no gap
    portrait = portraits.portrait_get(territory=geo.qpv)
    [section] = portrait.sections
    [row] = section.rows
    commune, epci, unite_urbaine, france = row.comparisons
    assert (commune.reference.period, commune.has_gap) == (2021, True)
    assert (epci.reference.period, epci.reference.value, epci.has_gap) == (2019, 22.0, False)
    assert (unite_urbaine.reference.period, unite_urbaine.has_gap) == (2023, False)
    assert france.reference.is_confidential and not france.has_gap
    gap = f"écart : +24,0{NBSP}pts ({TIMES}{NBSP}2,20)"
    [shown] = presenters.portrait_view(portrait).sections[0].rows
    assert [value.gap_text for value in shown.reference_values] == [gap, "", "", ""]
    assert shown.reference_values[3].is_confidential and shown.reference_values[3].text == "secret statistique"


def test_a_private_reference_value_wins_for_members_only(geo):
    poverty = make_indicator("CS-02", label="Taux de pauvreté")
    make_value(poverty, geo.qpv, 2021, 44.0)
    make_value(poverty, geo.epci, 2021, 15.0)
    make_value(poverty, geo.epci, 2021, 16.0, contract=geo.contract)
    make_value(poverty, geo.commune, 2020, 30.0)
    make_value(poverty, geo.commune, 2022, 31.0, contract=geo.contract)  # member: newer private year, no gap
    public = portraits.portrait_get(territory=geo.qpv).sections[0].rows[0]
    member = portraits.portrait_get(territory=geo.qpv, scope=Scope(contract=geo.contract)).sections[0].rows[0]
    assert public.comparisons[1].reference.value == 15.0 and not public.comparisons[1].reference.is_private
    assert member.comparisons[1].reference.value == 16.0 and member.comparisons[1].reference.is_private
    assert public.comparisons[0].reference.period == 2020
    assert (member.comparisons[0].reference.period, member.comparisons[0].has_gap) == (2022, False)


def _naive_rows(territory, scope):
    """The portrait as computed before the optimisation: every visible value of the territory and its
    references, then the latest value, the same-year comparison and the trend (the reference behaviour)."""
    references = references_for(territory)
    catalogue = indicators.indicator_list()
    index = values.value_index(
        indicators=catalogue, territory_ids=[territory.pk, *(ref.pk for ref in references)], scope=scope
    )
    rows = {}
    for indicator in catalogue:
        series = index.get((indicator.pk, territory.pk))
        if not series:
            continue
        latest = values.latest_cell(series)
        result = values.evolution_of(indicator, series)
        rows[indicator.code] = (
            latest,
            [values.compare(latest, index.get((indicator.pk, ref.pk))) for ref in references],
            result,
            values.visible_points(series),
        )
    return rows


def test_portrait_gives_what_the_computation_over_every_value_gives(geo):
    """Random years, holes, masked and private values (public and contract scopes): same cells, same gaps,
    same trends, same sparklines."""
    rng = random.Random(6)
    other_contract = make_geography(name="Autre contrat").contract
    second_commune = TerritoryFactory.create(name="Aval")
    link(second_commune, geo.qpv, share=0.4)
    territories = (geo.qpv, geo.commune, second_commune, geo.epci, geo.unite_urbaine, geo.france)
    units = (("%", 1, ""), ("hab.", 0, "Recensement de la population (RP)"), ("€", 0, "Filosofi"), ("ratio", 2, ""))
    for number in range(8):
        unit, decimals, source = units[number % len(units)]
        indicator = make_indicator(
            f"R-{number:02d}",
            label=f"Indicateur {number}",
            theme=(Theme.COHESION_SOCIALE, Theme.CADRE_DE_VIE, Theme.CONTEXT)[number % 3],
            unit=unit,
            decimals=decimals,
            source=source,
            direction=(Direction.HIGHER_IS_BETTER, Direction.LOWER_IS_BETTER, Direction.CONTEXT)[number % 3],
        )
        for territory in territories:
            for period in range(2012, 2024):
                draw = rng.random()
                if draw < 0.3:
                    continue  # a hole
                if draw < 0.4:
                    make_value(indicator, territory, period, confidential=True)
                else:
                    make_value(indicator, territory, period, round(rng.uniform(1, 90), 2))
                if rng.random() < 0.15:  # a private value, the same year or the next one, maybe masked
                    contract = geo.contract if rng.random() < 0.7 else other_contract
                    year = period + rng.choice((0, 1))
                    if not IndicatorValue.objects.filter(
                        indicator=indicator, territory=territory, period=year, contract=contract
                    ).exists():
                        masked = rng.random() < 0.2
                        value = None if masked else round(rng.uniform(1, 90), 2)
                        make_value(indicator, territory, year, value, confidential=masked, contract=contract)
    for scope in (PUBLIC, Scope(contract=geo.contract)):
        expected = _naive_rows(geo.qpv, scope)
        portrait = portraits.portrait_get(territory=geo.qpv, scope=scope)
        rows = {row.indicator.code: row for section in portrait.sections for row in section.rows}
        assert set(rows) == set(expected)
        for code, (latest, comparisons, result, points) in expected.items():
            row = rows[code]
            assert row.latest == latest, code
            assert row.comparisons == comparisons, code
            assert (row.evolution, row.points) == (result, points), code


def _cells(html: str) -> list[str]:
    return [
        re.sub(r"[ \t\r\n]+", " ", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", html, flags=re.DOTALL)
    ]


def _fragment(value) -> str:
    return re.sub(r"[ \t\r\n]+", " ", render_to_string("observation/_value.html", {"value": value})).strip()


def _squeeze(html: str) -> str:
    return re.sub(r">[ \t\r\n]+<", "><", html)


def test_value_cells_use_the_markup_of_the_value_fragment(client, geo, pilot):
    poverty = make_indicator("CS-02", label="Taux de pauvreté")
    make_value(poverty, geo.qpv, 2016, 40.0)
    make_value(poverty, geo.qpv, 2021, 44.5)
    make_value(poverty, geo.commune, 2021, 20.0)
    make_value(poverty, geo.epci, 2021, confidential=True)
    make_value(poverty, geo.unite_urbaine, 2020, 18.0)
    make_value(poverty, geo.qpv, 2022, 46.0, contract=geo.contract)
    client.force_login(pilot)
    for scope, url in ((PUBLIC, _public_url(geo)), (Scope(contract=geo.contract), _member_url(geo))):
        html = client.get(url).content.decode()
        portrait = portraits.portrait_get(territory=geo.qpv, scope=scope)
        row = presenters.portrait_view(portrait).sections[0].rows[0]
        latest, *references, _trend = _cells(html.split('data-testid="portrait-section-', 1)[1])
        assert row.value.period_text and row.value.source_text
        assert _squeeze(latest) == _squeeze(_fragment(row.value))
        comparisons = portrait.sections[0].rows[0].comparisons
        for cell, value, comparison in zip(references, row.reference_values, comparisons, strict=True):
            if comparison.reference.figure is None:
                assert cell == "—"
                continue
            expected = _fragment(value)
            if comparison.has_gap:
                expected += f'<span class="fr-text--xs obs-block" data-testid="gap">{value.gap_text}</span>'
            assert _squeeze(cell) == _squeeze(expected)

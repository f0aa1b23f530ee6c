"""Statistical secrecy (domain.md §7.3): a masked value is never shown, exported, or used in a visible figure.

One planted world: « Quartier 01 » has its 2021 poverty rate and population under secrecy; « Quartier 02 » and
the EPCI have theirs. Whatever page, export or API answer we read, the masked cells say « secret statistique » (or
``null``), and nothing that needs them is computed: no gap to a reference, no trend ending on them, no total of
the contract's QPVs (a total minus the visible QPVs would give the masked one away), no map class.
"""

import csv
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from contrat_ville.accounts.tests.factories import UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant
from contrat_ville.observation.enums import Aggregation, Theme
from contrat_ville.observation.selectors import PUBLIC, Scope, comparisons, portraits
from contrat_ville.observation.tests.factories_pages import Geography, make_geography, make_indicator, make_value

pytestmark = pytest.mark.django_db

SECRET = "secret statistique"


@pytest.fixture
def world() -> Geography:
    geo = make_geography(qpv_count=2, published=True)
    masked, visible = geo.qpvs
    poverty = make_indicator("CS-02", label="Taux de pauvreté")
    population = make_indicator(
        "CTX-01", label="Population", theme=Theme.CONTEXT, unit="hab.", aggregation=Aggregation.SUM, decimals=0
    )
    make_value(poverty, masked, 2016, 41.3)
    make_value(poverty, masked, 2021, confidential=True)
    make_value(population, masked, 2021, confidential=True)
    make_value(poverty, visible, 2021, 37.7, numerator=377, denominator=1000)
    make_value(population, visible, 2021, 1000)
    make_value(poverty, geo.epci, 2021, 15.2, numerator=13680, denominator=90000)
    make_value(population, geo.epci, 2021, 90000)
    make_value(poverty, geo.commune, 2021, 18.4)
    geo.extra.update(poverty=poverty, population=population, masked=masked, visible=visible)
    return geo


def _member(world: Geography) -> Client:
    pilot = UserFactory.create(email="pilote-secret@exemple.fr")
    grant(world.contract, pilot, Role.PILOT)
    client = Client()
    client.force_login(pilot)
    return client


def _row_of(html: str, name: str) -> str:
    """The ``<tr>`` of the table row whose header names ``name``."""
    for row in re.findall(r"<tr[^>]*>.*?</tr>", html, flags=re.DOTALL):
        if name in row:
            return row
    raise AssertionError(f"pas de ligne pour {name}")


@pytest.mark.parametrize("scope_is_private", [False, True])
def test_selectors_derive_nothing_from_a_masked_value(world, scope_is_private):
    scope = Scope(contract=world.contract) if scope_is_private else PUBLIC
    portrait = portraits.portrait_get(territory=world.extra["masked"], scope=scope)
    rows = {row.indicator.code: row for section in portrait.sections for row in section.rows}
    for row in rows.values():
        assert row.latest.is_confidential and row.latest.value is None
        assert all(
            comparison.gap.difference is None and comparison.gap.ratio is None for comparison in row.comparisons
        )
    # The 2016 value is visible, but a trend from 2016 to the masked 2021 would reveal the direction: none.
    assert rows["CS-02"].evolution.last_period == 2016 and rows["CS-02"].trend == "unknown"
    figures = comparisons.contract_key_figures(contract=world.contract, scope=scope)
    assert figures and all(figure.qpvs.is_confidential for figure in figures)
    assert all(not figure.comparison.has_gap for figure in figures)


def test_pages_show_secret_and_no_derived_figure(world):
    client = _member(world)
    masked, visible = world.extra["masked"], world.extra["visible"]
    slug = world.contract.slug
    portrait = client.get(
        reverse("observation_contract:qpv_portrait", kwargs={"contract_slug": slug, "territory_id": masked.pk})
    ).content.decode()
    assert SECRET in portrait
    assert 'data-testid="gap"' not in portrait
    assert "évolution non calculable" in portrait

    comparison = client.get(
        reverse("observation_contract:comparison", kwargs={"contract_slug": slug}),
        {"indicators": ["CS-02", "CTX-01"]},
    ).content.decode()
    masked_row = _row_of(comparison, masked.name)
    assert masked_row.count(SECRET) == 2 and "écart" not in masked_row
    assert _row_of(comparison, visible.name).count("écart") == 2

    home = client.get(reverse("contracts:contract_home", kwargs={"contract_slug": slug})).content.decode()
    panel = home[home.index('data-testid="observation-key-figures"') :]
    panel = panel[: panel.index("</table>")]
    assert panel.count(SECRET) == 2
    assert "1\u00a0000" not in panel  # the visible QPV alone is not passed off as the total

    indicator = client.get(
        reverse("observation_contract:indicator_detail", kwargs={"contract_slug": slug, "code": "CS-02"}),
        {"period": "2021"},
    ).content.decode()
    map_table = indicator[indicator.index('data-testid="indicator-map-table"') :]
    masked_map_row = _row_of(map_table, masked.name)
    assert SECRET in masked_map_row and "classe " not in masked_map_row
    geojson = indicator[indicator.index('id="indicator-map-data"') :]
    feature = re.search(r"\{[^{}]*\"code\": \"" + masked.code + r"\"[^{}]*\}", geojson)
    assert feature is not None and SECRET in feature.group() and '"masked": true' in feature.group()


def test_exports_write_secret_and_no_gap(world):
    client = Client()
    masked = world.extra["masked"]
    url = reverse(
        "observation:territory_portrait_export",
        kwargs={"kind": "qpv", "vintage": masked.vintage, "code": masked.code, "fmt": "csv"},
    )
    header, *rows = list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8")[1:]), delimiter=";"))
    gap_columns = [index for index, name in enumerate(header) if name.endswith(("écart", "rapport"))]
    for row in rows:
        assert row[header.index("valeur")] == SECRET
        assert all(row[index] == "" for index in gap_columns)

    comparison_url = reverse(
        "observation_contract:comparison_export", kwargs={"contract_slug": world.contract.slug, "fmt": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(client.get(comparison_url, {"indicators": ["CS-02"]}).content)).active
    masked_row = next(row for row in sheet.iter_rows(values_only=True) if row[0] == masked.code)
    assert masked_row[2:] == (2021, SECRET, None, None)


def test_api_returns_null_and_derives_nothing(world):
    client = Client()
    masked = world.extra["masked"]
    values = client.get("/api/v1/indicator-values", {"territory": masked.code, "period": 2021}).json()["items"]
    assert values and all(item["value"] is None and item["confidential"] for item in values)
    assert all(item["numerator"] is None and item["denominator"] is None for item in values)
    portrait = client.get(f"/api/v1/territories/qpv/{masked.code}/portrait").json()
    for theme in portrait["themes"]:
        for row in theme["indicators"]:
            assert row["latest"]["value"] is None and row["latest"]["confidential"] is True
            assert all(
                reference["difference"] is None and reference["ratio"] is None for reference in row["references"]
            )
            assert row["change"] is None

"""CSV and XLSX exports of the portrait, the indicator table and the comparison table: what the page shows."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from contrat_ville.accounts.tests.factories import UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant
from contrat_ville.core.spreadsheets import XLSX_CONTENT_TYPE
from contrat_ville.observation.tests.factories_pages import make_geography, make_indicator, make_value

pytestmark = pytest.mark.django_db


@pytest.fixture
def geo():
    return make_geography(qpv_count=2, published=True)


@pytest.fixture
def poverty():
    return make_indicator("CS-02", label="Taux de pauvreté")


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def read_xlsx(response) -> dict[str, list[tuple]]:
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    workbook = load_workbook(io.BytesIO(response.content))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets}


def _portrait_url(geo, fmt):
    return reverse(
        "observation:territory_portrait_export",
        kwargs={"kind": "qpv", "vintage": geo.qpv.vintage, "code": geo.qpv.code, "fmt": fmt},
    )


def test_portrait_csv_has_values_references_and_gaps(client, geo, poverty):
    make_value(poverty, geo.qpv, 2021, 44.5)
    make_value(poverty, geo.epci, 2021, 15.0)
    response = client.get(_portrait_url(geo, "csv"))
    assert response.status_code == 200
    assert f'filename="portrait-qpv-{geo.qpv.code.lower()}.csv"' in response["Content-Disposition"]
    header, row = read_csv(response)
    assert header[:6] == ["thème", "code", "indicateur", "unité", "année", "valeur"]
    assert row[:6] == ["cohésion sociale", "CS-02", "Taux de pauvreté", "%", "2021", "44,5"]
    epci = header.index(f"{geo.epci.name} (EPCI) : écart")
    assert row[epci] == "29,5"
    assert row[epci + 1] == "2,97"  # ratio


def test_portrait_xlsx_keeps_numbers_as_numbers(client, geo, poverty):
    make_value(poverty, geo.qpv, 2021, 44.5)
    sheets = read_xlsx(client.get(_portrait_url(geo, "xlsx")))
    [(title, rows)] = sheets.items()
    assert title.startswith("Portrait")
    assert rows[1][5] == 44.5


def test_unknown_format_is_404(client, geo):
    assert client.get(_portrait_url(geo, "pdf")).status_code == 404


def test_indicator_export_has_the_table_and_the_map(client, geo, poverty):
    make_value(poverty, geo.qpv, 2020, 43.0)
    make_value(poverty, geo.qpv, 2021, 44.5)
    make_value(poverty, geo.iris[0], 2021, 30.0)
    base = reverse("observation:indicator_export", kwargs={"code": "CS-02", "fmt": "csv"})
    header, *rows = read_csv(client.get(base, {"kind": "qpv", "codes": geo.qpv.code, "with_references": "on"}))
    assert header == ["nature", "code", "territoire", "2020", "2021"]
    assert rows[0] == ["quartier prioritaire (QPV)", geo.qpv.code, geo.qpv.name, "43", "44,5"]
    xlsx = reverse("observation:indicator_export", kwargs={"code": "CS-02", "fmt": "xlsx"})
    sheets = read_xlsx(client.get(xlsx, {"kind": "qpv", "codes": geo.qpv.code, "map_kind": "iris"}))
    series, carte = sheets.values()
    assert series[1][3:] == (43, 44.5)
    assert carte[0] == ("nature", "code", "territoire", "année", "valeur", "classe")
    assert (geo.iris[0].code, 30) in {(row[1], row[4]) for row in carte[1:]}


def test_comparison_export_starts_with_the_epci(client, geo, poverty):
    make_value(poverty, geo.qpvs[0], 2021, 40.0)
    make_value(poverty, geo.epci, 2021, 15.0)
    url = reverse("observation_contract:comparison_export", kwargs={"contract_slug": geo.contract.slug, "fmt": "csv"})
    header, epci, first, second = read_csv(client.get(url))
    assert header[:3] == ["code", "quartier", "CS-02 (%) année"]
    assert epci[:4] == [geo.epci.code, f"{geo.epci.name} (EPCI, référence)", "2021", "15"]
    assert first[:6] == [geo.qpvs[0].code, geo.qpvs[0].name, "2021", "40", "25", "2,67"]
    assert second[2:6] == ["", "", "", ""]


def test_contract_exports_include_private_values_for_members_only(client, geo, poverty):
    make_value(poverty, geo.qpv, 2021, 44.0)
    make_value(poverty, geo.qpv, 2022, 47.0, contract=geo.contract)
    url = reverse(
        "observation_contract:qpv_portrait_export",
        kwargs={"contract_slug": geo.contract.slug, "territory_id": geo.qpv.pk, "fmt": "csv"},
    )
    _header, row = read_csv(client.get(url))
    assert row[4:6] == ["2021", "44"]
    pilot = UserFactory.create(email="pilote-export@exemple.fr")
    grant(geo.contract, pilot, Role.PILOT)
    client.force_login(pilot)
    _header, row = read_csv(client.get(url))
    assert row[4:6] == ["2022", "47"]
    indicator_url = reverse(
        "observation_contract:indicator_export",
        kwargs={"contract_slug": geo.contract.slug, "code": "CS-02", "fmt": "csv"},
    )
    header, *_rows = read_csv(client.get(indicator_url))
    assert "2022" in header


def test_contract_exports_of_an_unpublished_contract_are_404_for_visitors(client, poverty):
    geo = make_geography(published=False, name="Privé")
    url = reverse("observation_contract:comparison_export", kwargs={"contract_slug": geo.contract.slug, "fmt": "csv"})
    assert client.get(url).status_code == 404

"""The demo's indicators: files in INSEE's and partners' real formats, loaded through the importers, calibrated
on the published QPV vs reference gaps, and a reload that changes nothing."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from contrat_ville.contracts.models import Contract
from contrat_ville.core.models import ImportBatch
from contrat_ville.demo import indicators
from contrat_ville.demo.context import DemoStep
from contrat_ville.demo.generator import QPVS
from contrat_ville.demo.services import DEMO_STEPS, demo_load
from contrat_ville.demo.steps.observation import step_observation
from contrat_ville.demo.users import SLUG_COTEAUX_ORBE, SLUG_VAL_DE_SORNE
from contrat_ville.observation.models import IndicatorValue
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import Territory

TODAY = date(2026, 2, 10)
OBSERVATION = DemoStep("observation", "Indicateurs d'observation", step_observation)

VALUE_IMPORTERS = ("long_csv", "long_xlsx", "insee_csv", "insee_xlsx", "aggregation")


def read(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    return rows[0], rows[1:]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, indicators.IndicatorFile]:
    written = indicators.write_indicator_files(tmp_path_factory.mktemp("indicateurs"))
    return {item.path.name: item for item in written}


def test_census_files_are_insee_iris_bases(files: dict[str, indicators.IndicatorFile]) -> None:
    years = indicators.RP_YEARS
    assert len(years) == 6
    for year in years:
        for stem, _, _ in indicators.CENSUS_THEMES:
            item = files[f"{stem}-{year}.CSV"]
            assert (item.fmt, item.vintage) == ("insee_csv", str(year))
    header, rows = read(files["base-ic-activite-residents-2022.CSV"].path)
    assert header[:2] == ["IRIS", "REG"] and "TYP_IRIS" in header
    assert {"P22_CHOM1564", "P22_ACT1564", "P22_FCHOM1564", "C22_ACTOCC1564_CS5"} <= set(header)
    assert len(rows) == 58  # every IRIS of the demo
    assert all(len(row[0]) == 9 and row[0].startswith("96") for row in rows)
    population = dict(zip(header, rows[0], strict=True))
    assert "." in population["P22_POP1564"]  # weighted counts, decimal point
    # The latest census gives back the generator's populations: IRIS sum to their commune.
    header, rows = read(files["base-ic-evol-struct-pop-2022.CSV"].path)
    column = header.index("P22_POP")
    total = sum(float(row[column]) for row in rows if row[header.index("COM")] == "96001")
    assert round(total) == 31_124


def test_filosofi_files_use_decimal_commas_and_secret_markers(files: dict[str, indicators.IndicatorFile]) -> None:
    header, rows = read(files["BASE_TD_FILO_IRIS_2016_DISP.csv"].path)
    assert header[0] == "IRIS" and {"DISP_MED16", "DISP_TP6016", "DISP_RD16"} <= set(header)
    communes = {row[header.index("COM")] for row in rows}
    assert communes == {"96001", "96002", "96003", "96101"}  # communes of 5 000 inhabitants or more
    cells = [cell for row in rows for cell in row[4:]]
    assert "s" in cells and "nd" in cells
    assert any("," in cell for cell in cells)
    header, rows = read(files["cc_filosofi_2021_COM.csv"].path)
    assert header[:2] == ["CODGEO", "LIBGEO"] and "MED21" in header and "TP6021" in header
    assert len(rows) == 36
    small = next(row for row in rows if row[0] == "96024")  # 447 inhabitants: poverty rate not published
    assert small[header.index("TP6021")] == "s"
    header, rows = read(files["cc_filosofi_2021_EPCI.csv"].path)
    assert [row[0] for row in rows] == ["200099901", "200099919"]


def test_qpv_workbook_has_the_insee_layout(files: dict[str, indicators.IndicatorFile]) -> None:
    item = files["qpv2024_donnees_2022.xlsx"]
    assert (item.fmt, item.vintage) == ("insee_xlsx", "2022")
    workbook = load_workbook(item.path, read_only=True)
    assert workbook.sheetnames[:5] == ["Population", "Activité", "Diplômes", "Logement", "Familles"]
    assert {"Revenus", "Prestations", "Documentation"} <= set(workbook.sheetnames)
    rows = list(workbook["Activité"].iter_rows(values_only=True))
    assert str(rows[0][0]).startswith("Activité des habitants")
    assert str(rows[2][0]).startswith("Mise en ligne le") and "Géographie au 01/01/2024" in str(rows[2][0])
    assert rows[4][0] == "Code du quartier"  # French labels on row 5
    assert rows[5][:3] == ("CODGEO", "LIBGEO", "LIST_COM")  # variable codes on row 6
    assert "P22_CHOM1564" in rows[5]
    assert [row[0] for row in rows[6:]] == [qpv.code for qpv in QPVS]
    revenue = list(workbook["Revenus"].iter_rows(values_only=True))
    assert "DISP_MED21" in revenue[5]  # Filosofi runs one year behind the census
    assert list(workbook["Prestations"].iter_rows(values_only=True))[5][-1] == "PERCOU"
    workbook.close()


def test_partner_files_are_long_csvs(files: dict[str, indicators.IndicatorFile]) -> None:
    header, rows = read(files["dnb_resultats_val-de-sorne_2019-2024.csv"].path)
    assert header == indicators.LONG_HEADER
    assert {row[0] for row in rows} == {"CS-08"}
    assert {int(row[3]) for row in rows} == set(indicators.PARTNER_YEARS)
    assert "," in rows[0][4]
    header, rows = read(files["demandeurs_emploi_abc_val-de-sorne.csv"].path)
    assert {row[0] for row in rows} == {"DE-05", "DE-06", "DE-07"}
    for code, slug in ((96001, SLUG_VAL_DE_SORNE), (96101, SLUG_COTEAUX_ORBE)):
        item = files[f"pre_enfants_suivis_{code}.csv"]
        assert item.contract_slug == slug
    # Incivilities are left to local entry (CV-06): no demo file carries them.
    for item in files.values():
        if item.fmt == "long_csv":
            assert all(row[0] != "CV-06" for row in read(item.path)[1])


def load() -> None:
    """The demo's territories and contracts, then the observation step (whether or not DEMO_STEPS has it yet)."""
    steps = [step for step in DEMO_STEPS if step.key in {"reference_data", "organizations", "contracts"}]
    demo_load(today=TODAY, steps=[*steps, OBSERVATION])


def latest_row(code: str, territory: Territory, period: int | None = None) -> IndicatorValue:
    values = IndicatorValue.objects.filter(indicator__code=code, territory=territory, contract__isnull=True)
    if period is not None:
        values = values.filter(period=period)
    row = values.order_by("-period").first()
    assert row is not None, (code, territory.code)
    return row


def latest(code: str, territory: Territory, period: int | None = None) -> float:
    """The latest public value (or that of ``period``) of an indicator for a territory."""
    value = latest_row(code, territory, period).value
    assert value is not None, (code, territory.code)
    return value


@pytest.mark.django_db
def test_every_qpv_has_six_years_and_gaps_follow_the_published_figures() -> None:
    load()
    epcis = {territory.code: territory for territory in Territory.objects.filter(kind=TerritoryKind.EPCI)}
    france = Territory.objects.get(kind=TerritoryKind.FRANCE)
    for spec in QPVS:
        qpv = Territory.objects.get(kind=TerritoryKind.QPV, code=spec.code)
        values = IndicatorValue.objects.filter(territory=qpv)
        assert set(values.filter(indicator__code="DE-03").values_list("period", flat=True)) == set(indicators.RP_YEARS)
        for code, years in (("CS-02", indicators.FILOSOFI_YEARS), ("CS-08", indicators.PARTNER_YEARS)):
            assert set(values.filter(indicator__code=code).values_list("period", flat=True)) == set(years)
        assert values.values("indicator").distinct().count() >= 25
        epci = epcis[spec.epci]
        # Unemployment about 2.5 times the intercommunality's, poverty about 3 times, brevet about 10 points below.
        assert latest_row("DE-03", qpv).period == 2022
        assert 2.0 <= latest("DE-03", qpv) / latest("DE-03", epci, 2022) <= 3.5
        assert 2.3 <= latest("CS-02", qpv) / latest("CS-02", epci, 2021) <= 4.0
        assert 5 <= latest("CS-08", france, 2024) - latest("CS-08", qpv) <= 15
        assert latest("DE-04", qpv) > 40  # young people's unemployment is high
        assert latest("DE-03F", qpv) > latest("DE-03H", qpv)
        assert latest("CS-01", qpv) < latest("CS-01", epci, 2021) < latest("CS-01", france) + 2000
    # Communes and intercommunalities are computed by the platform from the IRIS; France comes from its file.
    commune = Territory.objects.get(kind=TerritoryKind.COMMUNE, code="96001")
    assert latest("CTX-01", commune) == pytest.approx(31_124)
    batch = latest_row("DE-03", commune).batch
    assert batch is not None and batch.importer == "aggregation"
    assert latest("DE-03", france) == pytest.approx(11.5, abs=1)
    # Secrecy: the activity IRIS's Filosofi figures are stored without their value.
    secret = IndicatorValue.objects.filter(territory__kind=TerritoryKind.IRIS, indicator__code="CS-01")
    assert secret.filter(is_confidential=True, value__isnull=True).exists()
    # The PRE figures are private to the contract that carries them.
    pre = IndicatorValue.objects.filter(indicator__code="CS-13")
    assert pre.exists() and not pre.filter(contract__isnull=True).exists()
    assert set(pre.values_list("contract__slug", flat=True)) == {SLUG_VAL_DE_SORNE, SLUG_COTEAUX_ORBE}
    terrasses = pre.filter(territory__code="QN09604M")
    assert set(terrasses.values_list("contract_id", flat=True)) == {Contract.objects.get(slug=SLUG_COTEAUX_ORBE).pk}
    # The public portrait tells the story: unemployment, its references and its trend.
    response = Client().get("/observation/territoires/qpv/2024/QN09603N/")
    assert response.status_code == 200
    assert "Taux de chômage des 15-64 ans" in response.content.decode()


def snapshot() -> tuple[set[tuple[Any, ...]], int]:
    values = set(
        IndicatorValue.objects.values_list(
            "indicator__code", "territory__code", "period", "value", "numerator", "is_confidential", "contract_id"
        )
    )
    # Value batches only: every territory import records a new batch (the provenance of each run).
    return values, ImportBatch.objects.filter(importer__in=VALUE_IMPORTERS).count()


@pytest.mark.django_db
def test_loading_twice_gives_the_same_values() -> None:
    load()
    first = snapshot()
    assert len(first[0]) > 10_000
    load()
    assert snapshot() == first
    assert Territory.objects.filter(kind=TerritoryKind.FRANCE).count() == 1

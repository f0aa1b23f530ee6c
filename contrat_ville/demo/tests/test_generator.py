"""The generated files are in the formats the real producers publish, and describe a coherent territory."""

import csv
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from shapely.geometry import Polygon, shape
from shapely.ops import unary_union

from contrat_ville.accounts.models import Organization
from contrat_ville.demo import generator
from contrat_ville.demo.catalogue import CONTRACTS, ORGANIZATIONS
from contrat_ville.demo.users import USERS
from contrat_ville.territories.services import qpv_code_is_valid


@pytest.fixture(scope="module")
def territory() -> generator.DemoTerritory:
    return generator.build_territory()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory, territory: generator.DemoTerritory) -> generator.DemoFiles:
    return generator.write_demo_files(tmp_path_factory.mktemp("demo"), territory)


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter=",")
        return list(reader.fieldnames or []), list(reader)


def test_file_names(files: generator.DemoFiles) -> None:
    assert [files.regions.name, files.departements.name, files.communes.name] == [
        "v_region_2026.csv",
        "v_departement_2026.csv",
        "v_commune_2026.csv",
    ]
    assert files.epci.name == "EPCI_au_01-01-2026.xlsx"
    assert files.iris.name == "CONTOURS-IRIS_demo_2024.geojson"
    assert files.qpv.name == "qpv-2024-demo.geojson"


def test_cog_csv_files_have_the_cog_headers(files: generator.DemoFiles) -> None:
    header, regions = read_csv(files.regions)
    assert header == ["REG", "CHEFLIEU", "TNCC", "NCC", "NCCENR", "LIBELLE"]
    assert [(row["REG"], row["LIBELLE"]) for row in regions] == [("84", "Auvergne-Rhône-Alpes")]

    header, departements = read_csv(files.departements)
    assert header == ["DEP", "REG", "CHEFLIEU", "TNCC", "NCC", "NCCENR", "LIBELLE"]
    assert [(row["DEP"], row["REG"], row["LIBELLE"]) for row in departements] == [
        ("96", "84", "Val-de-Sorne (fictif)")
    ]

    header, communes = read_csv(files.communes)
    assert header == [
        "TYPECOM", "COM", "REG", "DEP", "CTCD", "ARR", "TNCC", "NCC", "NCCENR", "LIBELLE", "CAN", "COMPARENT"
    ]  # fmt: skip
    codes = [row["COM"] for row in communes]
    assert codes == [f"960{n:02d}" for n in range(1, 25)] + [f"961{n:02d}" for n in range(1, 13)]
    assert {row["TYPECOM"] for row in communes} == {"COM"}
    assert {(row["DEP"], row["REG"]) for row in communes} == {("96", "84")}
    essarts = next(row for row in communes if row["COM"] == "96005")
    assert (essarts["TNCC"], essarts["NCC"], essarts["NCCENR"], essarts["LIBELLE"]) == (
        "4",
        "ESSARTS DE SORNE",
        "Essarts-de-Sorne",
        "Les Essarts-de-Sorne",
    )


def test_epci_workbook_has_the_insee_layout(files: generator.DemoFiles) -> None:
    workbook = load_workbook(files.epci)
    assert workbook.sheetnames == ["EPCI", "Composition_communale", "Variables", "Documentation"]

    epci = workbook["EPCI"]
    assert "Géographie au 01/01/2026" in epci["A3"].value
    assert [cell.value for cell in epci[5]] == [
        "EPCI - Métropole",
        "Libellé de l'EPCI / Métropole",
        "Nature d'EPCI",
        "Nombre de communes",
    ]
    assert [cell.value for cell in epci[6]] == ["EPCI", "LIBEPCI", "NATURE_EPCI", "NB_COM"]
    rows = [[cell.value for cell in row] for row in epci.iter_rows(min_row=7)]
    assert rows == [
        ["200099901", "Communauté d'agglomération du Val de Sorne", "CA", 24],
        ["200099919", "Communauté de communes des Coteaux de l'Orbe", "CC", 12],
    ]
    assert epci["A7"].data_type == "s"  # codes are text cells

    composition = workbook["Composition_communale"]
    assert [cell.value for cell in composition[6]] == ["CODGEO", "LIBGEO", "EPCI", "LIBEPCI", "DEP", "REG"]
    members = [[cell.value for cell in row] for row in composition.iter_rows(min_row=7)]
    assert len(members) == 36
    assert members[0] == [
        "96001",
        "Sorne-la-Ville",
        "200099901",
        "Communauté d'agglomération du Val de Sorne",
        "96",
        "84",
    ]
    assert all(composition.cell(row=row, column=1).data_type == "s" for row in range(7, 43))


def test_iris_contours_are_lambert93_with_ign_fields(files: generator.DemoFiles) -> None:
    document = json.loads(files.iris.read_text(encoding="utf-8"))
    assert document["crs"]["properties"]["name"] == "urn:ogc:def:crs:EPSG::2154"
    features = document["features"]
    assert all(list(feature["properties"]) == generator.IRIS_PROPERTIES for feature in features)
    for feature in features:
        properties = feature["properties"]
        assert properties["code_iris"] == properties["code_insee"] + properties["iris"]
        assert properties["type_iris"] in {"H", "A", "Z"}
        assert (properties["type_iris"] == "Z") == (properties["iris"] == "0000")
        x, y = feature["geometry"]["coordinates"][0][0][0]
        assert 800_000 < x < 900_000 and 6_450_000 < y < 6_550_000  # Lambert-93 metres, in région 84
    val_de_sorne = [feature for feature in features if feature["properties"]["code_insee"] < "96100"]
    assert 38 <= len(val_de_sorne) <= 45
    kinds = [feature["properties"]["type_iris"] for feature in val_de_sorne]
    assert kinds.count("Z") == 21 and kinds.count("A") == 1
    split = {
        feature["properties"]["code_insee"] for feature in val_de_sorne if feature["properties"]["iris"] != "0000"
    }
    assert split == {"96001", "96002", "96003"}


def test_iris_tile_their_commune(territory: generator.DemoTerritory) -> None:
    for commune in territory.communes:
        pieces = [Polygon(iris.ring) for iris in commune.iris]
        assert all(piece.is_valid for piece in pieces)
        outline = Polygon(commune.ring)
        union = unary_union(pieces)
        assert union.symmetric_difference(outline).area < 1.0  # m²
        assert abs(sum(piece.area for piece in pieces) - outline.area) < 1.0  # no overlap
        assert sum(iris.population for iris in commune.iris) == commune.spec.population
    habitat = [iris for iris in territory.iris if iris.kind == "H"]
    assert all(1_800 <= iris.population <= 5_000 for iris in habitat)


def test_qpv_file_is_the_anct_2024_format(files: generator.DemoFiles) -> None:
    document = json.loads(files.qpv.read_text(encoding="utf-8"))
    assert document["crs"]["properties"]["name"] == "urn:ogc:def:crs:OGC:1.3:CRS84"
    properties = [feature["properties"] for feature in document["features"]]
    assert all(list(item) == generator.QPV_PROPERTIES for item in properties)
    assert [item["code_qp"] for item in properties] == ["QN09601M", "QN09602M", "QN09603N", "QN09604M"]
    assert all(qpv_code_is_valid(item["code_qp"], generation="2024") for item in properties)
    straddling = properties[1]
    assert straddling["insee_com"] == "96001,96002"
    assert {item["insee_dep"] for item in properties} == {"96"}
    assert {item["insee_reg"] for item in properties} == {"84"}
    for feature in document["features"]:
        lon, lat = shape(feature["geometry"]).centroid.coords[0]
        assert 4.7 < lon < 5.3 and 45.4 < lat < 45.8


def test_qpvs_are_sized_like_real_ones_and_lie_in_their_communes(territory: generator.DemoTerritory) -> None:
    assert [qpv.spec.population for qpv in territory.qpvs[:3]] == [1_200, 2_600, 4_800]
    for qpv in territory.qpvs:
        polygon = Polygon(qpv.ring_lambert93)
        assert polygon.is_valid
        assert 15 <= qpv.area_ha <= 60
        communes = unary_union([Polygon(territory.commune(code).ring) for code in qpv.spec.communes])
        assert polygon.difference(communes).area < 0.001 * polygon.area
        for code in qpv.spec.communes:
            assert polygon.intersection(Polygon(territory.commune(code).ring)).area > 0.05 * polygon.area
    others = [qpv for qpv in territory.qpvs if len(qpv.spec.communes) == 1]
    assert len(others) == 3


def test_sirens_pass_luhn_and_sit_in_the_fake_ranges() -> None:
    epci_sirens = [epci.siren for epci in generator.EPCIS]
    commune_sirens = [commune.siren for epci in generator.EPCIS for commune in epci.communes]
    assert all(siren.startswith("2000999") for siren in epci_sirens)
    assert all(siren.startswith("2199") for siren in commune_sirens)
    sirens = epci_sirens + commune_sirens + [spec.siren for spec in ORGANIZATIONS if spec.siren]
    siren_field = Organization._meta.get_field("siren")
    for siren in sirens:
        siren_field.run_validators(siren)  # 9 digits and Luhn (accounts.validators.validate_siren)
    assert len(set(epci_sirens + commune_sirens)) == 38


def test_luhn_check_digit_agrees_with_the_siren_validator() -> None:
    assert generator.siren_for("21010001") == "210100012"  # L'Abergement-Clémenciat, a real commune
    siren_field = Organization._meta.get_field("siren")
    for number in range(0, 100_000_000, 999_983):
        siren_field.run_validators(generator.siren_for(f"{number:08d}"))


def test_populations_match_the_calibration() -> None:
    val_de_sorne = generator.EPCI_VAL_DE_SORNE
    assert len(val_de_sorne.communes) == 24
    assert 70_000 <= val_de_sorne.population <= 74_000
    populations = sorted((commune.population for commune in val_de_sorne.communes), reverse=True)
    assert 30_000 <= populations[0] <= 32_000
    assert 9_000 <= populations[1] <= 10_000
    assert sum(qpv.population for qpv in generator.QPVS[:3]) == 8_600


def test_generation_is_deterministic(tmp_path: Path, files: generator.DemoFiles) -> None:
    again = generator.write_demo_files(tmp_path)
    for name in ("regions", "departements", "communes", "iris", "qpv"):
        assert getattr(again, name).read_bytes() == getattr(files, name).read_bytes(), name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Sorne-la-Ville", ("0", "SORNE LA VILLE", "Sorne-la-Ville")),
        ("Avrinay", ("1", "AVRINAY", "Avrinay")),
        ("Le Bois-d'Orsan", ("2", "BOIS D ORSAN", "Bois-d'Orsan")),
        ("La Combe-Sornaise", ("3", "COMBE SORNAISE", "Combe-Sornaise")),
        ("L'Étang-Sorlin", ("5", "ETANG SORLIN", "Étang-Sorlin")),
    ],
)
def test_cog_names(name: str, expected: tuple[str, str, str]) -> None:
    assert generator.cog_names(name) == expected


def test_the_data_files_agree_with_the_territory() -> None:
    """Organisations and contracts name the territory's intercommunalities, communes and QPV as it defines them."""
    by_siren = {epci.siren: epci for epci in generator.EPCIS}
    communes = {commune.code: commune for epci in generator.EPCIS for commune in epci.communes}
    organizations = {spec.key: spec for spec in ORGANIZATIONS}
    assert len(organizations) == len(ORGANIZATIONS)
    for spec in ORGANIZATIONS:
        if spec.key.startswith("commune_"):
            commune = communes[spec.key.removeprefix("commune_")]
            assert (spec.name, spec.siren) == (f"Commune de {commune.name}", commune.siren)
        elif spec.siren:
            assert spec.name == by_siren[spec.siren].name
    hosting = {code for qpv in generator.QPVS for code in qpv.communes}
    assert {key for key in organizations if key.startswith("commune_")} == {f"commune_{code}" for code in hosting}
    for contract in CONTRACTS:
        epci = by_siren[contract.epci_siren]
        assert epci.name in contract.name
        assert contract.qpv_codes == tuple(qpv.code for qpv in generator.QPVS if qpv.epci == epci.siren)
        assert {signatory.organization for signatory in contract.signatories} <= set(organizations)
    assert {user.organization for user in USERS} - {""} <= set(organizations)
    assert {slug for user in USERS for slug, _ in user.roles} == {contract.slug for contract in CONTRACTS}

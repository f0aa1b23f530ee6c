import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from shapely.geometry import shape

from contrat_ville.core.models import ImportBatch
from contrat_ville.territories import services
from contrat_ville.territories.enums import LinkKind, TerritoryKind
from contrat_ville.territories.models import Territory, TerritoryLink
from contrat_ville.territories.services import ImportFileError
from contrat_ville.territories.tests.builders import FIXTURES, write_epci_xlsx, write_iris_vector

pytestmark = pytest.mark.django_db

NOTHING = "Aucune donnée n'a été importée."


def table_counts() -> tuple[int, int, int]:
    return Territory.objects.count(), TerritoryLink.objects.count(), ImportBatch.objects.count()


def table_state() -> tuple[tuple[int, int, int], list[tuple], list[tuple]]:
    """Counts, and every stored value of territories and links: a refused file changes none of them."""
    territories = list(
        Territory.objects.order_by("pk").values_list(
            "pk", "kind", "code", "vintage", "name", "attributes", "geometry", "import_batch_id"
        )
    )
    links = list(TerritoryLink.objects.order_by("pk").values_list("pk", "parent_id", "child_id", "share"))
    return table_counts(), territories, links


def assert_refused(
    call, *, file: str, line: int | str | None, column: str, detail: str, sheet: str | None = None
) -> ImportFileError:
    """The import fails with a French message naming file, sheet, line and column, and changes no row."""
    before = table_state()
    with pytest.raises(ImportFileError) as caught:
        call()
    error = caught.value
    assert (error.file, error.sheet, error.line, error.column) == (file, sheet, line, column)
    where = ", ".join(
        part
        for part in (file, f"feuille « {sheet} »" if sheet else "", f"ligne {line}" if line is not None else "")
        if part
    )
    assert f"{where}, colonne {column} : " in error.message if column else f"{where} : " in error.message
    assert detail in error.message
    assert error.message.endswith(NOTHING)
    assert table_state() == before
    return error


def variant(tmp_path: Path, source: str, transform, name: str | None = None, encoding: str = "utf-8") -> Path:
    text = (FIXTURES / source).read_text(encoding="utf-8")
    path = tmp_path / (name or source)
    path.write_bytes(transform(text).encode(encoding))
    return path


def get(kind: str, code: str, vintage: str = "2026") -> Territory:
    return Territory.objects.get(kind=kind, code=code, vintage=vintage)


# --- COG -------------------------------------------------------------------------------------------------


def test_cog_files_import_regions_departements_and_communes(cog):
    assert (cog.created_count, cog.updated_count) == (4, 0)
    commune = get(TerritoryKind.COMMUNE, "96001")
    assert commune.name == "Sornac-Ville"
    assert commune.former_codes == ["96005"]
    assert commune.import_batch.licence == "Licence Ouverte 2.0"
    assert commune.import_batch.source_file == "v_commune_2026.csv"
    assert commune.import_batch.vintage == "2026"
    departement = get(TerritoryKind.DEPARTEMENT, "96")
    assert list(commune.parents.all()) == [departement]
    assert departement.parents.get().code == "84"
    assert not Territory.objects.filter(code="96005").exists()


def test_municipal_arrondissements_are_linked_to_their_commune(cog, tmp_path):
    path = variant(
        tmp_path, "v_commune_2026.csv", lambda text: text + "ARM,96101,84,96,96D,961,0,SV 1,SV 1,SV 1,,96001\n"
    )
    services.import_communes(path, vintage="2026")
    arrondissement = get(TerritoryKind.COMMUNE, "96101")
    assert arrondissement.attributes["typecom"] == "ARM"
    assert arrondissement.parents.get().code == "96001"


def test_cog_reimport_is_idempotent(cog):
    before = table_counts()
    report = services.import_communes(FIXTURES / "v_commune_2026.csv", vintage="2026")
    assert (report.created_count, report.updated_count) == (0, 4)
    assert table_counts()[:2] == before[:2]


@pytest.mark.parametrize(
    ("transform", "line", "column", "detail"),
    [
        pytest.param(
            lambda text: text.replace("TYPECOM,COM,REG,DEP,", "TYPECOM,COM,REG,DEPT,"),
            1,
            "DEP",
            "colonne « DEP » absente",
            id="missing-column",
        ),
        pytest.param(
            lambda text: text.replace("COM,96002,", "COM,960021,"),
            5,
            "COM",
            "code de commune « 960021 » invalide",
            id="bad-code",
        ),
        pytest.param(lambda text: text.replace(",", ";"), 1, "TYPECOM", "séparateur « ; »", id="separator"),
        pytest.param(
            lambda text: text.replace("COM,96003,84,96,", "COM,96003,84,99,"),
            6,
            "DEP",
            "département « 99 » inconnu (millésime 2026)",
            id="unknown-parent",
        ),
        pytest.param(
            lambda text: text[: text.rindex(",ILE VERTE") + 10], 7, "NCCENR", "8 champs au lieu de 12", id="truncated"
        ),
    ],
)
def test_malformed_commune_file_is_refused(cog, tmp_path, transform, line, column, detail):
    path = variant(tmp_path, "v_commune_2026.csv", transform)
    assert_refused(
        lambda: services.import_communes(path, vintage="2026"),
        file="v_commune_2026.csv",
        line=line,
        column=column,
        detail=detail,
    )


def test_commune_file_in_windows_1252_is_refused(cog, tmp_path):
    path = variant(tmp_path, "v_commune_2026.csv", lambda text: text, encoding="cp1252")
    assert_refused(
        lambda: services.import_communes(path, vintage="2026"),
        file="v_commune_2026.csv",
        line=7,
        column="NCCENR",
        detail="encodage invalide",
    )


def test_departement_of_unknown_region_is_refused(db, tmp_path):
    services.import_regions(FIXTURES / "v_region_2026.csv", vintage="2026")
    assert_refused(
        lambda: services.import_departements(FIXTURES / "v_departement_2026.csv", vintage="2025"),
        file="v_departement_2026.csv",
        line=2,
        column="REG",
        detail="région « 84 » inconnue (millésime 2025)",
    )


def test_region_with_bad_code_is_refused(db, tmp_path):
    path = variant(tmp_path, "v_region_2026.csv", lambda text: text.replace("\n84,", "\n8A,"))
    assert_refused(
        lambda: services.import_regions(path, vintage="2026"),
        file="v_region_2026.csv",
        line=3,
        column="REG",
        detail="code de région « 8A » invalide",
    )


# --- EPCI ------------------------------------------------------------------------------------------------


def test_epci_workbook_imports_with_vintage_from_title_block(cog, epci_xlsx):
    report = services.import_epci(epci_xlsx)
    assert (report.created_count, report.updated_count, report.vintage) == (1, 0, "2026")
    epci = get(TerritoryKind.EPCI, "200099001")
    assert (epci.siren, epci.attributes["nature"]) == ("200099001", "CA")
    assert sorted(epci.children.values_list("code", flat=True)) == ["96001", "96002", "96003"]
    again = services.import_epci(epci_xlsx)
    assert (again.created_count, again.updated_count) == (0, 1)
    assert TerritoryLink.objects.filter(parent=epci).count() == 3


@pytest.mark.parametrize(
    ("kwargs", "sheet", "line", "column", "detail"),
    [
        pytest.param(
            {"composition_header": ("CODGEO", "LIBGEO", "EPCI_2026", "LIBEPCI", "DEP", "REG")},
            "Composition_communale",
            6,
            "EPCI",
            "colonne « EPCI » absente",
            id="missing-column",
        ),
        pytest.param(
            {"composition_rows": [("96A01", "X", "200099001", "CA", "96", "84")]},
            "Composition_communale",
            7,
            "CODGEO (A)",
            "code de commune « 96A01 » invalide",
            id="bad-code",
        ),
        pytest.param(
            {"epci_rows": [("2000990", "CA", "CA", 3)]},
            "EPCI",
            7,
            "EPCI (A)",
            "SIREN « 2000990 » invalide",
            id="bad-siren",
        ),
        pytest.param(
            {
                "composition_rows": [
                    *[("96001", "S", "200099001", "CA", "96", "84")],
                    ("96099", "X", "200099001", "CA", "96", "84"),
                ]
            },
            "Composition_communale",
            8,
            "CODGEO (A)",
            "commune « 96099 » inconnue (millésime 2026)",
            id="unknown-parent",
        ),
        pytest.param(
            {"epci_rows": [("200099001", "CA du Val de Sorne", "CA", "neuf")]},
            "EPCI",
            7,
            "NB_COM (D)",
            "« neuf » n'est pas un nombre entier",
            id="numeric-text",
        ),
    ],
)
def test_malformed_epci_workbook_is_refused(cog, tmp_path, kwargs, sheet, line, column, detail):
    path = write_epci_xlsx(tmp_path / "epci.xlsx", **kwargs)
    assert_refused(
        lambda: services.import_epci(path), file="epci.xlsx", sheet=sheet, line=line, column=column, detail=detail
    )


def test_truncated_epci_workbook_is_refused(cog, epci_xlsx, tmp_path):
    path = tmp_path / "epci.xlsx"
    path.write_bytes(epci_xlsx.read_bytes()[:2000])
    assert_refused(lambda: services.import_epci(path), file="epci.xlsx", line=None, column="", detail="illisible")


def test_epci_workbook_without_vintage_is_refused(cog, tmp_path):
    path = write_epci_xlsx(tmp_path / "epci.xlsx", vintage=None)
    assert_refused(
        lambda: services.import_epci(path), file="epci.xlsx", sheet="EPCI", line=3, column="A", detail="millésime"
    )


# --- IRIS ------------------------------------------------------------------------------------------------


def test_iris_geojson_in_lambert93_is_reprojected_and_fills_commune_and_epci_contours(cog, epci_xlsx):
    services.import_epci(epci_xlsx)
    report = services.import_iris(FIXTURES / "iris_2024_lambert93.geojson", vintage="2024")
    assert (report.created_count, report.updated_count) == (7, 0)
    iris = get(TerritoryKind.IRIS, "960010101", "2024")
    assert iris.attributes["type_iris"] == "H"
    assert iris.parents.get().code == "96001"
    bounds = shape(iris.geometry).bounds
    assert bounds == pytest.approx((4.80, 45.70, 4.82, 45.72), abs=1e-3)
    assert float(iris.area_ha) == pytest.approx(1556 * 2222 / 10_000, rel=0.02)  # 0.02° x 0.02° at 45.7° N
    commune = get(TerritoryKind.COMMUNE, "96001")
    assert commune.attributes["geometry_source"] == "union des IRIS"
    assert (commune.geometry or {})["type"] == "Polygon"
    assert get(TerritoryKind.COMMUNE, "96004").geometry is None
    epci = get(TerritoryKind.EPCI, "200099001")
    assert epci.attributes["geometry_source"] == "union des communes"
    assert (epci.area_ha or 0) > (commune.area_ha or 0)


@pytest.mark.parametrize(
    ("driver", "suffix", "upper_case"), [("GPKG", "gpkg", False), ("ESRI Shapefile", "shp", True)]
)
def test_iris_geopackage_and_shapefile_import(cog, tmp_path, driver, suffix, upper_case):
    path = write_iris_vector(tmp_path / f"CONTOURS-IRIS.{suffix}", driver=driver, upper_case=upper_case)
    report = services.import_iris(path, vintage="2024")
    assert report.created_count == 7
    assert get(TerritoryKind.IRIS, "960030102", "2024").attributes["type_iris"] == "D"


@pytest.mark.parametrize(
    ("transform", "line", "column", "detail"),
    [
        pytest.param(lambda text: text.replace('"type_iris"', '"typ"'), 1, "type_iris", "absent", id="missing-column"),
        pytest.param(
            lambda text: text.replace('"code_iris": "960010103"', '"code_iris": "9600101A3"'),
            5,
            "code_iris",
            "code IRIS « 9600101A3 » invalide",
            id="bad-code",
        ),
        pytest.param(
            lambda text: text.replace('"code_iris": "960030101"', '"code_iris": "960990101"'),
            8,
            "code_iris",
            "commune « 96099 » de l'IRIS 960990101 inconnue",
            id="unknown-parent",
        ),
        pytest.param(
            lambda text: text[: text.index('"code_iris": "960020000"')], 7, "101", "JSON invalide", id="truncated"
        ),
    ],
)
def test_malformed_iris_file_is_refused(cog, tmp_path, transform, line, column, detail):
    path = variant(tmp_path, "iris_2024_lambert93.geojson", transform)
    assert_refused(
        lambda: services.import_iris(path, vintage="2024"),
        file="iris_2024_lambert93.geojson",
        line=line,
        column=column,
        detail=detail,
    )


def test_iris_file_not_in_utf8_is_refused(cog, tmp_path):
    path = variant(tmp_path, "iris_2024_lambert93.geojson", lambda text: text, encoding="cp1252")
    assert_refused(
        lambda: services.import_iris(path, vintage="2024"),
        file="iris_2024_lambert93.geojson",
        line=6,
        column="159",
        detail="encodage invalide",
    )


# --- QPV -------------------------------------------------------------------------------------------------


def test_qpv_2024_import_links_communes_iris_and_repairs_contours(reference):
    assert (reference.created_count, reference.updated_count) == (3, 0)
    centre = get(TerritoryKind.QPV, "QN09601M", "2024")
    assert centre.attributes["suffix"] == "M"
    assert centre.attributes["siren_epci"] == "200099001"
    assert float(centre.area_ha) == pytest.approx(155 * 111 / 100 * 1.0, rel=0.05)
    commune_link = TerritoryLink.objects.get(child=centre, parent__kind=TerritoryKind.COMMUNE)
    assert (commune_link.parent.code, commune_link.kind, commune_link.share) == ("96001", LinkKind.INCLUSION, 1)
    iris_shares = {
        link.parent.code: float(link.share)
        for link in TerritoryLink.objects.filter(child=centre, parent__kind=TerritoryKind.IRIS).select_related(
            "parent"
        )
    }
    assert iris_shares == {"960010101": pytest.approx(0.5, abs=0.02), "960010102": pytest.approx(0.5, abs=0.02)}
    straddling = get(TerritoryKind.QPV, "QN09602M", "2024")
    shares = {
        link.parent.code: link.share
        for link in TerritoryLink.objects.filter(child=straddling, parent__kind=TerritoryKind.COMMUNE).select_related(
            "parent"
        )
    }
    assert sum(shares.values()) == Decimal(1)
    assert float(shares["96001"]) == pytest.approx(1 / 3, abs=0.02)
    assert float(shares["96002"]) == pytest.approx(2 / 3, abs=0.02)
    assert TerritoryLink.objects.filter(child=straddling, kind=LinkKind.OVERLAP).count() == 2 + 2
    bowtie = get(TerritoryKind.QPV, "QN09603N", "2024")
    assert (bowtie.geometry or {})["type"] == "MultiPolygon"
    assert "QN09603N : contour invalide réparé (make_valid)" in reference.warnings


def test_merged_commune_code_is_linked_to_the_absorbing_commune_with_a_warning(reference):
    warning = "QN09603N : la commune 96005 a fusionné dans 96001 (Sornac-Ville) ; le quartier est rattaché à 96001"
    assert warning in reference.warnings
    assert warning in ImportBatch.objects.get(pk=reference.pk).warnings
    quartier = get(TerritoryKind.QPV, "QN09603N", "2024")
    assert quartier.parents.filter(kind=TerritoryKind.COMMUNE).get().code == "96001"


def test_qpv_reimport_is_idempotent(reference):
    before = table_counts()
    report = services.import_qpv(FIXTURES / "qpv_2024.geojson", generation="2024")
    assert (report.created_count, report.updated_count) == (0, 3)
    assert table_counts()[:2] == before[:2]
    assert table_counts()[2] == before[2] + 1


def test_iris_import_after_qpv_links_existing_quartiers(cog, epci_xlsx):
    services.import_qpv(FIXTURES / "qpv_2024.geojson", generation="2024")
    centre = get(TerritoryKind.QPV, "QN09601M", "2024")
    assert not centre.parents.filter(kind=TerritoryKind.IRIS).exists()
    services.import_iris(FIXTURES / "iris_2024_lambert93.geojson", vintage="2024")
    assert centre.parents.filter(kind=TerritoryKind.IRIS).count() == 2


@pytest.mark.parametrize(
    ("transform", "line", "column", "detail"),
    [
        pytest.param(lambda text: text.replace('"insee_com"', '"com"'), 1, "insee_com", "absent", id="missing-column"),
        pytest.param(
            lambda text: text.replace("QN09602M", "QN09602X"),
            4,
            "code_qp",
            "code de quartier « QN09602X » invalide",
            id="bad-code",
        ),
        pytest.param(
            lambda text: text.replace('"insee_com": "96005"', '"insee_com": "96099"'),
            5,
            "insee_com",
            "commune « 96099 » inconnue dans tous les millésimes",
            id="unknown-parent",
        ),
        pytest.param(lambda text: text[:-40], 5, "295", "JSON invalide", id="truncated"),
    ],
)
def test_malformed_qpv_2024_file_is_refused(cog, tmp_path, transform, line, column, detail):
    path = variant(tmp_path, "qpv_2024.geojson", transform)
    assert_refused(
        lambda: services.import_qpv(path, generation="2024"),
        file="qpv_2024.geojson",
        line=line,
        column=column,
        detail=detail,
    )


def test_qpv_2015_matches_commune_names_within_the_departement(cog):
    report = services.import_qpv(FIXTURES / "qpv_2015.geojson", generation="2015")
    assert report.created_count == 3
    quartier = get(TerritoryKind.QPV, "QP096002", "2015")
    assert sorted(quartier.parents.values_list("code", flat=True)) == ["96001", "96002"]
    assert "suffix" not in quartier.attributes


def test_qpv_2015_with_unknown_commune_name_is_refused(cog, tmp_path):
    path = variant(tmp_path, "qpv_2015.geojson", lambda text: text.replace('"Les Vignes"}', '"Vignes-Hautes"}'))
    assert_refused(
        lambda: services.import_qpv(path, generation="2015"),
        file="qpv_2015.geojson",
        line=5,
        column="COMMUNE_QP",
        detail="commune « Vignes-Hautes » introuvable dans le département 96",
    )


# --- QPV code validator ----------------------------------------------------------------------------------


def test_qpv_code_validator_on_fictional_codes():
    assert services.qpv_code_is_valid("QN09601M", generation="2024")
    assert services.qpv_code_is_valid("QN02A01I", generation="2024")
    assert services.qpv_code_is_valid("QN97661C", generation="2024")
    assert services.qpv_code_is_valid("QP093028", generation="2015")
    assert not services.qpv_code_is_valid("QP093028", generation="2024")
    assert not services.qpv_code_is_valid("QN09601M", generation="2015")


def test_qpv_code_validator_accepts_every_official_2024_code():
    reference = Path(settings.BASE_DIR).parent / "shared" / "data" / "qpv2024_reference.csv"
    if not reference.exists():
        pytest.skip("liste de référence des QPV 2024 absente")
    import csv

    with reference.open(encoding="utf-8") as handle:
        codes = [row["code_qp"] for row in csv.DictReader(handle)]
    assert len(codes) == 1584
    assert all(services.qpv_code_is_valid(code, generation="2024") for code in codes)
    mutated = [code[:-1] + "X" for code in codes[:50]] + [code.replace("QN", "QP") for code in codes[:50]]
    mutated += [code[:2] + "1" + code[3:] for code in codes[:50]] + [code + "0" for code in codes[:50]]
    assert not any(services.qpv_code_is_valid(code, generation="2024") for code in mutated)


# --- decoupage-administratif -----------------------------------------------------------------------------


def test_decoupage_administratif_loads_one_departement_with_epci_links():
    data_dir = settings.NODE_MODULES_DIR / "@etalab" / "decoupage-administratif" / "data"
    if not data_dir.exists():
        pytest.skip("paquet npm @etalab/decoupage-administratif absent")
    report = services.import_decoupage_administratif(data_dir, departements=["93"])
    assert report.created_count > 40
    saint_denis = get(TerritoryKind.COMMUNE, "93066")
    assert "93059" in saint_denis.former_codes
    assert saint_denis.siren and (saint_denis.population or 0) > 100_000
    epci = saint_denis.parents.get(kind=TerritoryKind.EPCI)
    assert epci.code == epci.siren
    assert (epci.population or 0) > 0
    again = services.import_decoupage_administratif(data_dir, departements=["93"])
    assert (again.created_count, again.updated_count) == (0, report.created_count)


def test_decoupage_administratif_truncated_json_is_refused(tmp_path):
    for name in ("regions", "departements", "communes", "epci"):
        (tmp_path / f"{name}.json").write_text("[]", encoding="utf-8")
    (tmp_path / "communes.json").write_text('[\n{"code": "96001",\n', encoding="utf-8")
    assert_refused(
        lambda: services.import_decoupage_administratif(tmp_path),
        file="communes.json",
        line=3,
        column="1",
        detail="JSON invalide",
    )


def test_geojson_fixture_is_one_feature_per_line():
    """The line numbers asserted above assume the fixture layout: keep it when editing the files."""
    lines = (FIXTURES / "qpv_2024.geojson").read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[2].rstrip(","))["properties"]["code_qp"] == "QN09601M"

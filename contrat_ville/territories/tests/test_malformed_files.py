"""Every territory importer against each kind of malformed file (issue 15): text in a numeric field, a file of the
wrong kind, a field or a file beyond the documented limits, a file with no data. Each is refused with its French
message (file, sheet, line, column), and no row changes: counts and stored values are the same before and after.

Unknown territories skipped from the web page concern the observation import only (territory files have no web
page); QPV and IRIS contours carry no numeric field the importers read.
"""

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from contrat_ville.core.imports import limits
from contrat_ville.core.imports.errors import NOTHING_IMPORTED, ImportFileError
from contrat_ville.core.imports.readers import EMPTY_DETAIL
from contrat_ville.core.models import ImportBatch
from contrat_ville.territories import services
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import Territory, TerritoryLink
from contrat_ville.territories.tests.builders import FIXTURES, write_epci_xlsx

pytestmark = pytest.mark.django_db

HUGE_FIELD = "x" * (10 * 1024 * 1024)  # 10 Mo in one field, as a broken quote produces


def state() -> tuple:
    """Every stored value of territories and links, and the number of import batches."""
    territories = list(
        Territory.objects.order_by("pk").values_list(
            "pk", "kind", "code", "vintage", "name", "population", "attributes", "geometry", "import_batch_id"
        )
    )
    links = list(TerritoryLink.objects.order_by("pk").values_list("pk", "parent_id", "child_id", "share", "kind"))
    return territories, links, ImportBatch.objects.count()


def refused(call, expected: str) -> ImportFileError:
    """``call`` is refused with a message starting with ``expected`` and changes no row."""
    before = state()
    with pytest.raises(ImportFileError) as caught:
        call()
    assert caught.value.message.startswith(expected), caught.value.message
    assert caught.value.message.endswith(NOTHING_IMPORTED)
    assert state() == before
    return caught.value


def workbook_bytes() -> bytes:
    book = Workbook()
    book.active.append(["CODGEO", "LIBGEO"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("v_commune_2026.csv", "TYPECOM,COM\n")
    return buffer.getvalue()


BINARY = bytes(range(256)) * 4


@pytest.fixture
def loaded(reference):
    """The whole fictional intercommunality, so that a refused file could have changed stored values."""
    assert Territory.objects.filter(kind=TerritoryKind.EPCI).get().attributes["nb_com"] == 3
    return reference


# --- COG ---------------------------------------------------------------------------------------------------


def cog_variant(tmp_path: Path, transform) -> Path:
    path = tmp_path / "v_commune_2026.csv"
    path.write_text(transform((FIXTURES / "v_commune_2026.csv").read_text(encoding="utf-8")), encoding="utf-8")
    return path


def test_cog_text_in_a_numeric_column(loaded, tmp_path):
    path = cog_variant(
        tmp_path, lambda text: text.replace("COM,96002,84,96,96D,961,1,", "COM,96002,84,96,96D,961,un,")
    )
    refused(
        lambda: services.import_communes(path, vintage="2026"),
        "v_commune_2026.csv, ligne 5, colonne TNCC : « un » n'est pas un nombre entier.",
    )
    assert Territory.objects.get(kind=TerritoryKind.COMMUNE, code="96002").attributes["tncc"] == 1


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (workbook_bytes(), "un classeur Excel (.xlsx)"),
        (zip_bytes(), "une archive ZIP"),
        (BINARY, "un fichier binaire"),
    ],
)
def test_cog_file_of_the_wrong_kind(loaded, tmp_path, content, kind):
    path = tmp_path / "v_commune_2026.csv"
    path.write_bytes(content)
    refused(
        lambda: services.import_communes(path, vintage="2026"),
        f"v_commune_2026.csv : le fichier est {kind}, pas un fichier texte CSV",
    )


def test_cog_field_beyond_the_limit(loaded, tmp_path):
    path = cog_variant(tmp_path, lambda text: text.replace(",Sornac-Ville,9601,\n", f",{HUGE_FIELD},9601,\n", 1))
    error = refused(
        lambda: services.import_communes(path, vintage="2026"),
        "v_commune_2026.csv, ligne 2 : champ de plus de 131\u202f072 caractères (limite des imports)",
    )
    assert len(error.message) < 1000


def test_cog_file_beyond_the_limit(loaded, tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_TEXT_BYTES", 100)
    size = (FIXTURES / "v_commune_2026.csv").stat().st_size
    refused(
        lambda: services.import_communes(FIXTURES / "v_commune_2026.csv", vintage="2026"),
        f"v_commune_2026.csv : fichier de {size} octets : la limite est de 100 octets pour ce type de fichier.",
    )


def test_cog_header_only(loaded, tmp_path):
    path = cog_variant(tmp_path, lambda text: text.splitlines()[0] + "\n")
    refused(lambda: services.import_communes(path, vintage="2026"), f"v_commune_2026.csv : {EMPTY_DETAIL}.")


def test_cog_faults_are_all_listed_then_the_file_is_refused(loaded, tmp_path):
    path = cog_variant(
        tmp_path,
        lambda text: text.replace("COM,96002,84,96,", "COM,960021,84,96,").replace(
            "COM,96003,84,96,", "COM,96003,84,99,"
        ),
    )
    error = refused(lambda: services.import_communes(path, vintage="2026"), "v_commune_2026.csv, ligne 5, colonne COM")
    assert [(issue.line, issue.column) for issue in error.issues] == [(5, "COM"), (6, "DEP")]
    assert "Fichier refusé, 2 erreurs." in error.message


# --- EPCI --------------------------------------------------------------------------------------------------


def test_epci_text_in_a_numeric_column_keeps_the_stored_value(loaded, tmp_path):
    path = write_epci_xlsx(tmp_path / "epci.xlsx", epci_rows=[("200099001", "CA du Val de Sorne", "CA", "neuf")])
    refused(
        lambda: services.import_epci(path),
        "epci.xlsx, feuille « EPCI », ligne 7, colonne NB_COM (D) : « neuf » n'est pas un nombre entier.",
    )
    assert Territory.objects.get(kind=TerritoryKind.EPCI).attributes["nb_com"] == 3


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        ((FIXTURES / "v_commune_2026.csv").read_bytes(), "un fichier texte (CSV)"),
        (zip_bytes(), "une archive ZIP"),
        (BINARY, "un fichier binaire"),
    ],
)
def test_epci_file_of_the_wrong_kind(loaded, tmp_path, content, kind):
    path = tmp_path / "epci.xlsx"
    path.write_bytes(content)
    refused(lambda: services.import_epci(path), f"epci.xlsx : le fichier est {kind}, pas un classeur Excel (.xlsx)")


def test_epci_workbook_beyond_the_limit(loaded, tmp_path, monkeypatch):
    path = write_epci_xlsx(tmp_path / "epci.xlsx")
    monkeypatch.setattr(limits, "MAX_WORKBOOK_BYTES", 1024)
    refused(lambda: services.import_epci(path), "epci.xlsx : fichier de ")


def test_epci_header_only(loaded, tmp_path):
    path = write_epci_xlsx(tmp_path / "epci.xlsx", epci_rows=[], composition_rows=[])
    refused(
        lambda: services.import_epci(path),
        "epci.xlsx, feuille « EPCI » : la feuille ne contient aucun EPCI : rien n'a été importé.",
    )


def test_epci_report_lists_the_columns_and_sheets_it_does_not_read(cog, tmp_path):
    path = write_epci_xlsx(tmp_path / "epci.xlsx")
    batch = services.import_epci(path)
    assert batch.unused_columns == {"Composition_communale": ["LIBGEO", "LIBEPCI", "DEP", "REG"]}


# --- QPV and IRIS ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "qpv.geojson",
            workbook_bytes(),
            "qpv.geojson : le fichier est un classeur Excel (.xlsx), pas un fichier JSON",
        ),
        ("qpv.geojson", BINARY, "qpv.geojson : le fichier est un fichier binaire, pas un fichier JSON"),
        ("qpv.zip", b"code_qp;lib_qp\n", "qpv.zip : le fichier est un fichier texte (CSV), pas une archive ZIP"),
        ("qpv.gpkg", zip_bytes(), "qpv.gpkg : le fichier est une archive ZIP, pas une base SQLite ou GeoPackage"),
    ],
)
def test_qpv_file_of_the_wrong_kind(loaded, tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    refused(lambda: services.import_qpv(path, generation="2024"), expected)


def test_qpv_file_beyond_the_limit(loaded, monkeypatch):
    monkeypatch.setattr(limits, "MAX_DOCUMENT_BYTES", 1024)
    refused(
        lambda: services.import_qpv(FIXTURES / "qpv_2024.geojson", generation="2024"), "qpv_2024.geojson : fichier de"
    )


def test_qpv_file_without_features(loaded, tmp_path):
    path = tmp_path / "qpv.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": []}), encoding="utf-8")
    refused(
        lambda: services.import_qpv(path, generation="2024"),
        "qpv.geojson, colonne features : aucun quartier dans le fichier : rien n'a été importé.",
    )


def test_iris_file_of_the_wrong_kind_and_beyond_the_limit(loaded, tmp_path, monkeypatch):
    path = tmp_path / "iris.geojson"
    path.write_bytes(BINARY)
    refused(
        lambda: services.import_iris(path, vintage="2024"),
        "iris.geojson : le fichier est un fichier binaire, pas un fichier JSON",
    )
    monkeypatch.setattr(limits, "MAX_DOCUMENT_BYTES", 1024)
    refused(
        lambda: services.import_iris(FIXTURES / "iris_2024_lambert93.geojson", vintage="2024"),
        "iris_2024_lambert93.geojson : fichier de",
    )


def test_iris_file_without_features(loaded, tmp_path):
    path = tmp_path / "iris.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": []}), encoding="utf-8")
    refused(
        lambda: services.import_iris(path, vintage="2024"),
        "iris.geojson, colonne features : aucun IRIS dans le fichier : rien n'a été importé.",
    )


# --- decoupage-administratif -------------------------------------------------------------------------------

PACKAGE: dict[str, list[dict[str, Any]]] = {
    "regions.json": [{"code": "84", "nom": "Auvergne-Rhône-Alpes", "chefLieu": "69123"}],
    "departements.json": [{"code": "96", "region": "84", "nom": "Val-de-Sorne", "chefLieu": "96001"}],
    "communes.json": [
        {"code": "96001", "nom": "Sornac-Ville", "type": "commune-actuelle", "departement": "96", "population": 31000},
        {"code": "96002", "nom": "Bel-Air", "type": "commune-actuelle", "departement": "96", "population": 9500},
    ],
    "epci.json": [
        {
            "code": "200099001",
            "nom": "CA du Val de Sorne",
            "type": "CA",
            "populationMunicipale": 40500,
            "membres": [{"code": "96001"}, {"code": "96002"}],
        }
    ],
}


def write_package(directory: Path, **changes) -> Path:
    directory.mkdir(exist_ok=True)
    for name, items in {**PACKAGE, **changes}.items():
        content = items if isinstance(items, bytes) else "[\n" + ",\n".join(json.dumps(item) for item in items) + "\n]"
        (directory / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    return directory


@pytest.fixture
def package(db, tmp_path):
    services.import_decoupage_administratif(write_package(tmp_path / "ok"), vintage="2099")
    return tmp_path


def test_decoupage_text_in_a_numeric_field_keeps_the_stored_value(package):
    communes = [PACKAGE["communes.json"][0], {**PACKAGE["communes.json"][1], "population": "neuf"}]
    directory = write_package(package / "texte", **{"communes.json": communes})
    refused(
        lambda: services.import_decoupage_administratif(directory, vintage="2099"),
        "communes.json, ligne 3, colonne population : 96002 : « neuf » n'est pas un nombre entier positif.",
    )
    assert Territory.objects.get(kind=TerritoryKind.COMMUNE, code="96002", vintage="2099").population == 9500


def test_decoupage_file_of_the_wrong_kind(package):
    directory = write_package(package / "binaire", **{"epci.json": BINARY})
    refused(
        lambda: services.import_decoupage_administratif(directory, vintage="2099"),
        "epci.json : le fichier est un fichier binaire, pas un fichier JSON",
    )


def test_decoupage_file_beyond_the_limit(package, monkeypatch):
    monkeypatch.setattr(limits, "MAX_DOCUMENT_BYTES", 100)
    refused(
        lambda: services.import_decoupage_administratif(package / "ok", vintage="2099"),
        "communes.json : fichier de",
    )


def test_decoupage_without_any_commune(package):
    directory = write_package(package / "vide", **{"communes.json": []})
    refused(
        lambda: services.import_decoupage_administratif(directory, vintage="2099"),
        f"@etalab/decoupage-administratif ({directory}) : aucune région, aucun département ou aucune commune",
    )

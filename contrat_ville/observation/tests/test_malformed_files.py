"""Every value importer (long CSV, long XLSX, INSEE CSV, INSEE XLSX) against each kind of malformed file (issue 15):
text in a numeric column, a file of the wrong kind, a field or a file beyond the documented limits, a file with a
header and no data, and unknown territories skipped from the web page. Each refusal gives its French message (file,
sheet, line, column) and changes no row: the stored values and the batches are the same before and after.
"""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from contrat_ville.accounts.tests.factories import UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.core.imports import limits
from contrat_ville.core.imports.errors import NOTHING_IMPORTED, ImportFileError
from contrat_ville.core.imports.readers import EMPTY_DETAIL
from contrat_ville.core.models import ImportBatch
from contrat_ville.observation import services
from contrat_ville.observation.models import IndicatorValue
from contrat_ville.observation.tests.factories import FIXTURES, build_tree, write_insee_workbook, write_long_workbook
from contrat_ville.territories.enums import TerritoryKind

pytestmark = pytest.mark.django_db

HUGE_FIELD = "x" * (10 * 1024 * 1024)  # 10 Mo in one field
BINARY = bytes(range(256)) * 4
QPV_COLUMNS = ["CODGEO", "LIBGEO", "POP_MUN", "TX_TOT_EMPL", "TX_F_EMPL", "TP60"]
LONG_HEADER = "indicateur;territoire;periode;valeur\n"


@pytest.fixture
def tree(db):
    """The fictional territories, with values already stored (a refused file must not touch them)."""
    services.catalogue_load()
    built = build_tree()
    services.values_import(
        path_or_file=FIXTURES / "valeurs_long.csv", fmt="long_csv", unknown_territories="skip", territory_kind="qpv"
    )
    services.values_import(path_or_file=FIXTURES / "BASE_TD_FILO_IRIS_2021_DISP.csv", fmt="insee_csv")
    assert IndicatorValue.objects.get(indicator__code="CTX-01", territory=built.qpv, period=2021).value == 2450
    return built


def state() -> tuple:
    values = list(
        IndicatorValue.objects.order_by("pk").values_list(
            "pk",
            "indicator_id",
            "territory_id",
            "period",
            "value",
            "numerator",
            "denominator",
            "is_confidential",
            "batch_id",
        )
    )
    return values, ImportBatch.objects.count()


def refused(expected: str, **options) -> ImportFileError:
    before = state()
    with pytest.raises(ImportFileError) as caught:
        services.values_import(**options)
    assert caught.value.message.startswith(expected), caught.value.message
    assert caught.value.message.endswith(NOTHING_IMPORTED)
    assert state() == before
    return caught.value


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def workbook_bytes() -> bytes:
    book = Workbook()
    book.active.append(["indicateur", "territoire"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("BASE_TD_FILO_IRIS_2021_DISP.csv", "IRIS;DISP_MED21\n")
    return buffer.getvalue()


def qpv_workbook(path: Path, rows: list[list]) -> Path:
    return write_insee_workbook(path, sheets=[("QP", QPV_COLUMNS, rows)])


# --- text in a numeric column ------------------------------------------------------------------------------


def test_long_csv_numeric_text(tree, tmp_path):
    path = write(tmp_path, "valeurs.csv", LONG_HEADER + "CTX-01;QN09601M;2021;neuf\n")
    refused(
        "valeurs.csv, ligne 2, colonne valeur : « neuf » n'est pas un nombre.",
        path_or_file=path,
        fmt="long_csv",
        territory_kind="qpv",
    )


def test_long_xlsx_numeric_text(tree, tmp_path):
    path = write_long_workbook(tmp_path / "p.xlsx", [["CTX-01", "QN09601M", 2021, "neuf", None, None]])
    refused(
        "p.xlsx, feuille « valeurs », ligne 4, colonne valeur (D) : « neuf » n'est pas un nombre.",
        path_or_file=path,
        fmt="long_xlsx",
        territory_kind="qpv",
    )


def test_insee_csv_numeric_text(tree, tmp_path):
    content = (FIXTURES / "BASE_TD_FILO_IRIS_2021_DISP.csv").read_text().replace("12350", "neuf")
    path = write(tmp_path, "BASE_TD_FILO_IRIS_2021_DISP.csv", content)
    refused(
        "BASE_TD_FILO_IRIS_2021_DISP.csv, ligne 3, colonne DISP_MED21 : « neuf » n'est pas un nombre.",
        path_or_file=path,
        fmt="insee_csv",
    )


def test_insee_xlsx_numeric_text(tree, tmp_path):
    path = qpv_workbook(tmp_path / "q.xlsx", [["QN09601M", "Les Tours", 2450, "neuf", 40.1, 44.5]])
    refused(
        "q.xlsx, feuille « QP », ligne 7, colonne TX_TOT_EMPL (D) : « neuf » n'est pas un nombre.",
        path_or_file=path,
        fmt="insee_xlsx",
        mapping="qpv_indicateurs",
        vintage="2021",
    )


def test_every_numeric_fault_is_listed(tree, tmp_path):
    body = "CTX-01;QN09601M;2019;neuf\nCTX-01;QN09601M;2020;12\nCTX-01;QN09601M;2018;dix\n"
    error = refused(
        "valeurs.csv, ligne 2, colonne valeur",
        path_or_file=write(tmp_path, "valeurs.csv", LONG_HEADER + body),
        fmt="long_csv",
        territory_kind="qpv",
    )
    assert [(issue.line, issue.column) for issue in error.issues] == [(2, "valeur"), (4, "valeur")]


def test_faults_beyond_the_limit_stop_the_reading(tree, tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_ERRORS", 5)
    body = "".join(f"CTX-01;QN09601M;{2000 + year};x\n" for year in range(20))
    error = refused(
        "valeurs.csv, ligne 2, colonne valeur",
        path_or_file=write(tmp_path, "valeurs.csv", LONG_HEADER + body),
        fmt="long_csv",
        territory_kind="qpv",
    )
    assert (len(error.issues), error.truncated) == (5, True)
    assert "Fichier refusé, 5 erreurs (liste arrêtée là)." in error.message


# --- a file of the wrong kind ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "name", "content", "expected"),
    [
        (
            "long_csv",
            "valeurs.csv",
            workbook_bytes(),
            "le fichier est un classeur Excel (.xlsx), pas un fichier texte CSV",
        ),
        (
            "long_xlsx",
            "valeurs.xlsx",
            LONG_HEADER,
            "le fichier est un fichier texte (CSV), pas un classeur Excel (.xlsx)",
        ),
        ("insee_csv", "filo.csv", zip_bytes(), "le fichier est une archive ZIP, pas un fichier texte CSV"),
        ("insee_xlsx", "q.xlsx", BINARY, "le fichier est un fichier binaire, pas un classeur Excel (.xlsx)"),
    ],
)
def test_file_of_the_wrong_kind(tree, tmp_path, fmt, name, content, expected):
    refused(f"{name} : {expected}", path_or_file=write(tmp_path, name, content), fmt=fmt, territory_kind="qpv")


# --- beyond the documented limits ---------------------------------------------------------------------------


def test_long_csv_field_beyond_the_limit(tree, tmp_path):
    path = write(tmp_path, "valeurs.csv", LONG_HEADER + f"CTX-01;{HUGE_FIELD};2021;1\n")
    refused(
        "valeurs.csv, ligne 2 : champ de plus de 131\u202f072 caractères (limite des imports)",
        path_or_file=path,
        fmt="long_csv",
        territory_kind="qpv",
    )


def test_insee_csv_field_beyond_the_limit(tree, tmp_path):
    path = write(tmp_path, "filo.csv", f"IRIS;DISP_MED21\n960010101;{HUGE_FIELD}\n")
    refused("filo.csv, ligne 2 : champ de plus de 131\u202f072 caractères", path_or_file=path, fmt="insee_csv")


@pytest.mark.parametrize("fmt", ["long_xlsx", "insee_xlsx"])
def test_workbook_beyond_the_limit(tree, tmp_path, monkeypatch, fmt):
    path = qpv_workbook(tmp_path / "q.xlsx", [["QN09601M", "Les Tours", 2450, 41.2, 40.1, 44.5]])
    monkeypatch.setattr(limits, "MAX_WORKBOOK_BYTES", 1024)
    refused("q.xlsx : fichier de", path_or_file=path, fmt=fmt, vintage="2021")


# --- a header and no data -----------------------------------------------------------------------------------


def test_long_csv_header_only(tree, tmp_path):
    path = write(tmp_path, "valeurs.csv", LONG_HEADER)
    refused(f"valeurs.csv : {EMPTY_DETAIL}.", path_or_file=path, fmt="long_csv", territory_kind="qpv")


def test_long_xlsx_header_only(tree, tmp_path):
    path = write_long_workbook(tmp_path / "p.xlsx", [])
    refused(
        "p.xlsx : le classeur ne contient aucune ligne de données après l'en-tête : rien n'a été importé.",
        path_or_file=path,
        fmt="long_xlsx",
        territory_kind="qpv",
    )


def test_insee_csv_header_only(tree, tmp_path):
    path = write(tmp_path, "filo.csv", "IRIS;DISP_MED21\n")
    refused(f"filo.csv : {EMPTY_DETAIL}.", path_or_file=path, fmt="insee_csv")


def test_insee_xlsx_header_only(tree, tmp_path):
    path = qpv_workbook(tmp_path / "q.xlsx", [])
    refused(
        "q.xlsx : le classeur ne contient aucune ligne de données après l'en-tête : rien n'a été importé.",
        path_or_file=path,
        fmt="insee_xlsx",
        mapping="qpv_indicateurs",
        vintage="2021",
    )


# --- unknown territories, from the web page -----------------------------------------------------------------


def upload(tmp_path: Path, fmt: str) -> SimpleUploadedFile:
    """A file of ``fmt`` with a known QPV (QN09601M) and an unknown one (QN09699X)."""
    if fmt == "long_csv":
        content = (LONG_HEADER + "CS-02;QN09601M;2021;44,5\nCS-02;QN09699X;2021;12\n").encode()
        return SimpleUploadedFile("valeurs.csv", content)
    if fmt == "insee_csv":
        content = b"CODGEO;LIBGEO;TP60\nQN09601M;Les Tours;44,5\nQN09699X;Inconnu;12\n"
        return SimpleUploadedFile("qpv.csv", content)
    if fmt == "long_xlsx":
        path = write_long_workbook(
            tmp_path / "valeurs.xlsx",
            [["CS-02", "QN09601M", 2021, 44.5, None, None], ["CS-02", "QN09699X", 2021, 12, None, None]],
        )
    else:
        path = write_insee_workbook(
            tmp_path / "qpv.xlsx",
            sheets=[("QP", ["CODGEO", "LIBGEO", "TP60"], [["QN09601M", "Les Tours", 44.5], ["QN09699X", "?", 12]])],
        )
    return SimpleUploadedFile(path.name, path.read_bytes())


@pytest.mark.parametrize(
    ("fmt", "where"),
    [
        ("long_csv", "valeurs.csv, ligne 3, colonne territoire"),
        ("long_xlsx", "valeurs.xlsx, feuille « valeurs », ligne 5, colonne territoire (B)"),
        ("insee_csv", "qpv.csv, ligne 3, colonne CODGEO"),
        ("insee_xlsx", "qpv.xlsx, feuille « QP », ligne 8, colonne CODGEO (A)"),
    ],
)
def test_unknown_territories_are_skipped_from_the_web_page_on_request(client, tree, tmp_path, fmt, where):
    contract = make_contract()
    pilot = UserFactory.create(email="pilote-import@exemple.fr")
    grant(contract, pilot, Role.PILOT)
    client.force_login(pilot)
    url = reverse("observation_contract:value_import", kwargs={"contract_slug": contract.slug})
    data = {
        "fmt": fmt,
        "territory_kind": "qpv",
        "mapping": "qpv_indicateurs" if fmt.startswith("insee") else "",
        "vintage": "2021",
    }
    before = state()
    page = client.post(url, {**data, "file": upload(tmp_path, fmt)}).content.decode()
    assert f"{where} : territoire « QN09699X » (qpv) inconnu" in page
    assert "(case « Ignorer les territoires inconnus », option --skip-unknown)" in page
    assert state() == before
    response = client.post(url, {**data, "file": upload(tmp_path, fmt), "skip_unknown": "on"}, follow=True)
    page = response.content.decode()
    assert "1 créé(s), 0 mis à jour, 0 remplacé(s), 1 rejeté(s)" in page
    ignored = page[page.index('data-testid="import-ignored"') :]
    assert "QN09699X (qpv)" in ignored[: ignored.index("</ul>")]
    private = IndicatorValue.objects.get(contract=contract)
    assert (private.territory, private.value) == (tree.qpv, 44.5)


# --- columns and sheets not read ----------------------------------------------------------------------------


def test_filosofi_workbook_imports_its_indicators_and_lists_what_it_left(tree, tmp_path):
    """A Filosofi workbook as INSEE publishes it (data-formats.md §11): one sheet per breakdown, with prefixed
    variables no mapping reads, plus ``Sommaire`` and ``Variables``."""
    ensemble = ["CODGEO", "LIBGEO", "NBMENFISC19", "MED19", "PIMP19", "TP6019", "RD19", "PPSOC19", "D119", "D919"]
    rows = [
        ["96001", "Sornac-Ville", 5210, 19870, 48, 21, 3.3, 9.8, 11020, 33010],
        ["96002", "Bel-Air", 2140, 23010, 56, None, 2.9, 5.1, 12890, 38760],
    ]
    breakdown = ["CODGEO", "LIBGEO", "TP60AGE119", "TP60AGE219"]
    path = write_insee_workbook(
        tmp_path / "base-cc-filosofi-2019-COM.xlsx",
        sheets=[
            ("ENSEMBLE", ensemble, rows),
            ("TRAGERF_1", breakdown, [["96001", "Sornac-Ville", 30, 25]]),
            ("TYPMENR_2", breakdown, [["96001", "Sornac-Ville", 28, 22]]),
        ],
    )
    batch = services.values_import(path_or_file=path, fmt="insee_xlsx")
    imported = set(
        IndicatorValue.objects.filter(batch=batch).values_list("indicator__code", "territory__code", "period")
    )
    assert imported == {
        (code, commune, 2019) for code in ("CS-01", "CS-02", "CS-03", "CS-04") for commune in ("96001", "96002")
    }
    assert batch.unused_sheets == ["TRAGERF_1", "TYPMENR_2", "Variables"]
    assert batch.unused_columns == {"ENSEMBLE": ["LIBGEO", "NBMENFISC19", "PIMP19", "D119", "D919"]}
    lines = batch.report_lines()
    assert "Feuilles non lues : TRAGERF_1, TYPMENR_2, Variables." in lines
    assert "Colonnes non lues (feuille « ENSEMBLE ») : LIBGEO, NBMENFISC19, PIMP19, D119, D919." in lines
    assert IndicatorValue.objects.get(batch=batch, indicator__code="CS-02", territory__code="96002").is_confidential
    assert tree.commune.kind == TerritoryKind.COMMUNE

"""The import kernel on its own: the error and its policy, what a file really is, the readers, numbers, the report."""

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from contrat_ville.core.imports import limits
from contrat_ville.core.imports.cells import not_a_number, parse_number, parse_whole_number
from contrat_ville.core.imports.errors import NOTHING_IMPORTED, ImportFileError, ImportIssue, Issues, column_label
from contrat_ville.core.imports.readers import (
    EMPTY_DETAIL,
    INSEE_HEADER_ROW,
    load_json,
    open_workbook,
    read_delimited,
    read_sheet,
    title_vintage,
)
from contrat_ville.core.imports.sources import Source, sniff, source_of
from contrat_ville.core.models import ImportBatch


def source(content: bytes, name: str = "fichier.csv") -> Source:
    return source_of(io.BytesIO(content), name=name)


def read_all(content: bytes, **options) -> tuple[list[str], list[tuple[int, list[str]]], Issues]:
    issues = Issues("fichier.csv")
    with read_delimited(source(content), issues, **options) as table:
        rows = list(table.rows)
        header = table.header
    return header, rows, issues


def workbook_bytes(sheets: dict[str, list[list]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- the error and the policy --------------------------------------------------------------------------------


def test_an_issue_names_file_sheet_line_and_column():
    issue = ImportIssue(
        file="epci.xlsx", sheet="EPCI", line=12, column="NB_COM (D)", detail="« neuf » n'est pas un nombre"
    )
    assert str(issue) == "epci.xlsx, feuille « EPCI », ligne 12, colonne NB_COM (D) : « neuf » n'est pas un nombre"
    assert str(ImportIssue(file="v.csv", detail="fichier vide.")) == "v.csv : fichier vide"
    assert column_label("NB_COM", 3) == "NB_COM (D)"
    assert column_label("NB_COM") == "NB_COM"


def test_one_fault_and_many_faults_end_with_nothing_imported():
    one = ImportFileError.at("v.csv", "colonne absente", line=1, column="DEP")
    assert one.message == f"v.csv, ligne 1, colonne DEP : colonne absente. {NOTHING_IMPORTED}"
    assert (one.file, one.sheet, one.line, one.column) == ("v.csv", None, 1, "DEP")
    many = ImportFileError(
        [ImportIssue("v.csv", "a", line=2), ImportIssue("v.csv", "b", line=3)], hint="Corrigez le fichier"
    )
    assert many.message.splitlines() == [
        "v.csv, ligne 2 : a.",
        "v.csv, ligne 3 : b.",
        f"Fichier refusé, 2 erreurs. Corrigez le fichier. {NOTHING_IMPORTED}",
    ]


def test_faults_are_collected_up_to_the_limit_then_the_file_is_refused(monkeypatch):
    monkeypatch.setattr(limits, "MAX_ERRORS", 3)
    issues = Issues("v.csv")
    issues.add("a", line=2)
    issues.add("b", line=3)
    with pytest.raises(ImportFileError) as refused:
        issues.add("c", line=4)
    assert [issue.line for issue in refused.value.issues] == [2, 3, 4]
    assert "Fichier refusé, 3 erreurs (liste arrêtée là)." in refused.value.message


def test_a_fatal_fault_refuses_with_the_faults_collected_so_far():
    issues = Issues("v.csv")
    issues.add("a", line=2)
    with pytest.raises(ImportFileError) as refused:
        issues.fatal("illisible", line=9)
    assert [issue.detail for issue in refused.value.issues] == ["a", "illisible"]


# --- what a file really is -----------------------------------------------------------------------------------


def test_the_kind_of_a_file_comes_from_its_bytes_not_its_name():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("donnees.csv", "a;b\n")
    workbook = workbook_bytes({"Feuille": [["a"]]})
    assert sniff(source(b"a;b\n1;2\n")) == "text"
    assert sniff(source(b'\xef\xbb\xbf{"type": "FeatureCollection"}')) == "json"
    assert sniff(source(workbook, "donnees.csv")) == "xlsx"
    assert sniff(source(workbook[:3000], "tronque.xlsx")) == "xlsx"  # truncated: the workbook reader says so
    assert sniff(source(archive.getvalue(), "donnees.xlsx")) == "zip"
    assert sniff(source(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)) == "xls"
    assert sniff(source(b"%PDF-1.7\n")) == "pdf"
    assert sniff(source(b"\x00\x01\x02binaire")) == "binary"
    assert sniff(source(b"")) == "empty"


def test_a_path_that_does_not_exist_is_refused(tmp_path):
    with pytest.raises(ImportFileError, match=r"absent\.csv : fichier introuvable"):
        source_of(tmp_path / "absent.csv")


# --- delimited text ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("separator", [";", ",", "\t", "|"])
def test_the_separator_is_detected(separator):
    header, rows, issues = read_all(f"a{separator}b\n1{separator}2\n".encode())
    assert (header, rows, len(issues)) == (["a", "b"], [(2, ["1", "2"])], 0)


def test_utf8_with_bom_then_windows_1252_are_detected():
    header, rows, _ = read_all("\ufeffcode;libellé\n1;Île\n".encode())
    assert (header, rows) == (["code", "libellé"], [(2, ["1", "Île"])])
    header, rows, _ = read_all("code;libellé\n1;Île\n".encode("cp1252"))
    assert (header, rows) == (["code", "libellé"], [(2, ["1", "Île"])])


def test_an_undecodable_byte_is_refused_with_its_line_and_column():
    with pytest.raises(ImportFileError) as refused:
        read_all("code;nom\n1;ok\n2;Q\x81\n".encode("latin-1"), encodings=("utf-8",))
    assert refused.value.message.startswith("fichier.csv, ligne 3, colonne nom : encodage invalide (octet 0x81)")


def test_a_field_beyond_the_limit_is_refused_in_french():
    content = b"code;valeur\n1;" + b"x" * (limits.MAX_FIELD_CHARS + 10) + b"\n"
    with pytest.raises(ImportFileError) as refused:
        read_all(content)
    assert refused.value.line == 2
    assert "champ de plus de 131\u202f072 caractères (limite des imports)" in refused.value.message


def test_short_and_long_lines_are_faults_blank_lines_are_skipped():
    _, rows, issues = read_all(b"a;b;c\n1;2\n\n1;2;3;4\n1;2;3;\n")
    assert rows == [(5, ["1", "2", "3"])]
    assert [(issue.line, issue.column, issue.detail[:21]) for issue in issues.items] == [
        (2, "c", "2 champs au lieu de 3"),
        (4, "4", "4 champs au lieu de 3"),
    ]


def test_a_header_only_file_is_refused_as_empty():
    issues = Issues("fichier.csv")
    with read_delimited(source(b"a;b\n"), issues) as table, pytest.raises(ImportFileError) as refused:
        list(table.rows)
        table.refuse_if_empty(issues)
    assert refused.value.message == f"fichier.csv : {EMPTY_DETAIL}. {NOTHING_IMPORTED}"


def test_a_workbook_given_as_csv_and_a_file_beyond_the_size_limit_are_refused(monkeypatch):
    with pytest.raises(
        ImportFileError, match=r"le fichier est un classeur Excel \(\.xlsx\), pas un fichier texte CSV"
    ):
        read_all(workbook_bytes({"Feuille": [["a"]]}))
    monkeypatch.setattr(limits, "MAX_TEXT_BYTES", 10)
    with pytest.raises(ImportFileError, match="fichier de 20 octets : la limite est de 10 octets"):
        read_all(b"a;b\n" + b"1;2\n" * 4)


# --- workbooks -----------------------------------------------------------------------------------------------


def test_insee_title_block_header_on_row_6_labels_on_row_5():
    content = workbook_bytes(
        {
            "Sommaire": [["Sommaire"]],
            "EPCI": [
                ["Intercommunalités"],
                [],
                ["Mise en ligne le 15/02/2026 - Géographie au 01/01/2026"],
                ["© Insee"],
                ["Code EPCI", "Nombre de communes"],
                ["EPCI", "NB_COM"],
                ["200099001", 3],
            ],
        }
    )
    with open_workbook(source(content, "epci.xlsx")) as workbook:
        assert title_vintage(workbook, ["Sommaire", "EPCI"]) == "2026"
        table = read_sheet(workbook, "EPCI", header_row=INSEE_HEADER_ROW)
        assert table is not None
        assert (table.header, table.labels, table.column("NB_COM")) == (
            ["EPCI", "NB_COM"],
            ["Code EPCI", "Nombre de communes"],
            "NB_COM (B)",
        )
        assert list(table.rows) == [(7, ("200099001", 3))]
        assert read_sheet(workbook, "Sommaire", find={"EPCI"}) is None


def test_a_csv_or_a_broken_archive_given_as_a_workbook_is_refused():
    text = source(b"a;b\n", "epci.xlsx")
    with pytest.raises(ImportFileError, match=r"le fichier est un fichier texte \(CSV\), pas un"), open_workbook(text):
        pass
    broken = source(workbook_bytes({"A": [["a"]]})[:3000], "epci.xlsx")
    with pytest.raises(ImportFileError, match=r"classeur Excel \(\.xlsx\) illisible"), open_workbook(broken):
        pass


# --- JSON ----------------------------------------------------------------------------------------------------


def test_json_items_know_their_line_and_a_broken_file_names_its_fault(tmp_path: Path):
    document = load_json(source(b'[\n  {"code": "1"},\n\n  {"code": "2"}\n]', "communes.json"))
    assert document.item_lines() == [2, 4]
    with pytest.raises(ImportFileError) as refused:
        load_json(source(b'[\n{"code": "1",\n', "communes.json"))
    assert (refused.value.line, refused.value.detail[:12]) == (3, "JSON invalid")


# --- numbers -------------------------------------------------------------------------------------------------


def test_numbers_the_french_or_the_english_way():
    assert parse_number("1 234,5") == 1234.5
    assert parse_number("1\u202f234,5") == 1234.5
    assert parse_number("1,234.5") == 1234.5
    assert parse_number("-3") == -3.0
    assert parse_whole_number("12") == 12
    for text in ("neuf", "nan", "inf", "12,5 %", ""):
        with pytest.raises(ValueError):
            parse_number(text)
    with pytest.raises(ValueError):
        parse_whole_number("12,5")
    assert not_a_number("neuf") == "« neuf » n'est pas un nombre"
    assert not_a_number(" 3,5 ", whole=True) == "« 3,5 » n'est pas un nombre entier"


# --- the report ----------------------------------------------------------------------------------------------


def test_the_report_bounds_its_lists_and_says_what_was_not_read(monkeypatch):
    monkeypatch.setattr(limits, "MAX_WARNINGS", 2)
    batch = ImportBatch(importer="import_epci", source_file="epci.xlsx", vintage="2026", created_count=3)
    for message in ("a", "a", "b", "c", "d"):
        batch.warn(message)
    assert batch.warnings == ["a", "b", "… et 2 autres avertissements"]
    batch.ignore("QN09699X (qpv)")
    batch.leave_columns(["LIBGEO", "DEP"], sheet="Composition_communale")
    batch.leave_sheet("Variables")
    assert batch.report_lines() == [
        "Import import_epci (epci.xlsx, millésime 2026) : 3 créé(s), 0 mis à jour, 0 remplacé(s), 0 rejeté(s).",
        "3 avertissement(s) :",
        "  - a",
        "  - b",
        "  - … et 2 autres avertissements",
        "1 élément(s) ignoré(s) :",
        "  - QN09699X (qpv)",
        "Feuilles non lues : Variables.",
        "Colonnes non lues (feuille « Composition_communale ») : LIBGEO, DEP.",
    ]

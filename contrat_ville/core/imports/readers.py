"""Readers shared by every importer: delimited text, XLSX workbooks (INSEE title-block layout included), JSON.

They stream (a national long CSV holds 28 million lines), report every fault through an ``Issues`` collector with
its line and column, and never let a parser's exception out: a broken file always ends in an ``ImportFileError``
with a French message.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Any, NoReturn

from openpyxl import load_workbook

from contrat_ville.core.imports import limits
from contrat_ville.core.imports.cells import cell_text
from contrat_ville.core.imports.errors import ImportFileError, Issues, column_label
from contrat_ville.core.imports.sources import Source, check_size, expect_kind

SEPARATORS = (";", ",", "\t", "|")
SEPARATOR_NAMES = {";": "point-virgule", ",": "virgule", "\t": "tabulation", "|": "barre verticale"}
ENCODING_NAMES = {"utf-8": "UTF-8", "cp1252": "Windows-1252"}
SAMPLE_BYTES = 65_536
EMPTY_DETAIL = "le fichier ne contient aucune ligne de données après l'en-tête : rien n'a été importé"

# INSEE workbooks (data-formats.md §4.2, §11): title block on rows 1-4, French labels on row 5, variable codes on
# row 6, data from row 7. Row 3 says « Géographie au 01/01/AAAA », the vintage of the codes.
INSEE_LABEL_ROW = 5
INSEE_HEADER_ROW = 6
HEADER_SCAN_ROWS = 15
VINTAGE_RE = re.compile(r"G[ée]ographie au \d{2}/\d{2}/(\d{4})", re.IGNORECASE)


def require_columns(
    issues: Issues,
    header: Sequence[str],
    required: Sequence[str],
    *,
    line: int = 1,
    sheet: str | None = None,
) -> dict[str, int]:
    """The position of each ``required`` column; a missing one refuses the file (every missing one is listed)."""
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        positions.setdefault(name, index)
    missing = [name for name in required if name not in positions]
    for name in missing:
        issues.add(
            f"colonne « {name} » absente de l'en-tête (colonnes attendues : {', '.join(required)})",
            line=line,
            column=name,
            sheet=sheet,
        )
    issues.refuse_if_any()
    return {name: positions[name] for name in required}


# --- delimited text ------------------------------------------------------------------------------------------


@dataclass
class DelimitedTable:
    """A delimited file being read: its header and its data rows ``(line, cells)``; ``count`` rows yielded so far.

    Rows with fewer fields than the header (or more, unless the extra ones are empty) are faults of the file:
    they go to the issues and are not yielded. Blank lines are skipped.
    """

    name: str
    separator: str
    encoding: str
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    count: int = 0

    def refuse_if_empty(self, issues: Issues) -> None:
        issues.refuse_if_any()
        if self.count == 0:
            issues.fatal(EMPTY_DETAIL)


def _bad_byte(issues: Issues, raw: bytes, start: int, line: int, separator: str, header: Sequence[str]) -> NoReturn:
    field_index = raw[:start].count(separator.encode())
    column = header[field_index] if field_index < len(header) else str(field_index + 1)
    issues.fatal(
        f"encodage invalide (octet 0x{raw[start]:02X}) : le fichier doit être enregistré en UTF-8 "
        "(dans un tableur : « CSV UTF-8 »)",
        line=line,
        column=column,
    )


def _detect_encoding(sample: bytes, encodings: Sequence[str]) -> str | None:
    for encoding in encodings:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            decoder.decode(sample, final=False)  # a multi-byte character cut at the sample's end is not a fault
        except UnicodeDecodeError:
            continue
        return encoding
    return None


@contextmanager
def read_delimited(
    source: Source,
    issues: Issues,
    *,
    separators: Sequence[str] = SEPARATORS,
    encodings: Sequence[str] = ("utf-8", "cp1252"),
) -> Iterator[DelimitedTable]:
    """Open a delimited text file: kind and size checked, encoding and separator detected, header read.

    The encoding is the first of ``encodings`` that decodes the file's first 64 Ko (UTF-8 with or without BOM,
    then Windows-1252, as ONPV lists are saved); a later undecodable byte refuses the file with its line and
    column. The separator is the most frequent of ``separators`` in the header line (or the only one given).
    A field longer than ``limits.MAX_FIELD_CHARS`` refuses the file.
    """
    expect_kind(source, {"text"}, wanted="un fichier texte CSV")
    check_size(source, limits.MAX_TEXT_BYTES)
    csv.field_size_limit(limits.MAX_FIELD_CHARS)
    with source.open() as stream:
        sample = stream.read(SAMPLE_BYTES)
        stream.seek(0)
        first_line = sample.split(b"\n", 1)[0].removeprefix(b"\xef\xbb\xbf").rstrip(b"\r")
        guessed_separator = max(separators, key=lambda separator: first_line.count(separator.encode()))
        header_guess = [name.strip() for name in first_line.decode("utf-8", "replace").split(guessed_separator)]
        encoding = _detect_encoding(sample, encodings)
        if encoding is None:
            decoder = codecs.getincrementaldecoder(encodings[0])()
            try:
                decoder.decode(sample, final=False)
            except UnicodeDecodeError as error:
                line_start = sample.rfind(b"\n", 0, error.start) + 1
                _bad_byte(
                    issues,
                    sample[line_start:],
                    error.start - line_start,
                    sample.count(b"\n", 0, error.start) + 1,
                    guessed_separator,
                    header_guess,
                )
            raise AssertionError("unreachable: the sample did not decode")  # pragma: no cover
        header: list[str] = []

        def lines() -> Iterator[str]:
            for number, raw in enumerate(stream, start=1):
                try:
                    text = raw.decode(encoding)
                except UnicodeDecodeError as error:
                    _bad_byte(issues, raw, error.start, number, separator, header or header_guess)
                yield text.removeprefix("\ufeff") if number == 1 else text

        text_lines = lines()
        first = next(text_lines, None)
        if first is None or not first.strip():
            issues.fatal("fichier vide : l'en-tête est absent")
        separator = max(separators, key=first.count) if len(separators) > 1 else separators[0]

        def all_lines() -> Iterator[str]:
            yield first
            yield from text_lines

        reader = csv.reader(all_lines(), delimiter=separator)
        header.extend(cell.strip() for cell in next(reader))
        if len(header) == 1 and len(separators) == 1:
            for other, other_name in SEPARATOR_NAMES.items():
                if other != separator and other in header[0]:
                    issues.fatal(
                        f"séparateur « {other} » ({other_name}) trouvé, le séparateur attendu est « {separator} » "
                        f"({SEPARATOR_NAMES.get(separator, separator)})",
                        line=1,
                        column=header[0].split(other)[0],
                    )
        width = len(header)
        table = DelimitedTable(name=source.name, separator=separator, encoding=encoding, header=header, rows=iter(()))

        def rows() -> Iterator[tuple[int, list[str]]]:
            try:
                for row in reader:
                    if len(row) != width:
                        if not any(cell.strip() for cell in row):
                            continue
                        if len(row) < width:
                            issues.add(
                                f"{len(row)} champs au lieu de {width} (ligne incomplète ou fichier tronqué)",
                                line=reader.line_num,
                                column=header[len(row)],
                            )
                            continue
                        if any(cell.strip() for cell in row[width:]):
                            issues.add(
                                f"{len(row)} champs au lieu de {width} (séparateur dans une valeur non entourée "
                                "de guillemets ?)",
                                line=reader.line_num,
                                column=str(width + 1),
                            )
                            continue
                        row = row[:width]
                    table.count += 1
                    yield reader.line_num, row
            except csv.Error as error:
                issues.fatal(_csv_error(error), line=reader.line_num)

        table.rows = rows()
        yield table


def _csv_error(error: csv.Error) -> str:
    text = str(error)
    if "field larger than field limit" in text:
        return (
            f"champ de plus de {limits.MAX_FIELD_CHARS:,} caractères".replace(",", "\u202f")
            + " (limite des imports) : guillemet non fermé ou fichier d'un autre type"
        )
    if "NUL" in text:
        return "caractère nul : ce n'est pas un fichier texte CSV"
    return "ligne illisible (guillemets mal placés ?)"


# --- workbooks -----------------------------------------------------------------------------------------------


@contextmanager
def open_workbook(source: Source) -> Iterator[Any]:
    """An openpyxl workbook, read-only (rows are streamed), values rather than formulas; closed on exit.

    INSEE's 2025 EPCI workbook carries a stylesheet openpyxl rejects (data-formats.md §4.2): it is read again
    without its stylesheet.
    """
    expect_kind(source, {"xlsx"}, wanted="un classeur Excel (.xlsx)")
    check_size(source, limits.MAX_WORKBOOK_BYTES)
    with source.open() as stream:
        data: IO[bytes] = stream
        try:
            workbook = load_workbook(data, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, EOFError) as error:
            raise ImportFileError.at(source.name, "classeur Excel (.xlsx) illisible ou tronqué") from error
        except Exception as error:  # openpyxl raises bare errors on stylesheets it does not understand
            try:
                stream.seek(0)
                buffer = io.BytesIO()
                with zipfile.ZipFile(stream) as original, zipfile.ZipFile(buffer, "w") as copy:
                    for item in original.infolist():
                        if item.filename != "xl/styles.xml":
                            copy.writestr(item, original.read(item.filename))
                buffer.seek(0)
                workbook = load_workbook(buffer, read_only=True, data_only=True)
            except Exception:
                raise ImportFileError.at(source.name, "classeur Excel (.xlsx) illisible ou tronqué") from error
        try:
            yield workbook
        finally:
            workbook.close()


@dataclass
class SheetTable:
    """A sheet being read: its header row, the row above it (INSEE's French labels), its data rows."""

    name: str
    header_row: int
    header: list[str]
    labels: list[str]
    rows: Iterator[tuple[int, tuple[Any, ...]]]
    positions: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for index, name in enumerate(self.header):
            if name:
                self.positions.setdefault(name, index)

    def column(self, name: str) -> str:
        """« NB_COM (D) »: the column's name and letter, for messages."""
        return column_label(name, self.positions.get(name))


def sheet_rows(worksheet: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    yield from enumerate(worksheet.iter_rows(values_only=True), start=1)


def read_sheet(
    workbook: Any, name: str, *, header_row: int | None = None, find: set[str] | None = None
) -> SheetTable | None:
    """The sheet ``name`` with its header on ``header_row`` (INSEE: 6; a plain table: 1), or on the first row
    among the first 15 holding one of ``find`` (upper-case names). None when no such row is found."""
    rows = sheet_rows(workbook[name])
    previous: tuple[Any, ...] = ()
    for number, row in rows:
        header = [cell_text(cell) for cell in row]
        if (header_row is not None and number == header_row) or (
            find is not None and any(cell.upper() in find for cell in header)
        ):
            while header and not header[-1]:
                header.pop()
            labels = [cell_text(cell) for cell in previous]
            return SheetTable(name=name, header_row=number, header=header, labels=labels, rows=rows)
        if number >= (header_row or HEADER_SCAN_ROWS):
            return None
        previous = row
    return None


def title_vintage(workbook: Any, sheets: Sequence[str]) -> str | None:
    """The year of « Géographie au 01/01/AAAA » in the title block (rows 1-5) of the first of ``sheets`` having it."""
    for name in sheets:
        if name not in workbook.sheetnames:
            continue
        for _, row in zip(range(INSEE_LABEL_ROW), workbook[name].iter_rows(values_only=True), strict=False):
            for value in row:
                match = VINTAGE_RE.search(str(value or ""))
                if match:
                    return match.group(1)
    return None


def blank(cells: Sequence[Any]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


# --- JSON ----------------------------------------------------------------------------------------------------


@dataclass
class JsonDocument:
    """A parsed JSON file and its text, to tell the line of each item of an array (errors name their line)."""

    data: Any
    text: str

    def item_lines(self, key: str | None = None) -> list[int]:
        """The line where each item starts, of the top-level array or of the array under ``key``
        (GeoJSON: ``features``), found by decoding the array item by item."""
        items = self.data if key is None else (self.data or {}).get(key) if isinstance(self.data, dict) else None
        count = len(items) if isinstance(items, list) else 0
        text = self.text
        decoder = json.JSONDecoder()
        lines: list[int] = []
        start = 0 if key is None else text.find(f'"{key}"')
        position = text.find("[", start) + 1 if start >= 0 else -1
        line, counted_to = 1, 0
        while position > 0 and len(lines) < count:
            while position < len(text) and text[position] in " \t\r\n,":
                position += 1
            line += text.count("\n", counted_to, position)
            counted_to = position
            lines.append(line)
            try:
                _, position = decoder.raw_decode(text, position)
            except json.JSONDecodeError:
                break
        return lines + [line] * (count - len(lines))


def load_json(source: Source) -> JsonDocument:
    """A whole JSON document (GeoJSON, decoupage-administratif): UTF-8, a broken or truncated file refused with
    the line and column of the fault."""
    expect_kind(source, {"json", "text"}, wanted="un fichier JSON")
    check_size(source, limits.MAX_DOCUMENT_BYTES)
    with source.open() as stream:
        raw = stream.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - raw.rfind(b"\n", 0, error.start)
        raise ImportFileError.at(
            source.name,
            "encodage invalide : un fichier JSON doit être encodé en UTF-8",
            line=line,
            column=str(column),
        ) from error
    try:
        return JsonDocument(json.loads(text), text)
    except json.JSONDecodeError as error:
        raise ImportFileError.at(
            source.name, f"JSON invalide ou fichier tronqué ({error.msg})", line=error.lineno, column=str(error.colno)
        ) from error

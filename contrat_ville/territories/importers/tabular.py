"""Read delimited text files strictly: encoding, separator, header and field count are checked first.

INSEE's COG files are comma-separated UTF-8; INSEE's other CSVs use ``;`` and the ONPV lists are in
Windows-1252. A file saved by a spreadsheet in the wrong format must be refused with a message an
operator can act on, not imported half-way with shifted columns.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from contrat_ville.territories.importers.base import ImportFileError

SEPARATOR_NAMES = {",": "virgule", ";": "point-virgule", "\t": "tabulation", "|": "barre verticale"}


@dataclass(frozen=True)
class CsvRow:
    line: int
    values: dict[str, str]


def decode(path: Path, raw: bytes, *, encodings: tuple[str, ...], separator: str, header: list[str] | None) -> str:
    """Decode with the first encoding that fits; otherwise point at the first undecodable byte."""
    first_error: UnicodeDecodeError | None = None
    for encoding in encodings:
        try:
            return raw.decode("utf-8-sig" if encoding == "utf-8" else encoding)
        except UnicodeDecodeError as error:
            first_error = first_error or error
    assert first_error is not None
    start = first_error.start
    line_start = raw.rfind(b"\n", 0, start) + 1
    line = raw.count(b"\n", 0, start) + 1
    field_index = raw[line_start:start].count(separator.encode())
    column = header[field_index] if header and field_index < len(header) else str(field_index + 1)
    expected = " ou ".join(name.upper() for name in encodings)
    raise ImportFileError(
        path.name,
        line,
        column,
        f"encodage invalide (octet 0x{raw[start]:02X}) : le fichier doit être encodé en {expected}",
    )


def read_csv(
    path: Path,
    *,
    required: list[str],
    separator: str = ",",
    encodings: tuple[str, ...] = ("utf-8",),
) -> Iterator[CsvRow]:
    """Yield the rows of a delimited file as dicts, after checking the whole file's shape.

    The whole file is checked before the first row is yielded, so a truncated last line is found
    before anything is written.
    """
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ImportFileError(path.name, 1, "-", f"fichier illisible ({error.strerror})") from error
    first_line = raw.split(b"\n", 1)[0].decode("utf-8", errors="replace").lstrip("\ufeff").strip("\r")
    header_guess = [name.strip() for name in first_line.split(separator)]
    text = decode(path, raw, encodings=encodings, separator=separator, header=header_guess)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise ImportFileError(path.name, 1, required[0], "fichier vide, l'en-tête est absent")
    header = [name.strip() for name in rows[0]]
    missing = [name for name in required if name not in header]
    if missing:
        if len(header) == 1:
            for other, other_name in SEPARATOR_NAMES.items():
                if other != separator and other in header[0]:
                    raise ImportFileError(
                        path.name,
                        1,
                        required[0],
                        f"séparateur « {other} » ({other_name}) trouvé, le séparateur attendu est "
                        f"« {separator} » ({SEPARATOR_NAMES.get(separator, separator)})",
                    )
        raise ImportFileError(
            path.name,
            1,
            missing[0],
            f"colonne « {missing[0]} » absente de l'en-tête (colonnes attendues : {', '.join(required)})",
        )
    checked: list[CsvRow] = []
    for index, row in enumerate(rows[1:], start=2):
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if len(row) != len(header):
            column = header[len(row)] if len(row) < len(header) else str(len(row))
            raise ImportFileError(
                path.name,
                index,
                column,
                f"{len(row)} champs au lieu de {len(header)} (ligne incomplète ou fichier tronqué)",
            )
        checked.append(
            CsvRow(line=index, values={name: value.strip() for name, value in zip(header, row, strict=True)})
        )
    yield from checked

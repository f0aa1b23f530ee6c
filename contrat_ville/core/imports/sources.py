"""Where a file comes from (a path or an uploaded file) and what it really is, whatever its name says.

Operators give the wrong file more often than a broken one: a CSV to the workbook importer, a zip of the download
instead of its content, a PDF. The first bytes tell the kind of file, so that the refusal says what was given and
what was expected, in French, before any parser can raise a traceback.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from contrat_ville.core.imports import limits
from contrat_ville.core.imports.errors import ImportFileError

SNIFF_BYTES = 8192

# What a file is, as the refusal names it.
KIND_LABELS = {
    "empty": "un fichier vide",
    "text": "un fichier texte (CSV)",
    "json": "un fichier JSON",
    "xlsx": "un classeur Excel (.xlsx)",
    "xls": "un classeur Excel de l'ancien format (.xls)",
    "ods": "un classeur OpenDocument (.ods)",
    "docx": "un document Word (.docx)",
    "zip": "une archive ZIP",
    "gzip": "une archive gzip",
    "7z": "une archive 7z",
    "pdf": "un document PDF",
    "sqlite": "une base SQLite ou GeoPackage (.gpkg)",
    "shapefile": "un shapefile (.shp)",
    "binary": "un fichier binaire",
}


@dataclass
class Source:
    """A file to import: its name (for messages), its size, and a way to read its bytes from the start."""

    name: str
    origin: Any

    @property
    def path(self) -> Path | None:
        return self.origin if isinstance(self.origin, Path) else None

    @property
    def size(self) -> int:
        if isinstance(self.origin, Path):
            return self.origin.stat().st_size
        size = getattr(self.origin, "size", None)
        if isinstance(size, int):
            return size
        position = self.origin.tell()
        self.origin.seek(0, io.SEEK_END)
        end = int(self.origin.tell())
        self.origin.seek(position)
        return end

    @contextmanager
    def open(self) -> Iterator[IO[bytes]]:
        """A binary stream from the first byte (an uploaded file is rewound)."""
        if isinstance(self.origin, Path):
            try:
                handle = self.origin.open("rb")
            except OSError as error:
                raise ImportFileError.at(self.name, f"fichier illisible ({error.strerror})") from error
            with handle:
                yield handle
            return
        self.origin.seek(0)
        yield self.origin

    def head(self, count: int = SNIFF_BYTES) -> bytes:
        with self.open() as stream:
            return bytes(stream.read(count))


def source_of(path_or_file: Any, *, name: str | None = None) -> Source:
    """A ``Source`` for a path (``str`` or ``Path``), an uploaded file or any binary stream with ``seek``."""
    if isinstance(path_or_file, Source):
        return path_or_file
    if isinstance(path_or_file, str | Path):
        path = Path(path_or_file)
        if not path.is_file():
            raise ImportFileError.at(name or path.name, "fichier introuvable")
        return Source(name=name or path.name, origin=path)
    given = name or getattr(path_or_file, "name", None) or "fichier"
    return Source(name=Path(str(given)).name, origin=path_or_file)


def _zip_kind(source: Source) -> str:
    try:
        with source.open() as stream, zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "word/document.xml" in names:
                return "docx"
            if "mimetype" in names and b"spreadsheet" in archive.read("mimetype"):
                return "ods"
    except (zipfile.BadZipFile, OSError, EOFError):
        # A truncated archive has no directory: the first member's name (local header) still tells a workbook,
        # which the workbook reader then reports as truncated.
        head = source.head(256)
        length = int.from_bytes(head[26:28], "little")
        first = head[30 : 30 + length]
        return "xlsx" if first.startswith((b"[Content_Types].xml", b"xl/", b"docProps/", b"_rels/")) else "zip"
    return "zip"


def sniff(source: Source) -> str:
    """The kind of file, from its first bytes (see ``KIND_LABELS``)."""
    head = source.head()
    if not head:
        return "empty"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(source)
    signatures = (
        (b"\xd0\xcf\x11\xe0", "xls"),
        (b"%PDF", "pdf"),
        (b"\x1f\x8b", "gzip"),
        (b"7z\xbc\xaf\x27\x1c", "7z"),
        (b"SQLite format 3\x00", "sqlite"),
        (b"\x00\x00\x27\x0a", "shapefile"),
    )
    for signature, kind in signatures:
        if head.startswith(signature):
            return kind
    if b"\x00" in head:
        return "binary"  # UTF-16 text lands here too: official files are UTF-8 or Windows-1252
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"{", b"["):
        return "json"
    return "text"


def expect_kind(source: Source, expected: set[str], *, wanted: str) -> str:
    """Refuse a file that is not of one of the ``expected`` kinds: « le fichier est une archive ZIP, pas un
    classeur Excel (.xlsx) »; return the kind found."""
    kind = sniff(source)
    if kind == "empty":
        raise ImportFileError.at(source.name, "fichier vide : aucune donnée à importer")
    if kind not in expected:
        raise ImportFileError.at(
            source.name,
            f"le fichier est {KIND_LABELS[kind]}, pas {wanted} : vérifiez le fichier choisi et le format indiqué",
        )
    return kind


def check_size(source: Source, limit: int) -> None:
    """Refuse a file larger than the documented ``limit`` (``limits.py``), before reading it."""
    size = source.size
    if size > limit:
        raise ImportFileError.at(
            source.name,
            f"fichier de {limits.size_text(size)} : la limite est de {limits.size_text(limit)} pour ce type "
            "de fichier",
        )

"""The one check every file sent to the platform goes through, before anything is written: a document attached to
an object (``core.attachments``: meeting documents, application pieces, council charters, deliberations, evaluation
reports) or a file to import (indicator values, territory files, strategy tree, draw pool, programme 147 posts).

A file is refused, with a French message naming it, when:
- it is larger than the setting of its kind (``UPLOAD_MAX_BYTES`` for documents, ``IMPORT_UPLOAD_MAX_BYTES`` for
  imports; docs/operations.md);
- its extension is not one the form accepts;
- its content is not what its extension says (magic bytes: ``%PDF-``, PNG and JPEG signatures, the parts of an
  OOXML or OpenDocument zip, text that decodes);
- it holds executable content: a Windows, Linux or macOS program, a script (``#!``), HTML or SVG, PHP, macros
  (``vbaProject.bin``, macro-enabled OOXML, OpenDocument Basic or scripts) or a program inside a zip;
- it is a zip (office file or archive) that unpacks into more than ``ZIP_MAX_EXPANSION`` times its size or holds
  more than ``ZIP_MAX_MEMBERS`` files (a decompression bomb).

Services call ``check_upload`` (the API and the pages share them); import forms call ``clean_upload`` in their
``clean_file``. Nothing is stored before the check passes.
"""

from __future__ import annotations

import codecs
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django import forms
from django.conf import settings

from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.imports.limits import size_text
from contrat_ville.core.imports.sources import KIND_LABELS, sniff, source_of

HEAD_BYTES = 65_536

DOCUMENT_EXTENSIONS = ("pdf", "docx", "odt", "xlsx", "ods", "png", "jpg", "jpeg")

# What each extension must contain, as the refusal names it.
EXTENSION_LABELS = {
    "pdf": "un document PDF",
    "docx": "un document Word (.docx)",
    "odt": "un texte OpenDocument (.odt)",
    "xlsx": "un classeur Excel (.xlsx)",
    "ods": "un classeur OpenDocument (.ods)",
    "png": "une image PNG",
    "jpg": "une image JPEG",
    "jpeg": "une image JPEG",
    "csv": "un fichier texte CSV",
    "txt": "un fichier texte",
    "json": "un fichier JSON",
    "geojson": "un fichier GeoJSON",
    "gpkg": "une base GeoPackage",
    "zip": "une archive ZIP",
}
TEXT_EXTENSIONS = frozenset({"csv", "txt", "json", "geojson"})
OOXML_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
ODF_MIMETYPES = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
}

# Programs, by their first bytes.
EXECUTABLE_SIGNATURES = (
    (b"MZ", "un programme Windows"),
    (b"\x7fELF", "un programme Linux"),
    (b"\xcf\xfa\xed\xfe", "un programme macOS"),
    (b"\xce\xfa\xed\xfe", "un programme macOS"),
    (b"\xca\xfe\xba\xbe", "un programme macOS ou Java"),
    (b"#!", "un script"),
)
# Markup a browser would run, anywhere in the first 64 Ko of a text file (lower-cased).
ACTIVE_MARKUP = (b"<script", b"<html", b"<!doctype html", b"<svg", b"<?php", b"<iframe", b"<object", b"<embed")
# Members of a zip that run: programs and scripts, and macros (OOXML's vbaProject.bin, OpenDocument's Basic/Scripts).
ZIP_PROGRAM_EXTENSIONS = frozenset(
    {"exe", "dll", "com", "bat", "cmd", "msi", "scr", "ps1", "vbs", "js", "jse", "wsf", "sh", "jar", "app", "elf"}
)
ZIP_MACRO_FOLDERS = ("basic/", "scripts/")
# A zip that unpacks into far more than it weighs is a decompression bomb: office files and shapefile archives unpack
# to 5-30 times their size (XML and attribute tables compress well), a bomb to a thousand times and more. The
# declared sizes bound what Python's zipfile will ever inflate, so checking them is enough.
ZIP_MAX_EXPANSION = 100
ZIP_MAX_MEMBERS = 10_000


class UploadError(BusinessRuleError):
    """A file refused by ``check_upload``; its message names the file."""


@dataclass(frozen=True)
class UploadKind:
    """Documents or imports: which setting bounds their size."""

    max_bytes_setting: str

    @property
    def max_bytes(self) -> int:
        return int(getattr(settings, self.max_bytes_setting))


DOCUMENT = UploadKind("UPLOAD_MAX_BYTES")
IMPORT = UploadKind("IMPORT_UPLOAD_MAX_BYTES")


def extension(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def extensions_text(extensions: Iterable[str]) -> str:
    """« PDF, DOCX ou PNG » (JPEG once for jpg and jpeg)."""
    labels = list(dict.fromkeys("JPG" if item == "jpeg" else item.upper() for item in extensions))
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} ou {labels[-1]}"


def accepted_text(extensions: Iterable[str] = DOCUMENT_EXTENSIONS, kind: UploadKind = DOCUMENT) -> str:
    """The help text of a file field: formats and maximum size."""
    formats = ", ".join(dict.fromkeys("JPG" if item == "jpeg" else item.upper() for item in extensions))
    return f"Formats acceptés : {formats}. Taille maximale : {size_text(kind.max_bytes)}."


def _read_head(file: Any) -> bytes:
    file.seek(0)
    head = bytes(file.read(HEAD_BYTES))
    file.seek(0)
    return head


def _decodes(head: bytes, encodings: Iterable[str]) -> bool:
    for encoding in encodings:
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return True
    return False


def _zip_refusal(file: Any, ext: str) -> str | None:
    """Why a zip-based file is refused (not the right kind of zip, macros, a program inside), or None."""
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            if len(members) > ZIP_MAX_MEMBERS:
                return f"l'archive compte plus de {ZIP_MAX_MEMBERS:_} fichiers".replace("_", "\u202f")
            unpacked = sum(member.file_size for member in members)
            if unpacked > ZIP_MAX_EXPANSION * max(getattr(file, "size", 0) or 0, HEAD_BYTES):
                return (
                    f"l'archive se décompresse en plus de {ZIP_MAX_EXPANSION} fois sa taille ({size_text(unpacked)})"
                )
            names = [member.filename for member in members]
            lowered = [name.lower() for name in names]
            if any(PurePath(name).name == "vbaproject.bin" for name in lowered):
                return "il contient des macros (vbaProject.bin)"
            if "[Content_Types].xml" in names and b"macroenabled" in archive.read("[Content_Types].xml").lower():
                return "c'est un document à macros"
            if ext in ODF_MIMETYPES and any(name.startswith(ZIP_MACRO_FOLDERS) for name in lowered):
                return "il contient des macros ou des scripts"
            programs = [name for name in names if extension(name) in ZIP_PROGRAM_EXTENSIONS]
            if programs:
                return f"l'archive contient un programme (« {PurePath(programs[0]).name} »)"
            if ext in OOXML_PARTS and OOXML_PARTS[ext] not in names:
                return f"ce n'est pas {EXTENSION_LABELS[ext]}"
            if ext in ODF_MIMETYPES and ("mimetype" not in names or archive.read("mimetype") != ODF_MIMETYPES[ext]):
                return f"ce n'est pas {EXTENSION_LABELS[ext]}"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, KeyError, ValueError):
        return f"ce n'est pas {EXTENSION_LABELS[ext]} (archive illisible ou tronquée)"
    finally:
        file.seek(0)
    return None


def _content_refusal(file: Any, ext: str) -> str | None:
    """Why the content of a file named ``*.ext`` is refused, or None."""
    head = _read_head(file)
    if not head:
        return "le fichier est vide"
    for signature, what in EXECUTABLE_SIGNATURES:
        if head.startswith(signature):
            return f"c'est {what}"
    label = EXTENSION_LABELS[ext]
    found = sniff(source_of(file, name="fichier"))
    file.seek(0)
    # « son contenu n'est pas un fichier texte CSV (c'est un classeur Excel (.xlsx)) »: what was given, when known.
    given = f" (c'est {KIND_LABELS[found]})" if found not in ("text", "json", "binary", "empty") else ""
    mismatch = f"son contenu n'est pas {label}{given}"
    if ext == "pdf":
        return None if head.startswith(b"%PDF-") else mismatch
    if ext == "png":
        return None if head.startswith(b"\x89PNG\r\n\x1a\n") else mismatch
    if ext in ("jpg", "jpeg"):
        return None if head.startswith(b"\xff\xd8\xff") else mismatch
    if ext == "gpkg":
        return None if head.startswith(b"SQLite format 3\x00") else mismatch
    if ext in OOXML_PARTS or ext in ODF_MIMETYPES or ext == "zip":
        if not head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
            return mismatch
        return _zip_refusal(file, ext)
    if ext in TEXT_EXTENSIONS:
        lowered = head.lower()
        if any(marker in lowered for marker in ACTIVE_MARKUP):
            return "il contient du HTML ou un script"
        encodings = ("utf-8",) if ext in ("json", "geojson") else ("utf-8", "cp1252")
        if b"\x00" in head or not _decodes(head, encodings):
            return f"{mismatch} (octets binaires ou encodage illisible)"
        if ext in ("json", "geojson") and head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] not in (b"{", b"["):
            return mismatch
        return None
    return mismatch  # an extension without a content rule is never accepted


def check_upload(
    file: Any, *, extensions: Iterable[str] = DOCUMENT_EXTENSIONS, kind: UploadKind = DOCUMENT, field: str = "file"
) -> None:
    """Refuse in French (``UploadError`` on the field « file ») a file too large, of an extension not in
    ``extensions``, whose content is not what its extension says, or holding executable content."""
    allowed = tuple(extensions)
    name = PurePath(str(getattr(file, "name", "") or "")).name or "sans nom"
    ext = extension(name)
    if ext not in allowed or ext not in EXTENSION_LABELS:
        raise UploadError(
            f"Ce type de fichier n'est pas accepté (« {name} ») : joignez un fichier {extensions_text(allowed)}.",
            field=field,
        )
    size = getattr(file, "size", None)
    if size is None or size > kind.max_bytes:
        raise UploadError(
            f"Le fichier « {name} » dépasse la taille maximale de {size_text(kind.max_bytes)}.", field=field
        )
    refusal = _content_refusal(file, ext)
    if refusal is not None:
        raise UploadError(f"Le fichier « {name} » est refusé : {refusal}.", field=field)


def clean_upload(file: Any, *, extensions: Iterable[str], kind: UploadKind = IMPORT) -> Any:
    """``check_upload`` for a form's ``clean_file``: the refusal becomes the field's error."""
    try:
        check_upload(file, extensions=extensions, kind=kind)
    except UploadError as refused:
        raise forms.ValidationError(refused.message) from refused
    return file

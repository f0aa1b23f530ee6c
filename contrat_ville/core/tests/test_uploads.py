"""The one check of every uploaded file (``core.uploads``): size from the settings, extension, content sniffed from
the bytes, executable content refused, each refusal in French naming the file; and, through the pages and the API
of each kind of upload, nothing stored when a file is refused."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from contrat_ville.core.uploads import IMPORT, UploadError, accepted_text, check_upload, clean_upload

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def xlsx() -> bytes:
    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active.append(["a", "b"])
    workbook.save(buffer)
    return buffer.getvalue()


DOCX = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})
ODS = zipped({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<office/>"})


def refusal(file: SimpleUploadedFile, **kwargs) -> str:
    with pytest.raises(UploadError) as refused:
        check_upload(file, **kwargs)
    assert refused.value.field == "file"
    return refused.value.message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("compte-rendu.pdf", PDF),
        ("plan.png", PNG),
        ("photo.jpg", JPEG),
        ("photo.JPEG", JPEG),
        ("note.docx", DOCX),
        ("note.odt", ODT),
        ("budget.ods", ODS),
        ("budget.xlsx", None),
    ],
)
def test_documents_of_the_accepted_kinds_pass(name, content):
    check_upload(upload(name, content if content is not None else xlsx()))


@pytest.mark.parametrize(
    ("name", "content", "extensions"),
    [
        ("valeurs.csv", b"indicateur;territoire\nCS-02;QN09601M\n", ("csv",)),
        ("liste.csv", "nom;quartier\nLéa;Les Tilleuls\n".encode("cp1252"), ("csv",)),
        ("postes.json", b'[{"poste": 1}]', ("json",)),
        ("qpv.geojson", b'\xef\xbb\xbf{"type": "FeatureCollection"}', ("geojson",)),
        ("iris.gpkg", b"SQLite format 3\x00" + b"\x00" * 64, ("gpkg",)),
        ("qpv.zip", zipped({"qpv.shp": b"\x00\x00\x27\x0a", "qpv.dbf": b"\x03"}), ("zip",)),
    ],
)
def test_import_files_of_the_accepted_kinds_pass(name, content, extensions):
    check_upload(upload(name, content), extensions=extensions, kind=IMPORT)


@pytest.mark.parametrize("name", ["virus.exe", "page.html", "dessin.svg", "script.js", "sans-extension", "note.docm"])
def test_another_extension_is_refused_naming_the_file(name):
    message = refusal(upload(name, PDF))
    assert message == (
        f"Ce type de fichier n'est pas accepté (« {name} ») : joignez un fichier PDF, DOCX, ODT, XLSX, ODS, PNG "
        "ou JPG."
    )


def test_the_size_comes_from_the_settings(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    assert "Taille maximale : 1 Ko." in accepted_text()
    check_upload(upload("petit.pdf", PDF + b"0" * (1024 - len(PDF))))
    message = refusal(upload("gros.pdf", PDF + b"0" * 1024))
    assert message == "Le fichier « gros.pdf » dépasse la taille maximale de 1 Ko."
    settings.IMPORT_UPLOAD_MAX_BYTES = 10
    assert "dépasse la taille maximale de 10 octets" in refusal(
        upload("valeurs.csv", b"a;b\n1;2\n3;4\n"), extensions=("csv",), kind=IMPORT
    )


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("rapport.pdf", b"MZ\x90\x00\x03" + b"\x00" * 64, "c'est un programme Windows"),
        ("rapport.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 64, "c'est un programme Linux"),
        ("rapport.pdf", b"\xcf\xfa\xed\xfe" + b"\x00" * 64, "c'est un programme macOS"),
        ("rapport.pdf", b"#!/bin/sh\nrm -rf /\n", "c'est un script"),
        ("rapport.pdf", b"<html><body>rapport</body></html>", "son contenu n'est pas un document PDF"),
        ("plan.png", PDF, "son contenu n'est pas une image PNG (c'est un document PDF)"),
        ("photo.jpg", PNG, "son contenu n'est pas une image JPEG"),
        ("note.docx", ODT, "ce n'est pas un document Word (.docx)"),
        ("budget.xlsx", DOCX, "ce n'est pas un classeur Excel (.xlsx)"),
        ("budget.ods", ODT, "ce n'est pas un classeur OpenDocument (.ods)"),
        (
            "budget.xlsx",
            b"PK\x03\x04tronque",
            "ce n'est pas un classeur Excel (.xlsx) (archive illisible ou tronquée)",
        ),
        ("note.docx", PDF, "son contenu n'est pas un document Word (.docx) (c'est un document PDF)"),
        ("vide.pdf", b"", "le fichier est vide"),
    ],
)
def test_content_that_is_not_what_the_extension_says_is_refused(name, content, reason):
    assert refusal(upload(name, content)) == f"Le fichier « {name} » est refusé : {reason}."


@pytest.mark.parametrize(
    ("name", "members", "reason"),
    [
        (
            "budget.xlsx",
            {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>", "xl/vbaProject.bin": b"\xd0\xcf"},
            "il contient des macros (vbaProject.bin)",
        ),
        (
            "note.docx",
            {
                "[Content_Types].xml": b'<Types><Override ContentType="application/vnd.ms-word.document.macroEnabled'
                b'.main+xml"/></Types>',
                "word/document.xml": b"<w/>",
            },
            "c'est un document à macros",
        ),
        (
            "note.odt",
            {"mimetype": b"application/vnd.oasis.opendocument.text", "Basic/Standard/Module1.xml": b"<script/>"},
            "il contient des macros ou des scripts",
        ),
        (
            "budget.xlsx",
            {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>", "outils/setup.exe": b"MZ"},
            "l'archive contient un programme (« setup.exe »)",
        ),
    ],
)
def test_macros_and_programs_inside_office_files_are_refused(name, members, reason):
    assert refusal(upload(name, zipped(members))) == f"Le fichier « {name} » est refusé : {reason}."


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("valeurs.csv", b"<script>alert(1)</script>;b\n", "il contient du HTML ou un script"),
        ("valeurs.csv", b"a;b\n<svg onload=alert(1)>;2\n", "il contient du HTML ou un script"),
        ("valeurs.csv", b"<!DOCTYPE html><html></html>", "il contient du HTML ou un script"),
        ("valeurs.csv", b"a;b\n\x00\x01\x02;3\n", "son contenu n'est pas un fichier texte CSV (octets binaires ou "),
        ("valeurs.csv", b"MZ\x90\x00", "c'est un programme Windows"),
        ("postes.json", '{"nom": "Léa"}'.encode("cp1252"), "son contenu n'est pas un fichier JSON (octets "),
        ("postes.json", b"nom;prenom\n", "son contenu n'est pas un fichier JSON."),
        ("qpv.zip", zipped({"qpv.shp": b"\x00", "lancer.bat": b"@echo off"}), "l'archive contient un programme"),
        ("iris.gpkg", PDF, "son contenu n'est pas une base GeoPackage (c'est un document PDF)."),
    ],
)
def test_import_files_with_executable_or_foreign_content_are_refused(name, content, reason):
    extensions = ("csv", "json", "zip", "gpkg")
    assert refusal(upload(name, content), extensions=extensions, kind=IMPORT).startswith(
        f"Le fichier « {name} » est refusé : {reason}"
    )


def test_forms_get_the_refusal_as_the_field_error():
    from django import forms

    with pytest.raises(forms.ValidationError) as refused:
        clean_upload(upload("valeurs.csv", b"MZ\x90\x00"), extensions=("csv",))
    assert refused.value.messages == ["Le fichier « valeurs.csv » est refusé : c'est un programme Windows."]
    good = upload("valeurs.csv", b"a;b\n1;2\n")
    assert clean_upload(good, extensions=("csv",)) is good


def test_decompression_bombs_are_refused_and_real_office_files_are_not():
    """A zip inflating to a thousand times its size, or holding a flood of members, is refused before anything reads
    it; a real workbook (which unpacks to a few times its size) passes."""
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<w/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (20 * 1024 * 1024))
    assert len(bomb.getvalue()) < 100_000
    reason = refusal(upload("budget.xlsx", bomb.getvalue()), extensions=("xlsx",), kind=IMPORT)
    assert reason.startswith("Le fichier « budget.xlsx » est refusé : l'archive se décompresse en plus de 100 fois")
    flood = zipped({f"couche-{index}.dbf": b"" for index in range(10_001)})
    assert refusal(upload("qpv.zip", flood), extensions=("zip",), kind=IMPORT) == (
        "Le fichier « qpv.zip » est refusé : l'archive compte plus de 10\u202f000 fichiers."
    )
    check_upload(upload("valeurs.xlsx", xlsx()), extensions=("xlsx",), kind=IMPORT)

"""Files attached to an object (a meeting's documents, an application's pieces): one rule for what is accepted and
one way to serve them, whichever app owns the attachment.

Files are stored under MEDIA_ROOT but never served from MEDIA_URL: each app's download view checks who may read the
object, then answers ``ui.page.file_download``.
"""

from __future__ import annotations

from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.fields.files import FieldFile

from contrat_ville.core.exceptions import BusinessRuleError

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_EXTENSIONS = ("pdf", "docx", "odt", "xlsx", "ods", "png", "jpg", "jpeg")
# Shown under the file fields and in the API's descriptions.
ACCEPTED_TEXT = "Formats acceptés : PDF, DOCX, ODT, XLSX, ODS, PNG, JPG. Taille maximale : 10 Mo."


def extension(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def check_upload(file: UploadedFile) -> None:
    """Refuse in French a file of another type or above 10 Mo."""
    if extension(file.name or "") not in ATTACHMENT_EXTENSIONS:
        raise BusinessRuleError(
            "Ce type de fichier n'est pas accepté : joignez un fichier PDF, DOCX, ODT, XLSX, ODS, PNG ou JPG.",
            field="file",
        )
    if file.size is None or file.size > ATTACHMENT_MAX_BYTES:
        raise BusinessRuleError("Le fichier dépasse la taille maximale de 10 Mo.", field="file")


def attachment_title(title: str, file: UploadedFile) -> str:
    """The title given, or the file's name without its extension."""
    return (title.strip() or PurePath(file.name or "").stem)[:255]


def file_name(file: FieldFile) -> str:
    """The stored file's own name, without its folders."""
    return PurePath(file.name or "").name


def delete_file_on_commit(file: FieldFile) -> None:
    """Delete a removed attachment's file once the removal is committed (a rolled-back removal keeps it)."""
    storage, name = file.storage, file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))

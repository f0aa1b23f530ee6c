"""Files attached to an object (a meeting's documents, an application's pieces): one rule for what is accepted
(``core.uploads``) and one way to serve them, whichever app owns the attachment.

Files are stored under MEDIA_ROOT but never served from MEDIA_URL: each app's download view checks who may read the
object, then answers ``ui.page.file_download``.
"""

from __future__ import annotations

from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.fields.files import FieldFile

from contrat_ville.core.uploads import accepted_text

# Shown under the file fields and in the API's descriptions; the check itself is ``core.uploads.check_upload``.
ACCEPTED_TEXT = accepted_text()


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

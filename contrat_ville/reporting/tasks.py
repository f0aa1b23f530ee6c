"""The background task that builds a generated document (issue 12 §4): the outline, then the DOCX, then the PDF,
with its progress saved on the row at each step (the page polls it). Runs on the configured django-tasks backend:
``db_worker`` in production and in ``make demo``, immediately in the tests."""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks import task

from contrat_ville.reporting.enums import DocumentStatus
from contrat_ville.reporting.models import GeneratedDocument
from contrat_ville.reporting.outline import document_kinds
from contrat_ville.reporting.rendering import outline_to_docx, outline_to_pdf

logger = logging.getLogger(__name__)

FAILURE_MESSAGE = (
    "La production du document a échoué. Relancez-la ; si l'échec se répète, signalez-le à l'administrateur de la "
    "plateforme."
)


def _progress(document_id: int, progress: int, step: str, **fields: object) -> None:
    GeneratedDocument.objects.filter(pk=document_id).update(progress=progress, step=step, **fields)


@task()
def generate_document(document_id: int) -> None:
    """Build the outline, the DOCX and the PDF of a queued document, saving the progress at each step."""
    document = GeneratedDocument.objects.select_related("contract").filter(pk=document_id).first()
    if document is None or document.status != DocumentStatus.QUEUED:
        return
    _progress(document_id, 5, "Lecture des données", status=DocumentStatus.RUNNING, started_at=timezone.now())
    try:
        kind = document_kinds[document.kind]
        outline = kind.build(document.contract, document.year)
        _progress(document_id, 35, "Rédaction du fichier DOCX")
        docx = outline_to_docx(outline)
        _progress(document_id, 55, "Mise en page du PDF")
        pdf = outline_to_pdf(outline)
        _progress(document_id, 90, "Enregistrement des fichiers")
        document.refresh_from_db()
        document.docx.save(f"{outline.filename}.docx", ContentFile(docx), save=False)
        document.pdf.save(f"{outline.filename}.pdf", ContentFile(pdf), save=False)
        document.status = DocumentStatus.DONE
        document.progress, document.step = 100, "Terminé"
        document.finished_at = timezone.now()
        document.save(update_fields=["docx", "pdf", "status", "progress", "step", "finished_at"])
    except Exception:
        logger.exception("Document %s: generation failed", document_id)
        # A save, not an update: the dashboard's cached panel follows the data version, which saves bump.
        document.refresh_from_db()
        document.status, document.step = DocumentStatus.FAILED, "Échec"
        document.finished_at = timezone.now()
        document.error = FAILURE_MESSAGE
        document.save(update_fields=["status", "step", "finished_at", "error"])

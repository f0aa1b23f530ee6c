"""The generated documents of a contract (issue 12 §2-4): one row per request, its progress while a worker builds
it (``reporting.tasks.generate_document``), and the DOCX and PDF files once done."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone

from contrat_ville.core.fields import user_reference

# The annual report and the evaluation keep their models in their own modules, imported here so that Django finds
# them.
from contrat_ville.reporting.annual_report_models import AnnualReport as AnnualReport
from contrat_ville.reporting.annual_report_models import DsuLine as DsuLine
from contrat_ville.reporting.annual_report_models import MunicipalConsultation as MunicipalConsultation
from contrat_ville.reporting.enums import DocumentStatus
from contrat_ville.reporting.evaluations.models import Evaluation as Evaluation
from contrat_ville.reporting.evaluations.models import EvaluativeQuestion as EvaluativeQuestion

ACTIVE_STATUSES = (DocumentStatus.QUEUED, DocumentStatus.RUNNING)
# A document still queued or running this long after its request was lost (no worker, a worker stopped midway): the
# page stops polling it and says so, and it may be asked for again.
STALLED_AFTER = datetime.timedelta(minutes=30)


def document_upload_to(document: GeneratedDocument, filename: str) -> str:
    """``reporting/contracts/<contract id>/<kind>/<file>``: each contract's files in its own folder."""
    return f"reporting/contracts/{document.contract_id}/{document.kind}/{filename}"


class GeneratedDocument(models.Model):
    """A document of a registered kind (``reporting.outline.document_kinds``) generated for a contract."""

    contract = models.ForeignKey(
        "contracts.Contract", verbose_name="contrat", on_delete=models.CASCADE, related_name="generated_documents"
    )
    kind = models.CharField("type de document", max_length=40)
    year = models.PositiveSmallIntegerField("année", null=True, blank=True)
    status = models.CharField("état", max_length=8, choices=DocumentStatus.choices, default=DocumentStatus.QUEUED)
    progress = models.PositiveSmallIntegerField("avancement (%)", default=0)
    step = models.CharField("étape", max_length=120, blank=True)
    docx = models.FileField("fichier à modifier (docx)", upload_to=document_upload_to, blank=True)
    pdf = models.FileField("fichier à diffuser (pdf)", upload_to=document_upload_to, blank=True)
    requested_by = user_reference("demandé par")
    requested_at = models.DateTimeField("demandé le", auto_now_add=True)
    started_at = models.DateTimeField("commencé le", null=True, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    error = models.TextField("erreur", blank=True)

    class Meta:
        verbose_name = "document généré"
        verbose_name_plural = "documents générés"
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["contract", "-requested_at"], name="generateddocument_contract_idx")]

    def __str__(self) -> str:
        return f"{self.kind} — {self.contract_id}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES and not self.is_stalled

    @property
    def is_stalled(self) -> bool:
        """Queued or running for longer than ``STALLED_AFTER``: no worker took it, or one stopped midway."""
        return self.status in ACTIVE_STATUSES and timezone.now() - self.requested_at > STALLED_AFTER

    @property
    def duration(self) -> datetime.timedelta | None:
        """How long the worker took, once it finished."""
        if self.started_at is None or self.finished_at is None:
            return None
        return self.finished_at - self.started_at

    @property
    def duration_text(self) -> str:
        duration = self.duration
        if duration is None:
            return ""
        seconds = duration.total_seconds()
        return f"{seconds:.1f} s".replace(".", ",")

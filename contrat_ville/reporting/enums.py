"""The choices of the reporting app: generated documents, the annual report's procedure (décret n° 2015-1118,
domain.md §5.1)."""

from __future__ import annotations

from django.db import models


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", "en attente"
    RUNNING = "running", "en cours"
    DONE = "done", "prêt"
    FAILED = "failed", "échec"


class AnnualReportStatus(models.TextChoices):
    DRAFT = "draft", "brouillon"
    CONSULTATION = "consultation", "en consultation"
    APPROVED = "approved", "approuvé"
    PUBLISHED = "published", "publié"


# The procedure goes one way: drafted, sent for opinion, approved by the conseil communautaire, made public.
ANNUAL_REPORT_TRANSITIONS: dict[str, frozenset[str]] = {
    AnnualReportStatus.DRAFT: frozenset({AnnualReportStatus.CONSULTATION}),
    AnnualReportStatus.CONSULTATION: frozenset({AnnualReportStatus.APPROVED}),
    AnnualReportStatus.APPROVED: frozenset({AnnualReportStatus.PUBLISHED}),
    AnnualReportStatus.PUBLISHED: frozenset(),
}

# The pilot's texts may change until the conseil communautaire approves the report.
EDITABLE_STATUSES = frozenset({AnnualReportStatus.DRAFT, AnnualReportStatus.CONSULTATION})


class MunicipalOpinion(models.TextChoices):
    """The opinion a conseil municipal gives by deliberation on the draft report."""

    FAVOURABLE = "favourable", "favorable"
    FAVOURABLE_WITH_RESERVATIONS = "reservations", "favorable avec réserves"
    UNFAVOURABLE = "unfavourable", "défavorable"

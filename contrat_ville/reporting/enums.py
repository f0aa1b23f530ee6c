"""The choices of the reporting app."""

from __future__ import annotations

from django.db import models


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", "en attente"
    RUNNING = "running", "en cours"
    DONE = "done", "prêt"
    FAILED = "failed", "échec"

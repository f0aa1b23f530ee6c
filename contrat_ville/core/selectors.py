"""Reads shared by every workflow."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models

from contrat_ville.core.models import StatusChange


def status_history(obj: models.Model) -> models.QuerySet[StatusChange]:
    """The status changes of ``obj``, oldest first, with their author (one query)."""
    return StatusChange.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("changed_by")

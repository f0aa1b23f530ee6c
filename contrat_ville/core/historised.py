"""The base of the domain rows whose every change is kept (design.md §5 « workflows with history »)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from simple_history.models import HistoricalRecords

from contrat_ville.core.models import TimeStampedModel


class HistorisedModel(TimeStampedModel):
    """A domain row with its timestamps and its history (django-simple-history): who changed what, and when.

    Each concrete subclass gets its own ``Historical<Model>`` table, in its own app, as if it declared
    ``history = HistoricalRecords()`` itself.
    """

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True


def in_force(keep: Iterable[Any] = ()) -> models.Q:
    """The rows in force, for ``queryset.filter(in_force())``: not archived (an archived row stays readable where
    it is cited), plus the rows of ``keep`` (what an edited object already cites stays among its form's choices)."""
    return models.Q(archived_on__isnull=True) | models.Q(pk__in=list(keep))


class ArchivableModel(HistorisedModel):
    """A historised row that, once validated or cited, is archived rather than deleted (issue 10 §6): it leaves
    the forms and lists (``in_force``) and stays readable where it is cited (``core.services.object_archive``)."""

    archived_on = models.DateField("archivé le", null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_on is not None

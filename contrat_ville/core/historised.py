"""The base of the domain rows whose every change is kept (design.md §5 « workflows with history »)."""

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

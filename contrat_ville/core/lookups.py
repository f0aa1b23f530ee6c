"""How selectors look rows up: a lookup that found nothing is a 404 with its French message; empty filters narrow
nothing."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

Found = TypeVar("Found")
Row = TypeVar("Row", bound=Model)


def found_or_404(value: Found | None, message: str) -> Found:
    """``value``, or ``Http404(message)`` (« Séance introuvable. ») when the lookup found nothing.

    The message is the API's answer (``config/api.py`` gives it as ``detail``), the same whether the object exists
    in another contract or not at all.
    """
    if value is None:
        raise Http404(message)
    return value


def filter_given(queryset: QuerySet[Row], **lookups: object) -> QuerySet[Row]:
    """``queryset`` narrowed by each lookup whose value is given: the filters of a list or of an API that the
    caller left empty (``""``, ``None``) narrow nothing."""
    given = {lookup: value for lookup, value in lookups.items() if value}
    return queryset.filter(**given) if given else queryset

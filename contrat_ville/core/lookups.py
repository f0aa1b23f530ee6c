"""The one way a selector turns a lookup that found nothing into a 404 with its French message."""

from __future__ import annotations

from typing import TypeVar

from django.http import Http404

Found = TypeVar("Found")


def found_or_404(value: Found | None, message: str) -> Found:
    """``value``, or ``Http404(message)`` (« Séance introuvable. ») when the lookup found nothing.

    The message is the API's answer (``config/api.py`` gives it as ``detail``), the same whether the object exists
    in another contract or not at all.
    """
    if value is None:
        raise Http404(message)
    return value

"""Small presentation helpers shared by every app's templates."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.dateformat import format as format_date

from contrat_ville.ui.badges import badge_classes

register = template.Library()


@register.filter
def date_fr(value: datetime.date | None) -> str:
    """A date written the French way, « 1er janvier 2024 », « 30 juin 2024 »; empty for no date."""
    if not value:
        return ""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {format_date(value, 'F Y')}"


@register.inclusion_tag("ui/components/status_badge.html")
def status_badge(
    kind: str,
    value: object,
    label: object,
    *,
    prefix: str = "",
    testid: str = "",
    small: bool = True,
    icon: bool = True,
    inline: bool = False,
) -> dict[str, Any]:
    """A badge: ``kind`` and ``value`` choose its colour in ``ui/badges.py``, ``label`` is its French text (after
    ``prefix``, for a label such as « Pilier : Emploi »).

    ``inline`` draws a ``<span>`` for a badge inside a sentence (a ``<p>`` cannot sit in a paragraph).
    """
    return {
        "element": "span" if inline else "p",
        "classes": badge_classes(kind, value, small=small, icon=icon),
        "label": f"{prefix}{label}",
        "testid": testid,
    }


@register.inclusion_tag("ui/components/status_badge.html")
def validation_badge(
    validated: bool,
    *,
    feminine: bool = False,
    on: datetime.date | datetime.datetime | None = None,
    testid: str = "validation-badge",
    short: bool = False,
) -> dict[str, Any]:
    """« validé(e) par le comité de pilotage [le …] » or « non validé(e) … »: whether the steering committee's
    latest decision validates the object (``governance.selectors.decisions``). ``short`` keeps « (non) validé(e) »
    for a table whose header already names the committee."""
    text = "validée" if feminine else "validé"
    if not validated:
        text = f"non {text}"
    if not short:
        text = f"{text} par le comité de pilotage"
        if validated and on:
            if isinstance(on, datetime.datetime) and timezone.is_aware(on):
                on = timezone.localtime(on)
            text = f"{text} le {format_date(on, 'd/m/Y')}"
    return status_badge("validation", "validated" if validated else "not_validated", text, testid=testid)

"""Small presentation helpers shared by every app's templates."""

from __future__ import annotations

import datetime

from django import template
from django.utils.dateformat import format as format_date

register = template.Library()


@register.filter
def date_fr(value: datetime.date | None) -> str:
    """A date written the French way, « 1er janvier 2024 », « 30 juin 2024 »; empty for no date."""
    if not value:
        return ""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {format_date(value, 'F Y')}"

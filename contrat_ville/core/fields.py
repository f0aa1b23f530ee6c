"""Model fields whose rule is shared by every app."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


def user_reference(verbose_name: str, *, related_name: str = "+") -> models.ForeignKey[Any, Any]:
    """The user who did something or holds a seat (author, submitter, representative): optional, and emptied when
    the account is deleted, so that the row (a version, an opinion, a seat) outlives its user."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name=related_name,
    )


def optional_reference(
    to: str | type[models.Model],
    verbose_name: str,
    *,
    related_name: str = "+",
    on_delete: Any = models.PROTECT,
    **options: Any,
) -> models.ForeignKey[Any, Any]:
    """An optional link to another row (a pillar, a territory, an indicator, an organisation…): empty when it does
    not apply. By default the row it names cannot be deleted while it is named (``PROTECT``); a link that may simply
    be lost (the stake a duplicate repeats, last year's plan) passes ``on_delete=models.SET_NULL``."""
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        on_delete=on_delete,
        null=True,
        blank=True,
        related_name=related_name,
        **options,
    )

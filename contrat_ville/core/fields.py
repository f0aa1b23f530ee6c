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

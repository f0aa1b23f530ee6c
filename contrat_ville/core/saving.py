"""Saving and deleting a domain row the way every service does: with the acting user named in its history."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models

from contrat_ville.core.services import history_user_set

Row = TypeVar("Row", bound=models.Model)


def save_by(instance: Row, by: Any, *fields: str) -> Row:
    """Save ``instance``, naming ``by`` in its history (django-simple-history); given ``fields``, save only those
    and ``updated_at`` (every row written this way is a ``TimeStampedModel``)."""
    history_user_set(instance, by)
    instance.save(update_fields=[*fields, "updated_at"] if fields else None)
    return instance


def delete_by(instance: models.Model, by: Any) -> None:
    """Delete ``instance``, naming ``by`` in its history: the last line of its history says who deleted it."""
    history_user_set(instance, by)
    instance.delete()

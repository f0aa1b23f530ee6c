"""Erasing a person's personal data on request (RGPD, issue 13 §3): ``manage.py purge_person``.

Each app that holds personal data registers an eraser (``personal_data_erasers``, filled by the apps'
``registrations.register()`` or ``ready()``): given the person, it says what it holds and, when asked to apply,
replaces names, e-mail addresses and other identifying text by « Personne anonymisée » (or empties them) — in the
rows and in their django-simple-history rows. Rows are never deleted: the counts by college, sex and age band that
the councils' registry, the draws and the open data compute stay exactly the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction

from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.registries import Registry

ANONYMISED = "Personne anonymisée"


@dataclass(frozen=True)
class Person:
    """Whom to erase: an e-mail address (accounts, invitations, seats, action leads), a conseil citoyen member's id,
    and whether the user account itself goes (``account``)."""

    email: str = ""
    council_member_id: int | None = None
    account: bool = False

    @property
    def normalised_email(self) -> str:
        return self.email.strip().lower()


# An eraser: (person, apply) → one French line per row found (« membre n° 12 du Conseil citoyen … : nom effacé »).
Eraser = Callable[[Person, bool], list[str]]
personal_data_erasers: Registry[Eraser] = Registry("données personnelles")


def scrub(rows: Iterable[models.Model], values: Mapping[str, Any]) -> int:
    """Give ``values`` to each row and to every historical row of it (django-simple-history), without adding a
    history entry that would keep the old values; returns the number of rows."""
    rows = list(rows)
    if not rows:
        return 0
    model = type(rows[0])
    pks = [row.pk for row in rows]
    model._default_manager.filter(pk__in=pks).update(**values)
    history = getattr(model, "history", None)
    if history is not None:
        history.model.objects.filter(id__in=pks).update(**values)
    return len(rows)


def person_purge(person: Person, *, apply: bool) -> list[str]:
    """What each app holds of ``person`` (dry run), or erase it (``apply``), in one transaction: a failure erases
    nothing."""
    if not person.normalised_email and person.council_member_id is None:
        raise BusinessRuleError("Indiquez une adresse électronique ou un membre de conseil citoyen.")
    with transaction.atomic():
        lines = [line for eraser in personal_data_erasers for line in eraser(person, apply)]
    return lines

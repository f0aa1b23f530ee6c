"""Write helpers shared by every workflow (design.md §5 « workflows with history »)."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping
from datetime import date
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import models

from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.historised import ArchivableModel
from contrat_ville.core.models import StatusChange
from contrat_ville.core.registries import deletion_guards
from contrat_ville.core.selectors import dependants_of


def acting_user(by: Any) -> Any:
    """The signed-in user behind an operation, or ``None`` (anonymous, a command, the demo's loader)."""
    return by if getattr(by, "is_authenticated", False) else None


def required_text(value: str | None, message: str, *, field: str) -> str:
    """``value`` without its surrounding spaces; refused with ``message`` on ``field`` when nothing is left (a
    title, a label, the text of a decision)."""
    value = (value or "").strip()
    if not value:
        raise BusinessRuleError(message, field=field)
    return value


def assign_fields(
    instance: models.Model, fields: Any, *, stripped: Collection[str] = (), leave_out: Collection[str] = ()
) -> None:
    """Copy each field of the dataclass ``fields`` (a service's ``…Fields``, named after the model's fields) onto
    ``instance``, the texts of ``stripped`` without their surrounding spaces; ``leave_out`` names what the caller
    sets itself (a many-to-many relation, a checked text)."""
    for field in dataclasses.fields(fields):
        if field.name in leave_out:
            continue
        value = getattr(fields, field.name)
        setattr(instance, field.name, (value or "").strip() if field.name in stripped else value)


def fields_as_arguments(spec: Any, *, leave_out: Collection[str] = (), **overrides: Any) -> dict[str, Any]:
    """The fields of the dataclass ``spec`` (an entry of a data file, named after a service's arguments) as keyword
    arguments, but ``leave_out``; ``overrides`` give the arguments the entry names only by reference (the objects
    behind its codes)."""
    arguments = {
        field.name: getattr(spec, field.name) for field in dataclasses.fields(spec) if field.name not in leave_out
    }
    return {**arguments, **overrides}


def history_user_set(instance: models.Model, by: Any) -> models.Model:
    """Name who makes the change in the object's history (django-simple-history reads ``_history_user``)."""
    instance.__dict__["_history_user"] = acting_user(by)
    return instance


def status_change(
    *,
    obj: models.Model,
    to_status: str,
    transitions: Mapping[str, frozenset[str] | set[str]],
    labels: Mapping[str, str],
    by: Any = None,
    comment: str = "",
    field: str = "status",
) -> StatusChange:
    """Move ``obj.<field>`` to ``to_status`` if ``transitions`` allows it, and record the change.

    ``transitions`` maps each status to the statuses reachable from it; ``labels`` gives French labels
    for the refusal message. The caller runs inside its own transaction.
    """
    from_status = getattr(obj, field)
    if to_status not in transitions.get(from_status, frozenset()):
        raise BusinessRuleError(
            f"Passage impossible de « {labels.get(from_status, from_status)} » "
            f"à « {labels.get(to_status, to_status)} ».",
            field=field,
        )
    setattr(obj, field, to_status)
    obj.save(update_fields=[field, *(["updated_at"] if hasattr(obj, "updated_at") else [])])
    return StatusChange.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        changed_by=by if getattr(by, "is_authenticated", False) else None,
    )


Archived = TypeVar("Archived", bound=ArchivableModel)


def deletion_refusal(obj: models.Model) -> str | None:
    """Why ``obj`` may not be deleted, or ``None``: a registered guard's reason (a decision targets it), or the
    objects that still point at it (``selectors.dependants_of``). What may not be deleted may be archived."""
    for guard in deletion_guards:
        reason = guard.reason(obj)
        if reason:
            return reason
    dependants = dependants_of(obj)
    if dependants:
        listed = ", ".join(f"{count} {name}" for name, count in dependants)
        return f"« {obj} » est utilisé ({listed}) : il ne peut pas être supprimé, archivez-le."
    return None


def object_delete(*, obj: models.Model, by: Any = None) -> None:
    """Delete an object nobody depends on, or refuse in French (``deletion_refusal``). The deletion is recorded in
    the object's history (django-simple-history keeps a « - » record with its author) when it has one."""
    refusal = deletion_refusal(obj)
    if refusal:
        raise BusinessRuleError(refusal)
    history_user_set(obj, by)
    obj.delete()


def object_archive(*, obj: Archived, on: date, by: Any = None) -> Archived:
    """Archive a row that may no longer be deleted (``core.historised.ArchivableModel``): it leaves the forms and
    lists, stays where it is cited, and its history records who archived it."""
    if obj.archived_on is not None:
        raise BusinessRuleError(f"« {obj} » est déjà archivé.")
    obj.archived_on = on
    history_user_set(obj, by)
    obj.save(update_fields=["archived_on", "updated_at"])
    return obj

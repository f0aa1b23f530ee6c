"""Reads shared by every workflow."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from contrat_ville.core.models import ImportBatch, StatusChange


def given(**lookups: Any) -> dict[str, Any]:
    """The lookups of the filters actually given (neither None nor empty): ``queryset.filter(**given(code=code))``
    for a list's optional filters."""
    return {lookup: value for lookup, value in lookups.items() if value is not None and value != ""}


def generic_keys_condition(keys: Iterable[tuple[int, int]]) -> models.Q:
    """The rows of a generic relation (``content_type``, ``object_id``) on one of ``keys`` — (content type id,
    object id) —, one ``IN`` per content type (an empty ``Q`` matches every row: callers check ``keys`` first)."""
    by_type: dict[int, list[int]] = defaultdict(list)
    for content_type_id, object_id in keys:
        by_type[content_type_id].append(object_id)
    condition = models.Q()
    for content_type_id, ids in by_type.items():
        condition |= models.Q(content_type_id=content_type_id, object_id__in=ids)
    return condition


def objects_by_key(
    keys: Iterable[tuple[int, int]], *, related: Mapping[type[models.Model], tuple[str, ...]] | None = None
) -> dict[tuple[int, int], models.Model]:
    """The objects of ``keys`` — (content type id, object id) —, keyed alike, one query per model (``related``
    names the relations to load with a model's objects). Objects of a deleted model, or deleted, are left out."""
    wanted: dict[int, set[int]] = defaultdict(set)
    for content_type_id, object_id in keys:
        wanted[content_type_id].add(object_id)
    found: dict[tuple[int, int], models.Model] = {}
    for content_type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        objects = model._base_manager.filter(pk__in=ids)
        if related and model in related:
            objects = objects.select_related(*related[model])
        for obj in objects:
            found[(content_type_id, obj.pk)] = obj
    return found


def status_history(obj: models.Model) -> models.QuerySet[StatusChange]:
    """The status changes of ``obj``, oldest first, with their author (one query)."""
    return StatusChange.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("changed_by")


def dependants_of(obj: models.Model) -> list[tuple[str, int]]:
    """What other objects still point at ``obj`` (verbose name, count), which forbids deleting it (issue 10 §6).

    Reverse foreign keys that protect ``obj`` or would be emptied (``PROTECT``, ``SET_NULL``…) and many-to-many
    links from other objects count; ``CASCADE`` children are ``obj``'s own parts (its versions, its rows), deleted
    with it, and history records do not count.
    """
    return dependants_of_many([obj]).get(obj.pk, [])


def _blocking_relations(model: type[models.Model]) -> list[Any]:
    relations = []
    for relation in model._meta.related_objects:
        related_model = relation.related_model
        if isinstance(related_model, str):
            continue
        if related_model._meta.app_label == "contenttypes" or related_model.__name__.startswith("Historical"):
            continue
        if relation.one_to_many and relation.on_delete is models.CASCADE:
            continue
        relations.append(relation)
    return relations


def dependants_of_many(objects: Iterable[models.Model]) -> dict[Any, list[tuple[str, int]]]:
    """``dependants_of`` for several objects of one model, keyed by primary key: one grouped query per relation
    of the model, whatever the number of objects (a list page asks it for all its rows)."""
    objects = list(objects)
    if not objects:
        return {}
    ids = [obj.pk for obj in objects]
    found: dict[Any, list[tuple[str, int]]] = {}
    for relation in _blocking_relations(type(objects[0])):
        related_model = relation.related_model
        field_name = relation.field.name
        counts = (
            related_model._default_manager.filter(**{f"{field_name}__in": ids})
            .values(field_name)
            .annotate(count=models.Count("pk", distinct=True))
            .values_list(field_name, "count")
        )
        meta = related_model._meta
        for pk, count in counts:
            if count:
                name = meta.verbose_name_plural if count > 1 else meta.verbose_name
                found.setdefault(pk, []).append((str(name), count))
    return found


@dataclass(frozen=True)
class StatusRow:
    """A status change as a history table shows it: the recorded change with its statuses' French labels."""

    change: StatusChange
    from_label: str
    to_label: str

    @property
    def at(self) -> datetime:
        return self.change.changed_at

    @property
    def who(self) -> str:
        return self.change.changed_by.display_name if self.change.changed_by is not None else "—"

    @property
    def comment(self) -> str:
        return self.change.comment


def status_rows(obj: models.Model) -> list[StatusRow]:
    """The status changes of ``obj``, oldest first, labelled with the choices of its ``status`` field (one query)."""
    labels = {str(value): str(label) for value, label in obj._meta.get_field("status").choices or []}  # type: ignore[union-attr]
    return [
        StatusRow(
            change=change,
            from_label=labels.get(change.from_status, change.from_status or "—"),
            to_label=labels.get(change.to_status, change.to_status),
        )
        for change in status_history(obj)
    ]


def _scope_filter(scope: models.Model | None) -> models.Q:
    if scope is None:
        return models.Q(scope_type__isnull=True)
    return models.Q(scope_type=ContentType.objects.get_for_model(scope), scope_id=scope.pk)


def import_batch_list(
    *, scope: models.Model | None, importers: Iterable[str] | None = None, limit: int = 50
) -> list[ImportBatch]:
    """The imports of private data owned by ``scope`` (a contract), newest first, with their author (one query)."""
    batches = ImportBatch.objects.filter(_scope_filter(scope)).select_related("imported_by")
    if importers is not None:
        batches = batches.filter(importer__in=list(importers))
    return list(batches[:limit])


def import_batch_get(*, pk: int, scope: models.Model, by: Any = None) -> ImportBatch | None:
    """One import seen from ``scope``'s pages: a batch of ``scope``'s private data, or a batch of public data that
    ``by`` imported from there; None otherwise (never another contract's batch)."""
    visible = _scope_filter(scope)
    if getattr(by, "is_authenticated", False):
        visible |= models.Q(scope_type__isnull=True, imported_by=by)
    return ImportBatch.objects.filter(visible, pk=pk).select_related("imported_by").first()

"""Form base classes: every form of the platform derives from these (checked by a convention test).

They carry the DSFR rendering, so that Python outside ``ui`` never imports ``dsfr``.
"""

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import QuerySet
from dsfr.forms import DsfrBaseForm, DsfrBoundField
from dsfr.utils import dsfr_input_class_attr

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

Fields = TypeVar("Fields", bound="DataclassInstance")


class DateInput(forms.DateInput):
    """The browser's date picker (``<input type="date">``), which sends and shows ISO dates."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


@dataclass(frozen=True)
class InOrder:
    """Two fields of a form that may not go backwards: when both are given, ``then`` is not before ``first``
    (an end and its start, a target year and its baseline). ``message`` goes on ``then``; ``{first}`` and
    ``{then}`` in it stand for the values."""

    first: str
    then: str
    message: str


class Form(DsfrBaseForm):
    """A DSFR form. Optional fields are marked, as the DSFR now recommends; the pairs of ``in_order`` are
    checked."""

    in_order: ClassVar[tuple[InOrder, ...]] = ()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for pair in self.in_order:
            first, then = cleaned.get(pair.first), cleaned.get(pair.then)
            if first is not None and then is not None and then < first:
                self.add_error(pair.then, pair.message.format(first=first, then=then))
        return cleaned

    @classmethod
    def initial_from(cls, row: models.Model, **others: Any) -> dict[str, Any]:
        """The initial values of the form that edits ``row``: each of the form's fields that is a field of the
        row, under the same name (a foreign key by its id, a many-to-many field by the ids of its rows), then
        ``others`` (what the row does not hold as is)."""
        initial: dict[str, Any] = {}
        for name in cls.base_fields:
            try:
                field = row._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if isinstance(field, models.ManyToManyField):
                initial[name] = [related.pk for related in getattr(row, name).all()]
            elif isinstance(field, models.Field):
                initial[name] = getattr(row, field.attname)
        return {**initial, **others}

    def get_context(self) -> dict[str, Any]:
        context = forms.Form.get_context(self)
        context["DSFR_MARK_OPTIONAL_FIELDS"] = True
        return context


class ModelForm(forms.ModelForm):
    """A DSFR model form, with the same rendering as ``Form``."""

    template_name = "dsfr/form_snippet.html"
    bound_field_class = DsfrBoundField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for visible in self.visible_fields():
            dsfr_input_class_attr(visible)

    def get_context(self) -> dict[str, Any]:
        context = super().get_context()
        context["DSFR_MARK_OPTIONAL_FIELDS"] = True
        return context


def fields_from(data: Mapping[str, Any], fields_class: type[Fields], **overrides: Any) -> Fields:
    """What a service takes (``ActionFields``, ``CreditFields``…) from a form's cleaned data of the same names, but
    ``overrides`` (what the form does not hold as is); a multiple selection is given as a list."""
    values = {
        field.name: data[field.name] for field in dataclasses.fields(fields_class) if field.name not in overrides
    }
    values = {name: list(value) if isinstance(value, QuerySet) else value for name, value in values.items()}
    return fields_class(**values, **overrides)

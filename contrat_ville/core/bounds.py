"""The bounds of a model field, read once from the model, for the web forms and the API schemas alike.

A form or an API schema that takes a value stored in a model field asks this module for the field's bounds
(``form_field``, ``schema_field``) instead of writing ``max_length=255`` or ``le=100`` again, so the three cannot
drift: the model's ``max_length``, its ``MinValueValidator``/``MaxValueValidator``, its choices and its other
validators (e-mail, URL…) are enforced before the value reaches the database, with a French message.

Integer columns also get the range that every supported database can store (PostgreSQL's, the narrowest; SQLite
stores 64 bits), whichever database runs: a number that PostgreSQL would refuse is refused on SQLite too, and the
OpenAPI document does not depend on the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core import validators as django_validators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from pydantic import AfterValidator, Field
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError, PydanticUndefined

# Django's own range validators (added per connection) and length validators are replaced by the portable
# bounds below; every other validator of the field runs as is.
_BOUND_VALIDATORS = (
    django_validators.MinValueValidator,
    django_validators.MaxValueValidator,
    django_validators.MaxLengthValidator,
)

FIRST_YEAR = 1900
LAST_YEAR = 2100
"""Dates typed by people (meetings, actions, deadlines) fall within these years: a year 1 or 9999 is a typing
error, and some (year 1 in a time zone east of UTC) cannot even be stored."""


def validate_plausible_date(value: date | datetime) -> None:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            f"Date invraisemblable : l'année doit être comprise entre {FIRST_YEAR} et {LAST_YEAR}.",
            code="implausible_date",
        )


BIGGEST_ID = BaseDatabaseOperations.integer_field_ranges["BigAutoField"][1]
"""The largest identifier a table can hold (64 bits): a bigger one in a URL or a filter is refused, never sent."""


@dataclass(frozen=True)
class Bounds:
    """What a value must satisfy to be stored in one model field."""

    min_value: int | Decimal | None = None
    max_value: int | Decimal | None = None
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    validators: tuple[Any, ...] = field(default=())


def _portable_integer_range(model_field: models.Field[Any, Any]) -> tuple[int | None, int | None]:
    internal_type = model_field.get_internal_type()
    return BaseDatabaseOperations.integer_field_ranges.get(internal_type, (None, None))


def field_bounds(model: type[models.Model], name: str) -> Bounds:
    """The bounds of ``model.name``: length, range (declared validators, then the column's range), choices."""
    model_field = model._meta.get_field(name)
    assert isinstance(model_field, models.Field), f"{model.__name__}.{name} n'est pas un champ"
    # The validators the field declares, without those Django adds for the current connection's integer range.
    declared = [*model_field.default_validators, *getattr(model_field, "_validators", [])]
    low, high = _portable_integer_range(model_field)
    min_value: Any = low
    max_value: Any = high
    for validator in declared:
        limit = getattr(validator, "limit_value", None)
        if isinstance(validator, django_validators.MinValueValidator) and not callable(limit):
            min_value = limit if min_value is None else max(min_value, limit)
        elif isinstance(validator, django_validators.MaxValueValidator) and not callable(limit):
            max_value = limit if max_value is None else min(max_value, limit)
    if isinstance(model_field, models.DecimalField) and model_field.max_digits is not None:
        places = model_field.decimal_places or 0
        largest = Decimal(10) ** (model_field.max_digits - places) - Decimal(10) ** -places
        min_value = -largest if min_value is None else max(min_value, -largest)
        max_value = largest if max_value is None else min(max_value, largest)
    choices = tuple(str(value) for value, _label in model_field.flatchoices) if model_field.choices else ()
    others = tuple(validator for validator in declared if not isinstance(validator, _BOUND_VALIDATORS))
    return Bounds(
        min_value=min_value,
        max_value=max_value,
        max_length=getattr(model_field, "max_length", None),
        choices=choices,
        validators=others,
    )


# --- web forms ---------------------------------------------------------------------------------------------------


def form_field(model: type[models.Model], name: str, **kwargs: Any) -> forms.Field:
    """The form field of ``model.name`` with its bounds (length, range, choices, validators) and French messages.

    ``kwargs`` go to the model field's ``formfield()`` (label, required, widget, help_text…); bounds given there
    may only narrow the model's.
    """
    bounds = field_bounds(model, name)
    model_field = model._meta.get_field(name)
    assert isinstance(model_field, models.Field)
    if isinstance(model_field, models.IntegerField | models.DecimalField | models.FloatField):
        if bounds.min_value is not None:
            kwargs["min_value"] = max(kwargs.get("min_value", bounds.min_value), bounds.min_value)
        if bounds.max_value is not None:
            kwargs["max_value"] = min(kwargs.get("max_value", bounds.max_value), bounds.max_value)
    form_field_ = model_field.formfield(**kwargs)
    assert form_field_ is not None, f"{model.__name__}.{name} n'a pas de champ de formulaire"
    form_field_.validators.extend(
        validator for validator in bounds.validators if validator not in form_field_.validators
    )
    if isinstance(model_field, models.DateField):  # DateTimeField is a DateField
        form_field_.validators.append(validate_plausible_date)
    return form_field_


# --- API schemas -------------------------------------------------------------------------------------------------


def _django_validators(validators: tuple[Any, ...]) -> Any:
    """Run Django validators on a value parsed by pydantic, with their (French) messages."""

    def run(value: Any) -> Any:
        if value in (None, ""):
            return value
        for validator in validators:
            try:
                validator(value)
            except ValidationError as error:
                raise PydanticCustomError("django_validator", " ".join(error.messages)) from error
        return value

    return AfterValidator(run)


def schema_field(model: type[models.Model], name: str, default: Any = PydanticUndefined, **kwargs: Any) -> Any:
    """A django-ninja (pydantic) field for a value stored in ``model.name``, with the model's bounds.

    The bounds appear in the OpenAPI document (``maxLength``, ``minimum``, ``maximum``) and are checked on input;
    the model's other validators (e-mail, URL…) run too. ``kwargs`` go to ``pydantic.Field`` (description…).
    """
    bounds = field_bounds(model, name)
    constraints: dict[str, Any] = {}
    if bounds.max_length is not None:
        constraints["max_length"] = bounds.max_length
    if bounds.min_value is not None:
        constraints["ge"] = bounds.min_value
    if bounds.max_value is not None:
        constraints["le"] = bounds.max_value
    info: FieldInfo = Field(default, **{**constraints, **kwargs})
    validators = bounds.validators
    model_field = model._meta.get_field(name)
    if isinstance(model_field, models.DateField):
        validators = (*validators, validate_plausible_date)
    if validators:
        info.metadata.append(_django_validators(validators))
    return info

"""API shapes shared by every router (django-ninja): the one error shape, identifiers, inputs, pagination.

Every error answer of the API (400, 401, 403, 404, 422) has one shape, ``ErrorOut``: ``detail``, a French sentence
meant for the user, and, for input that failed validation, ``errors``, one entry per field with its location
(« body.title », « query.page », « path.contract_id ») and a French message. Every operation declares the error
answers it can give with ``errors(...)``, so the OpenAPI document says what the API does.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Self

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination
from pydantic import (
    AfterValidator,
    AliasPath,
    AwareDatetime,
    BeforeValidator,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from contrat_ville.core.bounds import BIGGEST_ID, validate_plausible_date


class FieldErrorOut(Schema):
    location: str = Field(description="Où se trouve la valeur refusée : « body.title », « query.page »…")
    message: str = Field(description="Pourquoi elle est refusée, en français.")


class ErrorOut(Schema):
    detail: str = Field(description="Message d'erreur en français, à montrer tel quel.")
    errors: list[FieldErrorOut] | None = Field(
        None, description="Pour une requête invalide (422) : une entrée par valeur refusée."
    )


ERROR_DESCRIPTIONS = {
    400: "Corps de la requête illisible : un objet JSON est attendu.",
    401: "Jeton absent (l'opération demande un compte), inconnu ou révoqué.",
    403: "Le rôle de l'appelant sur le contrat ne permet pas cette action.",
    404: "Introuvable, ou hors des contrats visibles de l'appelant (même réponse dans les deux cas).",
    422: "Requête invalide (paramètre, corps) ou règle métier refusée : le message dit pourquoi.",
    429: "Trop de requêtes : limite de débit atteinte ; l'en-tête Retry-After dit combien de secondes attendre.",
}


def errors(*status_codes: int) -> dict[int, Any]:
    """The error answers an operation declares, for ``response={200: X, **errors(401, 404, 422)}``."""
    unknown = set(status_codes) - set(ERROR_DESCRIPTIONS)
    assert not unknown, f"codes d'erreur non documentés : {unknown}"
    return dict.fromkeys(status_codes, ErrorOut)


# Read operations: any caller may give an unknown or revoked token (401), name what it cannot see (404) or send
# a malformed parameter (422). Writes add an unreadable body (400) and a role that may not act (403).
READ_ERRORS = errors(401, 404, 422)
WRITE_ERRORS = errors(400, 401, 403, 404, 422)


# --- inputs -------------------------------------------------------------------------------------------------------


def _no_nul(value: str) -> str:
    # PostgreSQL cannot store the NUL character in a text column; Django's forms refuse it the same way.
    if "\x00" in value:
        raise PydanticCustomError("null_character", "Les caractères nuls ne sont pas autorisés.")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]
"""A text parameter (query or path): no NUL character."""


def _plausible(value: Any) -> Any:
    try:
        validate_plausible_date(value)
    except DjangoValidationError as error:
        raise PydanticCustomError("implausible_date", error.messages[0]) from error
    return value


DateIn = Annotated[date, AfterValidator(_plausible)]
"""A date typed by a person: between 1900 and 2100."""

DateTimeIn = Annotated[AwareDatetime, AfterValidator(_plausible)]
"""A moment typed by a person: with its time zone, between 1900 and 2100."""

Id = Annotated[int, Field(ge=1, le=BIGGEST_ID)]
"""An object's identifier in a path or a filter: a positive 64-bit integer (a bigger one is refused, never sent
to the database)."""


def _strings_without_nul(value: Any) -> Any:
    if isinstance(value, str):
        return _no_nul(value)
    if isinstance(value, list):
        return [_strings_without_nul(item) for item in value]
    return value


class InputSchema(Schema):
    """Base of every API input (bodies and filters): no text may hold a NUL character."""

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_nul(cls, value: Any) -> Any:
        return _strings_without_nul(value)


# --- outputs ------------------------------------------------------------------------------------------------------


class OutputSchema(Schema):
    """Base of the API answers read from an object's attributes, with ``resolve_<field>`` static methods and
    ``Field(validation_alias=...)`` (« get_status_display ») for what the object names otherwise.

    An answer already built (``Out.model_validate(obj, context=...)``) is taken as it is: ninja would read it again
    as an object when it checks the response, looking for the aliases and running the resolvers on it."""

    @model_validator(mode="wrap")
    @classmethod
    def _built_already(cls, value: Any, handler: Any, info: ValidationInfo) -> Any:
        return value if isinstance(value, cls) else handler(value)

    @classmethod
    def of(cls, obj: Any, **values: Any) -> Self:
        """The answer read from ``obj``'s attributes, ``values`` standing for what ``obj`` does not hold itself (a
        selector's computed figures, the row it came in)."""
        return cls.model_validate(_Attributes(obj, values))


def _identifiers(objects: Any) -> Any:
    return [getattr(obj, "pk", obj) for obj in objects]


RelatedIds = Annotated[list[int], BeforeValidator(_identifiers)]
"""The identifiers of a to-many relation's objects, read from the relation as prefetched:
``council_ids: RelatedIds = Field(validation_alias="councils")``."""


def content_type_label(content_type: ContentType | int) -> str:
    """« app.modèle » of a content type, or of its identifier (Django caches them)."""
    if not isinstance(content_type, ContentType):
        content_type = ContentType.objects.get_for_id(content_type)
    return f"{content_type.app_label}.{content_type.model}"


ModelLabel = Annotated[str, BeforeValidator(content_type_label)]
"""The kind of a generic relation's object, « app.modèle », read from its content type or its identifier:
``target_type: ModelLabel = Field(validation_alias="target_type_id")``."""


class VerdictOut(OutputSchema):
    """A decision of the comité de pilotage (``governance.models.Decision``, its meeting and body loaded) as the
    object it decides shows it: the strategy's validations, the evaluations' commissions."""

    verdict: str
    verdict_label: str = Field(validation_alias="get_verdict_display")
    decided_on: date
    body_name: str = Field(validation_alias=AliasPath("meeting", "body", "name"))

    @staticmethod
    def resolve_decided_on(decision: Any) -> date:
        return timezone.localdate(decision.meeting.starts_at)


class _Attributes:
    """``obj``'s attributes, and ``values`` in front of them."""

    def __init__(self, obj: Any, values: dict[str, Any]) -> None:
        self._obj = obj
        self._values = values

    def __getattr__(self, name: str) -> Any:
        return self._values[name] if name in self._values else getattr(self._obj, name)


# --- pagination ---------------------------------------------------------------------------------------------------

MAX_PAGE = 1_000_000


class Pagination(PageNumberPagination):
    """Page-number pagination whose page number stays within what a database offset can hold."""

    class Input(InputSchema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="Numéro de page, à partir de 1.")
        page_size: int | None = Field(
            None, ge=1, le=1000, description="Taille de page ; plafonnée par chaque opération."
        )

"""One NinjaAPI for the platform, mounted under /api/v1/; each app contributes a router.

Every error answer has one shape (``contrat_ville.core.schemas.ErrorOut``): ``{"detail": "<French sentence>"}``,
plus ``errors`` (location and French message of each refused value) when the input failed validation. The
handlers below turn django-ninja's and pydantic's English answers into that shape.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from contrat_ville.accounts.api_auth import AccountApiThrottle, AnonymousApiThrottle, BearerTokenOrSession
from contrat_ville.contracts.api import router as contracts_router
from contrat_ville.core.schemas import ERROR_DESCRIPTIONS
from contrat_ville.diagnostic.api import router as diagnostic_router
from contrat_ville.funding.api import router as funding_router
from contrat_ville.funding.call_api import router as calls_router
from contrat_ville.governance.api import router as governance_router
from contrat_ville.observation.api import router as observation_router
from contrat_ville.participation.api import councils_router as participation_councils_router
from contrat_ville.participation.api import draws_router as participation_draws_router
from contrat_ville.participation.api import router as participation_router
from contrat_ville.reporting.api import router as reporting_router
from contrat_ville.reporting.evaluations.api import router as evaluations_router
from contrat_ville.resources.api import router as resources_router
from contrat_ville.strategy.api import router as strategy_router
from contrat_ville.territories.api import router as territories_router


class PlatformAPI(NinjaAPI):
    """The platform's NinjaAPI: error answers are described in French in the OpenAPI document."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                # Every operation is rate-limited (``accounts.api_auth``): 429 in the error shape.
                responses.setdefault(
                    429,
                    {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}},
                )
                for code, response in responses.items():
                    if int(code) in ERROR_DESCRIPTIONS:
                        response["description"] = ERROR_DESCRIPTIONS[int(code)]
        return schema


class PlatformSwagger(Swagger):
    """django-ninja's Swagger UI page, declared in French (``<html lang="fr">``): the page ninja ships has no
    language, which assistive technologies need to read the French descriptions (WCAG 3.1.1). Its template is
    ninja's own, so that an upgrade of ninja brings its page; only the opening tag is completed."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        response = super().render_page(request, api, **kwargs)
        response.content = response.content.replace(b"<html>", b'<html lang="fr">', 1)
        return response


api = PlatformAPI(
    title="API de la plateforme des contrats de ville",
    version="1",
    description=(
        "API publique et partenaire des contrats de ville. Authentification : `Authorization: Bearer <jeton>` "
        "(jeton créé par `manage.py create_api_token EMAIL`). Sans jeton, seules les données publiées sont "
        "accessibles.\n\n"
        'Erreurs : toute réponse d\'erreur (400, 401, 403, 404, 422, 429) a la forme `{"detail": "message en '
        'français"}` ; une requête invalide (422) porte aussi `errors`, une entrée par valeur refusée, avec sa place '
        "(`body.title`, `query.page`, `path.contract_id`) et son message.\n\n"
        "Limites de débit : un appelant anonyme (par adresse) et un compte (jeton ou session) ont chacun un nombre "
        "de requêtes par minute ; au-delà, 429 avec l'en-tête `Retry-After` (secondes à attendre)."
    ),
    auth=BearerTokenOrSession(),
    throttle=[AnonymousApiThrottle(), AccountApiThrottle()],
    urls_namespace="api-1",
    docs=PlatformSwagger(),
)
api.add_router("/territories", territories_router)
api.add_router("/contracts", contracts_router)
api.add_router("/contracts", governance_router)
api.add_router("/contracts", participation_router)
api.add_router("/councils", participation_councils_router)
api.add_router("/draws", participation_draws_router)
api.add_router("/contracts", diagnostic_router)
api.add_router("/contracts", strategy_router)
api.add_router("/contracts", funding_router)
api.add_router("/contracts", calls_router)
api.add_router("/contracts", reporting_router)
api.add_router("/contracts", evaluations_router)
api.add_router("/resources", resources_router)
# /indicators, /indicator-values and /territories/{kind}/{code}/portrait
api.add_router("/", observation_router)


# --- errors -------------------------------------------------------------------------------------------------------

UNAUTHORIZED_MESSAGE = (
    "Authentification requise : donnez un jeton d'API valide (« Authorization: Bearer <jeton> »). Un jeton inconnu "
    "ou révoqué est refusé."
)
NOT_FOUND_MESSAGE = "Ressource introuvable."
INVALID_MESSAGE = "Requête invalide"

# pydantic's error types, in French. ``{…}`` takes the error's context (limits, expected values).
VALIDATION_MESSAGES = {
    "missing": "Valeur obligatoire.",
    "int_parsing": "Nombre entier attendu.",
    "int_type": "Nombre entier attendu.",
    "int_from_float": "Nombre entier attendu (sans décimales).",
    "float_parsing": "Nombre attendu.",
    "float_type": "Nombre attendu.",
    "finite_number": "Nombre fini attendu.",
    "decimal_parsing": "Nombre décimal attendu.",
    "decimal_type": "Nombre décimal attendu.",
    "bool_parsing": "Booléen attendu (true ou false).",
    "bool_type": "Booléen attendu (true ou false).",
    "string_type": "Texte attendu.",
    "string_too_long": "{max_length} caractères au plus.",
    "string_too_short": "{min_length} caractère(s) au moins.",
    "string_pattern_mismatch": "Format invalide.",
    "greater_than_equal": "La valeur doit être supérieure ou égale à {ge}.",
    "greater_than": "La valeur doit être supérieure à {gt}.",
    "less_than_equal": "La valeur doit être inférieure ou égale à {le}.",
    "less_than": "La valeur doit être inférieure à {lt}.",
    "enum": "Valeur inconnue : valeurs admises {expected}.",
    "literal_error": "Valeur inconnue : valeurs admises {expected}.",
    "date_parsing": "Date attendue au format AAAA-MM-JJ.",
    "date_type": "Date attendue au format AAAA-MM-JJ.",
    "date_from_datetime_parsing": "Date attendue au format AAAA-MM-JJ.",
    "date_from_datetime_inexact": "Date attendue au format AAAA-MM-JJ, sans heure.",
    "datetime_parsing": "Date et heure attendues au format ISO 8601 (AAAA-MM-JJTHH:MM:SS+01:00).",
    "datetime_type": "Date et heure attendues au format ISO 8601 (AAAA-MM-JJTHH:MM:SS+01:00).",
    "datetime_from_date_parsing": "Date et heure attendues au format ISO 8601 (AAAA-MM-JJTHH:MM:SS+01:00).",
    "timezone_aware": "Précisez le fuseau horaire (par exemple +01:00 ou Z).",
    "list_type": "Liste attendue.",
    "too_long": "{max_length} éléments au plus.",
    "too_short": "{min_length} élément(s) au moins.",
    "dict_type": "Objet attendu.",
    "model_type": "Objet attendu.",
    "model_attributes_type": "Objet attendu.",
    "json_invalid": "Corps JSON invalide.",
    "json_type": "Corps JSON attendu.",
    "extra_forbidden": "Champ inconnu.",
    "url_parsing": "Adresse web invalide.",
    "url_scheme": "Adresse web invalide : http ou https attendu.",
}
# Error types raised by our own validators (``contrat_ville.core.schemas``, ``core.bounds``): already in French.
FRENCH_ERROR_TYPES = frozenset({"null_character", "django_validator", "implausible_date"})


def validation_message(error: dict[str, Any]) -> str:
    """The French message of one pydantic error (our own validators already speak French)."""
    template = VALIDATION_MESSAGES.get(error.get("type", ""))
    if template is None:
        # Our validators (``PydanticCustomError``, Django validators) write French; anything else is not shown.
        return error["msg"] if error.get("type") in FRENCH_ERROR_TYPES else "Valeur invalide."
    context = error.get("ctx") or {}
    try:
        # pydantic lists expected values in English (« 'a', 'b' or 'c' »).
        return template.format(**{key: str(value).replace("' or '", "' ou '") for key, value in context.items()})
    except (KeyError, IndexError):
        return template.split(":")[0].split("{")[0].strip() or "Valeur invalide."


def error_location(loc: Iterable[Any]) -> str:
    """« body.title », « query.page », « path.contract_id »: where the value was, without ninja's argument name."""
    parts = [str(part) for part in loc]
    # ninja puts the view's argument name after the source for a schema argument (« body, payload, title »).
    if len(parts) >= 3 and parts[0] == "body":
        parts = [parts[0], *parts[2:]]
    return ".".join(parts)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    entries = [
        {"location": error_location(error.get("loc", ())), "message": validation_message(error)}
        for error in exc.errors
    ]
    detail = f"{INVALID_MESSAGE} : " + " ; ".join(f"{entry['location']} : {entry['message']}" for entry in entries)
    return api.create_response(request, {"detail": detail, "errors": entries}, status=422)


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": UNAUTHORIZED_MESSAGE}, status=401)


THROTTLED_MESSAGE = "Trop de requêtes : la limite de débit de l'API est atteinte."


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    # django-ninja adds Retry-After (whole seconds) to this answer.
    wait = f" Réessayez dans {math.ceil(exc.wait)} s." if exc.wait is not None else " Réessayez plus tard."
    return api.create_response(request, {"detail": THROTTLED_MESSAGE + wait}, status=429)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # Our own HttpErrors carry a French message; django-ninja raises 400 (« Cannot parse request body ») itself.
    detail = ERROR_DESCRIPTIONS[400] if exc.status_code == 400 else str(exc)
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # Selectors raise Http404 with a French message (« Contrat introuvable. »), the same whether the object
    # exists outside the caller's tenancy or not at all.
    return api.create_response(request, {"detail": str(exc) or NOT_FOUND_MESSAGE}, status=404)

"""The tenancy gate of every contract page and endpoint, built on the tenancy selector.

- ``contract_view``: the view decorator of every contract page;
- ``api_contract_access`` and ``business_rules_as_http``: the same rules for the JSON API (django-ninja).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja.errors import AuthenticationError, HttpError

from contrat_ville.contracts.selectors import ContractAccess, contract_access, contract_access_by_id
from contrat_ville.core.exceptions import BusinessRuleError

ROLE_FORBIDDEN_MESSAGE = "Votre rôle sur ce contrat ne permet pas cette action."


def contract_view(
    *, private: bool = True, roles: tuple[str, ...] | None = None
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Resolve ``contract_slug`` into ``request.contract`` and ``request.access``.

    - ``private=True``: members only (404 for anyone else, whether the contract exists or not);
    - ``private=False``: also the public page of a published contract;
    - ``roles``: members whose role is not listed get 403 (they see the contract, may not act).
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, contract_slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
            access = contract_access(user=request.user, slug=contract_slug, private=private)
            if roles is not None and not access.has_role(*roles):
                raise PermissionDenied(ROLE_FORBIDDEN_MESSAGE)
            request.contract = access.contract  # type: ignore[attr-defined]
            request.access = access  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        wrapper.contract_view_private = private  # type: ignore[attr-defined]
        return wrapper

    return decorator


# --- API ------------------------------------------------------------------------------------------------------


def api_caller(request: HttpRequest) -> Any:
    """Who calls the API: the token's (or the session's) user, anonymous, or ``None``."""
    return getattr(request, "auth", None)


def api_user(request: HttpRequest) -> Any:
    """The authenticated caller, or 401 for anonymous calls (same rule as ``accounts.api_auth.require_user``)."""
    user = api_caller(request)
    if user is None or not getattr(user, "is_authenticated", False):
        raise AuthenticationError()
    return user


def api_contract_access(
    request: HttpRequest,
    contract_id: int,
    *,
    private: bool,
    roles: Collection[str] | None = None,
    forbidden: str = ROLE_FORBIDDEN_MESSAGE,
) -> ContractAccess:
    """The caller's access to a contract, for an endpoint (the API's ``contract_view``).

    - ``private=True``: members only: 401 for anonymous calls, 404 for anyone else, whether the contract exists
      or not;
    - ``private=False``: also anonymous callers on a published contract (404 otherwise);
    - ``roles``: a member whose role is not listed gets 403 with the ``forbidden`` message.
    """
    user = api_user(request) if private else api_caller(request)
    access = contract_access_by_id(user=user, contract_id=contract_id, private=private)
    if roles is not None and not access.has_role(*roles):
        raise HttpError(403, forbidden)
    return access


@contextmanager
def business_rules_as_http() -> Iterator[None]:
    """A business rule refused by a service becomes a 422 carrying its French message."""
    try:
        yield
    except BusinessRuleError as error:
        raise HttpError(422, error.message) from error

"""The view decorator built on the tenancy selector: every contract page goes through it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from contrat_ville.contracts.selectors import contract_access


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
                raise PermissionDenied("Votre rôle sur ce contrat ne permet pas cette action.")
            request.contract = access.contract  # type: ignore[attr-defined]
            request.access = access  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        wrapper.contract_view_private = private  # type: ignore[attr-defined]
        return wrapper

    return decorator

"""The tenancy gate of every contract page and endpoint, built on the tenancy selector and the permission predicates.

- ``contract_view``: the view decorator of every contract page; it sets ``request.contract`` and ``request.access``
  on a ``ContractRequest``;
- ``platform_view``: the gate of a page outside any contract (opening a contract's space);
- ``require``: refuse (403) when a predicate refuses an action on an object;
- ``api_contract_access``, ``api_require`` and ``business_rules_as_http``: the same rules for the JSON API;
  ``api_removal``, the body of an endpoint that deletes or archives an object of a contract.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from functools import wraps
from typing import Any, Concatenate, ParamSpec, cast

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from ninja import Status
from ninja.errors import AuthenticationError, HttpError

from contrat_ville.accounts.selectors import has_confirmed_device, is_two_factor_verified
from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.permissions import Predicate
from contrat_ville.contracts.selectors import ContractAccess, contract_access, contract_access_by_id
from contrat_ville.core.exceptions import BusinessRuleError

P = ParamSpec("P")


class ContractRequest(HttpRequest):
    """A request to a contract page, once ``contract_view`` has resolved the contract and the caller's access."""

    contract: Contract
    access: ContractAccess


ContractViewFunc = Callable[..., HttpResponse]


def contract_view(
    *, private: bool = True, permission: Predicate[...] | None = None
) -> Callable[[ContractViewFunc], ContractViewFunc]:
    """Resolve ``contract_slug`` into ``request.contract`` and ``request.access``.

    - ``private=True``: members only (404 for anyone else, whether the contract exists or not);
    - ``private=False``: also the public page of a published contract;
    - ``permission``: the predicate the page exists for; a member whose role it does not admit gets 403 (they see
      the contract, may not act). Its object condition is asked by the view once it holds the object
      (``require``). The access-matrix test reads it from the view (``view.contract_view_permission``).
    """

    def decorator(view: ContractViewFunc) -> ContractViewFunc:
        @wraps(view)
        def wrapper(request: HttpRequest, contract_slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
            access = contract_access(user=request.user, slug=contract_slug, private=private)
            if _lacks_second_factor(access, request.user):
                if private or not access.contract.is_published:
                    return _second_factor_redirect(request, access.contract)
                access = _as_visitor(access)
            if permission is not None and not permission.admits(access):
                raise PermissionDenied(permission.rule.refusal)
            contract_request = cast(ContractRequest, request)
            contract_request.contract = access.contract
            contract_request.access = access
            return view(contract_request, *args, **kwargs)

        # Read by the access-matrix test and the conventions: who the page is for.
        wrapper.__dict__.update(contract_view_private=private, contract_view_permission=permission)
        return wrapper

    return decorator


def _lacks_second_factor(access: ContractAccess, user: Any) -> bool:
    """A member of a contract that requires two-factor authentication whose session (or token) has not passed it:
    private pages send them to the code step or to enrolment, the API answers 401 (stronger authentication needed,
    as RFC 9470's step-up: every endpoint declares 401), and the public pages of a
    published contract show them what anyone sees."""
    return access.contract.requires_two_factor and access.is_member and not is_two_factor_verified(user)


def _as_visitor(access: ContractAccess) -> ContractAccess:
    return replace(access, role=None, is_staff=False)


def _second_factor_redirect(request: HttpRequest, contract: Contract) -> HttpResponse:
    """To the code step (the member has a device) or to enrolment, then back to the page asked for."""
    enrolled = has_confirmed_device(request.user)
    what = "saisissez le code de votre application" if enrolled else "activez-la sur votre compte"
    messages.info(
        request, f"Le contrat « {contract} » exige la double authentification : {what} pour ouvrir ses pages."
    )
    target = reverse("accounts:two_factor_verify" if enrolled else "accounts:two_factor")
    return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")


SECOND_FACTOR_REFUSAL = (
    "Ce contrat exige la double authentification : activez-la sur votre compte (page « Double authentification ») "
    "et confirmez votre connexion par un code."
)


def platform_view(
    permission: Callable[[Any], bool], *, refusal: str
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """The gate of a page outside any contract (``@platform_permission`` rules): anonymous visitors go to the
    login page, signed-in users the rule refuses get 403 with ``refusal``."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not permission(request.user):
                raise PermissionDenied(refusal)
            return view(request, *args, **kwargs)

        wrapper.__dict__.update(platform_view_permission=permission)
        return wrapper

    return decorator


class _Requirement:
    """``require(predicate, access, *args)``: raise ``error`` (a page's 403, an endpoint's) with the rule's French
    refusal when ``predicate(access, *args)`` refuses."""

    def __init__(self, error: Callable[[str], Exception]) -> None:
        self.error = error

    def __call__(
        self,
        predicate: Callable[Concatenate[ContractAccess, P], bool],
        access: ContractAccess,
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> None:
        if not predicate(access, *args, **kwargs):
            raise self.error(_refusal(predicate))


def _refusal(predicate: object) -> str:
    rule = getattr(predicate, "rule", None)
    return str(getattr(rule, "refusal", "")) or "Vous ne pouvez pas faire cette action."


require = _Requirement(PermissionDenied)


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
    permission: Predicate[...] | None = None,
) -> ContractAccess:
    """The caller's access to a contract, for an endpoint (the API's ``contract_view``).

    - ``private=True``: members only: 401 for anonymous calls, 404 for anyone else, whether the contract exists
      or not;
    - ``private=False``: also anonymous callers on a published contract (404 otherwise);
    - ``permission``: a member whose role the predicate does not admit gets 403 with the rule's refusal.
    """
    user = api_user(request) if private else api_caller(request)
    access = contract_access_by_id(user=user, contract_id=contract_id, private=private)
    if _lacks_second_factor(access, user):
        if private or not access.contract.is_published:
            raise HttpError(401, SECOND_FACTOR_REFUSAL)  # step-up authentication (RFC 9470), declared everywhere
        access = _as_visitor(access)
    if permission is not None and not permission.admits(access):
        raise HttpError(403, permission.rule.refusal)
    return access


# The API's ``require``: 403 with the rule's French refusal.
api_require = _Requirement(lambda refusal: HttpError(403, refusal))


@contextmanager
def business_rules_as_http() -> Iterator[None]:
    """A business rule refused by a service becomes a 422 carrying its French message."""
    try:
        yield
    except BusinessRuleError as error:
        raise HttpError(422, error.message) from error


def api_removal(
    request: HttpRequest,
    contract_id: int,
    *,
    permission: Predicate[...],
    get: Callable[[Contract], Any],
    remove: Callable[[Any, Any], object],
) -> Status:
    """An endpoint that deletes or archives an object: 403 for a member ``permission`` refuses, 404 for an object
    ``get(contract)`` does not find in the contract, 422 with the French reason when ``remove(obj, by)`` refuses a
    business rule, else 204."""
    access = api_contract_access(request, contract_id, private=True, permission=permission)
    obj = get(access.contract)
    with business_rules_as_http():
        remove(obj, access.user)
    return Status(204, None)

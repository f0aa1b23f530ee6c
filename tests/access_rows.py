"""Scopes and helpers of the access matrix (tests/test_access_matrix.py), shared with the apps' ``tests/access.py``.

An app's ``tests/access.py`` exports ``ACCESS_ROWS: dict[str, Row]`` (one row per URL name it adds) and
``access_objects(contract, objects) -> dict`` (the objects its rows need, created in ``contract``; ``objects``
holds those of the lower apps: body, meeting, decision, phase…).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

GLOBAL = "global"  # not tied to a contract: answers to anyone
CONTRACT_PUBLIC = "contract_public"  # public page of a published contract, private otherwise
CONTRACT_PRIVATE = "contract_private"  # members only, even on a published contract
API_GLOBAL = "api_global"
API_CONTRACT_PUBLIC = "api_contract_public"
API_CONTRACT_PRIVATE = "api_contract_private"
# Not tied to a contract, for State delegates (the State role on at least one contract) and administrators only:
# anonymous visitors are sent to the login page, other users get 403.
STATE_OR_STAFF = "state_or_staff"
# Not tied to a contract, for State agents (a State service's organisation with its département) and
# administrators: opening a contract's space. Anonymous visitors go to the login page, other users get 403.
STATE_AGENT_OR_STAFF = "state_agent_or_staff"
# Not tied to a contract, for the platform's administrators only (importing the reference territories): anonymous
# visitors go to the login page, everyone else (a State delegate included) gets 403.
STAFF = "staff"
# Not tied to a contract, for the resource centres (a user acting for an organisation of kind « centre de
# ressources ») and administrators: publishing in the resource centre. Anonymous visitors go to the login page, a
# pilot gets 403.
RESOURCE_CENTRE_OR_STAFF = "resource_centre_or_staff"
# Not tied to a contract, for the resource centres that cover a region (``Organization.region_code``) and
# administrators: the councils' questionnaire and state of play, the region's contracts. Anonymous visitors go to the
# login page, a pilot and a resource centre without a region get 403; an object of another region is 404.
REGION_FOLLOWER_OR_STAFF = "region_follower_or_staff"
MATRIX_REGION = "84"  # the region of the objects the rows of that scope build
# Not tied to a contract, for any signed-in user (their own list of what awaits them): anonymous visitors go to the
# login page.
SIGNED_IN = "signed_in"
EXCLUDED = "excluded"  # own access rules (Django admin) or not a page (POST-only logout)


@dataclass(frozen=True)
class Row:
    scope: str
    kwargs: Callable[[Any, Any], dict[str, Any]] = lambda world, contract: {}
    method: str = "get"
    why_excluded: str = ""


def _slug(world: Any, contract: Any) -> dict[str, Any]:
    return {"contract_slug": contract.slug}


def _contract_id(world: Any, contract: Any) -> dict[str, Any]:
    return {"contract_id": contract.pk}


# Writes through the API share their path with a read (same tenancy, checked above); their own 401/404/403/422
# answers need a valid payload per endpoint and are tested in each app's test_api.py.
API_WRITE = (
    "écriture par l'API : même chemin qu'une lecture de la table ; 401/404/403/422 testés dans <app>/tests/test_api.py"
)


def _obj(*names: str) -> Callable[[Any, Any], dict[str, Any]]:
    """kwargs of a contract page about the world's objects of that contract (body, meeting…)."""

    def kwargs(world: Any, contract: Any) -> dict[str, Any]:
        objects = world.objects[contract.pk]
        return {"contract_slug": contract.slug, **{f"{name}_id": objects[name].pk for name in names}}

    return kwargs


def _api_obj(*names: str) -> Callable[[Any, Any], dict[str, Any]]:
    def kwargs(world: Any, contract: Any) -> dict[str, Any]:
        objects = world.objects[contract.pk]
        return {"contract_id": contract.pk, **{f"{name}_id": objects[name].pk for name in names}}

    return kwargs

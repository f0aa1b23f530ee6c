"""The permission kernel: the rules that state roles only (``role_permissions``) and the names of every predicate."""

import importlib

import pytest

from contrat_ville.contracts import permissions
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.permissions import (
    ROLE_FORBIDDEN_MESSAGE,
    STEERING,
    RoleRule,
    permission_get,
    permission_rules,
    role_permissions,
)
from contrat_ville.contracts.selectors import ContractAccess


@pytest.fixture
def own_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """The rules these tests declare stay out of the table (every app's rules are loaded first, so none is lost)."""
    permissions.load_permission_modules()
    monkeypatch.setattr(permissions, "_RULES", {})


def access(role: str | None, *, is_staff: bool = False) -> ContractAccess:
    return ContractAccess(contract=Contract(), role=role, is_staff=is_staff)


@pytest.mark.usefixtures("own_rules")
def test_role_permissions_declares_one_named_predicate_per_row() -> None:
    can_steer, can_observe = role_permissions(
        "contrat_ville.sample.permissions",
        RoleRule("can_steer", action="piloter", why="The steering roles steer."),
        RoleRule("can_observe", action="observer", why="Observers observe.", roles={Role.OBSERVER}, refusal="Non."),
        roles=STEERING,
        refusal="Seuls le pilote et l'État pilotent.",
    )

    assert can_steer.__name__ == "can_steer"
    assert can_steer.__module__ == "contrat_ville.sample.permissions"
    assert can_steer.__doc__ == "The steering roles steer."
    assert can_steer(access(Role.PILOT)) and can_steer(access(Role.STATE))
    assert not can_steer(access(Role.PARTNER)) and not can_steer(access(None))
    assert can_steer(access(None, is_staff=True))
    assert can_steer.rule == permissions.Rule(
        app="sample",
        name="can_steer",
        action="piloter",
        roles=STEERING,
        condition="",
        refusal="Seuls le pilote et l'État pilotent.",
    )
    # A row's own roles and refusal win over the table's.
    assert can_observe(access(Role.OBSERVER)) and not can_observe(access(Role.PILOT))
    assert can_observe.rule.refusal == "Non."
    assert permission_get("sample.can_observe") is can_observe


@pytest.mark.usefixtures("own_rules")
def test_role_permissions_defaults_to_the_role_refusal() -> None:
    (can_steer,) = role_permissions("sample", RoleRule("can_steer", action="piloter", why="."), roles=STEERING)
    assert can_steer.rule.refusal == ROLE_FORBIDDEN_MESSAGE


def test_every_predicate_is_importable_under_its_name() -> None:
    """Views, the API and the table name a predicate as its module binds it: a table of ``role_permissions`` rows
    unpacked in another order would give a rule another's name."""
    misnamed = []
    for rule in permission_rules():
        predicate = permission_get(f"{rule.app}.{rule.name}")
        if getattr(importlib.import_module(predicate.__module__), rule.name, None) is not predicate:
            misnamed.append(f"{predicate.__module__}.{rule.name}")
    assert not misnamed

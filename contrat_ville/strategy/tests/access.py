"""Rows of the access matrix for this app's URLs (see tests/access_rows.py)."""

from __future__ import annotations

from typing import Any

from contrat_ville.strategy import services
from contrat_ville.strategy.models import Orientation
from tests.access_rows import (
    API_CONTRACT_PUBLIC,
    API_WRITE,
    CONTRACT_PRIVATE,
    CONTRACT_PUBLIC,
    EXCLUDED,
    Row,
    _api_obj,
    _contract_id,
    _obj,
    _slug,
)

ACCESS_ROWS: dict[str, Row] = {
    # the tree, public on a published contract like its pages and exports
    "strategy:tree": Row(CONTRACT_PUBLIC, _slug),
    "strategy:tree_export_xlsx": Row(CONTRACT_PUBLIC, _slug),
    "strategy:tree_export_csv": Row(CONTRACT_PUBLIC, _slug),
    "strategy:tree_import": Row(CONTRACT_PRIVATE, _slug),
    "strategy:import_template": Row(CONTRACT_PRIVATE, _slug),
    "strategy:orientation_create": Row(CONTRACT_PRIVATE, _slug),
    "strategy:orientation_detail": Row(CONTRACT_PUBLIC, _obj("orientation")),
    "strategy:orientation_update": Row(CONTRACT_PRIVATE, _obj("orientation")),
    "strategy:orientation_request_validation": Row(CONTRACT_PRIVATE, _obj("orientation"), method="post"),
    "strategy:objective_create": Row(CONTRACT_PRIVATE, _obj("orientation")),
    "strategy:objective_detail": Row(CONTRACT_PUBLIC, _obj("objective")),
    "strategy:objective_update": Row(CONTRACT_PRIVATE, _obj("objective")),
    "strategy:action_create": Row(CONTRACT_PRIVATE, _obj("objective")),
    "strategy:action_detail": Row(CONTRACT_PUBLIC, _obj("action")),
    "strategy:action_update": Row(CONTRACT_PRIVATE, _obj("action")),
    "strategy:action_progress": Row(CONTRACT_PRIVATE, _obj("action")),
    "strategy:orientation_delete": Row(CONTRACT_PRIVATE, _obj("orientation")),
    "strategy:orientation_archive": Row(CONTRACT_PRIVATE, _obj("orientation"), method="post"),
    "strategy:objective_delete": Row(CONTRACT_PRIVATE, _obj("objective")),
    "strategy:objective_archive": Row(CONTRACT_PRIVATE, _obj("objective"), method="post"),
    "strategy:action_delete": Row(CONTRACT_PRIVATE, _obj("action")),
    "strategy:action_archive": Row(CONTRACT_PRIVATE, _obj("action"), method="post"),
    # yearly plans
    "strategy:plan_list": Row(CONTRACT_PUBLIC, _slug),
    "strategy:plan_create": Row(CONTRACT_PRIVATE, _slug),
    "strategy:plan_detail": Row(CONTRACT_PUBLIC, _obj("plan")),
    "strategy:plan_update": Row(CONTRACT_PRIVATE, _obj("plan")),
    "strategy:plan_add_action": Row(CONTRACT_PRIVATE, _obj("plan"), method="post"),
    "strategy:plan_remove_action": Row(CONTRACT_PRIVATE, _obj("plan", "action"), method="post"),
    "strategy:plan_prepare_next": Row(CONTRACT_PRIVATE, _obj("plan"), method="post"),
    "strategy:plan_request_validation": Row(CONTRACT_PRIVATE, _obj("plan"), method="post"),
    "strategy:plan_compare": Row(CONTRACT_PUBLIC, _obj("plan")),
    "strategy:plan_export_xlsx": Row(CONTRACT_PUBLIC, _obj("plan")),
    "strategy:plan_export_csv": Row(CONTRACT_PUBLIC, _obj("plan")),
    # API
    "api-1:strategy_orientation_list": Row(API_CONTRACT_PUBLIC, _contract_id),
    "api-1:strategy_objective_list": Row(API_CONTRACT_PUBLIC, _contract_id),
    "api-1:strategy_action_list": Row(API_CONTRACT_PUBLIC, _contract_id),
    "api-1:strategy_action_plan_list": Row(API_CONTRACT_PUBLIC, _contract_id),
    "api-1:strategy_action_plan_detail": Row(API_CONTRACT_PUBLIC, _api_obj("plan")),
    "api-1:strategy_action_create": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:strategy_action_update_status": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:strategy_orientation_create": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:strategy_objective_create": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:strategy_orientation_update": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:strategy_objective_update": Row(EXCLUDED, why_excluded=API_WRITE),
    "api-1:strategy_action_update": Row(EXCLUDED, why_excluded=API_WRITE),
    **{
        f"api-1:strategy_action_plan_{verb}": Row(EXCLUDED, why_excluded=API_WRITE)
        for verb in ("create", "update", "add_action", "remove_action", "prepare_next")
    },
    **{
        f"api-1:strategy_{kind}_{verb}": Row(EXCLUDED, why_excluded=API_WRITE)
        for kind in ("orientation", "objective", "action")
        for verb in ("delete", "archive")
    },
}


def access_objects(contract: Any, objects: dict[str, Any]) -> dict[str, Any]:
    """An orientation, an objective, an action and a draft plan holding that action, in ``contract``."""
    orientation: Orientation = services.orientation_create(
        contract=contract, pillar=contract.pillars.order_by("order", "pk").first(), title="Orientation de test"
    )
    objective = services.objective_create(
        orientation=orientation, fields=services.ObjectiveFields(title="Objectif de test")
    )
    action = services.action_create(objective=objective, fields=services.ActionFields(title="Action de test"))
    plan = services.action_plan_create(contract=contract, year=2025, actions=[action])
    return {"orientation": orientation, "objective": objective, "action": action, "plan": plan}

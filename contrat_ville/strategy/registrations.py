"""What the strategy app contributes to the lower apps' registries (design.md §2). Called from ``AppConfig.ready``."""

from __future__ import annotations

from typing import Any

from contrat_ville.core.registries import DecisionTarget, HomePanel, NavigationEntry, PhaseStatusRule, contribute
from contrat_ville.strategy import selectors, services

ORIENTATION_TARGET = "strategy.orientation"
ACTION_PLAN_TARGET = "strategy.actionplan"


def _strategy_context(contract: Any, membership: Any) -> dict[str, Any]:
    return {"summary": selectors.strategy_summary(contract=contract), "contract": contract}


def register() -> None:
    contribute(
        navigation={
            "strategy-tree": NavigationEntry("Stratégie", "strategy:tree", order=40),
            "strategy-plans": NavigationEntry("Plans d'actions", "strategy:plan_list", order=41),
        },
        panels={
            "strategy-summary": HomePanel("Stratégie", "strategy/panels/_strategy.html", _strategy_context, order=40)
        },
        targets=[
            DecisionTarget(
                ORIENTATION_TARGET, "orientation stratégique", on_decision=services.orientation_on_decision
            ),
            DecisionTarget(ACTION_PLAN_TARGET, "plan d'actions annuel", on_decision=services.action_plan_on_decision),
        ],
        phase_rules=[
            PhaseStatusRule(
                "3.2",
                "Chaque pilier a au moins une orientation stratégique, et le comité de pilotage les a toutes "
                "validées.",
                selectors.orientations_phase_done,
            ),
            PhaseStatusRule(
                "4",
                "Le comité de pilotage a validé un plan d'actions annuel et le contrat est signé (formalisation).",
                selectors.action_plan_phase_done,
            ),
        ],
    )

"""What the strategy app contributes to the lower apps' registries (design.md §2). Called from ``AppConfig.ready``."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from contrat_ville.core.personal_data import personal_data_erasers
from contrat_ville.core.registries import (
    ConsultableKind,
    DecisionTarget,
    HomePanel,
    NavigationEntry,
    PhaseStatusRule,
    contribute,
)
from contrat_ville.strategy import presenters, selectors, services

ORIENTATION_TARGET = "strategy.orientation"
ACTION_PLAN_TARGET = "strategy.actionplan"


def _strategy_context(contract: Any, membership: Any) -> dict[str, Any]:
    return {"summary": selectors.strategy_summary(contract=contract), "contract": contract}


def _progress_context(contract: Any, membership: Any) -> dict[str, Any]:
    progress = selectors.strategy_progress(contract=contract, access=membership)
    return {
        "action_chart": presenters.action_chart(progress, contract=contract),
        "objective_chart": presenters.objective_chart(progress, contract=contract),
    }


def _orientation_label(orientation: Any) -> str:
    return f"{orientation.pillar.label} — {orientation}" if orientation.pillar_id else str(orientation)


def _orientation_url(orientation: Any, contract: Any) -> str:
    return reverse(
        "strategy:orientation_detail", kwargs={"contract_slug": contract.slug, "orientation_id": orientation.pk}
    )


def _plan_url(plan: Any, contract: Any) -> str:
    return reverse("strategy:plan_detail", kwargs={"contract_slug": contract.slug, "plan_id": plan.pk})


def register() -> None:
    from contrat_ville.strategy.services import action_lead_erase

    personal_data_erasers.register("strategy.action_lead", action_lead_erase)
    contribute(
        navigation={
            "strategy-tree": NavigationEntry("Stratégie", "strategy:tree", order=40),
            "strategy-plans": NavigationEntry("Plans d'actions", "strategy:plan_list", order=41),
        },
        panels={
            "strategy-summary": HomePanel("Stratégie", "strategy/panels/_strategy.html", _strategy_context, order=40),
            "strategy-progress": HomePanel(
                "Avancement des actions et des objectifs",
                "strategy/panels/_progress.html",
                _progress_context,
                order=41,
                wide=True,
            ),
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
        consultable=[
            ConsultableKind(
                ORIENTATION_TARGET,
                "Orientations stratégiques",
                "orientations",
                candidates=selectors.consultable_orientations,
                describe=_orientation_label,
                url=_orientation_url,
                order=20,
            ),
            ConsultableKind(
                ACTION_PLAN_TARGET,
                "Plans d'actions annuels",
                "action_plans",
                candidates=selectors.consultable_plans,
                url=_plan_url,
                order=30,
            ),
        ],
    )

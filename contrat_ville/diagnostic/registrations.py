"""What the diagnostic contributes to the lower apps' registries (design.md §2). Called from ``AppConfig.ready``."""

from __future__ import annotations

from typing import Any

from contrat_ville.core.registries import (
    DecisionTarget,
    HomePanel,
    NavigationEntry,
    PhaseStatusRule,
    contribute,
    members_only,
)


def _panel_context(contract: Any, access: Any) -> dict[str, Any]:
    from contrat_ville.diagnostic.selectors.inventory import pillar_counts

    return {"contract": contract, "counts": pillar_counts(contract=contract)}


def _on_stake_decision(decision: Any, by: Any) -> None:
    from contrat_ville.diagnostic.services.stakes import stake_on_decision

    stake_on_decision(decision, by)


def _phase_3_1(contract: Any) -> bool | None:
    from contrat_ville.diagnostic.selectors.rules import diagnostic_steps_done

    return diagnostic_steps_done(contract)


def _phase_3(contract: Any) -> bool | None:
    from contrat_ville.diagnostic.selectors.rules import diagnostic_done

    return diagnostic_done(contract)


def register() -> None:
    contribute(
        navigation={
            "diagnostic": NavigationEntry("Diagnostic", "diagnostic:overview", order=30, is_visible=members_only)
        },
        panels={
            "diagnostic-counts": HomePanel(
                "Diagnostic",
                "diagnostic/panels/_diagnostic.html",
                _panel_context,
                order=40,
                is_visible=members_only,
                wide=True,
            )
        },
        targets=[DecisionTarget("diagnostic.stake", "enjeu", on_decision=_on_stake_decision)],
        phase_rules=[
            PhaseStatusRule(
                "3.1",
                "Chaque pilier a au moins un constat (état des lieux) et un enjeu, et au moins une consultation des "
                "conseils citoyens est close ou échue avec des avis.",
                _phase_3_1,
            ),
            PhaseStatusRule(
                "3",
                "Les trois étapes du diagnostic (3.1) sont faites et chaque enjeu non écarté a été redéfini après "
                "les avis des conseils citoyens ou retenu par le comité de pilotage.",
                _phase_3,
            ),
        ],
    )

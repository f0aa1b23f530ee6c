"""What observation contributes to the lower apps' registries (design.md §2). Called from ``AppConfig.ready``:
the « Observation » entry of the contract menu and a home panel of key figures — nothing else."""

from __future__ import annotations

from typing import Any

from contrat_ville.core.registries import HomePanel, NavigationEntry, contribute


def _key_figures_context(contract: Any, membership: Any) -> dict[str, Any]:
    """Key figures of the contract's QPVs against the EPCI (three queries); private values for members."""
    from contrat_ville.observation.presenters import key_figures_view
    from contrat_ville.observation.selectors.comparisons import contract_key_figures
    from contrat_ville.observation.selectors.values import scope_for

    figures = contract_key_figures(contract=contract, scope=scope_for(membership))
    return {"figures": key_figures_view(figures), "contract": contract}


def register() -> None:
    contribute(
        navigation={"observation-home": NavigationEntry("Observation", "observation_contract:comparison", order=30)},
        panels={
            "observation-key-figures": HomePanel(
                "Chiffres clés des quartiers",
                "observation/panels/_key_figures.html",
                _key_figures_context,
                wide=True,
                order=40,
            )
        },
    )

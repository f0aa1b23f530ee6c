"""What the reporting app contributes to the lower apps' registries (design.md §2). Called from ``AppConfig.ready``."""

from __future__ import annotations

from contrat_ville.core.registries import NavigationEntry, contribute


def register() -> None:
    contribute(
        navigation={"reporting-open-data": NavigationEntry("Données ouvertes", "reporting:open_data", order=880)}
    )

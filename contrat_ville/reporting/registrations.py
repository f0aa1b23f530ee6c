"""What the reporting app contributes to the lower apps' registries (design.md §2). Called from ``AppConfig.ready``."""

from __future__ import annotations

from contrat_ville.core.registries import NavigationEntry, contribute


def register() -> None:
    contribute(
        navigation={"reporting-open-data": NavigationEntry("Données ouvertes", "reporting:open_data", order=880)}
    )
    # The evaluation (issue 12 §5): its menu entry, dashboard panel, decision targets and awaiting items.
    from contrat_ville.reporting.evaluations import registrations as evaluation_registrations

    evaluation_registrations.register()

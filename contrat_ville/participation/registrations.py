"""What the participation app contributes to the lower apps' registries (design.md §2). Called from
``AppConfig.ready``."""

from __future__ import annotations

from contrat_ville.core.registries import NavigationEntry, navigation_entries


def register() -> None:
    navigation_entries.register(
        "participation-councils", NavigationEntry("Conseils citoyens", "participation:council_list", order=25)
    )

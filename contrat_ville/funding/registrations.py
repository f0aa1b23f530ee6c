"""What the funding app contributes to the lower apps' registries (design.md §2). Called from ``AppConfig.ready``."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from contrat_ville.core.registries import HomePanel, NavigationEntry, home_panels, navigation_entries
from contrat_ville.funding import selectors


def _is_member(membership: Any) -> bool:
    return membership is not None


def _panel_context(contract: Any, membership: Any) -> dict[str, Any]:
    return {"summary": selectors.funding_summary(contract=contract, today=timezone.localdate()), "contract": contract}


def register() -> None:
    navigation_entries.register(
        "funding-commitments",
        NavigationEntry("Droit commun", "funding:commitment_list", order=45, is_visible=_is_member),
    )
    navigation_entries.register(
        "funding-credits",
        NavigationEntry("Crédits spécifiques", "funding:credit_list", order=46, is_visible=_is_member),
    )
    home_panels.register(
        "funding-summary",
        HomePanel("Droit commun", "funding/panels/_funding.html", _panel_context, order=45, is_visible=_is_member),
    )

"""What the funding app contributes to the lower apps' registries (design.md §2). Called from ``AppConfig.ready``."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from contrat_ville.core.registries import HomePanel, NavigationEntry, contribute, members_only
from contrat_ville.funding import selectors


def _panel_context(contract: Any, membership: Any) -> dict[str, Any]:
    return {"summary": selectors.funding_summary(contract=contract, today=timezone.localdate()), "contract": contract}


def register() -> None:
    contribute(
        navigation={
            "funding-commitments": NavigationEntry(
                "Droit commun", "funding:commitment_list", order=45, is_visible=members_only
            ),
            "funding-credits": NavigationEntry(
                "Crédits spécifiques", "funding:credit_list", order=46, is_visible=members_only
            ),
        },
        panels={
            "funding-summary": HomePanel(
                "Droit commun", "funding/panels/_funding.html", _panel_context, order=45, is_visible=members_only
            ),
        },
    )

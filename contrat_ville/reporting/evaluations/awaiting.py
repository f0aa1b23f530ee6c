"""What the evaluation leaves awaiting the pilot (« Ce qui vous attend »): an evaluation whose planned end has passed
without findings. One query across all the user's contracts (``selectors.awaiting_findings``)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from contrat_ville.core.registries import AwaitingItem
from contrat_ville.reporting.evaluations import selectors


def findings(user: Any) -> list[AwaitingItem]:
    """Pilot and State: the findings of an evaluation whose planned end has passed."""
    return [
        AwaitingItem.on_page(
            evaluation.contract,
            title=f"Consigner les constats de l'évaluation « {evaluation} » (fin prévue le "
            f"{evaluation.planned_end_on:%d/%m/%Y})",
            route="reporting:evaluation_findings",
            route_kwargs={"evaluation_id": evaluation.pk},
            key=f"reporting.evaluation.findings:{evaluation.pk}",
            due=evaluation.planned_end_on,
        )
        for evaluation in selectors.awaiting_findings(user=user, today=timezone.localdate())
    ]

"""What the evaluation contributes to the lower apps' registries; called from the reporting app's
``registrations.register()``."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from contrat_ville.core.registries import (
    AwaitingSource,
    DecisionTarget,
    HomePanel,
    NavigationEntry,
    contribute,
    members_only,
)
from contrat_ville.reporting.evaluations import awaiting, selectors

EVALUATION_TARGET = "reporting.evaluation"
QUESTION_TARGET = "reporting.evaluativequestion"


def _panel_context(contract: Any, membership: Any) -> dict[str, Any]:
    return {
        "summary": selectors.evaluation_summary(contract=contract, today=timezone.localdate()),
        "contract": contract,
    }


def register() -> None:
    contribute(
        navigation={"reporting-evaluation": NavigationEntry("Évaluation", "reporting:evaluation_list", order=60)},
        panels={
            "reporting-evaluation": HomePanel(
                "Évaluation", "reporting/panels/_evaluation.html", _panel_context, order=80, is_visible=members_only
            )
        },
        targets=[
            DecisionTarget(EVALUATION_TARGET, "évaluation (commande)"),
            DecisionTarget(QUESTION_TARGET, "question évaluative"),
        ],
        awaiting={
            "reporting.evaluation_findings": AwaitingSource(
                "Constats d'évaluation à consigner", awaiting.findings, order=80
            )
        },
    )

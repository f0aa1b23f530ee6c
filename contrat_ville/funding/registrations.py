"""What the funding app contributes to the lower apps' registries (design.md §2). Called from ``AppConfig.ready``."""

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
from contrat_ville.funding import awaiting, presenters, selectors, services

APPLICATION_TARGET = "funding.application"
CALL_TARGET = "funding.callforprojects"


def _panel_context(contract: Any, membership: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "summary": selectors.funding_summary(contract=contract, today=today),
        "units": presenters.balance_units(selectors.contract_balance(contract=contract, today=today)),
        "contract": contract,
    }


def _calls_context(contract: Any, membership: Any) -> dict[str, Any]:
    return {"open_calls": selectors.open_calls_summary(contract=contract), "contract": contract}


def register() -> None:
    contribute(
        navigation={
            "funding-commitments": NavigationEntry(
                "Droit commun", "funding:commitment_list", order=45, is_visible=members_only
            ),
            "funding-credits": NavigationEntry(
                "Crédits spécifiques", "funding:credit_list", order=46, is_visible=members_only
            ),
            "funding-calls": NavigationEntry(
                "Appels à projets", "funding_calls:call_list", order=47, is_visible=members_only
            ),
        },
        targets=[
            DecisionTarget(
                APPLICATION_TARGET, "dossier de demande de subvention", on_decision=services.application_on_decision
            ),
            DecisionTarget(CALL_TARGET, "programmation d'un appel à projets", on_decision=services.call_on_decision),
        ],
        awaiting={
            "funding.drafts": AwaitingSource("Dossiers à déposer avant la clôture", awaiting.drafts, order=40),
            "funding.reports": AwaitingSource("Comptes rendus à transmettre", awaiting.reports, order=41),
            "funding.reviews": AwaitingSource("Avis techniques demandés", awaiting.reviews, order=42),
            "funding.instruction": AwaitingSource("Dossiers déposés à instruire", awaiting.instruction, order=43),
            "funding.figures": AwaitingSource(
                "Chiffres réalisés du droit commun à saisir", awaiting.figures, order=44
            ),
        },
        panels={
            "funding-summary": HomePanel(
                "Droit commun", "funding/panels/_funding.html", _panel_context, order=45, is_visible=members_only
            ),
            "funding-calls": HomePanel(
                "Appels à projets", "funding/panels/_calls.html", _calls_context, order=47, is_visible=members_only
            ),
        },
    )

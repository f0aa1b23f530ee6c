"""Who sees the reporting pages (issue 12)."""

from __future__ import annotations

from typing import Any

from contrat_ville.contracts.permissions import is_state_delegate_or_staff, platform_permission

STATE_DASHBOARD_REFUSAL = "Le tableau de bord de l'État est réservé aux délégués de l'État et aux administrateurs."


@platform_permission(
    action="lire le tableau de bord de l'État : où en est chacun de ses contrats, par département",
    who="administrateur de la plateforme (tous les contrats) ; délégué de l'État (les contrats où il l'est)",
)
def can_view_state_dashboard(user: Any) -> bool:
    """The State follows the contracts of its département (phases, decisions, droit commun, credits, councils, calls):
    the page lists the contracts where the user holds the State role, every contract for an administrator."""
    return is_state_delegate_or_staff(user)

"""Who sees the reporting pages (issue 12)."""

from __future__ import annotations

from typing import Any

from contrat_ville.contracts.permissions import (
    STEERING,
    RoleRule,
    is_state_delegate_or_staff,
    platform_permission,
    role_permissions,
)

STATE_DASHBOARD_REFUSAL = "Le tableau de bord de l'État est réservé aux délégués de l'État et aux administrateurs."


@platform_permission(
    action="lire le tableau de bord de l'État : où en est chacun de ses contrats, par département",
    who="administrateur de la plateforme (tous les contrats) ; délégué de l'État (les contrats où il l'est)",
)
def can_view_state_dashboard(user: Any) -> bool:
    """The State follows the contracts of its département (phases, decisions, droit commun, credits, councils, calls):
    the page lists the contracts where the user holds the State role, every contract for an administrator."""
    return is_state_delegate_or_staff(user)


ANNUAL_REPORT_REFUSAL = (
    "Seuls le pilote et le délégué de l'État rédigent le rapport annuel, le soumettent pour avis, l'approuvent et le "
    "publient."
)

(can_manage_annual_reports,) = role_permissions(
    __name__,
    RoleRule(
        "can_manage_annual_reports",
        action="rédiger le rapport annuel politique de la ville, le soumettre pour avis, enregistrer les avis des "
        "conseils municipaux, l'approuver et le publier",
        why="The EPCI draws up the report with the communes and presents it to its assembly (décret n° 2015-1118; "
        "domain.md §5.1); the State follows it as a signatory.",
    ),
    roles=STEERING,
    refusal=ANNUAL_REPORT_REFUSAL,
)

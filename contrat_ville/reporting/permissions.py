"""Who sees the reporting pages (issue 12)."""

from __future__ import annotations

from typing import Any

from contrat_ville.contracts.permissions import (
    MEMBERS,
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


DOCUMENTS_REFUSAL = "Seuls le pilote et le délégué de l'État produisent les documents du contrat."

can_generate_documents, can_download_documents = role_permissions(
    __name__,
    RoleRule(
        "can_generate_documents",
        action="produire les documents du contrat (diagnostic partagé, contrat de ville, rapport annuel…) en DOCX "
        "et PDF",
        why="The EPCI and the State formalise the contract and report on it (seed 004 phase 4; décret 2015-1118).",
        roles=STEERING,
        refusal=DOCUMENTS_REFUSAL,
    ),
    RoleRule(
        "can_download_documents",
        action="télécharger les documents produits du contrat",
        why="The documents carry the droit commun commitments and the specific credits, which stay with the "
        "contract's members (the open data leaves them out): members only, even for a published contract.",
        roles=MEMBERS,
    ),
)


# --- evaluation (issue 12 §5) -------------------------------------------------------------------------------

EVALUATION_REFUSAL = "Seuls le pilote et le délégué de l'État tiennent l'évaluation de ce contrat."

(can_manage_evaluations,) = role_permissions(
    __name__,
    RoleRule(
        "can_manage_evaluations",
        action="programmer les évaluations, rédiger leurs questions évaluatives, consigner leurs constats, "
        "faire valider les questions",
        why="Domain.md §5.2: the steering bodies evaluate the contract at mid-term and at its end, on evaluative "
        "questions validated in COPIL; the pilot and the State prepare them (issue 12 §5). Every member reads them; "
        "a visitor of a published contract reads the completed evaluations.",
        refusal=EVALUATION_REFUSAL,
    ),
    roles=STEERING,
)


# --- annual report (issue 12 §3) --------------------------------------------------------------------------

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

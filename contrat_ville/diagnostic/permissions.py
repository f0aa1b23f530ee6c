"""Who may do what in the participatory diagnostic (seed 004 phase 3; issue 5).

Each working group writes its diagnostic: the pilot, the State and the partners who sit in the groups. The pilot
and the State steer it (submit the stakes to the conseils citoyens, flag duplicates in the technical committee's
synthesis, ask the comité de pilotage to decide). Council members give their opinion on what was submitted to their
council. Everyone in the contract reads the diagnostic.
"""

from __future__ import annotations

from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.permissions import CONTRIBUTORS, STEERING, RoleRule, permission, role_permissions
from contrat_ville.contracts.selectors import ContractAccess
from contrat_ville.diagnostic.models import Consultation, Stake
from contrat_ville.participation.permissions import speaks_for_a_council

DIAGNOSTIC_REFUSAL = "Seuls le pilote, l'État et les partenaires des groupes de travail rédigent le diagnostic."
STEERING_REFUSAL = "Seuls le pilote et le délégué de l'État pilotent le diagnostic."
OPINION_REFUSAL = "Seuls les membres des conseils citoyens consultés donnent un avis, jusqu'à la date limite."


can_write_diagnostic, can_steer_diagnostic = role_permissions(
    __name__,
    RoleRule(
        "can_write_diagnostic",
        roles=CONTRIBUTORS,
        action="recenser les sources, rédiger les constats, proposer des enjeux et leur droit commun",
        why="Seed 004 phase 3.1: each working group inventories the data, states strengths and handicaps and "
        "pre-determines the stakes, identifying the droit commun.",
        refusal=DIAGNOSTIC_REFUSAL,
    ),
    RoleRule(
        "can_steer_diagnostic",
        roles=STEERING,
        action="soumettre enjeux, orientations et plans d'actions aux conseils citoyens, clore une consultation, "
        "signaler les doublons, demander la validation du comité de pilotage",
        why="The pilot and the State run the debate with the councils and the technical committee's synthesis "
        "(seed 004 phases 3.1 and 3.2).",
        refusal=STEERING_REFUSAL,
    ),
)


@permission(
    roles=CONTRIBUTORS,
    action="modifier un enjeu et son droit commun",
    condition="tant que le comité de pilotage ne l'a ni retenu ni écarté",
    refusal=DIAGNOSTIC_REFUSAL,
)
def can_edit_stake(access: ContractAccess, stake: Stake) -> bool:
    """A stake the comité de pilotage has decided on no longer changes (seed 004 phase 3.2); a later postponement
    reopens it (``Stake.is_decided`` follows the latest decision)."""
    return not stake.is_decided


@permission(
    roles=CONTRIBUTORS,
    action="redéfinir un enjeu après les avis des conseils citoyens",
    condition="l'enjeu est soumis aux conseils citoyens",
    refusal=DIAGNOSTIC_REFUSAL,
)
def can_redefine_stake(access: ContractAccess, stake: Stake) -> bool:
    """Seed 004 phase 3.1: after the debate with the councils the stakes are redefined."""
    return stake.is_submitted


@permission(
    roles={Role.COUNCIL},
    action="donner ou modifier son avis sur un objet soumis (enjeu, orientation, plan d'actions)",
    condition="membre d'un conseil citoyen consulté, jusqu'à la date limite",
    refusal=OPINION_REFUSAL,
)
def can_give_opinion(access: ContractAccess, consultation: Consultation) -> bool:
    """Seed 004 phase 3.1: « ces enjeux seront mis en débat avec les conseils citoyens ». Only the councils the
    consultation was addressed to answer it, while it is open (``Consultation.is_open``)."""
    if not speaks_for_a_council(access) or access.user is None:
        return False
    council_ids = {council.pk for council in consultation.councils.all()}
    return access.user.organization_id in council_ids and consultation.is_open

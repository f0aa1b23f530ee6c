"""Who may do what in the contract's governance (issue 4 §6): bodies, meetings, decisions, phases.

The pilot and the State delegate run the governance and read all of it; other members read the bodies they sit
in (their organisation holds a seat, or they hold it themselves), their meetings and decisions, and the minutes
once published; the published decisions are public on a published contract.
"""

from __future__ import annotations

from contrat_ville.contracts.permissions import (
    MEMBERS,
    ROLE_FORBIDDEN_MESSAGE,
    STEERING,
    RoleRule,
    permission,
    role_permissions,
)
from contrat_ville.contracts.selectors import ContractAccess
from contrat_ville.governance.enums import MeetingStatus
from contrat_ville.governance.models import Meeting

GOVERNANCE_REFUSAL = "Seuls le pilote et le délégué de l'État modifient la gouvernance de ce contrat."


# The pilot and the State delegate run the governance: these rules state only their roles.
(
    can_read_all_governance,
    can_manage_bodies,
    can_run_meetings,
    can_record_decisions,
    can_manage_phases,
) = role_permissions(
    __name__,
    RoleRule(
        "can_read_all_governance",
        action="lire toutes les instances, séances, comptes rendus et décisions du contrat",
        why="The pilot and the State delegate steer the contract, so they read every body, meeting and decision.",
        refusal=ROLE_FORBIDDEN_MESSAGE,
    ),
    RoleRule(
        "can_manage_bodies",
        action="constituer, modifier et supprimer les instances, y faire siéger des membres",
        why="The pilot and the State set up the bodies (seed 004, phases 2.1 to 2.3).",
    ),
    RoleRule(
        "can_run_meetings",
        action="programmer une séance, la modifier, noter les présences, le compte rendu et les pièces jointes",
        why="The pilot and the State delegate schedule and run the meetings (issue 4 §6).",
    ),
    RoleRule(
        "can_record_decisions",
        action="enregistrer, corriger et publier les décisions des séances",
        why="The relevé de décisions is kept by the pilot and the State delegate (seed 004, phases 3.2 and 4).",
    ),
    RoleRule(
        "can_manage_phases",
        action="appliquer un calendrier d'élaboration et mettre à jour les phases",
        why="The elaboration calendar is the pilot's and the State's (seed 004, calendrier).",
    ),
    roles=STEERING,
    refusal=GOVERNANCE_REFUSAL,
)


@permission(
    roles=MEMBERS,
    action="lire les instances où l'on siège, leurs séances et leurs décisions",
    condition="son organisation, ou soi-même, y détient un siège",
)
def can_read_seated_bodies(access: ContractAccess) -> bool:
    """A member reads the bodies they sit in (issue 4 §6), their meetings and decisions; the selectors scope
    them by seat. Partners, council members, associations and observers alike: the seat decides, not the role."""
    return access.user is not None


@permission(
    roles=MEMBERS,
    action="lire le compte rendu d'une séance visible",
    condition="publié, sauf pour le pilote et l'État qui le lisent en cours de rédaction",
)
def can_read_minutes(access: ContractAccess, meeting: Meeting) -> bool:
    """Minutes are read by the steering roles as they are written, by the body's members once published."""
    return meeting.minutes_published or can_read_all_governance(access)


@permission(
    roles=STEERING,
    action="convoquer ou annuler une séance",
    condition="la séance est programmée ou convoquée",
    refusal=GOVERNANCE_REFUSAL,
)
def can_convene_meeting(access: ContractAccess, meeting: Meeting) -> bool:
    """A held or cancelled meeting is no longer convened nor cancelled."""
    return meeting.can_be_convened


@permission(
    roles=STEERING,
    action="noter les présences d'une séance",
    condition="la séance a commencé et n'est pas annulée",
    refusal=GOVERNANCE_REFUSAL,
)
def can_record_attendance(access: ContractAccess, meeting: Meeting) -> bool:
    """Attendance is recorded once the meeting has started (``Meeting.has_started``)."""
    return meeting.status != MeetingStatus.CANCELLED and meeting.has_started

"""Who may do what with a contract's indicator values (issue 6 §3 and §7)."""

from __future__ import annotations

from typing import Any

from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.permissions import (
    MEMBERS,
    STEERING,
    RoleRule,
    is_state_delegate_or_staff,
    platform_permission,
    role_permissions,
)

IMPORT_REFUSAL = "Seuls le pilote et le délégué de l'État importent les valeurs d'indicateurs de ce contrat."


can_read_private_values, can_import_values, can_publish_values = role_permissions(
    __name__,
    RoleRule(
        "can_read_private_values",
        roles=MEMBERS,
        action="lire les valeurs privées du contrat (portraits, comparaisons, exports)",
        why="Values a partner shared with the contract stay within its members (issue 6 §7); visitors of a "
        "published contract read the public values only.",
    ),
    RoleRule(
        "can_import_values",
        roles=STEERING,
        action="importer des valeurs d'indicateurs pour le contrat",
        why="The pilot and the State delegate bring the partners' and INSEE's files into the contract (issue 6 §3).",
        refusal=IMPORT_REFUSAL,
    ),
    RoleRule(
        "can_publish_values",
        roles={Role.STATE},
        action="publier pour tous les valeurs importées (statistique officielle)",
        why="Official statistics are public; only the State (or a platform administrator) publishes values for "
        "everyone, a pilot's import stays private to the contract (issue 6 §3).",
        refusal=IMPORT_REFUSAL,
    ),
)


@platform_permission(
    action="lire le tableau national des écarts et des tendances de chaque quartier (vue de l'ONPV)",
    who="administrateur de la plateforme ; délégué de l'État sur au moins un contrat",
)
def can_view_national_gaps(user: Any) -> bool:
    """The national table of every QPV's gaps and trends (the ONPV's view) is for the State and the platform's
    administrators: a user holding the State delegate role (``Role.STATE``) on at least one contract, or a staff
    member. Anyone else — a pilot, a partner, a council member, an anonymous visitor — may not see it (the page
    sends anonymous visitors to the login page and answers 403 to the others). It shows public values only.
    """
    return is_state_delegate_or_staff(user)

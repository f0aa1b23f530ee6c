"""Who may do what with a contract's indicator values (issue 6 §3 and §7)."""

from __future__ import annotations

from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.permissions import MEMBERS, STEERING, permission
from contrat_ville.contracts.selectors import ContractAccess

IMPORT_REFUSAL = "Seuls le pilote et le délégué de l'État importent les valeurs d'indicateurs de ce contrat."


@permission(roles=MEMBERS, action="lire les valeurs privées du contrat (portraits, comparaisons, exports)")
def can_read_private_values(access: ContractAccess) -> bool:
    """Values a partner shared with the contract stay within its members (issue 6 §7); visitors of a published
    contract read the public values only."""
    return True


@permission(
    roles=STEERING,
    action="importer des valeurs d'indicateurs pour le contrat",
    refusal=IMPORT_REFUSAL,
)
def can_import_values(access: ContractAccess) -> bool:
    """The pilot and the State delegate bring the partners' and INSEE's files into the contract (issue 6 §3)."""
    return True


@permission(
    roles={Role.STATE},
    action="publier pour tous les valeurs importées (statistique officielle)",
    refusal=IMPORT_REFUSAL,
)
def can_publish_values(access: ContractAccess) -> bool:
    """Official statistics are public; only the State (or a platform administrator) publishes values for everyone,
    a pilot's import stays private to the contract (issue 6 §3)."""
    return True

"""Who may act for a conseil citoyen (loi 2014-173 art. 7; design.md §2: a council member acts for the conseil
citoyen that is their organisation)."""

from __future__ import annotations

from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.permissions import permission
from contrat_ville.contracts.selectors import ContractAccess

COUNCIL_REFUSAL = "Seuls les membres des conseils citoyens du contrat agissent au nom de leur conseil."


@permission(
    roles={Role.COUNCIL},
    action="agir au nom de son conseil citoyen : lire ce qui lui est soumis, donner son avis",
    condition="son organisation est un conseil citoyen",
    refusal=COUNCIL_REFUSAL,
)
def speaks_for_a_council(access: ContractAccess) -> bool:
    """A member with the council role acts for the conseil citoyen that is their organisation (design.md §2); the
    consultations and opinions they see are their council's."""
    return access.user is not None and access.user.organization_id is not None

"""Who may do what with the conseils citoyens (loi 2014-173 art. 7; design.md §2: a council member acts for the
conseil citoyen that is their organisation).

The pilot and the State keep the registry of the contract's councils and of their members; a council member reads
their own council's membership; anyone reads the registry and the counts of a published contract's councils, never
the names of members who did not agree to their publication.
"""

from __future__ import annotations

from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.permissions import STEERING, acts_for, acts_for_an_organization, permission
from contrat_ville.contracts.selectors import ContractAccess
from contrat_ville.participation.models import CitizenCouncil

COUNCIL_REFUSAL = "Seuls les membres des conseils citoyens du contrat agissent au nom de leur conseil."
REGISTRY_REFUSAL = "Seuls le pilote et le délégué de l'État tiennent le registre des conseils citoyens de ce contrat."
SURVEY_REFUSAL = (
    "Le questionnaire d'un conseil citoyen est rempli par ce conseil (la personne qui l'anime, avec son compte de "
    "membre du conseil), ou pour lui par le pilote ou le délégué de l'État."
)
MEMBERSHIP_REFUSAL = (
    "La liste nominative des membres d'un conseil citoyen est réservée au pilote, à l'État et aux membres de ce "
    "conseil."
)


@permission(
    roles={Role.COUNCIL},
    action="agir au nom de son conseil citoyen : lire ce qui lui est soumis, donner son avis",
    condition="son organisation est un conseil citoyen",
    refusal=COUNCIL_REFUSAL,
)
def speaks_for_a_council(access: ContractAccess) -> bool:
    """A member with the council role acts for the conseil citoyen that is their organisation (design.md §2); the
    consultations and opinions they see are their council's."""
    return acts_for_an_organization(access)


@permission(
    roles=STEERING,
    action="tenir le registre des conseils citoyens : créer, modifier et supprimer un conseil, ses membres",
    refusal=REGISTRY_REFUSAL,
)
def can_manage_councils(access: ContractAccess) -> bool:
    """The contract defines the place and means of its conseils citoyens, and the State recognised their
    composition (loi 2014-173 art. 7, 2014 version): the EPCI's pilot and the State delegate keep the registry."""
    return True


@permission(
    roles=STEERING | {Role.COUNCIL},
    action="lire la liste nominative des membres d'un conseil citoyen",
    condition="un membre de conseil citoyen, celle de son propre conseil",
    refusal=MEMBERSHIP_REFUSAL,
)
def can_read_council_members(access: ContractAccess, council: CitizenCouncil | None = None) -> bool:
    """Members' names are personal data: the pilot and the State read every council's list, a council member their
    own council's (their organisation is the council's); everyone else sees the counts and the names members agreed
    to publish."""
    if can_manage_councils(access):
        return True
    return council is not None and acts_for(access, council.organization_id)


@permission(
    roles=STEERING | {Role.COUNCIL},
    action="remplir et transmettre le questionnaire annuel d'un conseil citoyen, relire ceux des années passées",
    condition="un membre de conseil citoyen, celui de son propre conseil",
    refusal=SURVEY_REFUSAL,
)
def can_answer_council_survey(access: ContractAccess, council: CitizenCouncil | None = None) -> bool:
    """The questionnaire is answered by the council's facilitator (issue 11 §5). On the platform the council acts
    through the accounts of its organisation with the council role (design.md §2): whoever facilitates a self-run
    council, or an adulte-relais given a council account, answers for it; when the local authority or the State
    facilitates it (``CitizenCouncil.facilitator_kind``), the pilot or the State delegate answers for it."""
    if can_manage_councils(access):
        return True
    if council is None:
        return acts_for_an_organization(access)
    return acts_for(access, council.organization_id)

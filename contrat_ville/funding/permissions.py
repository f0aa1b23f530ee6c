"""Who may do what with the partners' *droit commun* commitments (seed 004 phase 4; instruction du 10 mars 2017).

Each partner states what it commits from its own policies and reports, year by year, what it delivered: a partner
records and edits its own organisation's commitments only. The pilot and the State keep every partner's
commitments with them (a partner without an account on the platform commits through them). Every member of the
contract reads the commitments and their balance. Commitments are made in phase 4 and followed for the contract's
whole life: they stay editable once the strategy is validated.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from contrat_ville.accounts.models import Organization
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.permissions import (
    CONTRIBUTORS,
    STEERING,
    acts_for,
    acts_for_an_organization,
    is_state_delegate_or_staff,
    permission,
    platform_permission,
)
from contrat_ville.contracts.selectors import ContractAccess
from contrat_ville.funding.enums import DEPOSITED_STATUSES
from contrat_ville.funding.models import Application, MainstreamCommitment
from contrat_ville.governance.enums import BodyKind
from contrat_ville.governance.models import BodyMember

COMMITMENT_REFUSAL = (
    "Un partenaire enregistre et met à jour les engagements de sa propre organisation ; le pilote et le délégué de "
    "l'État, ceux de tous les partenaires."
)


@permission(
    roles=STEERING,
    action="enregistrer et mettre à jour les engagements de droit commun de tous les partenaires",
    refusal=COMMITMENT_REFUSAL,
)
def can_manage_commitments(access: ContractAccess) -> bool:
    """The pilot and the State formalise the partners' commitments in the contract (seed 004 phase 4)."""
    return True


@permission(
    roles=CONTRIBUTORS,
    action="enregistrer un engagement de droit commun",
    condition="un partenaire, s'il agit pour une organisation",
    refusal=COMMITMENT_REFUSAL,
)
def can_record_commitments(access: ContractAccess) -> bool:
    """A partner commits for the organisation it acts for (``User.organization``); a partner's account without one
    has nothing to commit for."""
    return can_manage_commitments(access) or acts_for_an_organization(access)


@permission(
    roles=CONTRIBUTORS,
    action="engager une organisation",
    condition="un partenaire, sa propre organisation",
    refusal=COMMITMENT_REFUSAL,
)
def can_commit_for(access: ContractAccess, partner: Organization) -> bool:
    """Nobody commits another partner's means, except the pilot and the State who keep the contract's annex."""
    return can_manage_commitments(access) or acts_for(access, partner.pk)


@permission(
    roles=CONTRIBUTORS,
    action="modifier ou supprimer un engagement, saisir ses chiffres prévus et réalisés de chaque année",
    condition="un partenaire, les engagements de son organisation",
    refusal=COMMITMENT_REFUSAL,
)
def can_edit_commitment(access: ContractAccess, commitment: MainstreamCommitment) -> bool:
    """The partner reports its realised figures itself (« ce qui a été effectivement mobilisé »)."""
    return can_manage_commitments(access) or acts_for(access, commitment.partner_id)


CREDIT_REFUSAL = "Seuls le pilote et le délégué de l'État tiennent les crédits spécifiques de ce contrat."


@permission(
    roles=STEERING,
    action="enregistrer, modifier et supprimer les crédits spécifiques (programme 147 et autres)",
    refusal=CREDIT_REFUSAL,
)
def can_manage_credits(access: ContractAccess) -> bool:
    """Seed 004 phase 4: the working groups propose, if needed, programme 147 credits; the pilot and the State
    keep them in the contract."""
    return True


ACROSS_CONTRACTS_REFUSAL = "Le bilan de plusieurs contrats est réservé aux délégués de l'État et aux administrateurs."


@platform_permission(
    action="lire le bilan du droit commun de tous ses contrats",
    who="administrateur de la plateforme (tous les contrats) ; délégué de l'État (les contrats où il l'est)",
)
def can_view_balance_across_contracts(user: Any) -> bool:
    """The State follows the partners' commitments across the contracts of its département (issue 14 §2): the
    page lists the contracts where the user holds the State role, every contract for an administrator."""
    return is_state_delegate_or_staff(user)


IMPORT_POSTS_REFUSAL = "Seuls les administrateurs de la plateforme importent les fichiers nationaux de l'ANCT."


@platform_permission(
    action="importer les postes du programme 147 publiés par l'ANCT (adultes-relais, FONJEP)",
    who="administrateur de la plateforme",
)
def can_import_p147_posts(user: Any) -> bool:
    """The ANCT's files cover every contract of France: only the platform's administrators import them (the
    same importer as ``manage.py import_p147_posts``)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_staff)


# --- the annual call for projects (domain.md §4.2) ----------------------------------------------------------------

CALL_REFUSAL = (
    "Seuls le pilote et le délégué de l'État lancent l'appel à projets, l'instruisent et suivent les subventions."
)
APPLICATION_REFUSAL = (
    "Un porteur de projet dépose et suit les dossiers de sa propre organisation ; le pilote et le délégué de l'État, "
    "tous les dossiers."
)
REVIEW_REFUSAL = (
    "Les avis techniques sont donnés par les membres du comité technique du contrat, le pilote et le délégué de "
    "l'État."
)
APPLICANTS: frozenset[str] = STEERING | {Role.APPLICANT}
REVIEWERS: frozenset[str] = STEERING | {Role.PARTNER}


@permission(
    roles=STEERING,
    action="préparer, ouvrir et clore l'appel à projets ; instruire les dossiers, proposer les montants, suivre "
    "conventions et versements",
    refusal=CALL_REFUSAL,
)
def can_manage_calls(access: ContractAccess) -> bool:
    """The call is launched by the EPCI and the State with the co-funders; the State and the project team instruct
    (domain.md §4.2, steps 1 and 3)."""
    return True


@permission(
    roles=APPLICANTS,
    action="déposer un dossier de demande de subvention",
    condition="un porteur de projet, s'il agit pour une organisation",
    refusal=APPLICATION_REFUSAL,
)
def can_apply(access: ContractAccess) -> bool:
    """An association applies for itself (its account's ``organization``); the pilot and the State may record an
    application received on paper for any organisation."""
    return can_manage_calls(access) or acts_for_an_organization(access)


def sits_in_technical_committee(access: ContractAccess) -> bool:
    """Whether the caller holds a seat — in person or through their organisation — in a comité technique of the
    contract."""
    user = access.user
    if user is None:
        return False
    seats = BodyMember.objects.filter(body__contract=access.contract, body__kind=BodyKind.TECHNICAL_COMMITTEE)
    if user.organization_id is not None:
        return seats.filter(models.Q(user=user) | models.Q(organization_id=user.organization_id)).exists()
    return seats.filter(user=user).exists()


@permission(
    roles=REVIEWERS,
    action="lire les dossiers déposés et donner un avis technique",
    condition="un partenaire, s'il siège au comité technique du contrat",
    refusal=REVIEW_REFUSAL,
)
def can_review_applications(access: ContractAccess) -> bool:
    """Technical opinions come from the délégués du préfet, the project team and the co-funders (domain.md §4.2,
    step 3): the steering roles, and the partners seated in the contract's comité technique (R10)."""
    return can_manage_calls(access) or sits_in_technical_committee(access)


@permission(
    roles=REVIEWERS | APPLICANTS,
    action="lire un dossier de demande de subvention",
    condition="un porteur, ceux de son organisation ; un membre du comité technique, les dossiers déposés",
    refusal=APPLICATION_REFUSAL,
)
def can_view_application(access: ContractAccess, application: Application) -> bool:
    """An association never reads another's application; a reviewer reads them once deposited."""
    if can_manage_calls(access) or acts_for(access, application.organization_id):
        return True
    return application.status in DEPOSITED_STATUSES and can_review_applications(access)


@permission(
    roles=APPLICANTS,
    action="compléter, déposer un dossier ou transmettre son compte rendu",
    condition="un porteur, les dossiers de son organisation",
    refusal=APPLICATION_REFUSAL,
)
def can_edit_application(access: ContractAccess, application: Application) -> bool:
    """The applicant writes its own organisation's applications (the services refuse a deposited one)."""
    return can_manage_calls(access) or acts_for(access, application.organization_id)

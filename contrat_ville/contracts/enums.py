from django.db import models


class Generation(models.TextChoices):
    G2015 = "2015", "2015-2023 (contrats de ville de 2015)"
    G2024 = "2024", "2024-2030 (Engagements Quartiers 2030)"


class ContractStatus(models.TextChoices):
    IN_PREPARATION = "in_preparation", "en préparation"
    SIGNED = "signed", "signé"
    IN_FORCE = "in_force", "en vigueur"
    IN_REVISION = "in_revision", "en révision"
    EXTENDED = "extended", "prorogé"
    ENDED = "ended", "échu"


# A contract is prepared, signed, then in force; it may be revised (an avenant in preparation) or extended (an
# avenant pushed its end date back), and ends. A correction goes back one step (loi 2014-173 art. 6; domain.md §1.4).
CONTRACT_TRANSITIONS: dict[str, frozenset[str]] = {
    ContractStatus.IN_PREPARATION: frozenset({ContractStatus.SIGNED}),
    ContractStatus.SIGNED: frozenset(
        {ContractStatus.IN_PREPARATION, ContractStatus.IN_FORCE, ContractStatus.EXTENDED, ContractStatus.ENDED}
    ),
    ContractStatus.IN_FORCE: frozenset(
        {ContractStatus.SIGNED, ContractStatus.IN_REVISION, ContractStatus.EXTENDED, ContractStatus.ENDED}
    ),
    ContractStatus.IN_REVISION: frozenset({ContractStatus.IN_FORCE, ContractStatus.EXTENDED, ContractStatus.ENDED}),
    ContractStatus.EXTENDED: frozenset({ContractStatus.IN_FORCE, ContractStatus.IN_REVISION, ContractStatus.ENDED}),
    ContractStatus.ENDED: frozenset({ContractStatus.IN_FORCE, ContractStatus.EXTENDED}),
}
SIGNED_STATUSES = frozenset(
    {
        ContractStatus.SIGNED,
        ContractStatus.IN_FORCE,
        ContractStatus.IN_REVISION,
        ContractStatus.EXTENDED,
        ContractStatus.ENDED,
    }
)


class Role(models.TextChoices):
    PILOT = "pilot", "pilote (EPCI)"
    STATE = "state", "délégué de l'État"
    PARTNER = "partner", "partenaire"
    COUNCIL = "council", "membre de conseil citoyen"
    APPLICANT = "applicant", "porteur de projet"
    OBSERVER = "observer", "observateur"


class SignatoryKind(models.TextChoices):
    STATE = "state", "État"
    EPCI = "epci", "intercommunalité (EPCI)"
    COMMUNE = "commune", "commune"
    DEPARTEMENT = "departement", "département"
    REGION = "region", "région"
    OTHER = "other", "autre signataire"


class AmendmentChangeKind(models.TextChoices):
    """What an avenant changed in the contract (issue 10 §1): each change is recorded, so the contract's structure
    can be shown as it stood at any date."""

    PILLAR_ADDED = "pillar_added", "ajout d'un pilier"
    PILLAR_ARCHIVED = "pillar_archived", "retrait d'un pilier"
    AXIS_ADDED = "axis_added", "ajout d'un axe transversal"
    AXIS_ARCHIVED = "axis_archived", "retrait d'un axe transversal"
    QPV_ADDED = "qpv_added", "ajout d'un quartier prioritaire"
    QPV_REMOVED = "qpv_removed", "retrait d'un quartier prioritaire"
    SIGNATORY_ADDED = "signatory_added", "nouveau signataire"
    END_DATE_CHANGED = "end_date_changed", "nouvelle date de fin"


class InvitationState(models.TextChoices):
    """Where an invitation stands (computed from its dates, never stored)."""

    PENDING = "pending", "en attente"
    ACCEPTED = "accepted", "acceptée"
    REVOKED = "revoked", "révoquée"
    EXPIRED = "expired", "expirée"

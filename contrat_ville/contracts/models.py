from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from contrat_ville.contracts.enums import (
    SIGNED_STATUSES,
    AmendmentChangeKind,
    AreaKind,
    ContractStatus,
    Generation,
    InvitationState,
    Role,
    SignatoryKind,
)
from contrat_ville.contracts.generations import GENERATION_DEFAULTS, GenerationDefaults
from contrat_ville.core.fields import optional_reference, user_reference
from contrat_ville.core.models import TimeStampedModel


class ContractQuerySet(models.QuerySet["Contract"]):
    def published(self) -> "ContractQuerySet":
        return self.filter(is_published=True)


class Contract(TimeStampedModel):
    """A *contrat de ville*: one per intercommunality (loi 2014-173 art. 6), the tenancy root."""

    slug = models.SlugField("identifiant d'URL", max_length=80, unique=True)
    name = models.CharField("intitulé", max_length=255)
    epci = models.ForeignKey(
        "territories.Territory",
        verbose_name="intercommunalité (EPCI)",
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    generation = models.CharField("génération", max_length=4, choices=Generation.choices)
    status = models.CharField(
        "état", max_length=20, choices=ContractStatus.choices, default=ContractStatus.IN_PREPARATION
    )
    start_on = models.DateField("début")
    end_on = models.DateField("fin")
    signed_on = models.DateField("signé le", null=True, blank=True)
    is_published = models.BooleanField(
        "publié", default=False, help_text="Un contrat publié est visible de tous, y compris sans compte."
    )
    summary = models.TextField("présentation", blank=True)
    anct_code = models.CharField(
        "code du contrat (ANCT)",
        max_length=20,
        blank=True,
        help_text="Identifiant du contrat dans les listes de l'ANCT.",
    )
    framework_agreement_on = models.DateField(
        "protocole ou accord-cadre signé le",
        null=True,
        blank=True,
        help_text="Date du document qui engage la démarche avant le contrat lui-même, s'il existe.",
    )
    requires_two_factor = models.BooleanField(
        "double authentification exigée",
        default=False,
        help_text="Les membres du contrat confirment leur connexion par un code à usage unique (application "
        "d'authentification) avant d'ouvrir ses pages privées.",
    )
    is_demo = models.BooleanField(
        "contrat de démonstration", default=False, help_text="Contrat fictif de la démonstration, signalé comme tel."
    )
    qpvs = models.ManyToManyField(
        "territories.Territory", verbose_name="quartiers prioritaires", related_name="qpv_contracts", blank=True
    )
    communes = models.ManyToManyField(
        "territories.Territory", verbose_name="communes concernées", related_name="commune_contracts", blank=True
    )
    # The names of the levels of the contract's strategic tree (issue 10 §2): a 2024 contract speaks of « défis » or
    # « axes prioritaires » where the 2015 framework says « piliers ».
    pillar_term = models.CharField("nom du premier niveau", max_length=60, default="pilier")
    pillar_term_plural = models.CharField("nom du premier niveau au pluriel", max_length=60, default="piliers")
    orientation_term = models.CharField("nom des orientations", max_length=60, default="orientation stratégique")
    objective_term = models.CharField("nom des objectifs", max_length=60, default="objectif opérationnel")
    action_term = models.CharField("nom des actions", max_length=60, default="action")

    objects = ContractQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "contrat de ville"
        verbose_name_plural = "contrats de ville"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_on__gt=models.F("start_on")), name="contract_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_signed(self) -> bool:
        """Signed, whatever came after (in force, revised, extended, ended)."""
        return self.status in SIGNED_STATUSES

    @property
    def generation_defaults(self) -> GenerationDefaults:
        """What the contract's generation gives it: defaults and generation-dependent rules (domain.md §10)."""
        return GENERATION_DEFAULTS[self.generation]


class Signatory(TimeStampedModel):
    """An organisation that signs (or is to sign) the contract (loi 2014-173 art. 6 I; R01-R03)."""

    contract = models.ForeignKey(
        Contract, verbose_name="contrat", on_delete=models.CASCADE, related_name="signatories"
    )
    organization = models.ForeignKey(
        "accounts.Organization", verbose_name="organisation", on_delete=models.PROTECT, related_name="signatures"
    )
    kind = models.CharField("qualité", max_length=20, choices=SignatoryKind.choices)
    signed_by = models.CharField("signataire (nom et fonction)", max_length=255, blank=True)
    signed_on = models.DateField("signé le", null=True, blank=True)
    order = models.PositiveSmallIntegerField("ordre", default=100)

    class Meta:
        verbose_name = "signataire"
        verbose_name_plural = "signataires"
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "organization"], name="signatory_unique_per_contract"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} — {self.contract}"


class ContractRole(TimeStampedModel):
    """What a user may do on one contract. A user holds at most one role per contract."""

    contract = models.ForeignKey(Contract, verbose_name="contrat", on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="utilisateur", on_delete=models.CASCADE, related_name="contract_roles"
    )
    role = models.CharField("rôle", max_length=16, choices=Role.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "rôle sur un contrat"
        verbose_name_plural = "rôles sur les contrats"
        constraints = [
            models.UniqueConstraint(fields=["contract", "user"], name="contractrole_one_role_per_user_and_contract"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.contract}"


class ContractTermQuerySet(models.QuerySet[Any]):
    def current(self) -> "ContractTermQuerySet":
        """The terms in force: not archived (an archived term stays for the objects that cite it)."""
        return self.filter(archived_on__isnull=True)


class ContractTerm(TimeStampedModel):
    """Shared shape of pillars and transversal axes: seeded per generation, editable per contract."""

    code = models.SlugField("code", max_length=60)
    label = models.CharField("libellé", max_length=255)
    slogan = models.CharField(
        "accroche", max_length=255, blank=True, help_text="Formule courte que le contrat donne à ce niveau."
    )
    objective = models.TextField("objectif prioritaire", blank=True)
    order = models.PositiveSmallIntegerField("ordre", default=100)
    is_local = models.BooleanField("priorité locale", default=False)
    archived_on = models.DateField("retiré le", null=True, blank=True)
    added_by_amendment = optional_reference("contracts.Amendment", "ajouté par l'avenant", on_delete=models.SET_NULL)

    objects = ContractTermQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def is_archived(self) -> bool:
        return self.archived_on is not None


class Pillar(ContractTerm):
    """A *pilier* of the contract (or a locally defined priority in the 2024 generation)."""

    contract = models.ForeignKey(Contract, verbose_name="contrat", on_delete=models.CASCADE, related_name="pillars")

    history = HistoricalRecords()

    class Meta(ContractTerm.Meta):
        verbose_name = "pilier"
        verbose_name_plural = "piliers"
        constraints = [models.UniqueConstraint(fields=["contract", "code"], name="pillar_unique_code_per_contract")]


class TransversalAxis(ContractTerm):
    """An *axe transversal*: every working group treats all of them (seed 004, phase 2.3)."""

    contract = models.ForeignKey(Contract, verbose_name="contrat", on_delete=models.CASCADE, related_name="axes")

    history = HistoricalRecords()

    class Meta(ContractTerm.Meta):
        verbose_name = "axe transversal"
        verbose_name_plural = "axes transversaux"
        constraints = [models.UniqueConstraint(fields=["contract", "code"], name="axis_unique_code_per_contract")]


class Amendment(TimeStampedModel):
    """An *avenant*: a signed change to the contract after its signature (a pillar added, axes, QPVs, signatories,
    the end date…). The steering committee's approval is a ``governance.Decision`` targeting it; each change it made
    is an ``AmendmentChange``, so the contract's structure can be shown as it stood at any date."""

    contract = models.ForeignKey(Contract, verbose_name="contrat", on_delete=models.CASCADE, related_name="amendments")
    number = models.PositiveSmallIntegerField("numéro")
    title = models.CharField("objet", max_length=255)
    signed_on = models.DateField("signé le")
    description = models.TextField("présentation", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "avenant"
        verbose_name_plural = "avenants"
        ordering = ["contract", "signed_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="amendment_unique_number_per_contract"),
        ]

    def __str__(self) -> str:
        return f"Avenant n° {self.number} — {self.title}"


class AmendmentChange(models.Model):
    """One change an avenant made, with what it concerned as it was named then (``label``) and the values before
    and after where a value changed (the end date)."""

    amendment = models.ForeignKey(Amendment, verbose_name="avenant", on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField("nature", max_length=24, choices=AmendmentChangeKind.choices)
    object_id = models.PositiveBigIntegerField("objet concerné", null=True, blank=True)
    label = models.CharField("libellé", max_length=500)
    before = models.CharField("avant", max_length=255, blank=True)
    after = models.CharField("après", max_length=255, blank=True)

    class Meta:
        verbose_name = "modification d'un avenant"
        verbose_name_plural = "modifications des avenants"
        ordering = ["amendment", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} : {self.label}"


class Invitation(TimeStampedModel):
    """An invitation by e-mail to take a role on a contract (issue 10 §4). Only the SHA-256 of its one-time token is
    stored; the link expires, can be sent again (a new token) or revoked, and is used once."""

    contract = models.ForeignKey(
        Contract, verbose_name="contrat", on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField("adresse électronique")
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    role = models.CharField("rôle", max_length=16, choices=Role.choices)
    organization = optional_reference(
        "accounts.Organization", "organisation", related_name="invitations", on_delete=models.SET_NULL
    )
    token_hash = models.CharField("empreinte du lien", max_length=64, unique=True)
    expires_at = models.DateTimeField("expire le")
    sent_count = models.PositiveSmallIntegerField("envois", default=1)
    invited_by = user_reference("invité par", related_name="invitations_sent")
    accepted_at = models.DateTimeField("acceptée le", null=True, blank=True)
    accepted_by = user_reference("acceptée par", related_name="invitations_accepted")
    revoked_at = models.DateTimeField("révoquée le", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "invitation"
        verbose_name_plural = "invitations"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} — {self.get_role_display()} — {self.contract}"

    def state(self, now: datetime | None = None) -> InvitationState:
        """Accepted, revoked, expired (at ``now``, by default the present) or pending."""
        if self.accepted_at is not None:
            return InvitationState.ACCEPTED
        if self.revoked_at is not None:
            return InvitationState.REVOKED
        if self.expires_at <= (now or timezone.now()):
            return InvitationState.EXPIRED
        return InvitationState.PENDING


class ContractArea(TimeStampedModel):
    """A perimeter of the contract beside its QPVs: a quartier de veille active, a quartier vécu (often around a
    QPV), a territoire d'observation; described in words, with a GeoJSON outline when one is known."""

    contract = models.ForeignKey(Contract, verbose_name="contrat", on_delete=models.CASCADE, related_name="areas")
    kind = models.CharField("nature", max_length=16, choices=AreaKind.choices)
    name = models.CharField("nom", max_length=255)
    description = models.TextField("périmètre", blank=True, help_text="Rues, îlots, IRIS… : le périmètre en mots.")
    qpv = models.ForeignKey(
        "territories.Territory",
        verbose_name="quartier prioritaire associé",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contract_areas",
    )
    geometry = models.JSONField("contour (GeoJSON WGS84)", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "périmètre du contrat"
        verbose_name_plural = "périmètres du contrat"
        ordering = ["contract", "kind", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class AwaitingDigest(models.Model):
    """The last digest e-mail a user received: its keys tell what is new, so an unchanged list is not sent again."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="utilisateur", on_delete=models.CASCADE, related_name="awaiting_digest"
    )
    sent_at = models.DateTimeField("envoyé le")
    keys = models.JSONField("éléments signalés", default=list)

    class Meta:
        verbose_name = "récapitulatif envoyé"
        verbose_name_plural = "récapitulatifs envoyés"

    def __str__(self) -> str:
        return f"{self.user} — {self.sent_at:%d/%m/%Y}"

"""Bodies of a contract, their members, meetings and decisions, and the elaboration phases (seed 004)."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from contrat_ville.core.fields import optional_reference, user_reference
from contrat_ville.core.historised import HistorisedModel
from contrat_ville.core.models import TimeStampedModel
from contrat_ville.governance.enums import (
    AttendanceStatus,
    BodyKind,
    MeetingFormat,
    MeetingPurpose,
    MeetingStatus,
    MemberRole,
    PhaseStatus,
    Verdict,
)


class Body(HistorisedModel):
    """An *instance* of the contract: State teams, comité de pilotage, comité technique, working groups, and the
    local bodies the contract describes (« conférence des financeurs »…: kind ``LOCAL`` named by
    ``local_kind_label``).

    A working group usually belongs to one pillar and treats the transversal axes (seed 004 phase 2.3); real
    contracts also have groups without a pillar, or tied to one transversal axis.
    """

    contract = models.ForeignKey(
        "contracts.Contract", verbose_name="contrat", on_delete=models.CASCADE, related_name="bodies"
    )
    kind = models.CharField("nature", max_length=32, choices=BodyKind.choices)
    local_kind_label = models.CharField(
        "nature locale", max_length=120, blank=True, help_text="Nature d'une instance propre au contrat."
    )
    name = models.CharField("nom", max_length=255)
    pillar = optional_reference("contracts.Pillar", "pilier", related_name="working_groups")
    axis = optional_reference("contracts.TransversalAxis", "axe transversal", related_name="bodies")
    mission = models.TextField("rôle", blank=True)
    min_meetings_per_year = models.PositiveSmallIntegerField(
        "nombre minimal de séances par an",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
    )

    class Meta:
        verbose_name = "instance"
        verbose_name_plural = "instances"
        ordering = ["contract", "kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind=BodyKind.LOCAL) | ~models.Q(local_kind_label=""),
                name="body_local_kind_is_named",
            ),
            models.CheckConstraint(
                condition=models.Q(min_meetings_per_year__isnull=True)
                | models.Q(min_meetings_per_year__gte=1, min_meetings_per_year__lte=366),
                name="body_min_meetings_per_year_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_label(self) -> str:
        """« comité de pilotage », or the local kind the pilot named (« conférence des financeurs »)."""
        return self.local_kind_label if self.kind == BodyKind.LOCAL else self.get_kind_display()


class BodyMember(HistorisedModel):
    """A seat in a body: an organisation, represented by a platform user or a named contact (or nobody yet)."""

    body = models.ForeignKey(Body, verbose_name="instance", on_delete=models.CASCADE, related_name="members")
    organization = models.ForeignKey(
        "accounts.Organization", verbose_name="organisation", on_delete=models.PROTECT, related_name="body_seats"
    )
    user = user_reference("utilisateur", related_name="body_seats")
    person_name = models.CharField("personne (nom et fonction)", max_length=255, blank=True)
    person_email = models.EmailField("adresse électronique de la personne", blank=True)
    role = models.CharField("rôle", max_length=16, choices=MemberRole.choices, default=MemberRole.MEMBER)
    enlarged_only = models.BooleanField(
        "en formation élargie seulement",
        default=False,
        help_text="Siège aux séances en formation élargie, pas à celles en formation restreinte.",
    )

    class Meta:
        verbose_name = "membre d'instance"
        verbose_name_plural = "membres d'instance"
        ordering = ["body", "role", "organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "organization", "person_name"], name="bodymember_unique_seat_per_person"
            ),
        ]

    def __str__(self) -> str:
        who = self.person_name or (self.user.display_name if self.user else "")
        return f"{self.organization} — {who}" if who else str(self.organization)

    @property
    def display_person(self) -> str:
        if self.user_id and self.user is not None:
            return self.user.display_name
        return self.person_name


class Meeting(HistorisedModel):
    """A *séance* of a body: agenda, invitations, attendance, minutes and decisions."""

    body = models.ForeignKey(Body, verbose_name="instance", on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField("intitulé", max_length=255)
    purpose = models.CharField("objet de la séance", max_length=32, choices=MeetingPurpose.choices, blank=True)
    formation = models.CharField(
        "formation",
        max_length=16,
        choices=MeetingFormat.choices,
        blank=True,
        help_text="Vide : tous les membres ; restreinte : sans les sièges de la seule formation élargie.",
    )
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin", null=True, blank=True)
    location = models.CharField("lieu", max_length=255, blank=True)
    video_url = models.URLField("lien de visioconférence", blank=True)
    status = models.CharField("état", max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    convened_at = models.DateTimeField("convocation envoyée le", null=True, blank=True)
    minutes = models.TextField("compte rendu", blank=True, help_text="Texte mis en forme (HTML nettoyé).")
    minutes_published = models.BooleanField("compte rendu publié", default=False)

    class Meta:
        verbose_name = "séance"
        verbose_name_plural = "séances"
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%d/%m/%Y})"

    @property
    def has_started(self) -> bool:
        """Attendance is recorded and the meeting held only once it has started."""
        return self.starts_at <= timezone.now()

    @property
    def can_be_convened(self) -> bool:
        """A meeting is convened (again) or cancelled only while it is planned or convened."""
        return self.status in {MeetingStatus.PLANNED, MeetingStatus.CONVENED}


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, verbose_name="séance", on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField("ordre", default=1)
    title = models.CharField("point", max_length=255)
    description = models.TextField("précisions", blank=True)

    class Meta:
        verbose_name = "point de l'ordre du jour"
        verbose_name_plural = "points de l'ordre du jour"
        ordering = ["meeting", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """Invitation and attendance of one seat at one meeting."""

    meeting = models.ForeignKey(Meeting, verbose_name="séance", on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(BodyMember, verbose_name="membre", on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField(
        "présence", max_length=16, choices=AttendanceStatus.choices, default=AttendanceStatus.INVITED
    )
    represented_by = models.CharField("représenté par", max_length=255, blank=True)

    class Meta:
        verbose_name = "présence"
        verbose_name_plural = "présences"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_unique_member_per_meeting"),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.get_status_display()}"


class MeetingAttachment(TimeStampedModel):
    meeting = models.ForeignKey(Meeting, verbose_name="séance", on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField("titre", max_length=255)
    file = models.FileField("fichier", upload_to="governance/meetings/%Y/")

    class Meta:
        verbose_name = "pièce jointe"
        verbose_name_plural = "pièces jointes"
        ordering = ["meeting", "title"]

    def __str__(self) -> str:
        return self.title


class Decision(HistorisedModel):
    """A decision recorded in a meeting, on any object of the contract (generic relation, design.md §2).

    ``contract`` is repeated from the meeting's body so that tenancy filters stay one join away.
    """

    contract = models.ForeignKey(
        "contracts.Contract", verbose_name="contrat", on_delete=models.CASCADE, related_name="decisions"
    )
    meeting = models.ForeignKey(Meeting, verbose_name="séance", on_delete=models.PROTECT, related_name="decisions")
    target_type = optional_reference(ContentType, "type d'objet")
    target_id = models.PositiveBigIntegerField("identifiant de l'objet", null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    target_label = models.CharField("objet de la décision", max_length=500, blank=True)
    verdict = models.CharField("sens de la décision", max_length=32, choices=Verdict.choices)
    text = models.TextField("texte de la décision")
    is_published = models.BooleanField("publiée", default=False)

    class Meta:
        verbose_name = "décision"
        verbose_name_plural = "décisions"
        ordering = ["-meeting__starts_at", "-pk"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.get_verdict_display()} — {self.target_label or self.text[:60]}"


class PhaseTemplate(TimeStampedModel):
    """An elaboration process a contract can follow (the seed's 2014 note, the 2023-2024 calendar…)."""

    code = models.SlugField("code", max_length=60, unique=True)
    name = models.CharField("nom", max_length=255)
    description = models.TextField("présentation", blank=True)
    is_default = models.BooleanField("modèle par défaut", default=False)

    class Meta:
        verbose_name = "modèle de processus d'élaboration"
        verbose_name_plural = "modèles de processus d'élaboration"
        ordering = ["-is_default", "name"]

    def __str__(self) -> str:
        return self.name


class PhaseTemplateStep(models.Model):
    template = models.ForeignKey(PhaseTemplate, verbose_name="modèle", on_delete=models.CASCADE, related_name="steps")
    code = models.CharField("numéro", max_length=10)
    title = models.CharField("titre", max_length=255)
    description = models.TextField("description", blank=True)
    order = models.PositiveSmallIntegerField("ordre")
    start_offset_days = models.PositiveIntegerField("début (jours après le lancement)", default=0)
    duration_days = models.PositiveIntegerField("durée (jours)", default=30)

    class Meta:
        verbose_name = "étape de modèle"
        verbose_name_plural = "étapes de modèle"
        ordering = ["template", "order"]
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="phasetemplatestep_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Phase(HistorisedModel):
    """A phase of one contract's elaboration, copied from a template step with planned dates.

    Its status is computed from the data when a rule is registered for its code (phase-status registry);
    otherwise it is the manual status, with who set it and when.
    """

    contract = models.ForeignKey(
        "contracts.Contract", verbose_name="contrat", on_delete=models.CASCADE, related_name="phases"
    )
    template_step = models.ForeignKey(
        PhaseTemplateStep, verbose_name="étape du modèle", on_delete=models.PROTECT, related_name="phases"
    )
    code = models.CharField("numéro", max_length=10)
    title = models.CharField("titre", max_length=255)
    description = models.TextField("description", blank=True)
    order = models.PositiveSmallIntegerField("ordre")
    planned_start = models.DateField("début prévu")
    planned_end = models.DateField("fin prévue")
    manual_status = models.CharField(
        "état saisi", max_length=16, choices=PhaseStatus.choices, default=PhaseStatus.TODO
    )
    status_set_by = user_reference("état saisi par")
    status_set_at = models.DateTimeField("état saisi le", null=True, blank=True)
    completed_on = models.DateField("terminée le", null=True, blank=True)

    class Meta:
        verbose_name = "phase d'élaboration"
        verbose_name_plural = "phases d'élaboration"
        ordering = ["contract", "order"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "code"], name="phase_unique_code_per_contract"),
            models.CheckConstraint(
                condition=models.Q(planned_end__gte=models.F("planned_start")), name="phase_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def depth(self) -> int:
        return self.code.count(".")

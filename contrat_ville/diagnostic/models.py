"""The participatory diagnostic (seed 004 phases 3, 3.1, 3.2): inventory, findings, stakes and their debate."""

import datetime

from django.db import models
from django.utils import timezone

from contrat_ville.core.fields import optional_reference, user_reference
from contrat_ville.core.historised import ArchivableModel, HistorisedModel
from contrat_ville.diagnostic.enums import STAKE_DECIDED_STATUSES, ConsultationStatus, FindingKind, StakeStatus


class DataSource(ArchivableModel):
    """One line of the data inventory (*recensement des données*) of a working group."""

    contract = models.ForeignKey(
        "contracts.Contract", verbose_name="contrat", on_delete=models.CASCADE, related_name="data_sources"
    )
    pillar = optional_reference("contracts.Pillar", "pilier", related_name="data_sources")
    producer = models.CharField("producteur", max_length=255)
    dataset = models.CharField("jeu de données", max_length=255)
    level = models.CharField("échelle", max_length=64, blank=True, help_text="QPV, IRIS, commune, EPCI…")
    year = models.PositiveSmallIntegerField("année", null=True, blank=True)
    url = models.URLField("lien", blank=True)
    notes = models.TextField("remarques", blank=True)

    class Meta:
        verbose_name = "source de données"
        verbose_name_plural = "sources de données"
        ordering = ["contract", "producer", "dataset"]

    def __str__(self) -> str:
        return f"{self.producer} — {self.dataset}"


class Finding(ArchivableModel):
    """A strength or a handicap (*atout / handicap*) of a QPV, or of the whole contract, for one pillar."""

    contract = models.ForeignKey(
        "contracts.Contract", verbose_name="contrat", on_delete=models.CASCADE, related_name="findings"
    )
    pillar = models.ForeignKey(
        "contracts.Pillar", verbose_name="pilier", on_delete=models.PROTECT, related_name="findings"
    )
    territory = optional_reference("territories.Territory", "quartier", help_text="Vide : l'ensemble du contrat.")
    kind = models.CharField("nature", max_length=16, choices=FindingKind.choices)
    text = models.TextField("constat")
    data_sources = models.ManyToManyField(DataSource, verbose_name="sources", blank=True, related_name="findings")

    class Meta:
        verbose_name = "constat"
        verbose_name_plural = "constats"
        ordering = ["contract", "pillar", "kind", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class FindingEvidence(models.Model):
    """An indicator figure cited by a finding: (indicator, territory, period), robust to re-imports."""

    finding = models.ForeignKey(Finding, verbose_name="constat", on_delete=models.CASCADE, related_name="evidence")
    indicator = models.ForeignKey(
        "observation.Indicator", verbose_name="indicateur", on_delete=models.PROTECT, related_name="+"
    )
    territory = models.ForeignKey(
        "territories.Territory", verbose_name="territoire", on_delete=models.PROTECT, related_name="+"
    )
    period = models.PositiveSmallIntegerField("année")

    class Meta:
        verbose_name = "indicateur cité"
        verbose_name_plural = "indicateurs cités"
        constraints = [
            models.UniqueConstraint(
                fields=["finding", "indicator", "territory", "period"], name="findingevidence_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} / {self.territory_id} / {self.period}"


class PillarItem(ArchivableModel):
    """What a pillar's working group sets down, in the order the group gives it: a stake, then the strategic
    orientations drawn from the stakes (``strategy.Orientation``). Each kind names its ``contract`` and its
    ``pillar`` itself, under its own related name."""

    title = models.CharField("intitulé", max_length=255)
    description = models.TextField("description", blank=True)
    order = models.PositiveSmallIntegerField("ordre", default=100)

    class Meta:
        abstract = True
        ordering = ["contract", "pillar__order", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class Stake(PillarItem):
    """An *enjeu* of a pillar; every redefinition is a new ``StakeVersion`` (opinions stay on theirs)."""

    contract = models.ForeignKey(
        "contracts.Contract", verbose_name="contrat", on_delete=models.CASCADE, related_name="stakes"
    )
    pillar = models.ForeignKey(
        "contracts.Pillar", verbose_name="pilier", on_delete=models.PROTECT, related_name="stakes"
    )
    axes = models.ManyToManyField(
        "contracts.TransversalAxis", verbose_name="axes transversaux", blank=True, related_name="stakes"
    )
    findings = models.ManyToManyField(Finding, verbose_name="constats", blank=True, related_name="stakes")
    status = models.CharField("état", max_length=16, choices=StakeStatus.choices, default=StakeStatus.PROPOSED)
    version = models.PositiveSmallIntegerField("version", default=1)
    duplicate_of = optional_reference("self", "doublon de", related_name="duplicates", on_delete=models.SET_NULL)

    class Meta(PillarItem.Meta):
        verbose_name = "enjeu"
        verbose_name_plural = "enjeux"

    @property
    def is_decided(self) -> bool:
        """Retained or rejected by the comité de pilotage: the status follows its latest decision
        (``services.stakes.stake_apply_decisions``), so a later postponement reopens the stake."""
        return self.status in STAKE_DECIDED_STATUSES

    @property
    def is_submitted(self) -> bool:
        """Submitted to the conseils citoyens and awaiting its redefinition with their opinions in view."""
        return self.status == StakeStatus.SUBMITTED


class MainstreamPolicy(models.Model):
    """*Droit commun* identified for a stake: a partner and the policy it runs."""

    stake = models.ForeignKey(Stake, verbose_name="enjeu", on_delete=models.CASCADE, related_name="mainstream")
    organization = models.ForeignKey(
        "accounts.Organization", verbose_name="partenaire", on_delete=models.PROTECT, related_name="+"
    )
    policy = models.CharField("politique de droit commun", max_length=255)

    class Meta:
        verbose_name = "droit commun identifié"
        verbose_name_plural = "droit commun identifié"
        ordering = ["stake", "pk"]

    def __str__(self) -> str:
        return f"{self.organization} — {self.policy}"


class StakeVersion(models.Model):
    """A frozen text of a stake, as submitted to the councils or redefined; opinions point at a version."""

    stake = models.ForeignKey(Stake, verbose_name="enjeu", on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField("version")
    title = models.CharField("intitulé", max_length=255)
    description = models.TextField("description", blank=True)
    axes = models.JSONField("axes transversaux", default=list, blank=True)
    mainstream = models.JSONField("droit commun identifié", default=list, blank=True)
    reason = models.TextField("motif de la redéfinition", blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    created_by = user_reference("par")

    class Meta:
        verbose_name = "version d'enjeu"
        verbose_name_plural = "versions d'enjeu"
        ordering = ["stake", "number"]
        constraints = [models.UniqueConstraint(fields=["stake", "number"], name="stakeversion_unique_number")]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"


class Consultation(HistorisedModel):
    """What is submitted to one or more conseils citoyens, with a deadline: its ``items`` (``ConsultedObject``), of
    any kind registered in ``core.registries.consultable_kinds`` (stakes, orientations, yearly plans…).

    ``stake_versions`` is the stakes' own index (the versions frozen for this consultation), kept beside the items
    for the diagnostic's rules and its API."""

    contract = models.ForeignKey(
        "contracts.Contract", verbose_name="contrat", on_delete=models.CASCADE, related_name="consultations"
    )
    title = models.CharField("intitulé", max_length=255)
    message = models.TextField("message aux conseils", blank=True)
    councils = models.ManyToManyField(
        "accounts.Organization",
        verbose_name="conseils citoyens",
        related_name="consultations",
        limit_choices_to={"kind": "citizen_council"},
    )
    stake_versions = models.ManyToManyField(StakeVersion, verbose_name="enjeux soumis", related_name="consultations")
    deadline = models.DateField("date limite des avis")
    status = models.CharField(
        "état", max_length=8, choices=ConsultationStatus.choices, default=ConsultationStatus.OPEN
    )
    submitted_by = user_reference("soumis par")

    class Meta:
        verbose_name = "consultation des conseils citoyens"
        verbose_name_plural = "consultations des conseils citoyens"
        ordering = ["contract", "-created_at"]

    def __str__(self) -> str:
        return self.title

    def is_open_on(self, day: datetime.date) -> bool:
        """Open and not past its deadline (the deadline day included)."""
        return self.status == ConsultationStatus.OPEN and day <= self.deadline

    @property
    def is_open(self) -> bool:
        return self.is_open_on(timezone.localdate())


class ConsultedObject(models.Model):
    """One object submitted in a consultation, of a kind registered in ``core.registries.consultable_kinds``.

    ``target`` is what the opinions judge (a stake version, an orientation, a plan…); ``subject`` is what the steering
    committee decides on (the stake of that version; the object itself otherwise), so that an opinion and the
    decision that followed it stay linked whatever app owns them. ``label`` is the title as submitted.
    """

    consultation = models.ForeignKey(
        Consultation, verbose_name="consultation", on_delete=models.CASCADE, related_name="items"
    )
    kind = models.CharField("nature", max_length=100)
    target_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name="type de l'objet soumis", on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.PositiveBigIntegerField("identifiant de l'objet soumis")
    subject_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name="type de l'objet décidé", on_delete=models.CASCADE, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField("identifiant de l'objet décidé")
    label = models.CharField("intitulé soumis", max_length=500)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "objet soumis aux conseils citoyens"
        verbose_name_plural = "objets soumis aux conseils citoyens"
        ordering = ["consultation", "order", "pk"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="consulted_subject_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "target_type", "target_id"], name="consultedobject_unique_target"
            ),
        ]

    def __str__(self) -> str:
        return self.label

"""The strategic tree (orientation → operational objective → action) and the annual action plans."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from contrat_ville.core.fields import optional_reference, user_reference
from contrat_ville.core.historised import ArchivableModel, HistorisedModel
from contrat_ville.core.models import in_order_when_given
from contrat_ville.diagnostic.models import PillarItem
from contrat_ville.observation.enums import Direction
from contrat_ville.strategy.enums import ActionPlanStatus, ActionStatus

# Years of objectives, measures and plans: forms, API schemas and imports read these bounds from the fields.
MIN_YEAR = 1990
MAX_YEAR = 2100
YEAR_VALIDATORS = [MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]


class Orientation(PillarItem):
    """An *orientation stratégique* of a pillar, drawn from retained stakes; validated by the COPIL."""

    contract = models.ForeignKey(
        "contracts.Contract", verbose_name="contrat", on_delete=models.CASCADE, related_name="orientations"
    )
    pillar = models.ForeignKey(
        "contracts.Pillar", verbose_name="pilier", on_delete=models.PROTECT, related_name="orientations"
    )
    code = models.CharField("numéro", max_length=16, blank=True, help_text="Par exemple « 1.2 ».")
    stakes = models.ManyToManyField("diagnostic.Stake", verbose_name="enjeux", blank=True, related_name="orientations")
    axes = models.ManyToManyField(
        "contracts.TransversalAxis", verbose_name="axes transversaux", blank=True, related_name="orientations"
    )

    class Meta(PillarItem.Meta):
        verbose_name = "orientation stratégique"
        verbose_name_plural = "orientations stratégiques"


class Objective(ArchivableModel):
    """An *objectif opérationnel*: an indicator, its baseline and its target, on a territory."""

    orientation = models.ForeignKey(
        Orientation, verbose_name="orientation", on_delete=models.CASCADE, related_name="objectives"
    )
    code = models.CharField("numéro", max_length=16, blank=True)
    title = models.CharField("intitulé", max_length=255)
    description = models.TextField("description", blank=True)
    indicator = optional_reference("observation.Indicator", "indicateur du catalogue")
    indicator_text = models.CharField(
        "indicateur (texte libre)", max_length=255, blank=True, help_text="Quand l'indicateur n'est pas au catalogue."
    )
    territory = optional_reference("territories.Territory", "territoire de mesure")
    baseline_value = models.FloatField("valeur de référence", null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(
        "année de référence", null=True, blank=True, validators=YEAR_VALIDATORS
    )
    target_value = models.FloatField("valeur cible", null=True, blank=True)
    target_year = models.PositiveSmallIntegerField("année cible", null=True, blank=True, validators=YEAR_VALIDATORS)
    direction = models.CharField(
        "sens de l'indicateur",
        max_length=8,
        choices=Direction.choices,
        blank=True,
        help_text="Vide : le sens de l'indicateur du catalogue.",
    )
    # An indicator outside the catalogue has no published figure: the working group records the last one it knows.
    observed_value = models.FloatField("dernière valeur constatée", null=True, blank=True)
    observed_year = models.PositiveSmallIntegerField(
        "année de la dernière valeur constatée", null=True, blank=True, validators=YEAR_VALIDATORS
    )
    order = models.PositiveSmallIntegerField("ordre", default=100)
    axes = models.ManyToManyField(
        "contracts.TransversalAxis", verbose_name="axes transversaux", blank=True, related_name="objectives"
    )

    class Meta:
        verbose_name = "objectif opérationnel"
        verbose_name_plural = "objectifs opérationnels"
        ordering = ["orientation", "order", "pk"]
        constraints = [
            in_order_when_given("baseline_year", "target_year", name="objective_target_after_baseline"),
        ]

    def __str__(self) -> str:
        return self.title


class Action(ArchivableModel):
    """An action serving an objective; its lead is an organisation and/or a named contact."""

    objective = models.ForeignKey(Objective, verbose_name="objectif", on_delete=models.CASCADE, related_name="actions")
    code = models.CharField("numéro", max_length=16, blank=True)
    title = models.CharField("intitulé", max_length=255)
    description = models.TextField("description", blank=True)
    lead_organization = optional_reference("accounts.Organization", "pilote de l'action", related_name="led_actions")
    lead_contact = models.CharField("référent (nom, fonction)", max_length=255, blank=True)
    lead_email = models.EmailField("adresse électronique du référent", blank=True)
    partners = models.ManyToManyField(
        "accounts.Organization", verbose_name="partenaires", blank=True, related_name="partner_actions"
    )
    qpvs = models.ManyToManyField(
        "territories.Territory", verbose_name="quartiers ciblés", blank=True, related_name="+"
    )
    axes = models.ManyToManyField(
        "contracts.TransversalAxis", verbose_name="axes transversaux", blank=True, related_name="actions"
    )
    start_on = models.DateField("début", null=True, blank=True)
    end_on = models.DateField("fin", null=True, blank=True)
    status = models.CharField("état", max_length=16, choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    progress = models.PositiveSmallIntegerField(
        "avancement (%)", default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = "action"
        verbose_name_plural = "actions"
        ordering = ["objective", "code", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="action_progress_max_100"),
            in_order_when_given("start_on", "end_on", name="action_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title


class ActionPlan(HistorisedModel):
    """The *plan d'actions annuel* of a contract; validated by a decision of the comité de pilotage."""

    contract = models.ForeignKey(
        "contracts.Contract", verbose_name="contrat", on_delete=models.CASCADE, related_name="action_plans"
    )
    year = models.PositiveSmallIntegerField("année", validators=YEAR_VALIDATORS)
    status = models.CharField("état", max_length=16, choices=ActionPlanStatus.choices, default=ActionPlanStatus.DRAFT)
    previous = optional_reference("self", "plan précédent", on_delete=models.SET_NULL)
    notes = models.TextField("présentation", blank=True)

    class Meta:
        verbose_name = "plan d'actions annuel"
        verbose_name_plural = "plans d'actions annuels"
        ordering = ["contract", "-year"]
        constraints = [models.UniqueConstraint(fields=["contract", "year"], name="actionplan_unique_year")]

    def __str__(self) -> str:
        return f"Plan d'actions {self.year}"

    @property
    def is_draft(self) -> bool:
        """Not validated: the status follows the comité de pilotage's latest decision (``action_plan_on_decision``)."""
        return self.status == ActionPlanStatus.DRAFT


class ActionPlanItem(models.Model):
    """An action in a yearly plan, with the state it had in that plan (frozen when the plan is validated)."""

    plan = models.ForeignKey(ActionPlan, verbose_name="plan", on_delete=models.CASCADE, related_name="items")
    action = models.ForeignKey(Action, verbose_name="action", on_delete=models.CASCADE, related_name="plan_items")
    carried_over = models.BooleanField("reconduite de l'année précédente", default=False)
    snapshot = models.JSONField(
        "état de l'action dans ce plan", default=dict, blank=True, help_text="Figé à la validation du plan."
    )
    added_at = models.DateTimeField("ajoutée le", auto_now_add=True)
    added_by = user_reference("par")

    class Meta:
        verbose_name = "action du plan"
        verbose_name_plural = "actions du plan"
        ordering = ["plan", "action__code", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "action"], name="actionplanitem_unique")]

    def __str__(self) -> str:
        return f"{self.plan} — {self.action}"

"""Money and means: the partners' *droit commun* commitments (design.md §2, domain.md §4).

A commitment names what a partner mobilises from its own policies — money, staff, a service or a scheme — for an
operational objective, an action, or the contract as a whole (real contracts commit « 5 M€ par an » or
« 54 éducateurs » without naming an objective), and its figures year by year: what was planned, what was realised.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models

from contrat_ville.core.fields import optional_reference
from contrat_ville.core.historised import HistorisedModel
from contrat_ville.funding.enums import CommitmentNature, CommitmentStatus, CommitmentUnit
from contrat_ville.strategy.models import YEAR_VALIDATORS

NON_NEGATIVE = [MinValueValidator(Decimal(0))]


class BudgetLine(models.Model):
    """A year's figures (design.md §5 « budget lines »): planned and realised, in the unit of what they belong to.

    An empty realised figure means « not reported yet », never zero."""

    year = models.PositiveSmallIntegerField("année", validators=YEAR_VALIDATORS)
    planned = models.DecimalField(
        "prévu", max_digits=14, decimal_places=2, null=True, blank=True, validators=NON_NEGATIVE
    )
    realised = models.DecimalField(
        "réalisé", max_digits=14, decimal_places=2, null=True, blank=True, validators=NON_NEGATIVE
    )

    class Meta:
        abstract = True


class MainstreamCommitment(HistorisedModel):
    """An *engagement de droit commun* of a partner (loi 2014-173 art. 6 II; seed 004 phase 4)."""

    contract = models.ForeignKey(
        "contracts.Contract", verbose_name="contrat", on_delete=models.CASCADE, related_name="mainstream_commitments"
    )
    partner = models.ForeignKey(
        "accounts.Organization",
        verbose_name="partenaire",
        on_delete=models.PROTECT,
        related_name="mainstream_commitments",
    )
    objective = optional_reference(
        "strategy.Objective", "objectif opérationnel", related_name="mainstream_commitments"
    )
    action = optional_reference("strategy.Action", "action", related_name="mainstream_commitments")
    pillar = optional_reference(
        "contracts.Pillar",
        "pilier",
        related_name="mainstream_commitments",
        help_text="Pour un engagement qui ne vise ni objectif ni action : le pilier qu'il sert, s'il en sert un.",
    )
    title = models.CharField("intitulé", max_length=255)
    description = models.TextField("description", blank=True)
    nature = models.CharField("nature", max_length=16, choices=CommitmentNature.choices)
    unit = models.CharField("unité", max_length=16, choices=CommitmentUnit.choices, default=CommitmentUnit.EURO)
    unit_label = models.CharField(
        "unité (précisez)", max_length=60, blank=True, help_text="Quand l'unité n'est pas dans la liste."
    )
    status = models.CharField(
        "état", max_length=16, choices=CommitmentStatus.choices, default=CommitmentStatus.PROPOSED
    )
    evidence = models.TextField(
        "pièces justificatives",
        blank=True,
        help_text="Convention, délibération, lien vers un document : ce qui atteste l'engagement et sa réalisation.",
    )

    class Meta:
        verbose_name = "engagement de droit commun"
        verbose_name_plural = "engagements de droit commun"
        ordering = ["contract", "partner__name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(objective__isnull=True) | models.Q(action__isnull=True),
                name="commitment_objective_or_action",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def unit_text(self) -> str:
        """The unit as shown beside the figures: the partner's own word for « autre unité »."""
        if self.unit == CommitmentUnit.OTHER and self.unit_label:
            return self.unit_label
        return CommitmentUnit(self.unit).label


class CommitmentYear(BudgetLine):
    """A commitment's figures for one year."""

    commitment = models.ForeignKey(
        MainstreamCommitment, verbose_name="engagement", on_delete=models.CASCADE, related_name="years"
    )
    note = models.CharField("commentaire", max_length=500, blank=True)

    class Meta:
        verbose_name = "chiffres annuels d'un engagement"
        verbose_name_plural = "chiffres annuels des engagements"
        ordering = ["commitment", "year"]
        constraints = [
            models.UniqueConstraint(fields=["commitment", "year"], name="commitmentyear_unique_year"),
            models.CheckConstraint(
                condition=models.Q(planned__isnull=True) | models.Q(planned__gte=0),
                name="commitmentyear_planned_gte_0",
            ),
            models.CheckConstraint(
                condition=models.Q(realised__isnull=True) | models.Q(realised__gte=0),
                name="commitmentyear_realised_gte_0",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commitment} — {self.year}"

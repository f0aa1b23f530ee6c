"""Money and means: the partners' *droit commun* commitments and the specific credits (design.md §2, domain.md §4).

A commitment names what a partner mobilises from its own policies — money, staff, a service or a scheme — for an
operational objective, an action, or the contract as a whole (real contracts commit « 5 M€ par an » or
« 54 éducateurs » without naming an objective), and its figures year by year: what was planned, what was realised.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models

from contrat_ville.core.fields import optional_reference
from contrat_ville.core.historised import HistorisedModel
from contrat_ville.funding.enums import (
    AgreementKind,
    CommitmentNature,
    CommitmentStatus,
    CommitmentUnit,
    CreditProgramme,
)
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


def euros(verbose_name: str) -> models.DecimalField[Decimal | None, Decimal | None]:
    return models.DecimalField(
        verbose_name, max_digits=14, decimal_places=2, null=True, blank=True, validators=NON_NEGATIVE
    )


class Credit(HistorisedModel):
    """*Crédits spécifiques* of one year: what was requested, granted and paid, in euros (domain.md §4.1).

    Programme 147 posts imported from the ANCT's files (adultes-relais, FONJEP) carry their post id, employer and
    import batch; the others are recorded by the pilot and the State. ``theme_code`` is the programme 147 thematic
    nomenclature (GISPRO: « 1112 » PRE actions, « 1122 » CLAS…)."""

    contract = models.ForeignKey(
        "contracts.Contract", verbose_name="contrat", on_delete=models.CASCADE, related_name="credits"
    )
    programme = models.CharField("programme", max_length=20, choices=CreditProgramme.choices)
    theme_code = models.CharField(
        "code thématique (programme 147)",
        max_length=8,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{2,4}$", "Un code thématique a de 2 à 4 chiffres (« 11 », « 1122 »).")],
    )
    title = models.CharField("intitulé", max_length=255)
    beneficiary = models.CharField("porteur ou employeur", max_length=255, blank=True)
    beneficiary_siret = models.CharField(
        "SIRET du porteur",
        max_length=14,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{14}$", "Un SIRET a 14 chiffres.")],
    )
    objective = optional_reference("strategy.Objective", "objectif opérationnel", related_name="credits")
    action = optional_reference("strategy.Action", "action", related_name="credits")
    year = models.PositiveSmallIntegerField("année", validators=YEAR_VALIDATORS)
    agreement = models.CharField(
        "convention", max_length=16, choices=AgreementKind.choices, default=AgreementKind.SINGLE_YEAR
    )
    agreement_end_year = models.PositiveSmallIntegerField(
        "dernière année de la convention", null=True, blank=True, validators=YEAR_VALIDATORS
    )
    requested = euros("demandé (€)")
    granted = euros("accordé (€)")
    paid = euros("versé (€)")
    post_id = models.CharField("identifiant du poste (ANCT)", max_length=32, blank=True)
    import_batch = optional_reference("core.ImportBatch", "import", related_name="+", on_delete=models.SET_NULL)

    class Meta:
        verbose_name = "crédit spécifique"
        verbose_name_plural = "crédits spécifiques"
        ordering = ["contract", "-year", "programme", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(objective__isnull=True) | models.Q(action__isnull=True),
                name="credit_objective_or_action",
            ),
            models.UniqueConstraint(
                fields=["programme", "post_id", "year"],
                condition=~models.Q(post_id=""),
                name="credit_unique_post_year",
            ),
        ]
        indexes = [models.Index(fields=["contract", "year"], name="credit_contract_year_idx")]

    def __str__(self) -> str:
        return self.title

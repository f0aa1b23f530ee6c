"""Indicators and their values per territory and period (design.md §2, domain.md §7)."""

from django.db import models
from django.db.models import Q

from contrat_ville.core.fields import optional_reference
from contrat_ville.core.models import TimeStampedModel, import_batch_link
from contrat_ville.observation.enums import Aggregation, Direction, Theme


class Indicator(TimeStampedModel):
    """An indicator of the catalogue (domain.md §7.4)."""

    code = models.CharField("code", max_length=32, unique=True)
    label = models.CharField("libellé", max_length=255)
    theme = models.CharField("thème", max_length=32, choices=Theme.choices)
    unit = models.CharField("unité", max_length=32)
    definition = models.TextField("définition", blank=True)
    numerator_label = models.CharField("numérateur", max_length=255, blank=True)
    denominator_label = models.CharField("dénominateur", max_length=255, blank=True)
    source = models.CharField("source", max_length=255, blank=True)
    producer = models.CharField("producteur", max_length=255, blank=True)
    direction = models.CharField("sens", max_length=8, choices=Direction.choices, default=Direction.CONTEXT)
    levels = models.JSONField("niveaux disponibles", default=list, blank=True, help_text="Natures de territoire.")
    aggregation = models.CharField("agrégation", max_length=8, choices=Aggregation.choices, default=Aggregation.SUM)
    decimals = models.PositiveSmallIntegerField("décimales affichées", default=1)
    order = models.PositiveSmallIntegerField("ordre", default=100)

    class Meta:
        verbose_name = "indicateur"
        verbose_name_plural = "indicateurs"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.label}"


class IndicatorValue(models.Model):
    """One figure: indicator, territory and period (a year), public or private to one contract.

    A confidential value (statistical secrecy: ``s``, ``ns``, ``nd``) is stored without its figures and is never
    shown, exported or used in a visible computation (domain.md §7.3).
    """

    # A national load writes 25 million rows: the foreign keys to the indicator, the territory and the batch
    # carry no database constraint (PostgreSQL checks deferred constraints row by row at commit, which
    # halves the import rate) nor their own index (the unique indexes below lead with them). Integrity
    # is kept by the writer (ids resolved from the database, or checked set-based in ``values_write``) and
    # deletions cascade through the ORM (``on_delete``). ``contract`` keeps its constraint: tenancy.
    indicator = models.ForeignKey(
        Indicator,
        verbose_name="indicateur",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name="territoire",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    period = models.PositiveSmallIntegerField("année")
    value = models.FloatField("valeur", null=True, blank=True)
    numerator = models.FloatField("numérateur", null=True, blank=True)
    denominator = models.FloatField("dénominateur", null=True, blank=True)
    is_confidential = models.BooleanField("secret statistique", default=False)
    contract = optional_reference(
        "contracts.Contract", "contrat (données privées)", on_delete=models.CASCADE, db_index=False
    )
    batch = import_batch_link(db_index=False, db_constraint=False)

    class Meta:
        verbose_name = "valeur d'indicateur"
        verbose_name_plural = "valeurs d'indicateur"
        # Two unique indexes serve every read, both led by the territory (portrait, national computation,
        # maps): a public value is found by (territory, indicator, period), a private one by (contract,
        # territory, indicator, period). No other index: each one slows down national imports (25 million
        # rows). On SQLite only, migration 0002 adds a covering index (the national computation then reads
        # values from the index alone, twice as fast); PostgreSQL gains nothing from it.
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "indicator", "period"],
                condition=models.Q(contract__isnull=True),
                name="indicatorvalue_unique_public",
            ),
            models.UniqueConstraint(
                fields=["contract", "territory", "indicator", "period"],
                condition=models.Q(contract__isnull=False),
                name="indicatorvalue_unique_private",
            ),
            models.CheckConstraint(
                condition=models.Q(is_confidential=False)
                | models.Q(value__isnull=True, numerator__isnull=True, denominator__isnull=True),
                name="indicatorvalue_confidential_has_no_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} / {self.territory_id} / {self.period}"


def visible_condition(contract_id: int | None) -> Q:
    """The condition on ``IndicatorValue`` of the values one sees: public ones, plus those private to the contract
    ``contract_id`` when given."""
    condition = Q(contract__isnull=True)
    if contract_id is not None:
        condition |= Q(contract_id=contract_id)
    return condition

from django.db import models

from contrat_ville.core.models import TimeStampedModel, import_batch_link
from contrat_ville.territories.enums import LinkKind, TerritoryKind


class TerritoryQuerySet(models.QuerySet["Territory"]):
    def of_kind(self, kind: str) -> "TerritoryQuerySet":
        return self.filter(kind=kind)

    def qpvs(self) -> "TerritoryQuerySet":
        return self.filter(kind=TerritoryKind.QPV)


class Territory(TimeStampedModel):
    """Any territory of the official code lists: région … IRIS, QPV.

    ``vintage`` names the code list the code comes from (COG year for communes and EPCI, QPV
    generation 2015/2024, IRIS year): codes are reused across vintages, so uniqueness is on
    (kind, code, vintage). ``geometry`` is a GeoJSON geometry in WGS84 (no PostGIS needed).
    """

    kind = models.CharField("nature", max_length=20, choices=TerritoryKind.choices)
    code = models.CharField("code officiel", max_length=20)
    vintage = models.CharField("millésime", max_length=16)
    name = models.CharField("nom", max_length=255)
    siren = models.CharField("SIREN", max_length=9, blank=True)
    population = models.PositiveIntegerField("population", null=True, blank=True)
    area_ha = models.DecimalField("superficie (ha)", max_digits=12, decimal_places=2, null=True, blank=True)
    geometry = models.JSONField("contour (GeoJSON WGS84)", null=True, blank=True)
    attributes = models.JSONField(
        "attributs du fichier source", default=dict, blank=True, help_text="Nature d'EPCI, type d'IRIS, suffixe QPV…"
    )
    former_codes = models.JSONField(
        "anciens codes", default=list, blank=True, help_text="Codes de communes fusionnées dans celle-ci."
    )
    import_batch = import_batch_link()
    children: models.ManyToManyField["Territory", "TerritoryLink"] = models.ManyToManyField(
        "self", through="TerritoryLink", symmetrical=False, related_name="parents", through_fields=("parent", "child")
    )

    # The organisations that work in the territory (issue 10 §4). The link lives here, not on Organization:
    # accounts sits below territories in the app graph, and serving a commune or a QPV does not depend on a
    # contract. ``organization.served_territories`` reads it from the other side.
    serving_organizations = models.ManyToManyField(
        "accounts.Organization",
        verbose_name="organisations qui y interviennent",
        related_name="served_territories",
        blank=True,
    )

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        verbose_name = "territoire"
        verbose_name_plural = "territoires"
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code", "vintage"], name="territory_unique_kind_code_vintage"),
        ]
        indexes = [models.Index(fields=["code"]), models.Index(fields=["siren"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def kind_label(self) -> str:
        return TerritoryKind(self.kind).label


class TerritoryLink(models.Model):
    """``child`` lies in ``parent``, wholly (share = 1) or in part (share = the part of the child's
    population — or, failing that, area — that lies inside the parent)."""

    parent = models.ForeignKey(Territory, verbose_name="parent", on_delete=models.CASCADE, related_name="child_links")
    child = models.ForeignKey(Territory, verbose_name="enfant", on_delete=models.CASCADE, related_name="parent_links")
    kind = models.CharField("nature du lien", max_length=12, choices=LinkKind.choices, default=LinkKind.INCLUSION)
    share = models.DecimalField("part", max_digits=7, decimal_places=6, default=1)
    import_batch = import_batch_link()

    class Meta:
        verbose_name = "lien entre territoires"
        verbose_name_plural = "liens entre territoires"
        constraints = [
            models.UniqueConstraint(fields=["parent", "child"], name="territorylink_unique_parent_child"),
            models.CheckConstraint(
                condition=models.Q(share__gt=0) & models.Q(share__lte=1), name="territorylink_share_between_0_and_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child} ⊂ {self.parent} ({self.share})"

"""The annual report on the politique de la ville (décret n° 2015-1118, domain.md §5.1): its procedure, the pilot's
texts, the DSU lines and the municipal councils' opinions. What the report says from the data is built by
``annual_report_outline``; the conseils citoyens' opinions go through the diagnostic's consultations."""

from __future__ import annotations

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from contrat_ville.core.historised import HistorisedModel
from contrat_ville.reporting.enums import AnnualReportStatus, MunicipalOpinion

YEAR_VALIDATORS = [MinValueValidator(1990), MaxValueValidator(2100)]


class AnnualReport(HistorisedModel):
    """The *rapport annuel politique de la ville* of a contract for a past year: drafted by the EPCI, sent for opinion
    to the municipal councils and the conseils citoyens (at least one month, silence is favourable), approved by the
    conseil communautaire, then made public."""

    contract = models.ForeignKey(
        "contracts.Contract", verbose_name="contrat", on_delete=models.CASCADE, related_name="annual_reports"
    )
    year = models.PositiveSmallIntegerField("année", validators=YEAR_VALIDATORS)
    status = models.CharField(
        "état", max_length=16, choices=AnnualReportStatus.choices, default=AnnualReportStatus.DRAFT
    )
    # The pilot's texts: the blocks of the decree that the data cannot write.
    introduction = models.TextField(
        "rappel des orientations et du projet de territoire",
        blank=True,
        help_text="Les grandes orientations du contrat et le projet de territoire dont il procède.",
    )
    situation_comment = models.TextField(
        "commentaire sur l'évolution de la situation des quartiers",
        blank=True,
        help_text="Ce que disent les indicateurs, au regard des objectifs de la loi et du contrat.",
    )
    perspectives = models.TextField(
        "perspectives",
        blank=True,
        help_text=(
            "Les améliorations à apporter au vu des résultats et des moyens : renforcement du droit commun, "
            "coordination des acteurs et des politiques, participation des habitants, évaluation."
        ),
    )
    renewal_text = models.TextField(
        "articulation avec le projet de renouvellement urbain",
        blank=True,
        help_text="À remplir quand un projet de renouvellement urbain (ANRU) concerne le contrat.",
    )
    # The consultation: when the draft was sent, until when opinions are awaited, the conseils citoyens' side.
    sent_on = models.DateField("transmis pour avis le", null=True, blank=True)
    deadline = models.DateField("date limite des avis", null=True, blank=True)
    consultation = models.ForeignKey(
        "diagnostic.Consultation",
        verbose_name="consultation des conseils citoyens",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The approval by the conseil communautaire.
    approved_on = models.DateField("délibération du conseil communautaire du", null=True, blank=True)
    follow_up = models.TextField("suites données aux observations", blank=True)
    published_on = models.DateField("publié le", null=True, blank=True)

    class Meta:
        verbose_name = "rapport annuel politique de la ville"
        verbose_name_plural = "rapports annuels politique de la ville"
        ordering = ["contract", "-year"]
        constraints = [models.UniqueConstraint(fields=["contract", "year"], name="annualreport_unique_year")]

    def __str__(self) -> str:
        return f"Rapport annuel {self.year}"

    @property
    def is_editable(self) -> bool:
        return self.status in {AnnualReportStatus.DRAFT, AnnualReportStatus.CONSULTATION}

    def deadline_passed(self, today: datetime.date) -> bool:
        return self.deadline is not None and today > self.deadline


class DsuLine(HistorisedModel):
    """A commune that received the *dotation de solidarité urbaine et de cohésion sociale* in the report's year: its
    amount and the *développement social urbain* actions it carried out (décret 2015-1118)."""

    report = models.ForeignKey(
        AnnualReport, verbose_name="rapport", on_delete=models.CASCADE, related_name="dsu_lines"
    )
    commune = models.ForeignKey(
        "territories.Territory", verbose_name="commune", on_delete=models.PROTECT, related_name="+"
    )
    amount = models.PositiveBigIntegerField(
        "montant de la dotation perçue (€)", validators=[MaxValueValidator(10_000_000_000)]
    )
    actions = models.TextField("actions de développement social urbain")

    class Meta:
        verbose_name = "dotation de solidarité urbaine d'une commune"
        verbose_name_plural = "dotations de solidarité urbaine des communes"
        ordering = ["report", "commune__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["report", "commune"], name="dsuline_unique_commune")]

    def __str__(self) -> str:
        return f"DSU {self.report.year} — {self.commune}"


class MunicipalConsultation(HistorisedModel):
    """A conseil municipal consulted on the draft report: its deliberation and opinion once given. Silence after the
    deadline counts as a favourable opinion (« avis favorable tacite »), computed, never stored."""

    report = models.ForeignKey(
        AnnualReport, verbose_name="rapport", on_delete=models.CASCADE, related_name="municipal_consultations"
    )
    commune = models.ForeignKey(
        "territories.Territory", verbose_name="commune", on_delete=models.PROTECT, related_name="+"
    )
    deliberated_on = models.DateField("délibération du", null=True, blank=True)
    opinion = models.CharField("avis", max_length=16, choices=MunicipalOpinion.choices, blank=True)
    text = models.TextField("observations", blank=True)
    file = models.FileField("délibération (fichier)", upload_to="reporting/deliberations/%Y/", blank=True)

    class Meta:
        verbose_name = "avis d'un conseil municipal"
        verbose_name_plural = "avis des conseils municipaux"
        ordering = ["report", "commune__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "commune"], name="municipalconsultation_unique_commune")
        ]

    def __str__(self) -> str:
        return f"Conseil municipal de {self.commune}"

    @property
    def has_answered(self) -> bool:
        return bool(self.opinion)

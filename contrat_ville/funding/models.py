"""Money and means: the partners' *droit commun* commitments and the specific credits (design.md §2, domain.md §4).

A commitment names what a partner mobilises from its own policies — money, staff, a service or a scheme — for an
operational objective, an action, or the contract as a whole (real contracts commit « 5 M€ par an » or
« 54 éducateurs » without naming an objective), and its figures year by year: what was planned, what was realised.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models

from contrat_ville.core.fields import optional_reference, user_reference
from contrat_ville.core.historised import HistorisedModel
from contrat_ville.core.models import TimeStampedModel
from contrat_ville.funding.enums import (
    AgreementKind,
    ApplicationStatus,
    CallStatus,
    CommitmentNature,
    CommitmentStatus,
    CommitmentUnit,
    CreditProgramme,
    ReviewOpinion,
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


# --- the annual call for projects (domain.md §4.2) ----------------------------------------------------------------


class CallForProjects(HistorisedModel):
    """The *appel à projets* of one year, launched by the EPCI and the State with the co-funders (domain.md §4.2)."""

    contract = models.ForeignKey(
        "contracts.Contract", verbose_name="contrat", on_delete=models.CASCADE, related_name="calls_for_projects"
    )
    year = models.PositiveSmallIntegerField("année de programmation", validators=YEAR_VALIDATORS)
    title = models.CharField("intitulé", max_length=255)
    opens_on = models.DateField("ouverture des dépôts")
    closes_on = models.DateField("clôture des dépôts")
    eligibility = models.TextField(
        "critères d'éligibilité",
        blank=True,
        help_text="Publics habitant les quartiers prioritaires, objectifs du contrat, porteurs admis…",
    )
    local_priorities = models.TextField("priorités locales de l'année", blank=True)
    priorities = models.ManyToManyField(
        "strategy.Objective", verbose_name="objectifs prioritaires", related_name="calls_for_projects", blank=True
    )
    instruction_steps = models.TextField("étapes de l'instruction", blank=True)
    submission_channel = models.CharField(
        "modalités de dépôt",
        max_length=255,
        blank=True,
        help_text="Par exemple « Dauphin (ANCT) pour le programme 147, cette plateforme pour les autres financeurs ».",
    )
    documents = models.TextField("pièces à joindre", blank=True)
    report_due_on = models.DateField(
        "comptes rendus attendus le",
        null=True,
        blank=True,
        help_text="Date limite des comptes rendus des projets financés ; par défaut le 30 juin de l'année suivante "
        "(six mois après la fin de l'exercice, Cerfa n° 15059).",
    )
    status = models.CharField("état", max_length=16, choices=CallStatus.choices, default=CallStatus.DRAFT)

    class Meta:
        verbose_name = "appel à projets"
        verbose_name_plural = "appels à projets"
        ordering = ["contract", "-year", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "title"], name="callforprojects_unique_title"),
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")), name="callforprojects_closes_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CallFunder(models.Model):
    """A funder of the call and its envelope: the State's programme 147, the EPCI, the département, the CAF…"""

    call = models.ForeignKey(
        CallForProjects, verbose_name="appel à projets", on_delete=models.CASCADE, related_name="funders"
    )
    name = models.CharField("financeur", max_length=255)
    organization = optional_reference("accounts.Organization", "organisation", related_name="+")
    is_p147 = models.BooleanField(
        "crédits du programme 147", default=False, help_text="L'État, au titre de la politique de la ville."
    )
    envelope = euros("enveloppe (€)")
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "financeur d'un appel à projets"
        verbose_name_plural = "financeurs des appels à projets"
        ordering = ["call", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["call", "name"], name="callfunder_unique_name")]

    def __str__(self) -> str:
        return self.name


class Application(HistorisedModel):
    """A *dossier de demande de subvention* of an association (Cerfa n° 12156) to a call for projects.

    ``contract`` repeats the call's so that tenancy filters and governance decisions stay one join away."""

    contract = models.ForeignKey(
        "contracts.Contract", verbose_name="contrat", on_delete=models.CASCADE, related_name="applications"
    )
    call = models.ForeignKey(
        CallForProjects, verbose_name="appel à projets", on_delete=models.PROTECT, related_name="applications"
    )
    organization = models.ForeignKey(
        "accounts.Organization", verbose_name="porteur", on_delete=models.PROTECT, related_name="applications"
    )
    submitted_by = user_reference("déposé par")
    submitted_at = models.DateTimeField("déposé le", null=True, blank=True)
    title = models.CharField("intitulé du projet", max_length=255)
    description = models.TextField("description du projet")
    objectives = models.ManyToManyField(
        "strategy.Objective", verbose_name="objectifs visés", related_name="applications", blank=True
    )
    qpvs = models.ManyToManyField(
        "territories.Territory", verbose_name="quartiers prioritaires visés", related_name="funding_applications"
    )
    public = models.TextField("public visé", blank=True)
    expected_beneficiaries = models.PositiveIntegerField("bénéficiaires attendus", null=True, blank=True)
    total_budget = euros("budget total du projet (€)")
    co_funding = euros("autres ressources (€)")
    co_funding_detail = models.TextField(
        "détail des autres ressources", blank=True, help_text="Fonds propres, autres financeurs, valorisations…"
    )
    status = models.CharField(
        "état", max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    report_reminded_at = models.DateTimeField(
        "compte rendu réclamé le",
        null=True,
        blank=True,
        help_text="Quand le rappel du compte rendu en retard a été envoyé (une fois par dossier).",
    )

    class Meta:
        verbose_name = "dossier de demande de subvention"
        verbose_name_plural = "dossiers de demande de subvention"
        ordering = ["call", "organization__name", "pk"]
        indexes = [models.Index(fields=["contract", "status"], name="application_status_idx")]

    def __str__(self) -> str:
        return self.title


class ApplicationAmount(models.Model):
    """What an application asks of one funder of the call, and what the instruction proposes to grant."""

    application = models.ForeignKey(
        Application, verbose_name="dossier", on_delete=models.CASCADE, related_name="amounts"
    )
    funder = models.ForeignKey(CallFunder, verbose_name="financeur", on_delete=models.PROTECT, related_name="amounts")
    requested = euros("demandé (€)")
    granted = euros("accordé (€)")

    class Meta:
        verbose_name = "montant demandé à un financeur"
        verbose_name_plural = "montants demandés aux financeurs"
        ordering = ["application", "funder__order", "funder__pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "funder"], name="applicationamount_unique_funder")
        ]

    def __str__(self) -> str:
        return f"{self.application} — {self.funder}"


class ApplicationAttachment(TimeStampedModel):
    """A document of an application (the Cerfa, statutes, budget, RIB…), uploaded by its applicant while it is a
    draft; stored and served as the meetings' attachments are (``core.attachments``), never from MEDIA_URL."""

    application = models.ForeignKey(
        Application, verbose_name="dossier", on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField("titre", max_length=255)
    file = models.FileField("fichier", upload_to="funding/applications/%Y/")
    uploaded_by = user_reference("déposé par")

    class Meta:
        verbose_name = "pièce jointe d'un dossier"
        verbose_name_plural = "pièces jointes des dossiers"
        ordering = ["application", "title", "pk"]

    def __str__(self) -> str:
        return self.title


class ReviewRequest(TimeStampedModel):
    """The pilot asks a member of the technical committee for their opinion on an application: the member is
    e-mailed and finds it in « Ce qui vous attend » until they give it."""

    application = models.ForeignKey(
        Application, verbose_name="dossier", on_delete=models.CASCADE, related_name="review_requests"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="membre sollicité",
        on_delete=models.CASCADE,
        related_name="review_requests",
    )
    requested_by = user_reference("demandé par")

    class Meta:
        verbose_name = "demande d'avis technique"
        verbose_name_plural = "demandes d'avis techniques"
        ordering = ["application", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="reviewrequest_unique_reviewer")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} — {self.application}"


class Review(TimeStampedModel):
    """The opinion of a technical-committee member on an application (domain.md §4.2, instruction)."""

    application = models.ForeignKey(
        Application, verbose_name="dossier", on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = user_reference("rédigé par")
    reviewer_organization = optional_reference(
        "accounts.Organization", "organisation", related_name="+", on_delete=models.SET_NULL
    )
    opinion = models.CharField("avis", max_length=16, choices=ReviewOpinion.choices)
    comment = models.TextField("commentaire", blank=True)

    class Meta:
        verbose_name = "avis technique"
        verbose_name_plural = "avis techniques"
        ordering = ["application", "created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["application", "reviewer"], name="review_unique_reviewer")]

    def __str__(self) -> str:
        return f"{self.get_opinion_display()} — {self.application}"


class FinalReport(TimeStampedModel):
    """The *compte rendu* of a funded project (Cerfa n° 15059 and its qualitative bilan, due within six months after
    the year): actions carried out, beneficiaries by sex, age band and residence in a QPV, realised budget."""

    application = models.OneToOneField(
        Application, verbose_name="dossier", on_delete=models.CASCADE, related_name="final_report"
    )
    actions_carried_out = models.TextField("actions réalisées")
    women = models.PositiveIntegerField("bénéficiaires : femmes", default=0)
    men = models.PositiveIntegerField("bénéficiaires : hommes", default=0)
    age_under_16 = models.PositiveIntegerField("moins de 16 ans", default=0)
    age_16_25 = models.PositiveIntegerField("16 à 25 ans", default=0)
    age_26_64 = models.PositiveIntegerField("26 à 64 ans", default=0)
    age_65_plus = models.PositiveIntegerField("65 ans et plus", default=0)
    qpv_residents = models.PositiveIntegerField("dont habitants d'un quartier prioritaire", default=0)
    realised_budget = euros("budget réalisé (€)")
    submitted_by = user_reference("transmis par")

    class Meta:
        verbose_name = "compte rendu d'un projet financé"
        verbose_name_plural = "comptes rendus des projets financés"

    def __str__(self) -> str:
        return f"Compte rendu — {self.application}"

    @property
    def beneficiaries(self) -> int:
        return self.women + self.men

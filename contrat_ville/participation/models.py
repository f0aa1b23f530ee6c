"""Residents' participation: the registry of the conseils citoyens, their members, and their opinions (*avis*).

A *conseil citoyen* is also an ``accounts.Organization`` of kind ``citizen_council`` (design.md §2), so that bodies
seat it and opinions name it without importing this app; ``CitizenCouncil`` is its registry entry in one contract
(QPVs, legal form, facilitation, means), kept in step with that organisation by ``services.council_save``.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from contrat_ville.core.fields import optional_reference, user_reference
from contrat_ville.core.historised import HistorisedModel
from contrat_ville.participation.enums import (
    RESIDENTS_DRAWN_BY_LOT,
    AgeBand,
    College,
    CouncilStatus,
    DesignationMethod,
    DrawStatus,
    FacilitatorKind,
    LegalForm,
    OpinionVerdict,
    Sex,
    SurveyStatus,
)

MAX_BUDGET = 10_000_000  # euros a year: far above any council's means, a typing guard


class CitizenCouncil(HistorisedModel):
    """A *conseil citoyen* of a contract (loi 2014-173 art. 7; cadre de référence 2014; domain.md §6.3).

    Its identity as an institution (name, seats in bodies, opinions) is ``organization``; this row holds what the
    regional state of play asks of it: neighbourhoods, legal form, host structure, charter and statutes,
    facilitation, means and status.
    """

    contract = models.ForeignKey(
        "contracts.Contract", verbose_name="contrat", on_delete=models.CASCADE, related_name="citizen_councils"
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name="organisation",
        on_delete=models.PROTECT,
        related_name="citizen_councils",
        limit_choices_to={"kind": "citizen_council"},
    )
    name = models.CharField("nom", max_length=255)
    qpvs = models.ManyToManyField(
        "territories.Territory", verbose_name="quartiers prioritaires", related_name="citizen_councils"
    )
    created_on = models.DateField("date de création", null=True, blank=True)
    legal_form = models.CharField("forme juridique", max_length=32, choices=LegalForm.choices)
    host_structure = optional_reference(
        "accounts.Organization", "structure porteuse", related_name="hosted_citizen_councils"
    )
    charter = models.TextField("charte de fonctionnement", blank=True)
    charter_adopted_on = models.DateField("charte adoptée le", null=True, blank=True)
    statutes = models.TextField("statuts", blank=True)
    # The adopted documents as files (core.attachments): served by the council's pages, never from MEDIA_URL.
    charter_file = models.FileField("charte (fichier)", upload_to="participation/councils/%Y/", blank=True)
    statutes_file = models.FileField("statuts (fichier)", upload_to="participation/councils/%Y/", blank=True)
    facilitator_kind = models.CharField(
        "animation assurée par", max_length=32, choices=FacilitatorKind.choices, blank=True
    )
    facilitation = models.TextField("modalités d'animation", blank=True)
    yearly_budget = models.PositiveIntegerField(
        "budget annuel (euros)",
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_BUDGET)],
    )
    premises = models.CharField("local", max_length=255, blank=True)
    training = models.TextField("formations reçues", blank=True)
    status = models.CharField("état", max_length=32, choices=CouncilStatus.choices, default=CouncilStatus.ACTIVE)
    renewed_on = models.DateField("renouvelé le", null=True, blank=True)

    class Meta:
        verbose_name = "conseil citoyen"
        verbose_name_plural = "conseils citoyens"
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "organization"], name="council_one_entry_per_contract"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def residents_drawn_by_lot(self) -> bool:
        """Whether the residents' college must be drawn by lot: the rule of the contract's generation."""
        return RESIDENTS_DRAWN_BY_LOT.get(self.contract.generation, False)


class CouncilMember(HistorisedModel):
    """A seat in a conseil citoyen: college, sex, age band, neighbourhood, how the member was designated, mandate.

    The name is optional and stays private unless the member agreed to its publication (``publish_name``): public
    pages show counts only.
    """

    council = models.ForeignKey(
        CitizenCouncil, verbose_name="conseil citoyen", on_delete=models.CASCADE, related_name="members"
    )
    college = models.CharField("collège", max_length=32, choices=College.choices)
    sex = models.CharField("sexe", max_length=16, choices=Sex.choices)
    age_band = models.CharField("tranche d'âge", max_length=16, choices=AgeBand.choices, blank=True)
    neighbourhood = optional_reference("territories.Territory", "quartier")
    designation_method = models.CharField("mode de désignation", max_length=32, choices=DesignationMethod.choices)
    start_on = models.DateField("début du mandat")
    end_on = models.DateField("fin du mandat", null=True, blank=True)
    name = models.CharField("nom", max_length=255, blank=True)
    publish_name = models.BooleanField("accepte que son nom soit publié", default=False)

    class Meta:
        verbose_name = "membre de conseil citoyen"
        verbose_name_plural = "membres de conseil citoyen"
        ordering = ["college", "name", "pk"]

    def __str__(self) -> str:
        return self.name or f"membre n° {self.pk} ({self.get_college_display()})"


class Opinion(HistorisedModel):
    """An *avis* given by a member of a conseil citoyen on something submitted to the council.

    The target (a stake version, an orientation, an action plan…) is reached through contenttypes, so that
    ``participation`` never imports the apps above it; an opinion stays on the version it was given on.
    """

    contract = models.ForeignKey(
        "contracts.Contract", verbose_name="contrat", on_delete=models.CASCADE, related_name="opinions"
    )
    council = models.ForeignKey(
        "accounts.Organization",
        verbose_name="conseil citoyen",
        on_delete=models.PROTECT,
        related_name="opinions",
        limit_choices_to={"kind": "citizen_council"},
    )
    author = user_reference("auteur", related_name="opinions")
    content_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name="type d'objet", on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField("identifiant de l'objet")
    target = GenericForeignKey("content_type", "object_id")
    verdict = models.CharField("avis", max_length=32, choices=OpinionVerdict.choices)
    text = models.TextField("commentaire", blank=True)

    class Meta:
        verbose_name = "avis"
        verbose_name_plural = "avis"
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="opinion_target_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "council", "content_type", "object_id"], name="opinion_one_per_author_and_target"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council} : {self.get_verdict_display()}"


class Draw(HistorisedModel):
    """A *tirage au sort* of a council's seats (issue 11 §3): its public inputs — the pool of anonymised
    candidates, the seats per college, the number of substitutes, the public seed and where it comes from — and,
    once run, its result and fingerprint (``draws.py``, algorithm ``cv-tirage-1``). Once published it is frozen:
    anyone redoes it from the published file (``manage.py verify_draw`` or the public verification page)."""

    council = models.ForeignKey(
        CitizenCouncil, verbose_name="conseil citoyen", on_delete=models.CASCADE, related_name="draws"
    )
    title = models.CharField("intitulé", max_length=255)
    residents_seats = models.PositiveSmallIntegerField(
        "sièges du collège des habitants", default=0, validators=[MaxValueValidator(500)]
    )
    local_actors_seats = models.PositiveSmallIntegerField(
        "sièges du collège des associations et acteurs locaux", default=0, validators=[MaxValueValidator(500)]
    )
    substitutes = models.PositiveSmallIntegerField(
        "suppléants par collège (liste complémentaire)", default=0, validators=[MaxValueValidator(500)]
    )
    seed = models.CharField(
        "graine publique",
        max_length=255,
        blank=True,
        help_text="Une valeur que personne ne maîtrise, publiée avant le tirage : par exemple le résultat d'un tirage "
        "de loterie nationale.",
    )
    seed_source = models.CharField("origine de la graine", max_length=255, blank=True)
    seed_date = models.DateField("date de la graine", null=True, blank=True)
    algorithm = models.CharField("algorithme", max_length=32, default="cv-tirage-1")
    pool = models.JSONField("vivier (identifiants anonymes)", default=list, blank=True)
    quotas = models.JSONField(
        "quotas par tranche d'âge ou quartier", default=list, blank=True, help_text="algorithme cv-tirage-2"
    )
    pool_batch = optional_reference("core.ImportBatch", "import du vivier", on_delete=models.SET_NULL)
    result = models.JSONField("résultat", default=dict, blank=True)
    fingerprint = models.CharField("empreinte du résultat", max_length=64, blank=True)
    drawn_at = models.DateTimeField("tiré le", null=True, blank=True)
    status = models.CharField("état", max_length=16, choices=DrawStatus.choices, default=DrawStatus.DRAFT)
    published_at = models.DateTimeField("publié le", null=True, blank=True)
    published_by = user_reference("publié par")

    class Meta:
        verbose_name = "tirage au sort"
        verbose_name_plural = "tirages au sort"
        ordering = ["council", "-created_at", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == DrawStatus.PUBLISHED


class DrawReplacement(HistorisedModel):
    """A member seated by a published draw leaves, and the first fitting substitute of its list takes the seat
    (``draws.next_substitute``): the draw itself stays frozen, its replacements follow it in order."""

    draw = models.ForeignKey(Draw, verbose_name="tirage", on_delete=models.CASCADE, related_name="replacements")
    leaving = models.CharField("membre qui quitte le conseil", max_length=64)
    substitute = models.CharField("suppléant appelé", max_length=64)
    left_on = models.DateField("date du départ")
    reason = models.CharField("motif", max_length=255, blank=True)

    class Meta:
        verbose_name = "remplacement par la liste complémentaire"
        verbose_name_plural = "remplacements par la liste complémentaire"
        ordering = ["draw", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "leaving"], name="drawreplacement_one_departure"),
            models.UniqueConstraint(fields=["draw", "substitute"], name="drawreplacement_one_call"),
        ]

    def __str__(self) -> str:
        return f"{self.substitute} remplace {self.leaving}"


class SurveyCampaign(HistorisedModel):
    """The yearly questionnaire of the conseils citoyens of a region (issue 11 §5), opened by the region's resource
    centre or an administrator: every council of the contracts of the region gets a ``CouncilSurvey``."""

    region_code = models.CharField("région (code officiel)", max_length=2)
    year = models.PositiveSmallIntegerField("année", validators=[MinValueValidator(2014), MaxValueValidator(2100)])
    organization = optional_reference(
        "accounts.Organization", "centre de ressources", related_name="survey_campaigns", on_delete=models.SET_NULL
    )
    due_on = models.DateField("réponses attendues avant le", null=True, blank=True)
    opened_by = user_reference("ouverte par")

    class Meta:
        verbose_name = "campagne du questionnaire des conseils citoyens"
        verbose_name_plural = "campagnes du questionnaire des conseils citoyens"
        ordering = ["-year", "region_code"]
        constraints = [
            models.UniqueConstraint(fields=["region_code", "year"], name="survey_campaign_one_per_region_and_year"),
        ]

    def __str__(self) -> str:
        return f"Questionnaire {self.year} des conseils citoyens (région {self.region_code})"


class CouncilSurvey(HistorisedModel):
    """A council's answers to one year's questionnaire: what the regional state of play asks (legal form,
    facilitation, designation, means, charter, training), its difficulties, needs and prospects. Prefilled from the
    registry when the campaign opens; drafted, then submitted by whoever answers for the council."""

    campaign = models.ForeignKey(
        SurveyCampaign, verbose_name="campagne", on_delete=models.CASCADE, related_name="surveys"
    )
    council = models.ForeignKey(
        CitizenCouncil, verbose_name="conseil citoyen", on_delete=models.CASCADE, related_name="surveys"
    )
    status = models.CharField("état", max_length=16, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT)
    legal_form = models.CharField("forme juridique", max_length=32, choices=LegalForm.choices, blank=True)
    facilitator_kind = models.CharField(
        "animation assurée par", max_length=32, choices=FacilitatorKind.choices, blank=True
    )
    facilitation = models.TextField("modalités d'animation", blank=True)
    meetings_held = models.PositiveSmallIntegerField(
        "réunions tenues dans l'année", null=True, blank=True, validators=[MaxValueValidator(366)]
    )
    designation_methods = models.JSONField("modes de désignation des membres", default=list, blank=True)
    charter_adopted = models.BooleanField("charte de fonctionnement adoptée", null=True, blank=True)
    yearly_budget = models.PositiveIntegerField(
        "budget de l'année (euros)", null=True, blank=True, validators=[MaxValueValidator(MAX_BUDGET)]
    )
    premises = models.CharField("local", max_length=255, blank=True)
    training_topics = models.JSONField("formations reçues (thèmes)", default=list, blank=True)
    training = models.TextField("formations reçues (précisions)", blank=True)
    difficulties = models.JSONField("difficultés rencontrées", default=list, blank=True)
    difficulties_text = models.TextField("difficultés (précisions)", blank=True)
    needs = models.JSONField("besoins", default=list, blank=True)
    needs_text = models.TextField("besoins (précisions)", blank=True)
    prospects = models.TextField("perspectives", blank=True)
    submitted_at = models.DateTimeField("transmis le", null=True, blank=True)
    submitted_by = user_reference("transmis par")

    class Meta:
        verbose_name = "questionnaire d'un conseil citoyen"
        verbose_name_plural = "questionnaires des conseils citoyens"
        ordering = ["-campaign__year", "council__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "council"], name="council_survey_one_per_campaign"),
        ]

    def __str__(self) -> str:
        return f"{self.council} — questionnaire {self.campaign.year}"

    @property
    def is_submitted(self) -> bool:
        return self.status == SurveyStatus.SUBMITTED

from django.db import models


class CommitmentNature(models.TextChoices):
    """What a partner commits from its own policies (instruction du 10 mars 2017: « engagements financiers, humains,
    techniques ou opérationnels »)."""

    FINANCIAL = "financial", "moyens financiers"
    STAFF = "staff", "moyens humains"
    SERVICE = "service", "service rendu"
    SCHEME = "scheme", "dispositif"


class CommitmentUnit(models.TextChoices):
    """The unit of a commitment's yearly figures: figures in different units are never added together."""

    EURO = "euro", "euros"
    HEADCOUNT = "headcount", "personnes"
    FTE = "fte", "équivalents temps plein"
    PLACES = "places", "places ouvertes"
    SHARE = "share", "% des bénéficiaires habitant un quartier prioritaire"
    OTHER = "other", "autre unité"


class CommitmentStatus(models.TextChoices):
    PROPOSED = "proposed", "proposé"
    CONFIRMED = "confirmed", "acté"
    WITHDRAWN = "withdrawn", "retiré"


class CreditProgramme(models.TextChoices):
    """Where specific credits come from (domain.md §4 and §4.1): the State's programme 147 — the annual call for
    projects, the adultes-relais and FONJEP posts —, urban renewal, the local authorities' own budgets."""

    P147 = "p147", "programme 147 — actions du contrat (appel à projets)"
    ADULTES_RELAIS = "adultes_relais", "programme 147 — postes d'adultes-relais"
    FONJEP = "fonjep", "programme 147 — postes FONJEP politique de la ville"
    URBAN_RENEWAL = "urban_renewal", "renouvellement urbain (ANRU)"
    LOCAL_AUTHORITY = "local_authority", "budgets des collectivités (crédits dédiés aux quartiers)"
    OTHER = "other", "autre financement spécifique"


class AgreementKind(models.TextChoices):
    """A single-year grant or a multi-year agreement (convention pluriannuelle d'objectifs, three-year post
    conventions): the 2024-2030 generation aims at half of the credits under multi-year agreements."""

    SINGLE_YEAR = "single_year", "annuelle"
    MULTI_YEAR = "multi_year", "pluriannuelle"


class CallStatus(models.TextChoices):
    """Where a call for projects stands (domain.md §4.2): prepared, open to applications, closed for instruction,
    then programmed by the steering committee."""

    DRAFT = "draft", "en préparation"
    OPEN = "open", "ouvert"
    CLOSED = "closed", "clos, en instruction"
    PROGRAMMED = "programmed", "programmé"


# A call opens, closes and is programmed; a correction goes back one step (reopening for a late deadline, a programme
# the steering committee withdraws).
CALL_TRANSITIONS: dict[str, frozenset[str]] = {
    CallStatus.DRAFT: frozenset({CallStatus.OPEN}),
    CallStatus.OPEN: frozenset({CallStatus.DRAFT, CallStatus.CLOSED}),
    CallStatus.CLOSED: frozenset({CallStatus.OPEN, CallStatus.PROGRAMMED}),
    CallStatus.PROGRAMMED: frozenset({CallStatus.CLOSED}),
}


class ApplicationStatus(models.TextChoices):
    """The life of an application (domain.md §4.2): deposit (Cerfa 12156), instruction, programming by the steering
    committee, agreement, payment, compte rendu financier (Cerfa 15059)."""

    DRAFT = "draft", "brouillon"
    SUBMITTED = "submitted", "déposé"
    UNDER_REVIEW = "under_review", "en instruction"
    PROGRAMMED = "programmed", "programmé"
    REFUSED = "refused", "refusé"
    AGREEMENT_SIGNED = "agreement_signed", "convention signée"
    PAID = "paid", "versé"
    REPORT_RECEIVED = "report_received", "compte rendu reçu"


APPLICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    ApplicationStatus.DRAFT: frozenset({ApplicationStatus.SUBMITTED}),
    # Sent back to its applicant to complete, or taken into instruction.
    ApplicationStatus.SUBMITTED: frozenset({ApplicationStatus.DRAFT, ApplicationStatus.UNDER_REVIEW}),
    # Only the steering committee's decision programmes or refuses (``application_on_decision``).
    ApplicationStatus.UNDER_REVIEW: frozenset({ApplicationStatus.PROGRAMMED, ApplicationStatus.REFUSED}),
    # A later decision of the committee may withdraw a programming or a refusal.
    ApplicationStatus.PROGRAMMED: frozenset({ApplicationStatus.UNDER_REVIEW, ApplicationStatus.AGREEMENT_SIGNED}),
    ApplicationStatus.REFUSED: frozenset({ApplicationStatus.UNDER_REVIEW}),
    ApplicationStatus.AGREEMENT_SIGNED: frozenset({ApplicationStatus.PAID}),
    ApplicationStatus.PAID: frozenset({ApplicationStatus.REPORT_RECEIVED}),
    ApplicationStatus.REPORT_RECEIVED: frozenset(),
}

# The statuses of an application the steering committee programmed: they make the programme table.
PROGRAMMED_STATUSES = frozenset(
    {
        ApplicationStatus.PROGRAMMED,
        ApplicationStatus.AGREEMENT_SIGNED,
        ApplicationStatus.PAID,
        ApplicationStatus.REPORT_RECEIVED,
    }
)
# The statuses an application has once deposited: the reviewers and the pilot read it.
DEPOSITED_STATUSES = frozenset(set(ApplicationStatus.values) - {ApplicationStatus.DRAFT})


class ReviewOpinion(models.TextChoices):
    """A technical-committee member's opinion on an application."""

    FAVOURABLE = "favourable", "favorable"
    RESERVED = "reserved", "réservé"
    UNFAVOURABLE = "unfavourable", "défavorable"

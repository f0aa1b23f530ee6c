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

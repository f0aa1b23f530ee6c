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

from django.db import models


class Theme(models.TextChoices):
    """National pillar codes of domain.md §1.3, or context: an indicator's theme is not a contract's Pillar row."""

    COHESION_SOCIALE = "cohesion_sociale", "cohésion sociale"
    CADRE_DE_VIE = "cadre_de_vie", "cadre de vie et renouvellement urbain"
    DEVELOPPEMENT_ECONOMIQUE = "developpement_economique", "développement économique et emploi"
    CONTEXT = "context", "contexte"


class Direction(models.TextChoices):
    HIGHER_IS_BETTER = "up", "plus élevé est mieux"
    LOWER_IS_BETTER = "down", "plus bas est mieux"
    CONTEXT = "context", "contexte (sans sens normatif)"


class Aggregation(models.TextChoices):
    SUM = "sum", "somme"
    RATIO = "ratio", "rapport des sommes (numérateur / dénominateur)"
    NONE = "none", "non agrégeable (médiane, quantile…)"


class ObjectiveStatus(models.TextChoices):
    ON_TRACK = "on_track", "en bonne voie"
    LATE = "late", "en retard"
    OFF_TRACK = "off_track", "hors trajectoire"
    REACHED = "reached", "cible atteinte"
    UNKNOWN = "unknown", "non mesurable"

from django.db import models


class FindingKind(models.TextChoices):
    STRENGTH = "strength", "atout / ressource"
    HANDICAP = "handicap", "handicap"


class StakeStatus(models.TextChoices):
    PROPOSED = "proposed", "proposé"
    SUBMITTED = "submitted", "soumis aux conseils citoyens"
    REDEFINED = "redefined", "redéfini"
    RETAINED = "retained", "retenu"
    REJECTED = "rejected", "écarté"


class ConsultationStatus(models.TextChoices):
    OPEN = "open", "ouverte"
    CLOSED = "closed", "close"

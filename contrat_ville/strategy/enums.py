from django.db import models


class ActionStatus(models.TextChoices):
    PLANNED = "planned", "prévue"
    IN_PROGRESS = "in_progress", "en cours"
    DONE = "done", "réalisée"
    ABANDONED = "abandoned", "abandonnée"


# An action still to carry over to next year's plan.
UNFINISHED_ACTION_STATUSES = frozenset({ActionStatus.PLANNED, ActionStatus.IN_PROGRESS})


class ActionPlanStatus(models.TextChoices):
    DRAFT = "draft", "en préparation"
    VALIDATED = "validated", "validé"

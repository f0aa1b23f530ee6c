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


# Moves of an action's status: a finished action may be reopened, an abandoned one resumed.
ACTION_TRANSITIONS: dict[str, frozenset[str]] = {
    ActionStatus.PLANNED: frozenset({ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.ABANDONED}),
    ActionStatus.IN_PROGRESS: frozenset({ActionStatus.PLANNED, ActionStatus.DONE, ActionStatus.ABANDONED}),
    ActionStatus.DONE: frozenset({ActionStatus.IN_PROGRESS}),
    ActionStatus.ABANDONED: frozenset({ActionStatus.PLANNED, ActionStatus.IN_PROGRESS}),
}

# A plan is validated by a decision of the comité de pilotage; a later decision that withdraws the validation
# (postponement, rejection, correction of the verdict) sends it back to draft.
ACTION_PLAN_TRANSITIONS: dict[str, frozenset[str]] = {
    ActionPlanStatus.DRAFT: frozenset({ActionPlanStatus.VALIDATED}),
    ActionPlanStatus.VALIDATED: frozenset({ActionPlanStatus.DRAFT}),
}

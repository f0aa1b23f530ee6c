from django.db import models


class EvaluationKind(models.TextChoices):
    MID_TERM = "mid_term", "évaluation à mi-parcours"
    FINAL = "final", "évaluation finale"
    THEMATIC = "thematic", "évaluation thématique"


class EvaluationStatus(models.TextChoices):
    PLANNED = "planned", "prévue"
    IN_PROGRESS = "in_progress", "en cours"
    COMPLETED = "completed", "achevée"


# An evaluation goes forward only: planned → in progress → completed; a completed one may be reopened (in progress)
# when the findings are to be amended.
EVALUATION_TRANSITIONS: dict[str, frozenset[str]] = {
    EvaluationStatus.PLANNED: frozenset({EvaluationStatus.IN_PROGRESS}),
    EvaluationStatus.IN_PROGRESS: frozenset({EvaluationStatus.PLANNED, EvaluationStatus.COMPLETED}),
    EvaluationStatus.COMPLETED: frozenset({EvaluationStatus.IN_PROGRESS}),
}

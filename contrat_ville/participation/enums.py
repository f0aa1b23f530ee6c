from django.db import models


class OpinionVerdict(models.TextChoices):
    AGREE = "agree", "d'accord"
    AGREE_WITH_RESERVATIONS = "agree_with_reservations", "d'accord avec réserves"
    DISAGREE = "disagree", "pas d'accord"

from django.db import models


class OpinionVerdict(models.TextChoices):
    AGREE = "agree", "d'accord"
    AGREE_WITH_RESERVATIONS = "agree_with_reservations", "d'accord avec réserves"
    DISAGREE = "disagree", "pas d'accord"


# An opinion with reservations or a disagreement says why (the working group redefines the stake from it).
COMMENT_REQUIRED_VERDICTS = frozenset({OpinionVerdict.AGREE_WITH_RESERVATIONS, OpinionVerdict.DISAGREE})

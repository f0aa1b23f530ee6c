from django.db import models


class TimeStampedModel(models.Model):
    """Creation and update timestamps for every domain row."""

    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        abstract = True

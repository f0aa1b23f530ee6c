from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.utils import timezone


class TimeStampedModel(models.Model):
    """Creation and update timestamps for every domain row."""

    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        abstract = True


class StatusChange(models.Model):
    """One status change of any workflow object (stake, plan, application…): who, when, from, to, why.

    Points at its object through contenttypes so that ``core`` imports no domain app (design.md §5).
    """

    content_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name="type d'objet", on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField("identifiant de l'objet")
    target = GenericForeignKey("content_type", "object_id")
    from_status = models.CharField("état précédent", max_length=40, blank=True)
    to_status = models.CharField("nouvel état", max_length=40)
    comment = models.TextField("commentaire", blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "changement d'état"
        verbose_name_plural = "changements d'état"
        ordering = ["changed_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="statuschange_target_idx")]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"

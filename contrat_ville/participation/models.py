"""Residents' participation: the opinions (*avis*) of the conseils citoyens.

A *conseil citoyen* is an ``accounts.Organization`` of kind ``citizen_council`` (design.md §2); the registry of
councils, their members and draws come with the councils issue.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models

from contrat_ville.core.fields import user_reference
from contrat_ville.core.historised import HistorisedModel
from contrat_ville.participation.enums import OpinionVerdict


class Opinion(HistorisedModel):
    """An *avis* given by a member of a conseil citoyen on something submitted to the council.

    The target (a stake version, an orientation, an action plan…) is reached through contenttypes, so that
    ``participation`` never imports the apps above it; an opinion stays on the version it was given on.
    """

    contract = models.ForeignKey(
        "contracts.Contract", verbose_name="contrat", on_delete=models.CASCADE, related_name="opinions"
    )
    council = models.ForeignKey(
        "accounts.Organization",
        verbose_name="conseil citoyen",
        on_delete=models.PROTECT,
        related_name="opinions",
        limit_choices_to={"kind": "citizen_council"},
    )
    author = user_reference("auteur", related_name="opinions")
    content_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name="type d'objet", on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField("identifiant de l'objet")
    target = GenericForeignKey("content_type", "object_id")
    verdict = models.CharField("avis", max_length=32, choices=OpinionVerdict.choices)
    text = models.TextField("commentaire", blank=True)

    class Meta:
        verbose_name = "avis"
        verbose_name_plural = "avis"
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="opinion_target_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "council", "content_type", "object_id"], name="opinion_one_per_author_and_target"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council} : {self.get_verdict_display()}"

"""The resource centre (design.md §2, domain.md §8): the documents it publishes, its exchange days (*journées
d'échanges*) and its training cycles (*cycles de qualification*), found by topic and by searching their words.

``search_text`` holds the words of each entry without accents nor capitals, so that one search works alike on
SQLite and PostgreSQL (« egalite » finds « Égalité »): it is rewritten by the services on every save.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from contrat_ville.core.bounds import FIRST_YEAR, LAST_YEAR
from contrat_ville.core.fields import optional_reference
from contrat_ville.core.historised import HistorisedModel
from contrat_ville.resources.enums import DocumentKind


class Topic(models.Model):
    """A theme of the resource centre: *conseils citoyens*, *droit commun*, observation…"""

    slug = models.SlugField("identifiant", max_length=60, unique=True)
    label = models.CharField("libellé", max_length=120)
    order = models.PositiveSmallIntegerField("ordre", default=100)

    class Meta:
        verbose_name = "thème"
        verbose_name_plural = "thèmes"
        ordering = ["order", "label"]

    def __str__(self) -> str:
        return self.label


class Searchable(HistorisedModel):
    """What every entry of the resource centre shares: its publisher, topics and searchable words."""

    title = models.CharField("titre", max_length=255)
    summary = models.TextField("présentation", blank=True)
    organiser = optional_reference(
        "accounts.Organization", "centre de ressources ou organisateur", related_name="+", on_delete=models.SET_NULL
    )
    topics = models.ManyToManyField(Topic, verbose_name="thèmes", blank=True, related_name="+")
    search_text = models.TextField("mots pour la recherche", blank=True, editable=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title


class TrainingCycle(Searchable):
    """A *cycle de qualification*: a series of days with its objectives (seed 000: the « observation » cycle)."""

    objectives = models.TextField("objectifs", blank=True)

    class Meta:
        verbose_name = "cycle de qualification"
        verbose_name_plural = "cycles de qualification"
        ordering = ["title"]


class Document(Searchable):
    """A document of the resource centre: a capitalisation, a dossier, a guide, an official text…"""

    kind = models.CharField("nature", max_length=20, choices=DocumentKind.choices)
    authors = models.CharField("auteurs ou éditeur", max_length=255, blank=True)
    # A year typed by a person, as the platform's dates (``core.bounds``): « 0 » or « 32767 » is a typing error.
    year = models.PositiveSmallIntegerField(
        "année", null=True, blank=True, validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    date_label = models.CharField(
        "date telle que publiée", max_length=60, blank=True, help_text="« mis à jour le 20 mars 2017 », « vers 2013 »…"
    )
    link = models.URLField("lien", blank=True)
    to_confirm = models.BooleanField(
        "référence à vérifier", default=False, help_text="Une date ou un éditeur que la source ne confirme pas."
    )

    class Meta:
        verbose_name = "document"
        verbose_name_plural = "documents"
        ordering = ["-year", "title"]


class Event(Searchable):
    """A *journée d'échanges* (or a day of a training cycle): date, place, programme, speakers, documents."""

    starts_on = models.DateField("date")
    ends_on = models.DateField("dernier jour", null=True, blank=True)
    hours = models.CharField("horaires", max_length=60, blank=True)
    place = models.CharField("lieu", max_length=255, blank=True)
    speakers = models.TextField("intervenants et animation", blank=True)
    partners = models.CharField("partenaires", max_length=255, blank=True)
    cycle = optional_reference(
        TrainingCycle, "cycle de qualification", related_name="events", on_delete=models.SET_NULL
    )
    documents = models.ManyToManyField(Document, verbose_name="documents", blank=True, related_name="events")

    class Meta:
        verbose_name = "journée d'échanges"
        verbose_name_plural = "journées d'échanges"
        ordering = ["-starts_on", "title"]

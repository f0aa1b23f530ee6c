"""Forms of the resource centre: the search, and the publishers' forms (the services apply the rules)."""

from __future__ import annotations

from typing import Any

from django import forms

from contrat_ville.accounts.models import Organization, User
from contrat_ville.core.bounds import form_field
from contrat_ville.resources.enums import DocumentKind
from contrat_ville.resources.models import Document, Event, Topic, TrainingCycle
from contrat_ville.ui.forms import DateInput, Form


class SearchForm(Form):
    q = forms.CharField(
        label="Rechercher",
        required=False,
        max_length=200,
        help_text="Des mots du titre, de la présentation, des intervenants… (sans se soucier des accents).",
    )
    theme = forms.ChoiceField(label="Thème", required=False)
    nature = forms.ChoiceField(label="Nature de document", required=False)

    def __init__(self, *args: Any, topics: list[Topic], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", "Tous les thèmes"), *[(topic.slug, topic.label) for topic in topics]]
        self.fields["nature"].choices = [("", "Documents, journées et cycles"), *DocumentKind.choices]

    def criteria(self) -> dict[str, str]:
        if not self.is_bound or not self.is_valid():
            return {"query": "", "topic": "", "kind": ""}
        data = self.cleaned_data
        return {"query": data.get("q") or "", "topic": data.get("theme") or "", "kind": data.get("nature") or ""}


def topics_field() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label="Thèmes", queryset=Topic.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )


class DocumentForm(Form):
    title = form_field(Document, "title", label="Titre")
    kind = form_field(Document, "kind", label="Nature")
    authors = form_field(Document, "authors", label="Auteurs ou éditeur", required=False)
    year = form_field(Document, "year", label="Année", required=False)
    date_label = form_field(Document, "date_label", label="Date telle que publiée", required=False)
    link = form_field(Document, "link", label="Lien", required=False, assume_scheme="https")
    summary = form_field(Document, "summary", label="Présentation", required=False)
    topics = topics_field()
    to_confirm = form_field(Document, "to_confirm", label="Référence à vérifier", required=False)


class EventForm(Form):
    title = form_field(Event, "title", label="Titre")
    starts_on = form_field(Event, "starts_on", label="Date", widget=DateInput())
    ends_on = form_field(
        Event, "ends_on", label="Dernier jour (journées de plusieurs jours)", required=False, widget=DateInput()
    )
    hours = form_field(Event, "hours", label="Horaires", required=False)
    place = form_field(Event, "place", label="Lieu", required=False)
    summary = form_field(Event, "summary", label="Programme", required=False)
    speakers = form_field(Event, "speakers", label="Intervenants et animation", required=False)
    partners = form_field(Event, "partners", label="Partenaires", required=False)
    cycle = forms.ModelChoiceField(
        label="Cycle de qualification", queryset=TrainingCycle.objects.order_by("title"), required=False
    )
    topics = topics_field()
    documents = forms.ModelMultipleChoiceField(
        label="Documents de la journée", queryset=Document.objects.order_by("title"), required=False
    )


class CycleForm(Form):
    title = form_field(TrainingCycle, "title", label="Titre")
    summary = form_field(TrainingCycle, "summary", label="Présentation", required=False)
    objectives = form_field(TrainingCycle, "objectives", label="Objectifs", required=False)
    topics = topics_field()


class CentreForm(Form):
    """A resource centre and the region it covers."""

    name = form_field(Organization, "name", label="Nom du centre de ressources")
    acronym = form_field(Organization, "acronym", label="Sigle", required=False)
    region_code = forms.ChoiceField(
        label="Région couverte",
        choices=(),
        help_text="Ses membres mènent le questionnaire annuel des conseils citoyens de cette région et lisent "
        "son état des lieux.",
    )

    def __init__(self, *args: Any, regions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region_code"].choices = [("", "Choisir une région"), *regions]


class CentreMemberForm(Form):
    """A person who acts for the resource centre: they receive an e-mail to choose their password."""

    email = form_field(User, "email", label="Adresse électronique")
    first_name = form_field(User, "first_name", label="Prénom", required=False)
    last_name = form_field(User, "last_name", label="Nom", required=False)

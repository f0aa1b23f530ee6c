"""The resource centre: the seed's real entries, the search (accents and capitals ignored, every word needed, on
both databases), publishing from the web by a resource centre only, the public API, constant query counts."""

from __future__ import annotations

from datetime import date
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.resources import selectors, services
from contrat_ville.resources.models import Document, Event, Topic, TrainingCycle

pytestmark = pytest.mark.django_db


def text(response):
    assert response.status_code == 200, response.status_code
    return " ".join(unescape(response.content.decode()).replace("\u00a0", " ").split())


@pytest.fixture
def seeded():
    return services.resources_seed_load()


def test_the_seed_loads_the_real_entries_once(seeded):
    assert seeded == {"documents": 15, "events": 8, "cycles": 1}
    assert services.resources_seed_load() == {"documents": 0, "events": 0, "cycles": 0}
    cycle = TrainingCycle.objects.get()
    assert [event.starts_on for event in cycle.events.order_by("starts_on")] == [
        date(2014, 3, 20),
        date(2014, 4, 24),
        date(2014, 5, 13),
    ]
    capitalisation = Document.objects.get(title__startswith="Les conseils citoyens. États des lieux")
    assert capitalisation.organiser.name == "Villes et Territoires Languedoc-Roussillon"
    assert capitalisation.organiser.kind == OrganizationKind.RESOURCE_CENTRE
    assert [topic.slug for topic in capitalisation.topics.all()] == ["conseils-citoyens"]


def test_search_ignores_accents_and_capitals_and_needs_every_word(seeded):
    found = selectors.search(query="ETATS des lieux")
    assert [document.title[:34] for document in found.documents] == ["Les conseils citoyens. États des li"[:34]]
    assert selectors.search(query="egalite femmes").count == 2  # the reference frames and the 7 May 2015 day
    assert selectors.search(query="kirszbaum").events[0].starts_on == date(2014, 11, 6)
    assert selectors.search(query="kirszbaum introuvable").count == 0
    by_topic = selectors.search(topic="observation")
    assert len(by_topic.events) == 3 and len(by_topic.cycles) == 1
    guides = selectors.search(kind="guide")
    assert len(guides.documents) == 3 and guides.events == [] and guides.cycles == []


def test_a_title_is_required_and_days_are_in_order():
    with pytest.raises(BusinessRuleError, match="titre"):
        services.document_save(title=" ", kind="guide")
    with pytest.raises(BusinessRuleError, match="Le dernier jour précède le premier"):
        services.event_save(title="Journée", starts_on=date(2014, 5, 13), ends_on=date(2014, 5, 12))


def test_a_resource_centre_publishes_from_the_web_and_others_may_not(client, seeded):
    centre = OrganizationFactory.create(name="Centre de ressources de test", kind=OrganizationKind.RESOURCE_CENTRE)
    publisher = UserFactory.create(organization=centre)
    pilot = UserFactory.create()
    grant(make_contract(), pilot, Role.PILOT)
    topic = Topic.objects.get(slug="droit-commun")
    client.force_login(pilot)
    assert client.get(reverse("resources:document_create")).status_code == 403
    client.force_login(publisher)
    response = client.post(
        reverse("resources:document_create"),
        {
            "title": "Guide du droit commun en quartier prioritaire",
            "kind": "guide",
            "topics": [topic.pk],
            "year": 2024,
        },
        follow=True,
    )
    page = text(response)
    assert "« Guide du droit commun en quartier prioritaire » publié dans le centre de ressources." in page
    document = Document.objects.get(title="Guide du droit commun en quartier prioritaire")
    assert document.organiser == centre
    assert document in selectors.search(query="quartier prioritaire guide").documents
    response = client.post(
        reverse("resources:event_create"),
        {"title": "Journée", "starts_on": "2024-05-13", "ends_on": "2024-05-12"},
    )
    assert "Le dernier jour précède le premier." in text(response)
    assert not Event.objects.filter(title="Journée").exists()
    client.post(reverse("resources:document_delete", args=[document.pk]))
    assert not Document.objects.filter(pk=document.pk).exists()


@pytest.mark.parametrize("year", ["0", "1", "1899", "2101", "32767"])
def test_a_document_year_out_of_range_is_refused_and_the_form_keeps_its_input(client, year):
    """A document's year is typed by a person: « 0 » or « 32767 » is a typing error, refused in French, and the
    form comes back with what was typed."""
    centre = OrganizationFactory.create(name="Centre de ressources de test", kind=OrganizationKind.RESOURCE_CENTRE)
    client.force_login(UserFactory.create(organization=centre))
    response = client.post(
        reverse("resources:document_create"), {"title": "Guide des années", "kind": "guide", "year": year}
    )
    page = text(response)
    assert (
        "Assurez-vous que cette valeur est supérieure ou égale à 1900." in page
        or "Assurez-vous que cette valeur est inférieure ou égale à 2100." in page
    )
    assert 'value="Guide des années"' in page
    assert not Document.objects.filter(title="Guide des années").exists()


def test_anyone_reads_the_pages_and_the_api(seeded):
    client = Client()
    page = text(client.get(reverse("resources:search"), {"q": "observation", "theme": "observation"}))
    assert "Cycle de qualification « observation »" in page
    event = Event.objects.get(starts_on=date(2014, 11, 6))
    assert "Thomas Kirszbaum" in text(client.get(reverse("resources:event_detail", args=[event.pk])))
    documents = client.get("/api/v1/resources/documents", {"topic": "conseils-citoyens"}).json()
    assert {document["kind_label"] for document in documents} >= {"document de capitalisation"}
    events = client.get("/api/v1/resources/events", {"q": "indicateurs"}).json()
    assert [item["starts_on"] for item in events] == ["2014-04-24"]


@pytest.mark.query_count(
    "resources:search", "resources:document_detail", "resources:event_detail", "resources:cycle_detail"
)
def test_resource_pages_run_a_constant_number_of_queries(client, seeded, query_count):
    document = Document.objects.first()
    event = Event.objects.filter(cycle__isnull=False).first()
    pages = [
        reverse("resources:search"),
        reverse("resources:document_detail", args=[document.pk]),
        reverse("resources:event_detail", args=[event.pk]),
        reverse("resources:cycle_detail", args=[event.cycle.pk]),
    ]
    for page in pages:
        query_count.page(client, page)
    small = [query_count.page(client, page) for page in pages]
    topics = list(Topic.objects.all())
    for index in range(5):
        extra = services.document_save(title=f"Document {index}", kind="dossier", topics=topics)
        services.event_save(
            title=f"Journée {index}",
            starts_on=date(2015, 1, index + 1),
            cycle=event.cycle,
            documents=[extra],
            topics=topics,
        )
        event.documents.add(extra)
    assert [query_count.page(client, page) for page in pages] == small


def test_the_messages_about_a_day_agree_with_journee(client):
    """« Journée » is feminine: « publiée », « retirée », not « publié », « retiré »; a document stays masculine."""
    centre = OrganizationFactory.create(name="Centre de ressources de test", kind=OrganizationKind.RESOURCE_CENTRE)
    client.force_login(UserFactory.create(organization=centre))
    response = client.post(
        reverse("resources:event_create"), {"title": "Journée des quartiers", "starts_on": "2024-05-13"}, follow=True
    )
    assert "« Journée des quartiers » publiée dans le centre de ressources." in text(response)
    event = Event.objects.get(title="Journée des quartiers")
    page = text(client.get(reverse("resources:event_delete", args=[event.pk])))
    assert "La journée sera retirée du centre de ressources" in page
    response = client.post(reverse("resources:event_delete", args=[event.pk]), follow=True)
    assert "« Journée des quartiers » retirée du centre de ressources." in text(response)
    response = client.post(
        reverse("resources:document_create"), {"title": "Guide des quartiers", "kind": "guide"}, follow=True
    )
    assert "« Guide des quartiers » publié dans le centre de ressources." in text(response)

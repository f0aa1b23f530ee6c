"""Writing the resource centre: every save rewrites the entry's searchable words (``search_text``)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.models import Organization
from contrat_ville.accounts.services import organization_get_or_create
from contrat_ville.core.datafiles import load_record
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.saving import save_by
from contrat_ville.core.services import fields_as_arguments, object_delete
from contrat_ville.resources.enums import DocumentKind
from contrat_ville.resources.models import Document, Event, Searchable, Topic, TrainingCycle
from contrat_ville.territories.selectors import region_choices


def normalized(text: str) -> str:
    """Lower case, without accents, spaces folded: « Égalité femmes-hommes » → « egalite femmes-hommes »."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(char for char in decomposed if not unicodedata.combining(char)).split())


def _index(entry: Searchable, topics: Iterable[Topic], *extra: str) -> None:
    parts = [entry.title, entry.summary, *extra, *(topic.label for topic in topics)]
    entry.search_text = normalized(" ".join(part for part in parts if part))


def _required(value: str, message: str, field: str) -> str:
    if not value.strip():
        raise BusinessRuleError(message, field=field)
    return value.strip()


@transaction.atomic
def document_save(
    *,
    document: Document | None = None,
    title: str,
    kind: str,
    summary: str = "",
    authors: str = "",
    year: int | None = None,
    date_label: str = "",
    link: str = "",
    to_confirm: bool = False,
    topics: Iterable[Topic] = (),
    organiser: Organization | None = None,
    by: Any = None,
) -> Document:
    """Create (``document`` None) or update a document of the resource centre."""
    if kind not in DocumentKind.values:
        raise BusinessRuleError("Nature de document inconnue.", field="kind")
    document = document or Document()
    document.title = _required(title, "Donnez un titre au document.", "title")
    document.kind = kind
    document.summary, document.authors, document.year = summary, authors.strip(), year
    document.date_label, document.link, document.to_confirm = date_label.strip(), link, to_confirm
    document.organiser = organiser
    topics = list(topics)
    _index(document, topics, authors, DocumentKind(kind).label)
    save_by(document, by)
    document.topics.set(topics)
    return document


@transaction.atomic
def event_save(
    *,
    event: Event | None = None,
    title: str,
    starts_on: date,
    ends_on: date | None = None,
    hours: str = "",
    place: str = "",
    summary: str = "",
    speakers: str = "",
    partners: str = "",
    cycle: TrainingCycle | None = None,
    topics: Iterable[Topic] = (),
    documents: Iterable[Document] = (),
    organiser: Organization | None = None,
    by: Any = None,
) -> Event:
    """Create or update an exchange day; a day of several (``ends_on``) ends after it starts."""
    if ends_on is not None and ends_on < starts_on:
        raise BusinessRuleError("Le dernier jour précède le premier.", field="ends_on")
    event = event or Event()
    event.title = _required(title, "Donnez un titre à la journée.", "title")
    event.starts_on, event.ends_on, event.hours, event.place = starts_on, ends_on, hours.strip(), place.strip()
    event.summary, event.speakers, event.partners, event.cycle = summary, speakers, partners.strip(), cycle
    event.organiser = organiser
    topics = list(topics)
    _index(event, topics, place, speakers, partners, cycle.title if cycle else "")
    save_by(event, by)
    event.topics.set(topics)
    event.documents.set(list(documents))
    return event


@transaction.atomic
def cycle_save(
    *,
    cycle: TrainingCycle | None = None,
    title: str,
    summary: str = "",
    objectives: str = "",
    topics: Iterable[Topic] = (),
    organiser: Organization | None = None,
    by: Any = None,
) -> TrainingCycle:
    cycle = cycle or TrainingCycle()
    cycle.title = _required(title, "Donnez un titre au cycle.", "title")
    cycle.summary, cycle.objectives, cycle.organiser = summary, objectives, organiser
    topics = list(topics)
    _index(cycle, topics, objectives)
    save_by(cycle, by)
    cycle.topics.set(topics)
    return cycle


def entry_delete(*, entry: Searchable, by: Any = None) -> None:
    object_delete(obj=entry, by=by)


# --- the seed's entries -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TopicSpec:
    slug: str
    label: str


@dataclass(frozen=True)
class DocumentSpec:
    title: str
    kind: str
    authors: str
    date_label: str
    year: int | None = None
    summary: str = ""
    topics: tuple[str, ...] = ()
    to_confirm: bool = False


@dataclass(frozen=True)
class CycleSpec:
    title: str
    summary: str
    objectives: str
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class EventSpec:
    title: str
    starts_on: date
    summary: str = ""
    ends_on: date | None = None
    hours: str = ""
    place: str = ""
    speakers: str = ""
    partners: str = ""
    cycle: str = ""
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class ResourceSeed:
    organiser: str
    topics: tuple[TopicSpec, ...]
    cycles: tuple[CycleSpec, ...]
    documents: tuple[DocumentSpec, ...]
    events: tuple[EventSpec, ...]


@transaction.atomic
def resources_seed_load() -> dict[str, int]:
    """The resource centre's entries that the first seed documents (domain.md §8: Villes et Territoires
    Languedoc-Roussillon, 2013-2017), as real entries, published by that centre: idempotent, an entry found by its
    title is left as it is."""
    seed = load_record(ResourceSeed, "contrat_ville.resources", "data/seed.yaml")
    organiser = Organization.objects.filter(
        name=seed.organiser, kind=OrganizationKind.RESOURCE_CENTRE
    ).first() or organization_get_or_create(name=seed.organiser, kind=OrganizationKind.RESOURCE_CENTRE)
    topics = {}
    for order, topic_spec in enumerate(seed.topics):
        topics[topic_spec.slug], _ = Topic.objects.update_or_create(
            slug=topic_spec.slug, defaults={"label": topic_spec.label, "order": order}
        )
    created = {"documents": 0, "events": 0, "cycles": 0}
    cycles = {cycle.title: cycle for cycle in TrainingCycle.objects.all()}
    for cycle_spec in seed.cycles:
        if cycle_spec.title not in cycles:
            cycles[cycle_spec.title] = cycle_save(
                **fields_as_arguments(cycle_spec, topics=[topics[slug] for slug in cycle_spec.topics]),
                organiser=organiser,
            )
            created["cycles"] += 1
    known = set(Document.objects.values_list("title", flat=True))
    for spec in seed.documents:
        if spec.title not in known:
            document_save(
                **fields_as_arguments(spec, topics=[topics[slug] for slug in spec.topics]), organiser=organiser
            )
            created["documents"] += 1
    known_events = set(Event.objects.values_list("title", "starts_on"))
    for event_spec in seed.events:
        if (event_spec.title, event_spec.starts_on) not in known_events:
            event_save(
                **fields_as_arguments(
                    event_spec,
                    cycle=cycles.get(event_spec.cycle) if event_spec.cycle else None,
                    topics=[topics[slug] for slug in event_spec.topics],
                ),
                organiser=organiser,
            )
            created["events"] += 1
    return created


# --- resource centres and their regions (issue 12 §6) ---------------------------------------------------------


@transaction.atomic
def centre_save(
    *, name: str, region_code: str, acronym: str = "", centre: Organization | None = None, by: Any = None
) -> Organization:
    """Register (``centre`` None) or edit a resource centre and the region it covers (its members follow that
    region's councils and contracts)."""
    if region_code not in dict(region_choices()):
        raise BusinessRuleError("Choisissez la région que couvre le centre.", field="region_code")
    organization = centre or Organization(kind=OrganizationKind.RESOURCE_CENTRE)
    if organization.kind != OrganizationKind.RESOURCE_CENTRE:
        raise BusinessRuleError("Cette organisation n'est pas un centre de ressources.")
    organization.name = _required(name, "Donnez le nom du centre de ressources.", "name")
    organization.acronym = acronym.strip()
    organization.region_code = region_code
    organization.full_clean()
    return save_by(organization, by)

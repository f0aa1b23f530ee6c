"""Reading the resource centre: lists by topic and kind, and the search, which needs every word asked (without
accents nor capitals, ``services.normalized``) somewhere in the entry's words. Two queries a list, whatever its
length."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Count, Prefetch, Q, QuerySet

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.models import Organization
from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.selectors import contracts_in_region
from contrat_ville.core.lookups import filter_given, found_or_404
from contrat_ville.resources.models import Document, Event, Searchable, Topic, TrainingCycle
from contrat_ville.resources.services import normalized

Entry = TypeVar("Entry", bound=Searchable)
MAX_RESULTS = 200


def topic_list() -> list[Topic]:
    return list(Topic.objects.all())


def _searched(entries: QuerySet[Entry], query: str, topic: str) -> QuerySet[Entry]:
    for word in normalized(query).split()[:10]:
        entries = entries.filter(search_text__contains=word)
    if topic:
        entries = entries.filter(topics__slug=topic)
    return entries.prefetch_related(Prefetch("topics", queryset=Topic.objects.all()))


@dataclass(frozen=True)
class SearchResults:
    documents: list[Document]
    events: list[Event]
    cycles: list[TrainingCycle]

    @property
    def count(self) -> int:
        return len(self.documents) + len(self.events) + len(self.cycles)


def document_search(*, query: str = "", topic: str = "", kind: str = "") -> list[Document]:
    documents = _searched(Document.objects.all(), query, topic)
    return list(filter_given(documents, kind=kind)[:MAX_RESULTS])


def event_search(*, query: str = "", topic: str = "") -> list[Event]:
    events = _searched(Event.objects.select_related("cycle"), query, topic).prefetch_related("documents")
    return list(events[:MAX_RESULTS])


def search(*, query: str = "", topic: str = "", kind: str = "") -> SearchResults:
    """Documents, events and cycles matching every word of ``query`` and the ``topic``; ``kind`` keeps documents of
    that kind only (and then no event nor cycle)."""
    documents = document_search(query=query, topic=topic, kind=kind)
    if kind:
        return SearchResults(documents, [], [])
    cycles = list(_searched(TrainingCycle.objects.all(), query, topic)[:MAX_RESULTS])
    return SearchResults(documents, event_search(query=query, topic=topic), cycles)


def document_get(*, document_id: int) -> Document:
    return found_or_404(
        Document.objects.filter(pk=document_id).prefetch_related("topics", "events").first(), "Document introuvable."
    )


def event_get(*, event_id: int) -> Event:
    return found_or_404(
        Event.objects.filter(pk=event_id)
        .select_related("cycle", "organiser")
        .prefetch_related("topics", "documents")
        .first(),
        "Journée introuvable.",
    )


def cycle_get(*, cycle_id: int) -> TrainingCycle:
    return found_or_404(
        TrainingCycle.objects.filter(pk=cycle_id)
        .select_related("organiser")
        .prefetch_related("topics", Prefetch("events", queryset=Event.objects.order_by("starts_on")))
        .first(),
        "Cycle introuvable.",
    )


# --- resource centres and their regions (issue 12 §6) ---------------------------------------------------------


def centre_list() -> list[Organization]:
    """The resource centres, each with ``member_count`` (one query)."""
    return list(
        Organization.objects.filter(kind=OrganizationKind.RESOURCE_CENTRE)
        .annotate(member_count=Count("users"))
        .order_by("name")
    )


def centre_get(*, centre_id: int) -> Organization:
    return found_or_404(
        Organization.objects.filter(kind=OrganizationKind.RESOURCE_CENTRE, pk=centre_id).first(),
        "Centre de ressources introuvable.",
    )


def centre_members(*, centre: Organization) -> list[Any]:
    return list(centre.users.order_by("last_name", "first_name", "email"))


@dataclass(frozen=True)
class RegionContracts:
    """The published contracts of a region (of the platform for ``None``), each with ``council_count``, and how many
    of the region's contracts are not published yet (their data stay their members')."""

    published: list[Contract]
    unpublished_count: int


def region_contracts(*, region_code: str | None) -> RegionContracts:
    """Three queries: the region's départements, the published contracts, the count of the others."""
    contracts = contracts_in_region(region_code)
    published = list(
        contracts.filter(is_published=True)
        .select_related("epci")
        .only("slug", "name", "generation", "status", "epci__name", "epci__code")
        .annotate(council_count=Count("citizen_councils", distinct=True))
        .order_by("name")
    )
    return RegionContracts(published=published, unpublished_count=contracts.filter(~Q(is_published=True)).count())

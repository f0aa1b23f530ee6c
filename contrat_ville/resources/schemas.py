"""Output shapes of the resource centre's API (public reads)."""

from __future__ import annotations

from datetime import date

from ninja import Field, Schema

from contrat_ville.core.schemas import InputSchema
from contrat_ville.resources.models import Event


class TopicOut(Schema):
    slug: str
    label: str


class DocumentOut(Schema):
    id: int
    title: str
    kind: str
    kind_label: str = Field(validation_alias="get_kind_display")
    authors: str
    year: int | None
    date_label: str
    link: str
    summary: str
    to_confirm: bool = Field(description="Une date ou un éditeur que la source ne confirme pas.")
    topics: list[TopicOut]


class EventOut(Schema):
    id: int
    title: str
    starts_on: date
    ends_on: date | None
    hours: str
    place: str
    summary: str
    speakers: str
    partners: str
    cycle_id: int | None
    topics: list[TopicOut]
    document_ids: list[int]

    @staticmethod
    def resolve_document_ids(event: Event) -> list[int]:
        return [document.pk for document in event.documents.all()]


class ResourceFilters(InputSchema):
    q: str = Field("", max_length=200, description="Mots cherchés (sans se soucier des accents).")
    topic: str = Field("", max_length=60, description="Identifiant du thème (« droit-commun »…).")

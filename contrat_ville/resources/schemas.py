"""Output shapes of the resource centre's API (public reads)."""

from __future__ import annotations

from datetime import date

from ninja import Field, Schema

from contrat_ville.core.schemas import InputSchema, OutputSchema, RelatedIds


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


class EventOut(OutputSchema):
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
    document_ids: RelatedIds = Field(validation_alias="documents")


class ResourceFilters(InputSchema):
    q: str = Field("", max_length=200, description="Mots cherchés (sans se soucier des accents).")
    topic: str = Field("", max_length=60, description="Identifiant du thème (« droit-commun »…).")

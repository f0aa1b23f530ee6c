"""API of the resource centre, mounted under /resources in config/api.py: public reads, with the search of the
pages (every word asked, accents and capitals ignored) and the topic filter."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from contrat_ville.core.api_endpoints import Endpoints
from contrat_ville.resources import selectors
from contrat_ville.resources.schemas import DocumentOut, EventOut, ResourceFilters

router = Router(tags=["Centre de ressources"])
endpoints = Endpoints(router, "resources")


@endpoints.reads("/documents", list[DocumentOut], summary="Documents du centre de ressources")
def document_list(request: HttpRequest, filters: Query[ResourceFilters]) -> Any:
    """Public. Filtres : `q` (mots), `topic` (thème)."""
    return selectors.document_search(query=filters.q, topic=filters.topic)


@endpoints.reads("/events", list[EventOut], summary="Journées d'échanges du centre de ressources")
def event_list(request: HttpRequest, filters: Query[ResourceFilters]) -> Any:
    """Public. Filtres : `q` (mots), `topic` (thème). Les plus récentes d'abord."""
    return selectors.event_search(query=filters.q, topic=filters.topic)

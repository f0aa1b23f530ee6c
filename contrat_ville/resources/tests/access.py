"""Rows of the access matrix for the resource centre (see tests/access_rows.py): public pages and API, and the
publishers' pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.models import Organization
from contrat_ville.resources import services
from contrat_ville.resources.models import Document, Event, TrainingCycle
from tests.access_rows import API_GLOBAL, GLOBAL, REGION_FOLLOWER_OR_STAFF, RESOURCE_CENTRE_OR_STAFF, STAFF, Row


def _document(world: Any, contract: Any) -> dict[str, Any]:
    document = Document.objects.first() or services.document_save(title="Document de test", kind="guide")
    return {"document_id": document.pk}


def _event(world: Any, contract: Any) -> dict[str, Any]:
    event = Event.objects.first() or services.event_save(title="Journée de test", starts_on=date(2014, 11, 6))
    return {"event_id": event.pk}


def _cycle(world: Any, contract: Any) -> dict[str, Any]:
    cycle = TrainingCycle.objects.first() or services.cycle_save(title="Cycle de test")
    return {"cycle_id": cycle.pk}


def _centre(world: Any, contract: Any) -> dict[str, Any]:
    centre = Organization.objects.filter(kind=OrganizationKind.RESOURCE_CENTRE).first() or services.centre_save(
        name="Centre de test", region_code="76"
    )
    return {"centre_id": centre.pk}


ACCESS_ROWS: dict[str, Row] = {
    "resources:search": Row(GLOBAL),
    "resources:document_detail": Row(GLOBAL, _document),
    "resources:event_detail": Row(GLOBAL, _event),
    "resources:cycle_detail": Row(GLOBAL, _cycle),
    "resources:document_create": Row(RESOURCE_CENTRE_OR_STAFF),
    "resources:document_update": Row(RESOURCE_CENTRE_OR_STAFF, _document),
    "resources:document_delete": Row(RESOURCE_CENTRE_OR_STAFF, _document),
    "resources:event_create": Row(RESOURCE_CENTRE_OR_STAFF),
    "resources:event_update": Row(RESOURCE_CENTRE_OR_STAFF, _event),
    "resources:event_delete": Row(RESOURCE_CENTRE_OR_STAFF, _event),
    "resources:cycle_create": Row(RESOURCE_CENTRE_OR_STAFF),
    "resources:cycle_update": Row(RESOURCE_CENTRE_OR_STAFF, _cycle),
    "resources:centre_list": Row(STAFF),
    "resources:centre_create": Row(STAFF),
    "resources:centre_update": Row(STAFF, _centre),
    "resources:centre_member_add": Row(STAFF, _centre),
    "resources:region_contracts": Row(REGION_FOLLOWER_OR_STAFF),
    "api-1:resources_document_list": Row(API_GLOBAL),
    "api-1:resources_event_list": Row(API_GLOBAL),
}


def access_objects(contract: Any, objects: dict[str, Any]) -> dict[str, Any]:
    """The resource centre is not tied to a contract: its rows build their own objects."""
    return {}

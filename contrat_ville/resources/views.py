"""Pages of the resource centre, mounted under /ressources/: the search (public), an entry's page (public), and
the publishers' forms (resource centres and administrators, ``permissions.can_publish_resources``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from contrat_ville.contracts.access import platform_view
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.resources import selectors, services
from contrat_ville.resources.forms import CycleForm, DocumentForm, EventForm, SearchForm
from contrat_ville.resources.models import Document, Event, Searchable, TrainingCycle
from contrat_ville.resources.permissions import PUBLISH_REFUSAL, can_publish_resources
from contrat_ville.ui.form_pages import FormPages
from contrat_ville.ui.forms import Form
from contrat_ville.ui.page import Crumb, render_page
from contrat_ville.ui.routes import Routes

routes = Routes()
pages = FormPages(layout="ui/base.html", refused=BusinessRuleError)
TITLE = "Centre de ressources"
publishers_only = platform_view(can_publish_resources, refusal=PUBLISH_REFUSAL)


def home_crumbs() -> list[Crumb]:
    return [Crumb(TITLE, reverse("resources:search"))]


def _organiser(request: HttpRequest) -> Any:
    """A resource centre publishes under its own name; an administrator without one, under none."""
    return getattr(request.user, "organization", None)


@routes("")
def search(request: HttpRequest) -> HttpResponse:
    topics = selectors.topic_list()
    form = SearchForm(request.GET or None, topics=topics)
    criteria = form.criteria()
    return render_page(
        request,
        "resources/search.html",
        TITLE,
        form=form,
        results=selectors.search(**criteria),
        criteria=criteria,
        is_filtered=any(criteria.values()),
        can_publish=can_publish_resources(request.user),
    )


@routes("documents/<int:document_id>/")
def document_detail(request: HttpRequest, document_id: int) -> HttpResponse:
    document = selectors.document_get(document_id=document_id)
    return render_page(
        request,
        "resources/document_detail.html",
        document.title,
        parents=home_crumbs(),
        document=document,
        can_publish=can_publish_resources(request.user),
    )


@routes("journees/<int:event_id>/")
def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.event_get(event_id=event_id)
    return render_page(
        request,
        "resources/event_detail.html",
        event.title,
        parents=home_crumbs(),
        event=event,
        can_publish=can_publish_resources(request.user),
    )


@routes("cycles/<int:cycle_id>/")
def cycle_detail(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = selectors.cycle_get(cycle_id=cycle_id)
    return render_page(
        request,
        "resources/cycle_detail.html",
        cycle.title,
        parents=home_crumbs(),
        cycle=cycle,
        can_publish=can_publish_resources(request.user),
    )


def _entry_form(
    request: HttpRequest,
    form: Form,
    *,
    save: Callable[[dict[str, Any]], Searchable],
    detail: str,
    title: str,
) -> HttpResponse:
    return pages.form_page(
        request,
        form,
        save=save,
        done=lambda entry: (f"« {entry} » publié dans le centre de ressources.", reverse(detail, args=[entry.pk])),
        title=title,
        parents=home_crumbs(),
        cancel_url=reverse("resources:search"),
    )


def _initial(entry: Searchable | None, form_class: type[Form]) -> dict[str, Any]:
    return form_class.initial_from(entry) if entry is not None else {}


def _document_form(request: HttpRequest, document: Document | None) -> HttpResponse:
    form = DocumentForm(request.POST or None, initial=_initial(document, DocumentForm))
    return _entry_form(
        request,
        form,
        save=lambda data: services.document_save(
            document=document,
            organiser=document.organiser if document else _organiser(request),
            by=request.user,
            **data,
        ),
        detail="resources:document_detail",
        title="Publier un document" if document is None else f"Modifier « {document} »",
    )


def _event_form(request: HttpRequest, event: Event | None) -> HttpResponse:
    form = EventForm(request.POST or None, initial=_initial(event, EventForm))
    return _entry_form(
        request,
        form,
        save=lambda data: services.event_save(
            event=event, organiser=event.organiser if event else _organiser(request), by=request.user, **data
        ),
        detail="resources:event_detail",
        title="Annoncer une journée d'échanges" if event is None else f"Modifier « {event} »",
    )


def _cycle_form(request: HttpRequest, cycle: TrainingCycle | None) -> HttpResponse:
    form = CycleForm(request.POST or None, initial=_initial(cycle, CycleForm))
    return _entry_form(
        request,
        form,
        save=lambda data: services.cycle_save(
            cycle=cycle, organiser=cycle.organiser if cycle else _organiser(request), by=request.user, **data
        ),
        detail="resources:cycle_detail",
        title="Créer un cycle de qualification" if cycle is None else f"Modifier « {cycle} »",
    )


@routes("documents/nouveau/")
@publishers_only
def document_create(request: HttpRequest) -> HttpResponse:
    return _document_form(request, None)


@routes("documents/<int:document_id>/modifier/")
@publishers_only
def document_update(request: HttpRequest, document_id: int) -> HttpResponse:
    return _document_form(request, selectors.document_get(document_id=document_id))


@routes("journees/nouvelle/")
@publishers_only
def event_create(request: HttpRequest) -> HttpResponse:
    return _event_form(request, None)


@routes("journees/<int:event_id>/modifier/")
@publishers_only
def event_update(request: HttpRequest, event_id: int) -> HttpResponse:
    return _event_form(request, selectors.event_get(event_id=event_id))


@routes("cycles/nouveau/")
@publishers_only
def cycle_create(request: HttpRequest) -> HttpResponse:
    return _cycle_form(request, None)


@routes("cycles/<int:cycle_id>/modifier/")
@publishers_only
def cycle_update(request: HttpRequest, cycle_id: int) -> HttpResponse:
    return _cycle_form(request, selectors.cycle_get(cycle_id=cycle_id))


def _delete_page(request: HttpRequest, entry: Searchable, what: str) -> HttpResponse:
    return pages.confirm_page(
        request,
        act=lambda: services.entry_delete(entry=entry, by=request.user),
        message=f"« {entry} » retiré du centre de ressources.",
        success_url=reverse("resources:search"),
        title=f"Retirer « {entry} »",
        parents=home_crumbs(),
        explanation=f"{what} sera retiré du centre de ressources ; le retrait reste inscrit dans l'historique.",
        submit_label="Retirer",
        cancel_url=reverse("resources:search"),
    )


@routes("documents/<int:document_id>/retirer/")
@publishers_only
def document_delete(request: HttpRequest, document_id: int) -> HttpResponse:
    return _delete_page(request, selectors.document_get(document_id=document_id), "Le document")


@routes("journees/<int:event_id>/retirer/")
@publishers_only
def event_delete(request: HttpRequest, event_id: int) -> HttpResponse:
    return _delete_page(request, selectors.event_get(event_id=event_id), "La journée")

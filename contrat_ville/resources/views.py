"""Pages of the resource centre, mounted under /ressources/: the search (public), an entry's page (public), and
the publishers' forms (resource centres and administrators, ``permissions.can_publish_resources``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from contrat_ville.accounts.models import Organization, User
from contrat_ville.accounts.services import account_open, password_link_parts
from contrat_ville.contracts.access import platform_view
from contrat_ville.contracts.permissions import REGION_REFUSAL, can_follow_region, followed_region
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.resources import selectors, services
from contrat_ville.resources.forms import CentreForm, CentreMemberForm, CycleForm, DocumentForm, EventForm, SearchForm
from contrat_ville.resources.models import Document, Event, Searchable, TrainingCycle
from contrat_ville.resources.permissions import (
    CENTRES_REFUSAL,
    PUBLISH_REFUSAL,
    can_manage_resource_centres,
    can_publish_resources,
)
from contrat_ville.territories.selectors import region_choices, region_name
from contrat_ville.ui.form_pages import FormPages
from contrat_ville.ui.forms import Form
from contrat_ville.ui.page import Crumb, render_page
from contrat_ville.ui.routes import Routes

routes = Routes()
pages = FormPages(layout="ui/base.html", refused=BusinessRuleError)
TITLE = "Centre de ressources"
publishers_only = platform_view(can_publish_resources, refusal=PUBLISH_REFUSAL)
administrators_only = platform_view(can_manage_resource_centres, refusal=CENTRES_REFUSAL)
followers_only = platform_view(can_follow_region, refusal=REGION_REFUSAL)


def home_crumbs() -> list[Crumb]:
    return [Crumb(TITLE, reverse("resources:search"))]


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
        can_follow_region=can_follow_region(request.user),
        can_manage_centres=can_manage_resource_centres(request.user),
    )


def _entry_page(request: HttpRequest, template: str, entry: Searchable, **context: Any) -> HttpResponse:
    """An entry's public page, with its « Modifier » and « Retirer » buttons for those who publish."""
    return render_page(
        request,
        template,
        entry.title,
        parents=home_crumbs(),
        can_publish=can_publish_resources(request.user),
        **context,
    )


@routes("documents/<int:document_id>/")
def document_detail(request: HttpRequest, document_id: int) -> HttpResponse:
    document = selectors.document_get(document_id=document_id)
    return _entry_page(request, "resources/document_detail.html", document, document=document)


@routes("journees/<int:event_id>/")
def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.event_get(event_id=event_id)
    return _entry_page(request, "resources/event_detail.html", event, event=event)


@routes("cycles/<int:cycle_id>/")
def cycle_detail(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = selectors.cycle_get(cycle_id=cycle_id)
    return _entry_page(request, "resources/cycle_detail.html", cycle, cycle=cycle)


def _entry_form(
    request: HttpRequest,
    entry: Searchable | None,
    form_class: type[Form],
    save: Callable[..., Searchable],
    *,
    detail: str,
    new_title: str,
) -> HttpResponse:
    """The form of an entry, new (``entry`` None) or edited: ``save(**cleaned_data, organiser=…, by=…)`` is the
    service; a new entry is published under the publisher's organisation, an edited one keeps its publisher."""
    form = form_class(request.POST or None, initial=form_class.initial_from(entry) if entry is not None else {})
    organiser = entry.organiser if entry is not None else getattr(request.user, "organization", None)
    return pages.form_page(
        request,
        form,
        save=lambda data: save(organiser=organiser, by=request.user, **data),
        done=lambda saved: (f"« {saved} » publié dans le centre de ressources.", reverse(detail, args=[saved.pk])),
        title=new_title if entry is None else f"Modifier « {entry} »",
        parents=home_crumbs(),
        cancel_url=reverse("resources:search"),
    )


def _document_form(request: HttpRequest, document: Document | None) -> HttpResponse:
    return _entry_form(
        request,
        document,
        DocumentForm,
        lambda **fields: services.document_save(document=document, **fields),
        detail="resources:document_detail",
        new_title="Publier un document",
    )


def _event_form(request: HttpRequest, event: Event | None) -> HttpResponse:
    return _entry_form(
        request,
        event,
        EventForm,
        lambda **fields: services.event_save(event=event, **fields),
        detail="resources:event_detail",
        new_title="Annoncer une journée d'échanges",
    )


def _cycle_form(request: HttpRequest, cycle: TrainingCycle | None) -> HttpResponse:
    return _entry_form(
        request,
        cycle,
        CycleForm,
        lambda **fields: services.cycle_save(cycle=cycle, **fields),
        detail="resources:cycle_detail",
        new_title="Créer un cycle de qualification",
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


# --- the resource centres and their regions (issue 12 §6) -----------------------------------------------------


def centres_crumbs() -> list[Crumb]:
    return [*home_crumbs(), Crumb("Centres de ressources", reverse("resources:centre_list"))]


@routes("centres/")
@administrators_only
def centre_list(request: HttpRequest) -> HttpResponse:
    """The resource centres, the region each covers and their members."""
    names = dict(region_choices())
    return render_page(
        request,
        "resources/centre_list.html",
        "Centres de ressources",
        parents=home_crumbs(),
        rows=[(centre, names.get(centre.region_code, "—")) for centre in selectors.centre_list()],
    )


def _centre_form(request: HttpRequest, centre: Organization | None) -> HttpResponse:
    initial = {"name": centre.name, "acronym": centre.acronym, "region_code": centre.region_code} if centre else {}
    form = CentreForm(request.POST or None, regions=region_choices(), initial=initial)
    return pages.form_page(
        request,
        form,
        save=lambda data: services.centre_save(centre=centre, by=request.user, **data),
        done=lambda saved: (
            (
                f"Centre de ressources « {saved} » enregistré.",
                reverse("resources:centre_member_add", args=[saved.pk]),
            )
            if centre is None
            else (f"Centre de ressources « {saved} » modifié.", reverse("resources:centre_list"))
        ),
        title="Inscrire un centre de ressources" if centre is None else f"Modifier « {centre} »",
        parents=centres_crumbs(),
        cancel_url=reverse("resources:centre_list"),
    )


@routes("centres/nouveau/")
@administrators_only
def centre_create(request: HttpRequest) -> HttpResponse:
    return _centre_form(request, None)


@routes("centres/<int:centre_id>/modifier/")
@administrators_only
def centre_update(request: HttpRequest, centre_id: int) -> HttpResponse:
    return _centre_form(request, selectors.centre_get(centre_id=centre_id))


@routes("centres/<int:centre_id>/membres/ajouter/")
@administrators_only
def centre_member_add(request: HttpRequest, centre_id: int) -> HttpResponse:
    """Open the account of a person acting for the centre: an e-mail gives them a link to choose their password."""
    centre = selectors.centre_get(centre_id=centre_id)

    def link_for(user: User) -> str:
        uidb64, token = password_link_parts(user)
        return request.build_absolute_uri(reverse("accounts:password_set", args=[uidb64, token]))

    form = CentreMemberForm(request.POST or None)
    return pages.form_page(
        request,
        form,
        save=lambda data: account_open(organization=centre, link_for=link_for, by=request.user, **data),
        done=lambda user: (
            f"Compte ouvert pour {user.email} : un courriel lui permet de choisir son mot de passe.",
            reverse("resources:centre_list"),
        ),
        title=f"Ajouter un membre à « {centre} »",
        parents=centres_crumbs(),
        intro="La personne reçoit un courriel avec un lien, utilisable une fois, pour choisir son mot de passe.",
        side_template="resources/_centre_members.html",
        members=selectors.centre_members(centre=centre),
        submit_label="Ouvrir le compte",
        cancel_url=reverse("resources:centre_list"),
    )


@routes("region/")
@followers_only
def region_contracts(request: HttpRequest) -> HttpResponse:
    """The published contracts of the resource centre's region (of the platform for an administrator), with links
    to their public pages, the councils' questionnaire and their state of play."""
    region = followed_region(request.user)
    return render_page(
        request,
        "resources/region_contracts.html",
        f"Contrats de ville — {region_name(region)}" if region else "Contrats de ville de toutes les régions",
        parents=home_crumbs(),
        contracts=selectors.region_contracts(region_code=region),
    )

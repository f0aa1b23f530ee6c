"""Pages of the resource centre, mounted under /ressources/: the search (public), an entry's page (public), and
the publishers' forms (resource centres and administrators, ``permissions.can_publish_resources``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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
from contrat_ville.resources.models import Searchable
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


@dataclass(frozen=True)
class Entry:
    """One kind of entry of the resource centre and its pages: its public page (``resources/<name>_detail.html``,
    the entry in its context as ``<name>``), its form, new and edited, and its removal where ``what`` names the
    entry (« Le document »). ``name`` starts its URL names (``document_detail``, ``document_create``…)."""

    name: str
    prefix: str  # the URLs of its pages: « documents/ », then « nouveau/ » or « <id>/modifier/ »…
    new: str  # « nouveau/ » or « nouvelle/ »
    get: Callable[..., Searchable]  # the selector, given ``<name>_id``
    form_class: type[Form]
    save: Callable[..., Searchable]  # the service, given ``<name>`` (None for a new entry) and the form's fields
    new_title: str
    what: str = ""
    feminine: bool = False  # « publiée », « retirée » for a journée

    @property
    def agreement(self) -> str:
        return "e" if self.feminine else ""


def _entry_form(request: HttpRequest, kind: Entry, entry: Searchable | None) -> HttpResponse:
    """The form of an entry, new (``entry`` None) or edited; a new entry is published under the publisher's
    organisation, an edited one keeps its publisher."""
    form_class = kind.form_class
    form = form_class(request.POST or None, initial=form_class.initial_from(entry) if entry is not None else {})
    organiser = entry.organiser if entry is not None else getattr(request.user, "organization", None)
    return pages.form_page(
        request,
        form,
        save=lambda data: kind.save(**{kind.name: entry}, organiser=organiser, by=request.user, **data),
        done=lambda saved: (
            f"« {saved} » publié{kind.agreement} dans le centre de ressources.",
            reverse(f"resources:{kind.name}_detail", args=[saved.pk]),
        ),
        title=kind.new_title if entry is None else f"Modifier « {entry} »",
        parents=home_crumbs(),
        cancel_url=reverse("resources:search"),
    )


def _delete_page(request: HttpRequest, entry: Searchable, kind: Entry) -> HttpResponse:
    return pages.confirm_page(
        request,
        act=lambda: services.entry_delete(entry=entry, by=request.user),
        message=f"« {entry} » retiré{kind.agreement} du centre de ressources.",
        success_url=reverse("resources:search"),
        title=f"Retirer « {entry} »",
        parents=home_crumbs(),
        explanation=f"{kind.what} sera retiré{kind.agreement} du centre de ressources ; le retrait reste inscrit dans "
        "l'historique.",
        submit_label="Retirer",
        cancel_url=reverse("resources:search"),
    )


def route_entry(kind: Entry) -> None:
    """Route the pages of one kind of entry: its public page, its creation and edit forms (publishers only) and its
    removal."""
    name = kind.name
    page_url = f"{kind.prefix}<int:{name}_id>/"

    def detail(request: HttpRequest, **ids: int) -> HttpResponse:
        """An entry's public page, with its « Modifier » and « Retirer » buttons for those who publish."""
        entry: Any = kind.get(**ids)  # in the context under its kind's name
        return render_page(
            request,
            f"resources/{name}_detail.html",
            entry.title,
            parents=home_crumbs(),
            can_publish=can_publish_resources(request.user),
            update_url=reverse(f"resources:{name}_update", kwargs=ids),
            delete_url=reverse(f"resources:{name}_delete", kwargs=ids) if kind.what else "",
            **{name: entry},
        )

    def create(request: HttpRequest) -> HttpResponse:
        return _entry_form(request, kind, None)

    def update(request: HttpRequest, **ids: int) -> HttpResponse:
        return _entry_form(request, kind, kind.get(**ids))

    def delete(request: HttpRequest, **ids: int) -> HttpResponse:
        return _delete_page(request, kind.get(**ids), kind)

    routes.add(page_url, detail, f"{name}_detail")
    routes.add(f"{kind.prefix}{kind.new}", publishers_only(create), f"{name}_create")
    routes.add(f"{page_url}modifier/", publishers_only(update), f"{name}_update")
    if kind.what:
        routes.add(f"{page_url}retirer/", publishers_only(delete), f"{name}_delete")


route_entry(
    Entry(
        "document",
        "documents/",
        "nouveau/",
        selectors.document_get,
        DocumentForm,
        services.document_save,
        new_title="Publier un document",
        what="Le document",
    )
)
route_entry(
    Entry(
        "event",
        "journees/",
        "nouvelle/",
        selectors.event_get,
        EventForm,
        services.event_save,
        new_title="Annoncer une journée d'échanges",
        what="La journée",
        feminine=True,
    )
)
route_entry(
    Entry(
        "cycle",
        "cycles/",
        "nouveau/",
        selectors.cycle_get,
        CycleForm,
        services.cycle_save,
        new_title="Créer un cycle de qualification",
    )
)


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

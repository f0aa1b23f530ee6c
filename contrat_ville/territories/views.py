"""Public pages on territories: search and detail (reference data, no login needed)."""

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from contrat_ville.territories import selectors
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.ui.forms import Form
from contrat_ville.ui.page import Crumb, render_page

SEARCHABLE_KINDS = [
    TerritoryKind.QPV,
    TerritoryKind.COMMUNE,
    TerritoryKind.EPCI,
    TerritoryKind.IRIS,
    TerritoryKind.DEPARTEMENT,
    TerritoryKind.REGION,
]
PAGE_SIZE = 25


class TerritorySearchForm(Form):
    q = forms.CharField(
        label="Nom ou code",
        required=False,
        max_length=100,
        help_text="Par exemple « Saint-Denis », « 93066 » ou « QN09359M ».",
    )
    kind = forms.ChoiceField(
        label="Nature",
        required=False,
        choices=[("", "Toutes les natures"), *[(kind.value, kind.label) for kind in SEARCHABLE_KINDS]],
    )


@require_GET
def territory_search(request: HttpRequest) -> HttpResponse:
    form = TerritorySearchForm(request.GET or None)
    page_obj = None
    if form.is_bound and form.is_valid() and (form.cleaned_data["q"] or form.cleaned_data["kind"]):
        territories = selectors.territory_list(kind=form.cleaned_data["kind"] or None, search=form.cleaned_data["q"])
        page_obj = Paginator(territories, PAGE_SIZE).get_page(request.GET.get("page"))
    return render_page(
        request, "territories/territory_search.html", "Rechercher un territoire", form=form, page_obj=page_obj
    )


@require_GET
def territory_detail(request: HttpRequest, kind: str, vintage: str, code: str) -> HttpResponse:
    territory = selectors.territory_get(kind=kind, vintage=vintage, code=code)
    if territory is None:
        raise Http404("Territoire introuvable.")
    detail = selectors.territory_detail_data(territory)
    shown = selectors.territory_map_features(territory, detail)
    title = f"{territory.name} ({territory.kind_label} {territory.code})"
    return render_page(
        request,
        "territories/territory_detail.html",
        title,
        parents=[Crumb("Territoires", reverse("territories:territory_search"))],
        territory=territory,
        detail=detail,
        map_territories=shown,
        geojson=selectors.territories_geojson(shown),
        map_tile_url=settings.MAP_TILE_URL,
        map_tile_attribution=settings.MAP_TILE_ATTRIBUTION,
        kinds=TerritoryKind,
    )

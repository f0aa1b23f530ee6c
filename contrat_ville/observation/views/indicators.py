"""The indicator catalogue and the indicator page (chart over time, choropleth map, tables), globally and for a
contract (its QPVs and references by default; its private values for its members)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from contrat_ville.contracts.access import ContractRequest, contract_view
from contrat_ville.observation import exports, presenters
from contrat_ville.observation.forms import ContractIndicatorForm, IndicatorTerritoriesForm
from contrat_ville.observation.models import Indicator
from contrat_ville.observation.permissions import can_view_national_gaps
from contrat_ville.observation.selectors import indicators, territories
from contrat_ville.observation.selectors.values import PUBLIC, Scope, scope_for
from contrat_ville.observation.views.common import catalogue_crumb, check_format, contract_crumbs, export_urls
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import Territory
from contrat_ville.ui.page import Crumb, render_page


@require_GET
def indicator_list(request: HttpRequest) -> HttpResponse:
    """The catalogue by theme: definition, unit, direction, source and levels of every indicator (one query)."""
    return render_page(
        request,
        "observation/indicator_list.html",
        "Indicateurs de l'observation territoriale",
        groups=indicators.indicator_catalogue(),
        can_view_national_gaps=can_view_national_gaps(request.user),
    )


@dataclass(frozen=True)
class IndicatorView:
    form: Any
    data: indicators.IndicatorPage


def _period(form: Any) -> int | None:
    if form.is_bound and form.is_valid() and form.cleaned_data.get("period"):
        return int(form.cleaned_data["period"])
    return None


def _map_kind(form: Any) -> str:
    if form.is_bound and form.is_valid() and form.cleaned_data.get("map_kind"):
        return str(form.cleaned_data["map_kind"])
    return TerritoryKind.QPV


def _view(
    form: Any,
    periods: list[int],
    *,
    indicator: Indicator,
    scope: Scope,
    shown: list[Territory],
    map_communes: list[int],
) -> IndicatorView:
    """The page's data for the territories shown, at the form's period and map level."""
    data = indicators.indicator_page_get(
        indicator=indicator,
        territories=shown,
        scope=scope,
        period=_period(form),
        map_kind=_map_kind(form),
        map_communes=map_communes,
        all_periods=periods,
    )
    return IndicatorView(form=form, data=data)


def _global_view(request: HttpRequest, indicator: Indicator) -> IndicatorView:
    """Chosen territories (by kind and codes, with their references) or a few defaults; public values only."""
    scope = PUBLIC
    periods = indicators.indicator_periods(indicator=indicator, scope=scope)
    form = IndicatorTerritoriesForm(request.GET or None, periods=periods)
    chosen: list[Territory] = []
    with_references = True
    if form.is_bound and form.is_valid() and form.cleaned_data["codes"]:
        chosen = territories.territories_by_codes(kind=form.cleaned_data["kind"], codes=form.cleaned_data["codes"])
        with_references = form.cleaned_data["with_references"]
    if not chosen and not (form.is_bound and form.errors):
        chosen = indicators.default_territories(indicator=indicator, scope=scope)
    shown = indicators.with_references(chosen) if with_references and chosen else list(chosen)
    map_communes = territories.map_area_communes(chosen) if chosen else []
    return _view(form, periods, indicator=indicator, scope=scope, shown=shown, map_communes=map_communes)


def _render_indicator_page(
    request: HttpRequest,
    view: IndicatorView,
    template: str,
    title: str,
    *,
    parents: list[Crumb],
    export: str,
    **url: Any,
) -> HttpResponse:
    """An indicator page (global or contract): its series, table, chart and map; ``export`` names the export URL
    (with ``url``'s arguments and the indicator's code)."""
    data = view.data
    shown_map = presenters.map_view(data.map, data.indicator) if data.map is not None else None
    return render_page(
        request,
        template,
        title,
        parents=parents,
        indicator=data.indicator,
        levels=presenters.level_labels(data.indicator),
        form=view.form,
        data=data,
        table_rows=presenters.indicator_table(data),
        table_caption=presenters.series_caption(data.indicator),
        chart=presenters.line_chart(indicator=data.indicator, series=data.series, periods=data.periods),
        map=shown_map,
        map_geojson=shown_map.geojson(tile_url=settings.MAP_TILE_URL, attribution=settings.MAP_TILE_ATTRIBUTION)
        if shown_map is not None and shown_map.map.has_geometry
        else None,
        aggregation_rule=presenters.AGGREGATION_RULE,
        **export_urls(request, export, code=data.indicator.code, **url),
    )


@require_GET
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    indicator = indicators.indicator_get(code=code)
    view = _global_view(request, indicator)
    title = f"{indicator.label} ({indicator.code})"
    return _render_indicator_page(
        request,
        view,
        "observation/indicator_detail.html",
        title,
        parents=[catalogue_crumb()],
        export="observation:indicator_export",
    )


@require_GET
def indicator_export(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    check_format(fmt)
    indicator = indicators.indicator_get(code=code)
    return exports.export_response(exports.indicator_export(_global_view(request, indicator).data), fmt)


def _contract_view(request: ContractRequest, indicator: Indicator) -> IndicatorView:
    """The contract's QPVs and references to choose from (default: QPVs and EPCI); the map over its communes."""
    access = request.access
    contract = access.contract
    scope = scope_for(access)
    choices = indicators.contract_territory_choices(contract=contract)
    periods = indicators.indicator_periods(indicator=indicator, scope=scope)
    form = ContractIndicatorForm(request.GET or None, territories=choices, periods=periods)
    selected: set[str] = set()
    if form.is_bound and form.is_valid():
        selected = set(form.cleaned_data["territories"])
    if selected:
        shown = [territory for territory in choices if str(territory.pk) in selected]
    else:
        shown = [
            territory
            for territory in choices
            if territory.kind == TerritoryKind.QPV or territory.pk == contract.epci_id
        ]
        form.initial["territories"] = [str(territory.pk) for territory in shown]
    map_communes = territories.contract_map_communes(contract=contract)
    return _view(form, periods, indicator=indicator, scope=scope, shown=shown, map_communes=map_communes)


@contract_view(private=False)
def contract_indicator_detail(request: ContractRequest, code: str) -> HttpResponse:
    contract = request.contract
    indicator = indicators.indicator_get(code=code)
    return _render_indicator_page(
        request,
        _contract_view(request, indicator),
        "observation/contract_indicator_detail.html",
        f"{indicator.label} ({indicator.code}) — {contract.name}",
        parents=contract_crumbs(contract),
        export="observation_contract:indicator_export",
        contract_slug=contract.slug,
    )


@contract_view(private=False)
def contract_indicator_export(request: ContractRequest, code: str, fmt: str) -> HttpResponse:
    check_format(fmt)
    indicator = indicators.indicator_get(code=code)
    return exports.export_response(exports.indicator_export(_contract_view(request, indicator).data), fmt)


urlpatterns: list[URLPattern] = [
    path("indicateurs/", indicator_list, name="indicator_list"),
    path("indicateurs/<str:code>/", indicator_detail, name="indicator_detail"),
    path("indicateurs/<str:code>/export.<str:fmt>", indicator_export, name="indicator_export"),
]

contract_urlpatterns: list[URLPattern] = [
    path("indicateurs/<str:code>/", contract_indicator_detail, name="indicator_detail"),
    path("indicateurs/<str:code>/export.<str:fmt>", contract_indicator_export, name="indicator_export"),
]

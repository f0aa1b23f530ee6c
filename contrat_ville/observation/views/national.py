"""The national table (the ONPV's view): every QPV's latest public value of an indicator, its change since the
previous value and its gap to each reference territory, filterable by région or département and year; CSV and
XLSX exports of the same table. For State delegates and platform administrators (``permissions``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from contrat_ville.observation import exports, presenters
from contrat_ville.observation.forms import NationalGapsForm
from contrat_ville.observation.permissions import can_view_national_gaps
from contrat_ville.observation.selectors import indicators, national, territories
from contrat_ville.observation.views.common import catalogue_crumb, check_format, export_urls
from contrat_ville.ui.page import render_page


def _check_access(request: HttpRequest) -> HttpResponse | None:
    """Anonymous visitors are sent to the login page; signed-in users without the right get 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_view_national_gaps(request.user):
        raise PermissionDenied("Le tableau national est réservé aux délégués de l'État et aux administrateurs.")
    return None


@dataclass(frozen=True)
class NationalRequest:
    form: NationalGapsForm
    filters: national.NationalFilters | None  # None: no indicator in the catalogue, or a form error


def _filters(request: HttpRequest) -> NationalRequest:
    catalogue = indicators.indicator_list()
    areas = territories.area_choices()
    default = national.default_national_indicator(catalogue)
    form = NationalGapsForm(request.GET or None, indicators=catalogue, areas=areas, default_indicator=default)
    if default is None or (form.is_bound and not form.is_valid()):
        return NationalRequest(form=form, filters=None)
    data = form.cleaned_data if form.is_bound else {}
    code = data.get("indicator") or default.code
    indicator = next(item for item in catalogue if item.code == code)
    area = next((item for item in areas if str(item.pk) == data.get("area")), None)
    return NationalRequest(
        form=form, filters=national.NationalFilters(indicator=indicator, area=area, period=data.get("period"))
    )


@require_GET
def national_gaps(request: HttpRequest) -> HttpResponse:
    refused = _check_access(request)
    if refused is not None:
        return refused
    chosen = _filters(request)
    table = None
    if chosen.filters is not None:
        table = national.national_table(filters=chosen.filters, page_number=request.GET.get("page"))
    return render_page(
        request,
        "observation/national_gaps.html",
        "Écarts des quartiers prioritaires à leurs territoires de référence",
        parents=[catalogue_crumb()],
        form=chosen.form,
        table=presenters.national_table_view(table) if table is not None else None,
        page_obj=table.page if table is not None else None,
        **export_urls(request, "observation:national_gaps_export"),
    )


@require_GET
def national_gaps_export(request: HttpRequest, fmt: str) -> HttpResponse:
    refused = _check_access(request)
    if refused is not None:
        return refused
    check_format(fmt)
    chosen = _filters(request)
    if chosen.filters is None:
        return HttpResponseBadRequest("Choisissez un indicateur du catalogue et une année valide.")
    table = national.national_table(filters=chosen.filters, paginate=False)
    return exports.export_response(exports.national_export(table), fmt)


urlpatterns: list[URLPattern] = [
    path("ecarts-nationaux/", national_gaps, name="national_gaps"),
    path("ecarts-nationaux/export.<str:fmt>", national_gaps_export, name="national_gaps_export"),
]

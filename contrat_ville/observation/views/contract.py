"""The contract's observation home: its QPVs compared on chosen indicators, with the gap to their reference (the
EPCI by default; the unité urbaine, département, région or France on demand)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse, QueryDict
from django.urls import URLPattern, path

from contrat_ville.contracts.access import ContractRequest, contract_view
from contrat_ville.core.selectors import given
from contrat_ville.observation import exports, presenters
from contrat_ville.observation.forms import ComparisonForm
from contrat_ville.observation.models import Indicator
from contrat_ville.observation.permissions import can_import_values
from contrat_ville.observation.selectors import comparisons, indicators, territories
from contrat_ville.observation.selectors.values import scope_for
from contrat_ville.observation.views.common import check_format, contract_crumbs, export_urls
from contrat_ville.ui.page import render_page

DEFAULT_INDICATOR_COUNT = 5


def _comparison(request: ContractRequest) -> tuple[ComparisonForm, comparisons.QpvComparison, list[Indicator]]:
    """The form, the table, and the indicators that have values for the contract's QPVs or EPCI."""
    access = request.access
    contract = access.contract
    scope = scope_for(access)
    qpvs = territories.contract_qpvs(contract=contract)
    available = indicators.indicators_with_values(
        territory_ids=[contract.epci_id, *(qpv.pk for qpv in qpvs)], scope=scope
    )
    form = ComparisonForm(request.GET or None, indicators=available)
    codes: list[str] = []
    options: dict[str, Any] = {}  # the sort and the reference kind chosen; the selector's defaults otherwise
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        codes = data["indicators"]
        options = given(sort=data["sort"], descending=data["descending"], reference_kind=data["reference"])
    if codes:
        chosen = [indicator for indicator in available if indicator.code in codes]
    else:
        chosen = available[:DEFAULT_INDICATOR_COUNT]
        form.initial["indicators"] = [indicator.code for indicator in chosen]
    table = comparisons.comparison_get(contract=contract, scope=scope, indicators=chosen, **options)
    return form, table, available


@dataclass(frozen=True)
class SortColumn:
    """A column header of the comparison table: the query string that sorts by it (the other way round when it
    is already the sort column) and its ``aria-sort`` state."""

    key: str
    indicator: Indicator | None
    query: str
    aria_sort: str


def _sort_columns(comparison: comparisons.QpvComparison) -> list[SortColumn]:
    columns = []
    for key, indicator in [
        (comparisons.SORT_BY_NAME, None),
        *((indicator.code, indicator) for indicator in comparison.indicators),
    ]:
        query = QueryDict(mutable=True)
        query.setlist("indicators", [item.code for item in comparison.indicators])
        query["reference"] = comparison.reference_kind
        query["sort"] = key
        is_current = key == comparison.sort
        if is_current and not comparison.descending:
            query["descending"] = "on"
        aria_sort = ("descending" if comparison.descending else "ascending") if is_current else ""
        columns.append(SortColumn(key=key, indicator=indicator, query=query.urlencode(), aria_sort=aria_sort))
    return columns


@contract_view(private=False)
def comparison(request: ContractRequest) -> HttpResponse:
    access = request.access
    contract = access.contract
    form, table, available = _comparison(request)
    return render_page(
        request,
        "observation/comparison.html",
        f"Observation — {contract.name}",
        parents=contract_crumbs(contract, with_home=False),
        form=form,
        comparison=presenters.comparison_view(table),
        has_indicators=bool(available),
        sort_columns=_sort_columns(table),
        can_import=can_import_values(access),
        **export_urls(request, "observation_contract:comparison_export", contract_slug=contract.slug),
    )


@contract_view(private=False)
def comparison_export(request: ContractRequest, fmt: str) -> HttpResponse:
    check_format(fmt)
    _form, table, _available = _comparison(request)
    return exports.export_response(exports.comparison_export(table), fmt)


contract_urlpatterns: list[URLPattern] = [
    path("", comparison, name="comparison"),
    path("export.<str:fmt>", comparison_export, name="comparison_export"),
]

"""Portraits by pillar: any territory (public values) and a contract's QPV (its private values for members)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET

from contrat_ville.contracts.access import ContractRequest, contract_view
from contrat_ville.observation import exports, presenters
from contrat_ville.observation.selectors.portraits import Portrait, portrait_get
from contrat_ville.observation.selectors.territories import contract_qpv_get, territory_get
from contrat_ville.observation.selectors.values import scope_for
from contrat_ville.observation.views.common import check_format, contract_crumbs, export_urls
from contrat_ville.ui.page import Crumb, render_page


def _title(portrait: Portrait) -> str:
    territory = portrait.territory
    return f"Portrait de {territory.name} ({territory.kind_label} {territory.code})"


@require_GET
def territory_portrait(request: HttpRequest, kind: str, vintage: str, code: str) -> HttpResponse:
    territory = territory_get(kind=kind, vintage=vintage, code=code)
    portrait = portrait_get(territory=territory)
    return render_page(
        request,
        "observation/territory_portrait.html",
        _title(portrait),
        parents=[
            Crumb("Territoires", reverse("territories:territory_search")),
            Crumb(
                territory.name,
                reverse(
                    "territories:territory_detail",
                    kwargs={"kind": territory.kind, "vintage": territory.vintage, "code": territory.code},
                ),
            ),
        ],
        portrait=presenters.portrait_view(portrait),
        **export_urls(request, "observation:territory_portrait_export", kind=kind, vintage=vintage, code=code),
    )


@require_GET
def territory_portrait_export(request: HttpRequest, kind: str, vintage: str, code: str, fmt: str) -> HttpResponse:
    check_format(fmt)
    territory = territory_get(kind=kind, vintage=vintage, code=code)
    return exports.export_response(exports.portrait_export(portrait_get(territory=territory)), fmt)


@contract_view(private=False)
def qpv_portrait(request: ContractRequest, territory_id: int) -> HttpResponse:
    """A QPV of the contract; its members also see the values private to the contract."""
    access = request.access
    contract = access.contract
    territory = contract_qpv_get(contract=contract, territory_id=territory_id)
    portrait = portrait_get(territory=territory, scope=scope_for(access))
    return render_page(
        request,
        "observation/qpv_portrait.html",
        _title(portrait),
        parents=contract_crumbs(contract),
        portrait=presenters.portrait_view(portrait),
        **export_urls(
            request,
            "observation_contract:qpv_portrait_export",
            contract_slug=contract.slug,
            territory_id=territory.pk,
        ),
    )


@contract_view(private=False)
def qpv_portrait_export(request: ContractRequest, territory_id: int, fmt: str) -> HttpResponse:
    check_format(fmt)
    access = request.access
    territory = contract_qpv_get(contract=access.contract, territory_id=territory_id)
    portrait = portrait_get(territory=territory, scope=scope_for(access))
    return exports.export_response(exports.portrait_export(portrait), fmt)


urlpatterns: list[URLPattern] = [
    path("territoires/<str:kind>/<str:vintage>/<str:code>/", territory_portrait, name="territory_portrait"),
    path(
        "territoires/<str:kind>/<str:vintage>/<str:code>/export.<str:fmt>",
        territory_portrait_export,
        name="territory_portrait_export",
    ),
]

contract_urlpatterns: list[URLPattern] = [
    path("quartiers/<int:territory_id>/", qpv_portrait, name="qpv_portrait"),
    path("quartiers/<int:territory_id>/export.<str:fmt>", qpv_portrait_export, name="qpv_portrait_export"),
]

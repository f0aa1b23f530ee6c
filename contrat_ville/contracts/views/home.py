from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from contrat_ville.contracts import selectors
from contrat_ville.contracts.access import ContractRequest, contract_view
from contrat_ville.contracts.awaiting import awaiting_count, awaiting_groups
from contrat_ville.contracts.panels import contract_home_panels
from contrat_ville.contracts.permissions import can_open_contract_space
from contrat_ville.contracts.views.common import contract_crumbs, contracts_crumb
from contrat_ville.core.page_cache import cached_page
from contrat_ville.ui.page import render_page


def home(request: HttpRequest) -> HttpResponse:
    """The platform's home page: what it is for, the published contracts and the user's own."""
    my_contracts = selectors.contract_listing_for(request.user).mine if request.user.is_authenticated else []
    return render_page(
        request,
        "contracts/home.html",
        "Accueil",
        published_contracts=selectors.published_contract_list(),
        my_contracts=my_contracts,
        awaiting_total=awaiting_count(awaiting_groups(request.user)),
    )


@login_required
def awaiting(request: HttpRequest) -> HttpResponse:
    """« Ce qui vous attend »: every opinion, review, figure or answer that awaits the user, across their contracts."""
    groups = awaiting_groups(request.user)
    return render_page(
        request, "contracts/awaiting.html", "Ce qui vous attend", groups=groups, total=awaiting_count(groups)
    )


def contract_list(request: HttpRequest) -> HttpResponse:
    listing = selectors.contract_listing_for(request.user)
    return render_page(
        request,
        "contracts/contract_list.html",
        "Contrats de ville",
        listing=listing,
        can_open_contract_space=can_open_contract_space(request.user),
    )


@cached_page
@contract_view(private=False)
def contract_home(request: ContractRequest) -> HttpResponse:
    """The contract's dashboard: where it stands in every area, each panel linking to its detail (served from the
    cache until something is written, ``core.page_cache``)."""
    access = request.access
    contract = access.contract
    return render_page(
        request,
        "contracts/contract_home.html",
        contract.name,
        parents=[contracts_crumb()],
        home=selectors.contract_home_data(contract=contract),
        panels=contract_home_panels(request=request, access=access),
        awaiting=awaiting_groups(request.user, contract_id=contract.pk) if access.is_member else [],
    )


@contract_view(private=False)
def contract_territory(request: ContractRequest) -> HttpResponse:
    """« Territoire et signataires »: the map, the QPVs, the EPCI's communes and the signatories."""
    contract = request.access.contract
    territory = selectors.contract_territory_data(
        contract=contract, tile_url=settings.MAP_TILE_URL, attribution=settings.MAP_TILE_ATTRIBUTION
    )
    return render_page(
        request,
        "contracts/contract_territory.html",
        "Territoire et signataires",
        parents=contract_crumbs(contract),
        home=territory,
        map_data=territory.map_data,
    )

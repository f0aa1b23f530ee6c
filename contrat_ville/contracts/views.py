from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from contrat_ville.contracts import selectors
from contrat_ville.contracts.access import contract_view
from contrat_ville.ui.page import Crumb, page


def home(request: HttpRequest) -> HttpResponse:
    contracts = selectors.contract_list_for(request.user)
    return render(request, "contracts/home.html", page("Accueil", contracts=contracts))


def contract_list(request: HttpRequest) -> HttpResponse:
    contracts = selectors.contract_list_for(request.user)
    return render(request, "contracts/contract_list.html", page("Contrats de ville", contracts=contracts))


@contract_view(private=False)
def contract_home(request: HttpRequest) -> HttpResponse:
    contract = request.contract  # type: ignore[attr-defined]
    data = selectors.contract_home_data(contract=contract)
    return render(
        request,
        "contracts/contract_home.html",
        page(
            contract.name,
            parents=[Crumb("Contrats de ville", "/contrats/")],
            contract=contract,
            access=request.access,  # type: ignore[attr-defined]
            **data,
        ),
    )

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from contrat_ville.ui.page import page


def territory_search(request: HttpRequest) -> HttpResponse:
    return render(request, "territories/territory_search.html", page("Territoires"))


def territory_detail(request: HttpRequest, kind: str, vintage: str, code: str) -> HttpResponse:
    return render(request, "territories/territory_search.html", page("Territoires"))

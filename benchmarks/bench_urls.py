"""URLconf of the observation benchmark: the project's URLs plus ``/bench/bare/``, the floor of the stack.

The bare view goes through the same middleware (sessions, CSRF, CSP, axes…) and the same server as the pages it
is compared with, but renders no template and runs no query: the ratio « page / bare view » is what the page
itself costs.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns

BARE_PAGE = (
    '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Page constante</title></head>'
    "<body><main><h1>Page constante</h1><p>Vue témoin du banc d'essai : aucune requête, aucun gabarit.</p>"
    "</main></body></html>"
)


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(BARE_PAGE)


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *project_urlpatterns]

"""The project's URLs plus routes that exist only for the browser tests (``settings.ROOT_URLCONF`` swapped)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def forbidden(request: HttpRequest) -> HttpResponse:
    """What ``contract_view(roles=…)`` raises for a member whose role may not act: Django renders 403.html."""
    raise PermissionDenied("Votre rôle sur ce contrat ne permet pas cette action.")


urlpatterns = [path("_e2e/403/", forbidden), *project_urlpatterns]

"""One helper builds every page's title, breadcrumb and skip links, so they cannot drift."""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from contrat_ville.ui.context_processors import DEFAULT_SKIPLINKS


@dataclass(frozen=True)
class Crumb:
    title: str
    url: str


def page(title: str, *, parents: list[Crumb] | None = None, **context: Any) -> dict[str, Any]:
    """Context for a full page: ``title`` is the ``<title>``, the ``<h1>`` and the breadcrumb's last item."""
    return {
        "title": title,
        "breadcrumb_data": {
            "links": [{"url": crumb.url, "title": crumb.title} for crumb in parents or []],
            "current": title,
        },
        "skiplinks": DEFAULT_SKIPLINKS,
        **context,
    }


def render_page(
    request: HttpRequest, template: str, title: str, *, parents: list[Crumb] | None = None, **context: Any
) -> HttpResponse:
    """``render(request, template, page(title, …))``; on a contract's page (``contract_view``), the context also
    has the request's ``contract`` and the caller's ``access``."""
    for name in ("contract", "access"):
        if hasattr(request, name):
            context.setdefault(name, getattr(request, name))
    return render(request, template, page(title, parents=parents, **context))

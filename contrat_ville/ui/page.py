"""One helper builds every page's title, breadcrumb and skip links, so they cannot drift."""

import mimetypes
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.db.models.fields.files import FieldFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.http import content_disposition_header

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


def wants_fragment(request: HttpRequest) -> bool:
    """An htmx request that swaps part of the page (not the restore of a page from the browser's history)."""
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


def render_page(
    request: HttpRequest,
    template: str,
    title: str,
    *,
    parents: list[Crumb] | None = None,
    fragment: str | None = None,
    **context: Any,
) -> HttpResponse:
    """``render(request, template, page(title, …))``; on a contract's page (``contract_view``), the context also
    has the request's ``contract`` and the caller's ``access``.

    With ``fragment``, an htmx request gets only that ``{% partialdef %}`` of the page (``template#fragment``),
    rendered from the same context, so that the page works alike with and without JavaScript (style.md §5.2).
    """
    for name in ("contract", "access"):
        if hasattr(request, name):
            context.setdefault(name, getattr(request, name))
    name = f"{template}#{fragment}" if fragment and wants_fragment(request) else template
    response = render(request, name, page(title, parents=parents, **context))
    if fragment:
        # The page and its fragment share a URL (hx-push-url): caches must keep them apart.
        patch_vary_headers(response, ("HX-Request",))
    return response


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """A file to save (``Content-Disposition: attachment``) named ``filename``."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename) or "attachment"
    return response


def file_download(file: FieldFile) -> HttpResponse:
    """A stored attachment (``core.attachments``) as a download, once the view has checked who may read it; 404
    when the file is gone from the storage."""
    name = PurePath(file.name or "").name
    try:
        with file.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError as error:
        raise Http404("Fichier introuvable.") from error
    return download(content, mimetypes.guess_type(name)[0] or "application/octet-stream", name)

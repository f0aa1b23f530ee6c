"""One helper builds every page's title, breadcrumb and skip links, so they cannot drift."""

from dataclasses import dataclass
from typing import Any

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

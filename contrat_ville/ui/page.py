"""One helper builds every page's title, breadcrumb and skip links, so they cannot drift."""

from dataclasses import dataclass
from typing import Any


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
        "skiplinks": [
            {"link": "#content", "label": "Contenu"},
            {"link": "#fr-navigation", "label": "Menu"},
            {"link": "#footer", "label": "Pied de page"},
        ],
        **context,
    }

from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.http import HttpRequest

# django-dsfr's own context processor reads a DsfrConfig row on every request; the platform's
# identity is configuration, so it is built once here and costs no query.
SITE_CONFIG = SimpleNamespace(
    site_title=settings.PLATFORM_NAME,
    site_tagline="Préparer, piloter, suivre et évaluer les contrats de ville",
    header_brand_html="République<br>française",
    footer_brand_html="République<br>française",
    beta_tag=True,
    mourning=False,
    notice_title="",
    notice_description="",
)


DEFAULT_SKIPLINKS = [
    {"link": "#content", "label": "Contenu"},
    {"link": "#fr-navigation", "label": "Menu"},
    {"link": "#footer", "label": "Pied de page"},
]


def platform(request: HttpRequest) -> dict[str, Any]:
    return {
        "SITE_CONFIG": SITE_CONFIG,
        "PLATFORM_NAME": settings.PLATFORM_NAME,
        "DEMO_MODE": settings.DEMO_MODE,
        # Pages built with ui.page() override these; error pages rely on them.
        "skiplinks": DEFAULT_SKIPLINKS,
    }

"""The administrator's import of official territory files from the web (issue 10 §3): the importers of the
management commands, their report (counts, warnings, columns and sheets not read) or, for a refused file, every
fault with its line and column — and nothing written.

It lives here, not in territories: the platform-level gate (``platform_view`` and its rules) sits in contracts,
above territories in the app graph.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from contrat_ville.contracts.access import platform_view
from contrat_ville.contracts.forms import TerritoryImportForm
from contrat_ville.contracts.permissions import IMPORT_TERRITORIES_REFUSAL, can_import_territories
from contrat_ville.contracts.views.common import pages
from contrat_ville.core.imports import limits
from contrat_ville.territories.selectors import territory_import_batch_get, territory_import_batches
from contrat_ville.territories.services import territory_file_import
from contrat_ville.ui.page import Crumb


@platform_view(can_import_territories, refusal=IMPORT_TERRITORIES_REFUSAL)
def territory_import(request: HttpRequest) -> HttpResponse:
    return pages.import_page(
        request,
        TerritoryImportForm(request.POST or None, request.FILES or None),
        save=lambda data: territory_file_import(
            kind=data["kind"],
            upload=data["file"],
            vintage=data["vintage"],
            generation=data["generation"],
            by=request.user,
        ),
        report=lambda pk: territory_import_batch_get(pk=pk),
        title="Importer un référentiel de territoires",
        parents=[Crumb("Territoires", reverse("territories:territory_search"))],
        intro_template="territories/_import_help.html",
        after_template="territories/_import_batches.html",
        form_testid="territory-import-form",
        layout="ui/base.html",
        max_errors=limits.MAX_ERRORS,
        batches=territory_import_batches(),
    )

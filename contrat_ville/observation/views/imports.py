"""The pilot's upload of indicator values (issue 6 §3; import kernel: docs/imports.md): one transaction, every fault
named with its file, sheet, line and column, the report of the import (what was added, replaced, ignored and left
unused) shown after it."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.urls import URLPattern, path

from contrat_ville.contracts.access import ContractRequest, contract_view
from contrat_ville.contracts.presenters import pages
from contrat_ville.core.imports import limits
from contrat_ville.core.models import ImportBatch
from contrat_ville.core.selectors import import_batch_get
from contrat_ville.observation import selectors, services
from contrat_ville.observation.forms import ValueImportForm
from contrat_ville.observation.permissions import can_import_values, can_publish_values
from contrat_ville.observation.views.common import contract_crumbs


@contract_view(private=True, permission=can_import_values)
def value_import(request: ContractRequest) -> HttpResponse:
    """Pilot and State delegate upload a file; values are private to the contract unless the State (or an
    administrator) publishes official statistics for everyone. Unknown territories refuse the file unless the
    uploader asks to ignore them, and the report then lists them."""
    access = request.access
    contract = access.contract
    may_publish = can_publish_values(access)

    def save(data: dict[str, Any]) -> ImportBatch:
        return services.values_import(
            path_or_file=data["file"],
            fmt=data["fmt"],
            territory_kind=data["territory_kind"] or None,
            mapping=data["mapping"] or None,
            contract=contract if data["is_private"] else None,
            user=request.user,
            producer=data["producer"],
            licence=data["licence"],
            vintage=data["vintage"],
            unknown_territories=services.UNKNOWN_SKIP if data["skip_unknown"] else services.UNKNOWN_ERROR,
        )

    return pages.import_page(
        request,
        ValueImportForm(request.POST or None, request.FILES or None, may_publish=may_publish),
        save=save,
        report=lambda pk: import_batch_get(pk=pk, scope=contract, by=request.user),
        title=f"Importer des valeurs d'indicateurs — {contract.name}",
        parents=contract_crumbs(contract),
        intro_template="observation/_import_help.html",
        after_template="observation/_value_batches.html",
        errors_title="Fichier refusé : aucune valeur n'a été importée",
        form_testid="value-import-form",
        access=access,
        max_errors=limits.MAX_ERRORS,
        batches=selectors.value_batches_for(contract=contract),
    )


contract_urlpatterns: list[URLPattern] = [
    path("import/", value_import, name="value_import"),
]

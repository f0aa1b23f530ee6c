"""The pilot's upload of indicator values (issue 6 §3): one transaction, every fault listed in French (file, sheet,
line, column), the report of the import (what was ignored, what was not read)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse

from contrat_ville.contracts.access import ContractRequest, contract_view
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.imports import limits
from contrat_ville.core.imports.errors import ImportFileError
from contrat_ville.core.selectors import import_batch_get
from contrat_ville.observation import selectors, services
from contrat_ville.observation.forms import ValueImportForm
from contrat_ville.observation.permissions import can_import_values, can_publish_values
from contrat_ville.observation.views.common import contract_crumbs
from contrat_ville.ui.page import page


@contract_view(private=True, permission=can_import_values)
def value_import(request: ContractRequest) -> HttpResponse:
    """Pilot and State delegate upload a file; values are private to the contract unless the State (or an
    administrator) publishes official statistics for everyone. The page offers what the command offers (unknown
    territories skipped on request), and shows the report of the import just made: counts, territories ignored,
    columns and sheets not read."""
    access = request.access
    contract = access.contract
    may_publish = can_publish_values(access)
    form = ValueImportForm(request.POST or None, request.FILES or None, may_publish=may_publish)
    issues: list[str] = []
    hint = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            batch = services.values_import(
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
        except ImportFileError as error:
            issues, hint = [str(issue) for issue in error.issues], error.hint
            form.add_error(None, "Fichier refusé : aucune valeur n'a été importée (erreurs ci-dessous).")
        except BusinessRuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Import terminé : {batch.summary}.")
            url = reverse("observation_contract:value_import", kwargs={"contract_slug": contract.slug})
            return redirect(f"{url}?lot={batch.pk}")
    lot = request.GET.get("lot", "")
    report = import_batch_get(pk=int(lot), scope=contract, by=request.user) if lot.isdigit() else None
    return render(
        request,
        "observation/value_import.html",
        page(
            f"Importer des valeurs d'indicateurs — {contract.name}",
            parents=contract_crumbs(contract),
            contract=contract,
            access=access,
            form=form,
            issues=issues,
            hint=hint,
            report=report,
            max_errors=limits.MAX_ERRORS,
            batches=selectors.value_batches_for(contract=contract),
        ),
    )


contract_urlpatterns: list[URLPattern] = [
    path("import/", value_import, name="value_import"),
]

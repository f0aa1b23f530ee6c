"""The pilot's upload of indicator values (issue 6 §3): one transaction, French errors with line and column."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.urls import URLPattern, path, reverse

from contrat_ville.contracts.access import ContractRequest, contract_view
from contrat_ville.observation import selectors, services
from contrat_ville.observation.forms import ValueImportForm
from contrat_ville.observation.models import ValueBatch
from contrat_ville.observation.permissions import can_import_values, can_publish_values
from contrat_ville.observation.views.common import contract_crumbs, form_page


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count <= 1 else plural}"


@contract_view(private=True, permission=can_import_values)
def value_import(request: ContractRequest) -> HttpResponse:
    """Pilot and State delegate upload a file; values are private to the contract unless the State (or an
    administrator) publishes official statistics for everyone."""
    access = request.access
    contract = access.contract
    may_publish = can_publish_values(access)

    def save(data: dict[str, Any]) -> ValueBatch:
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
        )

    def done(batch: ValueBatch) -> tuple[str, str]:
        counts = [
            _plural(batch.added_count, "valeur ajoutée", "valeurs ajoutées"),
            _plural(batch.replaced_count, "valeur remplacée", "valeurs remplacées"),
            _plural(batch.rejected_count, "valeur rejetée", "valeurs rejetées"),
        ]
        return f"Import terminé : {', '.join(counts)}.", reverse(
            "observation_contract:value_import", args=[contract.slug]
        )

    return form_page(
        request,
        ValueImportForm(request.POST or None, request.FILES or None, may_publish=may_publish),
        save=save,
        done=done,
        title=f"Importer des valeurs d'indicateurs — {contract.name}",
        parents=contract_crumbs(contract),
        intro_template="observation/_import_help.html",
        after_template="observation/_value_batches.html",
        form_testid="value-import-form",
        submit_label="Importer",
        access=access,
        batches=selectors.value_batches_for(contract=contract),
    )


contract_urlpatterns: list[URLPattern] = [
    path("import/", value_import, name="value_import"),
]

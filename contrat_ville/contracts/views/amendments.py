"""The avenants of a signed contract, and its structure as it stood at any date (issue 10 §1)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone

from contrat_ville.contracts import selectors, services
from contrat_ville.contracts.access import ContractRequest, contract_view
from contrat_ville.contracts.forms import AmendmentForm, StructureDateForm
from contrat_ville.contracts.permissions import can_amend_contract
from contrat_ville.contracts.views.common import Section, contract_crumbs, contract_url, pages
from contrat_ville.ui.page import render_page

AMENDMENTS = Section("Avenants", "amendment_list")


@contract_view(private=True)
def amendment_list(request: ContractRequest) -> HttpResponse:
    contract = request.contract
    return render_page(
        request,
        "contracts/amendment_list.html",
        "Avenants du contrat",
        parents=contract_crumbs(contract),
        amendments=selectors.amendment_list(contract=contract),
        can_amend=can_amend_contract(request.access),
    )


@contract_view(private=True, permission=can_amend_contract)
def amendment_create(request: ContractRequest) -> HttpResponse:
    contract = request.contract
    if not can_amend_contract(request.access):
        return pages.form_page(
            request,
            AmendmentForm(None, contract=contract),
            save=lambda data: None,
            done=lambda saved: ("", AMENDMENTS.url(contract)),
            title="Enregistrer un avenant",
            parents=AMENDMENTS.crumbs(contract),
            read_only_message="Un avenant modifie un contrat signé : enregistrez d'abord la signature du contrat.",
            back_label="Aller à la signature",
            cancel_url=contract_url("contract_signature", contract),
        )
    return pages.form_page(
        request,
        AmendmentForm(request.POST or None, contract=contract),
        save=lambda data: services.amendment_create(contract=contract, by=request.access.user, **data),
        done=lambda amendment: (
            f"{amendment} enregistré.",
            contract_url("amendment_detail", contract, amendment_id=amendment.pk),
        ),
        title="Enregistrer un avenant",
        parents=AMENDMENTS.crumbs(contract),
        intro=(
            "Un avenant signé modifie le contrat : ce qu'il change est appliqué et inscrit, pour que la structure "
            "du contrat reste lisible telle qu'elle était à chaque date. L'approbation du comité de pilotage se "
            "consigne ensuite comme une décision sur l'avenant."
        ),
        submit_label="Enregistrer l'avenant",
        cancel_url=AMENDMENTS.url(contract),
        form_testid="amendment-form",
    )


@contract_view(private=True)
def amendment_detail(request: ContractRequest, amendment_id: int) -> HttpResponse:
    contract = request.contract
    amendment = selectors.amendment_get(contract=contract, amendment_id=amendment_id)
    return render_page(
        request,
        "contracts/amendment_detail.html",
        str(amendment),
        parents=AMENDMENTS.crumbs(contract),
        amendment=amendment,
    )


@contract_view(private=True)
def structure_as_of(request: ContractRequest) -> HttpResponse:
    """The contract as it stood on the chosen date: its end date, branches, axes, QPVs, signatories, avenants."""
    contract = request.contract
    form = StructureDateForm(request.GET or {"day": timezone.localdate().isoformat()})
    structure = (
        selectors.contract_structure_as_of(contract=contract, day=form.cleaned_data["day"])
        if form.is_valid()
        else None
    )
    return render_page(
        request,
        "contracts/structure_as_of.html",
        "Le contrat à une date",
        parents=AMENDMENTS.crumbs(contract),
        form=form,
        structure=structure,
    )

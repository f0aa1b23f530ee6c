"""Opening a contract's space and completing it: settings, territories, publication and the steps of its life."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from contrat_ville.contracts import selectors, services
from contrat_ville.contracts.access import ContractRequest, contract_view, platform_view
from contrat_ville.contracts.forms import (
    AreaForm,
    ContractOpenForm,
    ContractSettingsForm,
    ContractStatusForm,
    ContractTerritoriesForm,
)
from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.permissions import (
    OPEN_REFUSAL,
    can_edit_contract,
    can_open_contract_space,
    can_publish_contract,
)
from contrat_ville.contracts.views.common import Section, contract_crumbs, contract_url, contracts_crumb, pages

SETTINGS = Section("Paramètres", "contract_settings")
TERRITORIES = Section("Territoires", "contract_territories")


@platform_view(can_open_contract_space, refusal=OPEN_REFUSAL)
def contract_open(request: HttpRequest) -> HttpResponse:
    """An administrator, or a State agent for an intercommunality of their département, opens a contract's space:
    pillars and axes come from the generation, communes from the EPCI; the pilot completes the rest."""

    def save(data: dict[str, Any]) -> Contract:
        return services.contract_space_open(by=request.user, **data)

    return pages.form_page(
        request,
        ContractOpenForm(request.POST or None),
        save=save,
        done=lambda contract: (
            f"Espace du contrat « {contract.name} » ouvert. Complétez-le : territoires, structure, signataires.",
            SETTINGS.url(contract),
        ),
        title="Ouvrir l'espace d'un contrat de ville",
        parents=[contracts_crumb()],
        intro=(
            "Le contrat est conclu à l'échelle de l'intercommunalité. Ses piliers et ses axes transversaux sont "
            "repris de sa génération, ses communes de l'intercommunalité : vous les adapterez ensuite."
        ),
        submit_label="Ouvrir l'espace du contrat",
        cancel_url=reverse("contracts:contract_list"),
        form_testid="contract-open-form",
        layout="ui/base.html",
    )


@contract_view(private=True, permission=can_edit_contract)
def contract_settings(request: ContractRequest) -> HttpResponse:
    """The pilot completes the contract as it is written, and names the levels of its strategic tree."""
    contract = request.contract
    form = ContractSettingsForm(request.POST or None, initial=ContractSettingsForm.initial_of(contract))
    return pages.form_page(
        request,
        form,
        save=lambda data: services.contract_update(contract=contract, by=request.access.user, **data),
        done=lambda saved: ("Contrat mis à jour.", SETTINGS.url(saved)),
        title="Paramètres du contrat",
        parents=contract_crumbs(contract),
        side_template="contracts/_contract_life.html",
        signature_warnings=selectors.signature_warnings(contract=contract),
        can_publish=can_publish_contract(request.access),
        status_form=ContractStatusForm(contract=contract),
        form_testid="contract-settings-form",
    )


@contract_view(private=True, permission=can_edit_contract)
def contract_territories(request: ContractRequest) -> HttpResponse:
    """The contract's QPVs (of its generation, inside its EPCI) and its communes concerned."""
    contract = request.contract
    initial = {"qpvs": list(contract.qpvs.all()), "communes": list(contract.communes.all())}
    return pages.form_page(
        request,
        ContractTerritoriesForm(request.POST or None, contract=contract, initial=initial),
        save=lambda data: services.contract_set_territories(contract=contract, by=request.access.user, **data),
        done=lambda _saved: ("Territoires du contrat enregistrés.", contract_url("contract_home", contract)),
        title="Territoires du contrat",
        parents=SETTINGS.crumbs(contract),
        intro_template="contracts/_territories_intro.html",
        after_template="contracts/_areas.html",
        areas=selectors.area_list(contract=contract),
        form_testid="contract-territories-form",
        cancel_url=contract_url("contract_home", contract),
    )


@require_POST
@contract_view(private=True, permission=can_publish_contract)
def contract_publication(request: ContractRequest) -> HttpResponse:
    contract = request.contract
    publish = request.POST.get("publish") == "1"
    return pages.post_action(
        request,
        act=lambda: services.contract_publish(contract=contract, is_published=publish, by=request.access.user),
        message="Contrat publié : ses pages publiques sont ouvertes à tous."
        if publish
        else "Contrat retiré de la publication.",
        next_url=SETTINGS.url(contract),
    )


@require_POST
@contract_view(private=True, permission=can_edit_contract)
def contract_status(request: ContractRequest) -> HttpResponse:
    contract = request.contract
    form = ContractStatusForm(request.POST, contract=contract)
    next_url = SETTINGS.url(contract)
    if not form.is_valid():
        messages.error(request, "Choisissez l'un des états que le contrat peut prendre maintenant.")
        return redirect(next_url)
    data = form.cleaned_data
    return pages.post_action(
        request,
        act=lambda: services.contract_set_status(
            contract=contract, status=data["status"], comment=data["comment"], by=request.access.user
        ),
        done=lambda saved: (f"Le contrat est désormais « {saved.get_status_display()} ».", next_url),
        next_url=next_url,
    )


@contract_view(private=True, permission=can_edit_contract)
def area_create(request: ContractRequest) -> HttpResponse:
    """A quartier de veille active, a quartier vécu or a territoire d'observation beside the QPVs."""
    contract = request.contract
    return pages.form_page(
        request,
        AreaForm(request.POST or None, contract=contract),
        save=lambda data: services.area_create(contract=contract, by=request.access.user, **data),
        done=lambda area: (f"Périmètre « {area.name} » ajouté.", TERRITORIES.url(contract)),
        title="Ajouter un périmètre",
        parents=TERRITORIES.crumbs(contract),
        submit_label="Ajouter",
        cancel_url=TERRITORIES.url(contract),
        form_testid="area-form",
    )


@contract_view(private=True, permission=can_edit_contract)
def area_delete(request: ContractRequest, area_id: int) -> HttpResponse:
    contract = request.contract
    area = selectors.area_get(contract=contract, area_id=area_id)
    return pages.confirm_page(
        request,
        act=lambda: services.area_delete(area=area, by=request.access.user),
        message=f"Périmètre « {area.name} » supprimé.",
        success_url=TERRITORIES.url(contract),
        explanation=f"Le périmètre « {area.name} » ({area.get_kind_display()}) sera supprimé du contrat.",
        title=f"Supprimer « {area.name} »",
        parents=TERRITORIES.crumbs(contract),
        submit_label="Supprimer",
        cancel_url=TERRITORIES.url(contract),
    )

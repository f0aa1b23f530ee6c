"""The organisations of a contract (issue 10 §4): those of its département and those tied to it, searched by name
or SIREN; the pilot and the State delegate create and edit them, with the contract's territories they serve, and
delete those nothing uses."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse

from contrat_ville.accounts.models import Organization
from contrat_ville.contracts import selectors, services
from contrat_ville.contracts.access import ContractRequest, contract_view
from contrat_ville.contracts.forms import OrganizationForm, OrganizationSearchForm
from contrat_ville.contracts.permissions import can_manage_organizations
from contrat_ville.contracts.views.common import Section, contract_crumbs, pages
from contrat_ville.ui.page import render_page

ORGANIZATIONS = Section("Organisations", "organization_list")


@contract_view(private=True, permission=can_manage_organizations)
def organization_list(request: ContractRequest) -> HttpResponse:
    contract = request.contract
    form = OrganizationSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_bound and form.is_valid() else ""
    return render_page(
        request,
        "contracts/organization_list.html",
        f"Organisations — {contract.name}",
        parents=contract_crumbs(contract),
        rows=selectors.organization_rows(contract=contract, query=query),
        query=query,
        search_form=form,
        departement_codes=sorted(selectors.epci_departement_codes(contract=contract)),
    )


def _organization_form_page(
    request: ContractRequest, organization: Organization | None, initial: dict[str, Any], **texts: Any
) -> HttpResponse:
    """The form of a new (``organization=None``) or existing organisation of the contract."""
    contract = request.contract
    return pages.form_page(
        request,
        OrganizationForm(request.POST or None, initial=initial, contract=contract),
        save=lambda data: services.organization_save(
            contract=contract, organization=organization, by=request.access.user, **data
        ),
        parents=ORGANIZATIONS.crumbs(contract),
        cancel_url=ORGANIZATIONS.url(contract),
        form_testid="organization-form",
        **texts,
    )


@contract_view(private=True, permission=can_manage_organizations)
def organization_create(request: ContractRequest) -> HttpResponse:
    contract = request.contract
    codes = selectors.epci_departement_codes(contract=contract)
    return _organization_form_page(
        request,
        None,
        {"departement_code": next(iter(codes))} if len(codes) == 1 else {},
        done=lambda organization: (
            f"Organisation « {organization} » créée : les invitations et les instances du contrat la proposent.",
            ORGANIZATIONS.url(contract),
        ),
        title="Nouvelle organisation",
        intro=(
            "Un service de l'État, une collectivité, un opérateur, un bailleur, une association, un conseil "
            "citoyen… Elle doit relever du département du contrat ou intervenir sur l'un de ses territoires."
        ),
        submit_label="Créer l'organisation",
    )


@contract_view(private=True, permission=can_manage_organizations)
def organization_update(request: ContractRequest, organization_id: int) -> HttpResponse:
    contract = request.contract
    organization = selectors.organization_get(contract=contract, organization_id=organization_id)
    served = selectors.territories_served_by(contract=contract, organization=organization)
    return _organization_form_page(
        request,
        organization,
        OrganizationForm.initial_of(organization, served),
        done=lambda saved: (f"Organisation « {saved} » enregistrée.", ORGANIZATIONS.url(contract)),
        title=f"Modifier « {organization} »",
        intro="Les autres contrats où elle intervient voient les mêmes nom, sigle, nature et SIREN.",
        submit_label="Enregistrer",
    )


@contract_view(private=True, permission=can_manage_organizations)
def organization_delete(request: ContractRequest, organization_id: int) -> HttpResponse:
    contract = request.contract
    organization = selectors.organization_get(contract=contract, organization_id=organization_id)
    uses = selectors.organization_uses(organization)
    explanation = (
        f"« {organization} » est utilisée ({', '.join(f'{count} {name}' for name, count in uses)}) : elle ne peut "
        "pas être supprimée."
        if uses
        else f"« {organization} » sera supprimée de la plateforme : rien ne l'utilise (une erreur de saisie)."
    )
    return pages.confirm_page(
        request,
        act=lambda: services.organization_delete(organization=organization, by=request.access.user),
        message=f"Organisation « {organization} » supprimée.",
        success_url=ORGANIZATIONS.url(contract),
        explanation=explanation,
        title=f"Supprimer « {organization} »",
        parents=ORGANIZATIONS.crumbs(contract),
        submit_label="Supprimer",
        cancel_url=ORGANIZATIONS.url(contract),
    )

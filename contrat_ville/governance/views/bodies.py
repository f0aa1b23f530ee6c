"""Pages of the contract's bodies and their members, under /contrats/<slug>/gouvernance/instances/."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_POST

from contrat_ville.contracts.access import ContractRequest, contract_view
from contrat_ville.contracts.models import Contract
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.governance.enums import BodyKind
from contrat_ville.governance.forms.bodies import BodyForm, BodyMemberForm, SuggestionAddForm
from contrat_ville.governance.models import Body
from contrat_ville.governance.permissions import can_manage_bodies, can_read_all_governance
from contrat_ville.governance.selectors import bodies as selectors
from contrat_ville.governance.selectors.composition import body_conformity, contract_conformity
from contrat_ville.governance.services import bodies as services
from contrat_ville.governance.suggestions import body_member_suggestions
from contrat_ville.ui.page import Crumb, page


def _crumbs(contract: Contract, *, body: Body | None = None, with_list: bool = True) -> list[Crumb]:
    crumbs = [
        Crumb("Contrats de ville", reverse("contracts:contract_list")),
        Crumb(contract.name, reverse("contracts:contract_home", kwargs={"contract_slug": contract.slug})),
    ]
    if with_list:
        crumbs.append(Crumb("Instances", reverse("governance:body_list", kwargs={"contract_slug": contract.slug})))
    if body is not None:
        crumbs.append(Crumb(body.name, _body_url(body)))
    return crumbs


def _body_url(body: Body) -> str:
    return reverse("governance:body_detail", kwargs={"contract_slug": body.contract.slug, "body_id": body.pk})


def _add_error(form: BodyForm | BodyMemberForm, error: BusinessRuleError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


@contract_view(private=True)
def body_list(request: ContractRequest) -> HttpResponse:
    """The bodies the user may read, by kind, with member counts, co-chairs and the conformity panel."""
    access = request.access
    contract = request.contract
    groups = selectors.body_list_for(contract=contract, access=access, user=request.user)
    return render(
        request,
        "governance/body_list.html",
        page(
            "Instances de gouvernance",
            parents=_crumbs(contract, with_list=False),
            contract=contract,
            access=access,
            groups=groups,
            conformity=contract_conformity(contract=contract) if can_read_all_governance(access) else None,
            can_manage_bodies=can_manage_bodies(access),
            can_constitute=can_manage_bodies(access) and not groups,
        ),
    )


@require_POST
@contract_view(private=True, permission=can_manage_bodies)
def bodies_constitute(request: ContractRequest) -> HttpResponse:
    contract = request.contract
    created = services.bodies_constitute_from_suggestions(contract=contract, by=request.access.user)
    if created:
        messages.success(
            request,
            f"{len(created)} instance{'s' if len(created) > 1 else ''} constituée{'s' if len(created) > 1 else ''} "
            "selon la note de cadrage de 2014, avec les membres suggérés que la plateforme connaît.",
        )
    else:
        messages.info(request, "Toutes les instances prévues par la note de cadrage existent déjà.")
    return redirect("governance:body_list", contract_slug=contract.slug)


@contract_view(private=True, permission=can_manage_bodies)
def body_create(request: ContractRequest) -> HttpResponse:
    contract = request.contract
    initial = {key: request.GET[key] for key in ("kind", "pillar") if key in request.GET}
    form = BodyForm(request.POST or None, contract=contract, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            body = services.body_create(
                contract=contract,
                kind=form.cleaned_data["kind"],
                name=form.cleaned_data["name"],
                pillar=form.cleaned_data["pillar"],
                mission=form.cleaned_data["mission"],
                by=request.access.user,
            )
        except BusinessRuleError as error:
            _add_error(form, error)
        else:
            messages.success(request, f"Instance « {body.name} » créée.")
            return redirect(_body_url(body))
    return render(
        request,
        "governance/body_form.html",
        page(
            "Nouvelle instance",
            parents=_crumbs(contract),
            contract=contract,
            form=form,
            submit_label="Créer",
            cancel_url=reverse("governance:body_list", kwargs={"contract_slug": contract.slug}),
        ),
    )


@contract_view(private=True)
def body_detail(request: ContractRequest, body_id: int) -> HttpResponse:
    """A body: role, members with their organisation's former names, conformity and suggested members."""
    access = request.access
    contract = request.contract
    body = selectors.body_visible_get(contract=contract, body_id=body_id, access=access, user=request.user)
    return render(
        request,
        "governance/body_detail.html",
        page(
            body.name,
            parents=_crumbs(contract),
            contract=contract,
            access=access,
            body=body,
            members=list(body.members.all()),
            can_manage_bodies=can_manage_bodies(access),
            issues=body_conformity(body=body) if can_read_all_governance(access) else [],
            suggestions=body_member_suggestions(body=body) if can_manage_bodies(access) else [],
        ),
    )


@contract_view(private=True, permission=can_manage_bodies)
def body_update(request: ContractRequest, body_id: int) -> HttpResponse:
    contract = request.contract
    body = selectors.body_get(contract=contract, body_id=body_id)
    initial = {"name": body.name, "pillar": body.pillar_id, "mission": body.mission}
    form = BodyForm(
        request.POST or None,
        contract=contract,
        with_kind=False,
        with_pillar=body.kind == BodyKind.WORKING_GROUP,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.body_update(
                body=body,
                name=form.cleaned_data["name"],
                pillar=form.cleaned_data.get("pillar"),
                mission=form.cleaned_data["mission"],
                by=request.access.user,
            )
        except BusinessRuleError as error:
            _add_error(form, error)
        else:
            messages.success(request, f"Instance « {body.name} » modifiée.")
            return redirect(_body_url(body))
    return render(
        request,
        "governance/body_form.html",
        page(
            f"Modifier « {body.name} »",
            parents=_crumbs(contract, body=body),
            contract=contract,
            form=form,
            body=body,
            submit_label="Enregistrer",
            cancel_url=_body_url(body),
        ),
    )


@contract_view(private=True, permission=can_manage_bodies)
def body_delete(request: ContractRequest, body_id: int) -> HttpResponse:
    contract = request.contract
    body = selectors.body_get(contract=contract, body_id=body_id)
    error = ""
    if request.method == "POST":
        try:
            services.body_delete(body=body, by=request.access.user)
        except BusinessRuleError as refused:
            error = refused.message
        else:
            messages.success(request, f"Instance « {body.name} » supprimée.")
            return redirect("governance:body_list", contract_slug=contract.slug)
    return render(
        request,
        "governance/body_confirm_delete.html",
        page(
            f"Supprimer « {body.name} »",
            parents=_crumbs(contract, body=body),
            contract=contract,
            body=body,
            error=error,
        ),
    )


@contract_view(private=True, permission=can_manage_bodies)
def body_member_add(request: ContractRequest, body_id: int) -> HttpResponse:
    contract = request.contract
    body = selectors.body_get(contract=contract, body_id=body_id)
    initial = {key: request.GET[key] for key in ("organization", "role") if key in request.GET}
    form = BodyMemberForm(request.POST or None, contract=contract, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.body_member_add(
                body=body,
                organization=form.cleaned_data["organization"],
                role=form.cleaned_data["role"],
                user=form.cleaned_data["user"],
                person_name=form.cleaned_data["person_name"],
                person_email=form.cleaned_data["person_email"],
                by=request.access.user,
            )
        except BusinessRuleError as error:
            _add_error(form, error)
        else:
            messages.success(request, f"{member.organization} siège désormais dans « {body.name} ».")
            return redirect(_body_url(body))
    return render(
        request,
        "governance/body_form.html",
        page(
            f"Ajouter un membre à « {body.name} »",
            parents=_crumbs(contract, body=body),
            contract=contract,
            body=body,
            form=form,
            submit_label="Ajouter",
            cancel_url=_body_url(body),
        ),
    )


@require_POST
@contract_view(private=True, permission=can_manage_bodies)
def body_member_remove(request: ContractRequest, body_id: int, member_id: int) -> HttpResponse:
    contract = request.contract
    body = selectors.body_get(contract=contract, body_id=body_id)
    member = selectors.body_member_get(body=body, member_id=member_id)
    try:
        services.body_member_remove(member=member, by=request.access.user)
    except BusinessRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{member.organization} ne siège plus dans « {body.name} ».")
    return redirect(_body_url(body))


@require_POST
@contract_view(private=True, permission=can_manage_bodies)
def body_member_suggest_add(request: ContractRequest, body_id: int) -> HttpResponse:
    """Seat an organisation the seed suggests for this body, with the suggested role (one click)."""
    contract = request.contract
    body = selectors.body_get(contract=contract, body_id=body_id)
    form = SuggestionAddForm(request.POST)
    organization_id = form.cleaned_data["organization"] if form.is_valid() else None
    suggestion = next(
        (
            suggestion
            for suggestion in body_member_suggestions(body=body)
            if suggestion.organization is not None and suggestion.organization.pk == organization_id
        ),
        None,
    )
    if suggestion is None or suggestion.organization is None:
        messages.error(request, "Cette organisation ne fait pas partie des membres suggérés pour cette instance.")
        return redirect(_body_url(body))
    try:
        services.body_member_add(
            body=body, organization=suggestion.organization, role=suggestion.role, by=request.access.user
        )
    except BusinessRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"{suggestion.organization} siège désormais dans « {body.name} » ({suggestion.role_label})."
        )
    return redirect(_body_url(body))


urlpatterns: list[URLPattern] = [
    path("instances/", body_list, name="body_list"),
    path("instances/constituer/", bodies_constitute, name="bodies_constitute"),
    path("instances/nouvelle/", body_create, name="body_create"),
    path("instances/<int:body_id>/", body_detail, name="body_detail"),
    path("instances/<int:body_id>/modifier/", body_update, name="body_update"),
    path("instances/<int:body_id>/supprimer/", body_delete, name="body_delete"),
    path("instances/<int:body_id>/membres/ajouter/", body_member_add, name="body_member_add"),
    path("instances/<int:body_id>/membres/<int:member_id>/retirer/", body_member_remove, name="body_member_remove"),
    path("instances/<int:body_id>/membres/suggestions/", body_member_suggest_add, name="body_member_suggest_add"),
]

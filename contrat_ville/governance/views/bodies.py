"""Pages of the contract's bodies and their members, under /contrats/<slug>/gouvernance/instances/."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from contrat_ville.contracts.access import ContractRequest, contract_view
from contrat_ville.contracts.models import Contract
from contrat_ville.governance.enums import BodyKind
from contrat_ville.governance.forms.bodies import BodyForm, BodyMemberForm, SuggestionAddForm
from contrat_ville.governance.models import Body
from contrat_ville.governance.permissions import can_manage_bodies, can_read_all_governance
from contrat_ville.governance.selectors import bodies as selectors
from contrat_ville.governance.selectors.composition import body_conformity, contract_conformity
from contrat_ville.governance.services import bodies as services
from contrat_ville.governance.suggestions import body_member_suggestions
from contrat_ville.governance.views.common import confirm_page, crumbs, form_page, post_action, query_initial, url
from contrat_ville.ui.page import Crumb, render_page
from contrat_ville.ui.routes import Routes

routes = Routes()

WORKING_GROUP_INTRO = (
    "Un groupe de travail thématique est en général rattaché à un pilier et intègre les axes transversaux du "
    "contrat ; il peut aussi être consacré à un axe transversal, ou n'être rattaché à aucun des deux."
)


def _crumbs(contract: Contract, *, body: Body | None = None) -> list[Crumb]:
    """Contracts / the contract / Instances [/ the body]."""
    extra = [Crumb("Instances", url("body_list", contract))]
    if body is not None:
        extra.append(Crumb(body.name, _body_url(body)))
    return crumbs(contract, *extra)


def _body(request: ContractRequest, body_id: int) -> Body:
    """The body ``body_id`` of the request's contract (404 otherwise), for those who manage the bodies."""
    return selectors.body_get(contract=request.contract, body_id=body_id)


def _body_url(body: Body) -> str:
    return url("body_detail", body.contract, body_id=body.pk)


@routes("instances/")
@contract_view(private=True)
def body_list(request: ContractRequest) -> HttpResponse:
    """The bodies the user may read, by kind, with member counts, co-chairs and the conformity panel."""
    access = request.access
    contract = request.contract
    groups = selectors.body_list_for(contract=contract, access=access, user=request.user)
    return render_page(
        request,
        "governance/body_list.html",
        "Instances de gouvernance",
        parents=crumbs(contract),
        groups=groups,
        conformity=contract_conformity(contract=contract) if can_read_all_governance(access) else None,
        can_manage_bodies=can_manage_bodies(access),
        can_constitute=can_manage_bodies(access) and not groups,
    )


@routes("instances/constituer/")
@require_POST
@contract_view(private=True, permission=can_manage_bodies)
def bodies_constitute(request: ContractRequest) -> HttpResponse:
    contract = request.contract

    def done(created: list[Body]) -> tuple[str, str]:
        if not created:
            return "Toutes les instances prévues par la note de cadrage existent déjà.", url("body_list", contract)
        plural = "s" if len(created) > 1 else ""
        return (
            f"{len(created)} instance{plural} constituée{plural} selon la note de cadrage de 2014, avec les membres "
            "suggérés que la plateforme connaît.",
            url("body_list", contract),
        )

    return post_action(
        request,
        act=lambda: services.bodies_constitute_from_suggestions(contract=contract, by=request.access.user),
        done=done,
        next_url=url("body_list", contract),
    )


@routes("instances/nouvelle/")
@contract_view(private=True, permission=can_manage_bodies)
def body_create(request: ContractRequest) -> HttpResponse:
    contract = request.contract
    return form_page(
        request,
        BodyForm(request.POST or None, contract=contract, initial=query_initial(request, "kind", "pillar", "axis")),
        save=lambda data: services.body_create(contract=contract, by=request.access.user, **data),
        done=lambda body: (f"Instance « {body.name} » créée.", _body_url(body)),
        title="Nouvelle instance",
        parents=_crumbs(contract),
        submit_label="Créer",
        cancel_url=url("body_list", contract),
        form_testid="body-form",
    )


@routes("instances/<int:body_id>/")
@contract_view(private=True)
def body_detail(request: ContractRequest, body_id: int) -> HttpResponse:
    """A body: role, members with their organisation's former names, conformity and suggested members."""
    access = request.access
    contract = request.contract
    body = selectors.body_visible_get(contract=contract, body_id=body_id, access=access, user=request.user)
    members = list(body.members.all())
    restricted = [member for member in members if not member.enlarged_only]
    return render_page(
        request,
        "governance/body_detail.html",
        body.name,
        parents=_crumbs(contract),
        body=body,
        members=members,
        has_formats=len(restricted) < len(members),
        restricted_count=len(restricted),
        pace=selectors.meeting_pace(body=body),
        can_manage_bodies=can_manage_bodies(access),
        issues=body_conformity(body=body) if can_read_all_governance(access) else [],
        suggestions=body_member_suggestions(body=body) if can_manage_bodies(access) else [],
    )


@routes("instances/<int:body_id>/modifier/")
@contract_view(private=True, permission=can_manage_bodies)
def body_update(request: ContractRequest, body_id: int) -> HttpResponse:
    contract = request.contract
    body = _body(request, body_id)
    is_working_group = body.kind == BodyKind.WORKING_GROUP
    form = BodyForm(
        request.POST or None,
        contract=contract,
        kind=body.kind,
        with_pillar=body.kind in services.THEMATIC_KINDS,
        initial={
            "name": body.name,
            "local_kind_label": body.local_kind_label,
            "pillar": body.pillar_id,
            "axis": body.axis_id,
            "mission": body.mission,
            "min_meetings_per_year": body.min_meetings_per_year,
        },
    )
    return form_page(
        request,
        form,
        save=lambda data: services.body_update(body=body, by=request.access.user, **data),
        done=lambda _: (f"Instance « {body.name} » modifiée.", _body_url(body)),
        title=f"Modifier « {body.name} »",
        parents=_crumbs(contract, body=body),
        intro=WORKING_GROUP_INTRO if is_working_group else "",
        cancel_url=_body_url(body),
        form_testid="body-form",
    )


@routes("instances/<int:body_id>/supprimer/")
@contract_view(private=True, permission=can_manage_bodies)
def body_delete(request: ContractRequest, body_id: int) -> HttpResponse:
    contract = request.contract
    body = _body(request, body_id)
    member_count = body.members.count()
    return confirm_page(
        request,
        act=lambda: services.body_delete(body=body, by=request.access.user),
        message=f"Instance « {body.name} » supprimée.",
        success_url=url("body_list", contract),
        title=f"Supprimer « {body.name} »",
        parents=_crumbs(contract, body=body),
        explanation=f"L'instance « {body.name} » ({body.get_kind_display()}) et ses {member_count} "
        f"membre{'s' if member_count > 1 else ''} seront supprimés. Une instance qui a tenu des séances ne peut "
        "pas être supprimée.",
        submit_label="Supprimer l'instance",
        cancel_url=_body_url(body),
    )


@routes("instances/<int:body_id>/membres/ajouter/")
@contract_view(private=True, permission=can_manage_bodies)
def body_member_add(request: ContractRequest, body_id: int) -> HttpResponse:
    contract = request.contract
    body = _body(request, body_id)
    initial = query_initial(request, "organization", "role")
    return form_page(
        request,
        BodyMemberForm(request.POST or None, contract=contract, initial=initial),
        save=lambda data: services.body_member_add(body=body, by=request.access.user, **data),
        done=lambda member: (f"{member.organization} siège désormais dans « {body.name} ».", _body_url(body)),
        title=f"Ajouter un membre à « {body.name} »",
        parents=_crumbs(contract, body=body),
        intro=WORKING_GROUP_INTRO if body.kind == BodyKind.WORKING_GROUP else "",
        submit_label="Ajouter",
        cancel_url=_body_url(body),
        form_testid="body-form",
    )


@routes("instances/<int:body_id>/membres/<int:member_id>/retirer/")
@require_POST
@contract_view(private=True, permission=can_manage_bodies)
def body_member_remove(request: ContractRequest, body_id: int, member_id: int) -> HttpResponse:
    body = _body(request, body_id)
    member = selectors.body_member_get(body=body, member_id=member_id)
    return post_action(
        request,
        act=lambda: services.body_member_remove(member=member, by=request.access.user),
        message=f"{member.organization} ne siège plus dans « {body.name} ».",
        next_url=_body_url(body),
    )


@routes("instances/<int:body_id>/membres/suggestions/")
@require_POST
@contract_view(private=True, permission=can_manage_bodies)
def body_member_suggest_add(request: ContractRequest, body_id: int) -> HttpResponse:
    """Seat an organisation the seed suggests for this body, with the suggested role (one click)."""
    body = _body(request, body_id)
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
    organization = suggestion.organization
    return post_action(
        request,
        act=lambda: services.body_member_add(
            body=body, organization=organization, role=suggestion.role, by=request.access.user
        ),
        message=f"{organization} siège désormais dans « {body.name} » ({suggestion.role_label}).",
        next_url=_body_url(body),
    )


urlpatterns = routes.urlpatterns

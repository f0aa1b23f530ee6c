"""The members of a contract: their roles, the invitations by e-mail, and accepting an invitation (issue 10 §4)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from contrat_ville.accounts.selectors import account_exists
from contrat_ville.contracts import selectors, services
from contrat_ville.contracts.access import ContractRequest, contract_view
from contrat_ville.contracts.enums import InvitationState
from contrat_ville.contracts.forms import InvitationAcceptForm, InvitationForm, MemberRoleForm
from contrat_ville.contracts.models import Invitation
from contrat_ville.contracts.permissions import can_manage_members
from contrat_ville.contracts.views.common import Section, contract_crumbs, contract_url, contracts_crumb, pages
from contrat_ville.ui.page import render_page

MEMBERS = Section("Membres", "contract_members")


def _accept_url_for(request: HttpRequest) -> Callable[[str], str]:
    return lambda raw: request.build_absolute_uri(reverse("contracts:invitation_accept", args=[raw]))


@contract_view(private=True)
def contract_members(request: ContractRequest) -> HttpResponse:
    """Who works on the contract and with which role; the steering roles also manage roles and invitations."""
    access = request.access
    contract = access.contract
    may_manage = can_manage_members(access)
    return render_page(
        request,
        "contracts/contract_members.html",
        f"Membres — {contract.name}",
        parents=contract_crumbs(contract),
        members=selectors.contract_members(contract=contract),
        invitations=selectors.invitation_list(contract=contract) if may_manage else [],
        can_manage_members=may_manage,
        role_form=MemberRoleForm(),
        pending=InvitationState.PENDING,
    )


@contract_view(private=True, permission=can_manage_members)
def invitation_create(request: ContractRequest) -> HttpResponse:
    contract = request.contract
    initial = {key: request.GET[key] for key in ("role", "email") if key in request.GET}
    return pages.form_page(
        request,
        InvitationForm(request.POST or None, initial=initial, contract=contract),
        save=lambda data: services.invitation_create(
            contract=contract, accept_url_for=_accept_url_for(request), by=request.access.user, **data
        ),
        done=lambda invitation: (
            f"Invitation envoyée à {invitation.email} (valable 14 jours).",
            MEMBERS.url(contract),
        ),
        title="Inviter une personne",
        parents=MEMBERS.crumbs(contract),
        intro=(
            "La personne reçoit un courriel avec un lien à usage unique : elle choisit son mot de passe, ou se "
            "connecte si elle a déjà un compte, et rejoint le contrat avec le rôle indiqué."
        ),
        submit_label="Envoyer l'invitation",
        cancel_url=MEMBERS.url(contract),
        form_testid="invitation-form",
    )


@require_POST
@contract_view(private=True, permission=can_manage_members)
def member_role(request: ContractRequest, user_id: int) -> HttpResponse:
    contract = request.contract
    member = selectors.member_get(contract=contract, user_id=user_id)
    form = MemberRoleForm(request.POST)
    role = form.cleaned_data["role"] if form.is_valid() else ""
    return pages.post_action(
        request,
        act=lambda: services.member_role_change(
            contract=contract, user=member.user, role=role, by=request.access.user
        ),
        done=lambda saved: (
            f"{member.user.display_name} est désormais {saved.get_role_display()}.",
            MEMBERS.url(contract),
        ),
        next_url=MEMBERS.url(contract),
    )


@contract_view(private=True, permission=can_manage_members)
def member_remove(request: ContractRequest, user_id: int) -> HttpResponse:
    contract = request.contract
    member = selectors.member_get(contract=contract, user_id=user_id)
    name = member.user.display_name
    return pages.confirm_page(
        request,
        act=lambda: services.member_remove(contract=contract, user=member.user, by=request.access.user),
        message=f"{name} ne fait plus partie du contrat.",
        success_url=MEMBERS.url(contract),
        explanation=(
            f"{name} perdra son rôle ({member.get_role_display()}) et l'accès aux pages privées du contrat ; "
            "ce qu'elle a écrit reste, l'historique garde la trace de son rôle."
        ),
        title=f"Retirer {name} du contrat",
        parents=MEMBERS.crumbs(contract),
        submit_label="Retirer du contrat",
        cancel_url=MEMBERS.url(contract),
    )


def _invitation_action(
    request: ContractRequest, invitation_id: int, act: Callable[[Invitation], object], message: str
) -> HttpResponse:
    """A POST on one of the contract's invitations: ``act(invitation)``, then ``message`` (« {email} » filled)."""
    contract = request.contract
    invitation = selectors.invitation_get(contract=contract, invitation_id=invitation_id)
    return pages.post_action(
        request,
        act=lambda: act(invitation),
        message=message.format(email=invitation.email),
        next_url=MEMBERS.url(contract),
    )


@require_POST
@contract_view(private=True, permission=can_manage_members)
def invitation_resend(request: ContractRequest, invitation_id: int) -> HttpResponse:
    return _invitation_action(
        request,
        invitation_id,
        lambda invitation: services.invitation_resend(
            invitation=invitation, accept_url_for=_accept_url_for(request), by=request.access.user
        ),
        "Invitation renvoyée à {email} avec un nouveau lien.",
    )


@require_POST
@contract_view(private=True, permission=can_manage_members)
def invitation_revoke(request: ContractRequest, invitation_id: int) -> HttpResponse:
    return _invitation_action(
        request,
        invitation_id,
        lambda invitation: services.invitation_revoke(invitation=invitation, by=request.access.user),
        "Invitation de {email} révoquée : son lien ne fonctionne plus.",
    )


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link of the e-mail: a new account (name and password), or the signed-in account of the invited
    address, takes the role; anyone else is told what to do. An unknown link is a 404."""
    invitation = selectors.invitation_for_token(token)
    if invitation is None:
        raise Http404("Ce lien d'invitation n'existe pas.")
    contract = invitation.contract
    context: dict[str, Any] = {"invitation": invitation, "state": invitation.state()}
    title = f"Rejoindre le contrat « {contract.name} »"
    parents = [contracts_crumb()]
    if context["state"] != InvitationState.PENDING:
        return render_page(request, "contracts/invitation_closed.html", title, parents=parents, **context)
    user = request.user if request.user.is_authenticated else None
    if user is not None or account_exists(email=invitation.email):
        if user is None or user.email.lower() != invitation.email or request.method != "POST":
            return render_page(
                request,
                "contracts/invitation_signed_in.html",
                title,
                parents=parents,
                login_url=f"{reverse('accounts:login')}?next={request.path}",
                **context,
            )
        return pages.post_action(
            request,
            act=lambda: services.invitation_accept(invitation=invitation, user=user),
            message=f"Bienvenue : vous êtes {invitation.get_role_display()} sur ce contrat.",
            next_url=contract_url("contract_home", contract),
        )

    def save(data: dict[str, Any]) -> Any:
        role = services.invitation_accept(invitation=invitation, **data)
        login(request, role.user, backend="django.contrib.auth.backends.ModelBackend")
        return role

    initial = {"first_name": invitation.first_name, "last_name": invitation.last_name}
    return pages.form_page(
        request,
        InvitationAcceptForm(request.POST or None, initial=initial),
        save=save,
        done=lambda role: (
            f"Bienvenue : votre compte est créé, vous êtes {role.get_role_display()} sur ce contrat.",
            contract_url("contract_home", contract),
        ),
        title=title,
        parents=parents,
        intro=(
            f"Vous êtes invité(e) sur la plateforme avec le rôle : {invitation.get_role_display()}. Choisissez "
            f"votre mot de passe pour créer votre compte ({invitation.email})."
        ),
        submit_label="Créer mon compte et rejoindre le contrat",
        form_testid="invitation-accept-form",
        layout="ui/base.html",
    )

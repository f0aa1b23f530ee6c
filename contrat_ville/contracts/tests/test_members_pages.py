"""Members and invitations from the web (issue 10 §4): invite by e-mail, accept through a one-time link (a new
account or an existing one), expiry, resend, revoke, and the roles managed on the members page."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from contrat_ville.accounts.models import User
from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.models import Contract, ContractRole, Invitation
from contrat_ville.contracts.tests.factories import grant, make_contract

pytestmark = pytest.mark.django_db

PASSWORD = "un-mot-de-passe-solide-42"


def _url(name: str, contract: Contract, **kwargs: object) -> str:
    return reverse(f"contracts:{name}", kwargs={"contract_slug": contract.slug, **kwargs})


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _link_of(message) -> str:
    """The path of the one-time link an invitation e-mail carries."""
    match = re.search(r"http://testserver(/contrats/invitation/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture
def contract():
    return make_contract(name="Contrat de ville de Rennes Métropole")


@pytest.fixture
def pilot(client, contract):
    user = UserFactory.create(first_name="Nora", last_name="Benali")
    grant(contract, user, Role.PILOT)
    client.force_login(user)
    return user


def _invite(client, contract, email="camille@caf.fr", role=Role.PARTNER, **extra):
    return client.post(
        _url("invitation_create", contract), {"email": email, "role": role, "first_name": "Camille", **extra}
    )


def test_an_invited_partner_creates_an_account_through_the_link_and_joins_the_contract(client, contract, pilot):
    caf = OrganizationFactory.create(name="CAF d'Ille-et-Vilaine")
    caf.served_territories.add(contract.epci)  # an organisation of the contract: the form offers no other
    response = _invite(client, contract, email="Camille@CAF.fr", organization=caf.pk)
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["camille@caf.fr"]
    assert "Nora Benali vous invite à rejoindre le contrat « Contrat de ville de Rennes Métropole »" in message.body
    invitation = Invitation.objects.get()
    link = _link_of(message)
    assert link.split("/")[-2] not in invitation.token_hash  # only the token's hash is stored
    assert "camille@caf.fr" in _text(client.get(_url("contract_members", contract)))

    client.logout()
    form = _text(client.get(link))
    assert "Choisissez votre mot de passe" in form
    refused = client.post(
        link,
        {"first_name": "Camille", "last_name": "Durand", "password": "court", "password_confirmation": "court"},
    )
    assert "Ce mot de passe est trop court" in _text(refused)
    assert not User.objects.filter(email="camille@caf.fr").exists()

    joined = client.post(
        link,
        {"first_name": "Camille", "last_name": "Durand", "password": PASSWORD, "password_confirmation": PASSWORD},
    )
    assert joined.status_code == 302
    assert joined["Location"] == _url("contract_home", contract)
    user = User.objects.get(email="camille@caf.fr")
    assert get_user(client) == user
    assert (user.last_name, user.organization) == ("Durand", caf)
    assert ContractRole.objects.get(contract=contract, user=user).role == Role.PARTNER
    assert "Cette invitation est acceptée" in _text(client.get(link))  # used once


def test_an_existing_account_signs_in_then_joins(client, contract, pilot):
    existing = UserFactory.create(email="delegue@prefecture.fr")
    other = make_contract(name="Autre contrat")
    grant(other, existing, Role.STATE)
    _invite(client, contract, email="delegue@prefecture.fr", role=Role.STATE)
    link = _link_of(mail.outbox[0])
    client.logout()
    assert "Se connecter pour accepter l'invitation" in _text(client.get(link))
    client.force_login(existing)
    assert client.post(link).status_code == 302
    roles = dict(ContractRole.objects.filter(user=existing).values_list("contract__slug", "role"))
    assert roles == {contract.slug: Role.STATE, other.slug: Role.STATE}  # a user may hold roles on several contracts


def test_someone_else_signed_in_cannot_take_the_invitation(client, contract, pilot):
    _invite(client, contract)
    link = _link_of(mail.outbox[0])
    response = client.post(link)  # the pilot is signed in, the invitation is for camille@caf.fr
    assert "Cette invitation est adressée à camille@caf.fr" in _text(response)
    assert not ContractRole.objects.filter(contract=contract, role=Role.PARTNER).exists()


def test_an_expired_link_is_refused_and_a_resent_one_replaces_it(client, contract, pilot):
    _invite(client, contract)
    old_link = _link_of(mail.outbox[0])
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert "Cette invitation est expirée" in _text(client.get(old_link))
    invitation = Invitation.objects.get()
    client.post(_url("invitation_resend", contract, invitation_id=invitation.pk))
    new_link = _link_of(mail.outbox[1])
    assert client.get(old_link).status_code == 404  # the former token is gone
    client.logout()
    assert "Choisissez votre mot de passe" in _text(client.get(new_link))
    invitation.refresh_from_db()
    assert invitation.sent_count == 2


def test_a_revoked_invitation_no_longer_works(client, contract, pilot):
    _invite(client, contract)
    link = _link_of(mail.outbox[0])
    invitation = Invitation.objects.get()
    client.post(_url("invitation_revoke", contract, invitation_id=invitation.pk))
    client.logout()
    assert "Cette invitation est révoquée" in _text(client.get(link))
    response = client.post(
        link, {"first_name": "A", "last_name": "B", "password": PASSWORD, "password_confirmation": PASSWORD}
    )
    assert not User.objects.filter(email="camille@caf.fr").exists()
    assert response.status_code == 200


def test_an_unknown_link_is_a_404(client):
    assert client.get(reverse("contracts:invitation_accept", args=["inconnu"])).status_code == 404


def test_inviting_a_member_twice_or_a_current_member_is_refused_in_french(client, contract, pilot):
    _invite(client, contract)
    again = _invite(client, contract)
    assert "Une invitation est déjà en attente pour camille@caf.fr" in _text(again)
    member = _invite(client, contract, email=pilot.email)
    assert f"{pilot.email} est déjà membre du contrat" in _text(member)
    assert len(mail.outbox) == 1


def test_the_pilot_changes_a_role_and_removes_a_member_but_the_contract_keeps_a_steering_member(
    client, contract, pilot
):
    partner = UserFactory.create(first_name="Camille", last_name="Durand")
    grant(contract, partner, Role.PARTNER)
    client.post(_url("member_role", contract, user_id=partner.pk), {"role": Role.OBSERVER})
    assert ContractRole.objects.get(contract=contract, user=partner).role == Role.OBSERVER

    refused = client.post(_url("member_role", contract, user_id=pilot.pk), {"role": Role.OBSERVER}, follow=True)
    assert "Le contrat garde au moins un pilote ou un délégué de l'État." in _text(refused)
    assert ContractRole.objects.get(contract=contract, user=pilot).role == Role.PILOT

    confirm = client.get(_url("member_remove", contract, user_id=partner.pk))
    assert "Camille Durand perdra son rôle" in _text(confirm)
    client.post(_url("member_remove", contract, user_id=partner.pk))
    assert not ContractRole.objects.filter(contract=contract, user=partner).exists()


def test_a_partner_reads_the_members_but_cannot_invite(client, contract):
    partner = UserFactory.create()
    grant(contract, partner, Role.PARTNER)
    client.force_login(partner)
    page = _text(client.get(_url("contract_members", contract)))
    assert "Inviter une personne" not in page
    assert client.get(_url("invitation_create", contract)).status_code == 403
    assert client.post(_url("member_role", contract, user_id=partner.pk), {"role": Role.PILOT}).status_code == 403
    assert ContractRole.objects.get(contract=contract, user=partner).role == Role.PARTNER


@pytest.mark.query_count("contracts:contract_members")
def test_the_members_page_reads_a_constant_number_of_queries(client, contract, pilot, query_count):
    few = query_count.page(client, _url("contract_members", contract))
    for number in range(5):
        grant(contract, UserFactory.create(organization=OrganizationFactory.create()), Role.PARTNER)
        _invite(client, contract, email=f"personne{number}@exemple.fr")
    assert query_count.page(client, _url("contract_members", contract)) == few


def test_a_council_member_or_an_applicant_is_invited_for_their_organisation(client, contract, pilot):
    """A council member acts for their conseil citoyen, an applicant for its association: invited without it (or, for
    a council member, with an organisation that is no conseil citoyen) they would join the contract and find nothing
    to do. The form refuses it in French on the field, and keeps what was typed."""
    association = OrganizationFactory.create(name="Maurepas Solidaire", kind="association")
    council = OrganizationFactory.create(name="Conseil citoyen de Maurepas", kind="citizen_council")
    for organization in (association, council):
        organization.served_territories.add(contract.epci)
    for role, organization, refusal in (
        (Role.COUNCIL, None, "Un membre de conseil citoyen agit pour son conseil"),
        (Role.COUNCIL, association, "Un membre de conseil citoyen agit pour son conseil"),
        (Role.APPLICANT, None, "Un porteur de projet dépose ses dossiers au nom de son organisation"),
    ):
        extra = {"organization": organization.pk} if organization else {}
        page = _text(_invite(client, contract, email="awa@maurepas.fr", role=role, **extra))
        assert refusal in page
        assert 'value="awa@maurepas.fr"' in page
    assert not Invitation.objects.exists() and not mail.outbox
    assert (
        _invite(client, contract, email="awa@maurepas.fr", role=Role.COUNCIL, organization=council.pk).status_code
        == 302
    )
    assert (
        _invite(
            client, contract, email="paul@maurepas.fr", role=Role.APPLICANT, organization=association.pk
        ).status_code
        == 302
    )
    assert Invitation.objects.count() == 2

"""A contract that requires two-factor authentication (``Contract.requires_two_factor``): the pilot sets it on the
settings page, and ``contracts.access`` sends its members to the second factor on every private page and API call,
while its public pages stay public."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from contrat_ville.accounts.tests.factories import UserFactory, enrolled, fresh_code
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.services import contract_update
from contrat_ville.contracts.tests.factories import grant, make_contract, settings_form_data
from contrat_ville.core.exceptions import BusinessRuleError

pytestmark = pytest.mark.django_db


def _url(name: str, contract: Contract) -> str:
    return reverse(f"contracts:{name}", kwargs={"contract_slug": contract.slug})


def _update_kwargs(contract: Contract) -> dict[str, object]:
    fields = ("name", "summary", "start_on", "end_on", "pillar_term", "pillar_term_plural", "orientation_term")
    return {
        **{name: getattr(contract, name) for name in fields},
        "objective_term": contract.objective_term,
        "action_term": contract.action_term,
    }


def _verified_client(user) -> Client:
    """A browser signed in by ``user`` who gave their code."""
    client = Client()
    client.force_login(user)
    response = client.post(reverse("accounts:two_factor_verify"), {"code": fresh_code(user.totpdevice_set.get())})
    assert response.status_code == 302
    return client


@pytest.fixture
def contract():
    contract = make_contract(name="Contrat de ville du Pré-Haut", published=True)
    Contract.objects.filter(pk=contract.pk).update(requires_two_factor=True)
    contract.refresh_from_db()
    return contract


# --- Setting it ----------------------------------------------------------------------------------------------------


def test_the_pilot_requires_it_from_the_settings_page_once_their_own_account_has_it():
    contract = make_contract()
    pilot = UserFactory()
    grant(contract, pilot, Role.PILOT)
    client = Client()
    client.force_login(pilot)
    response = client.post(_url("contract_settings", contract), settings_form_data(contract, requires_two_factor="on"))
    assert response.status_code == 200
    assert "Activez d&#x27;abord la double authentification sur votre propre compte" in response.content.decode()
    contract.refresh_from_db()
    assert not contract.requires_two_factor

    enrolled(pilot)
    client = _verified_client(pilot)
    assert "Exiger la double authentification des membres" in client.get(_url("contract_settings", contract)).text
    response = client.post(_url("contract_settings", contract), settings_form_data(contract, requires_two_factor="on"))
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.requires_two_factor
    # Still reaches the contract: their session passed the second factor.
    assert client.get(_url("contract_members", contract)).status_code == 200


def test_the_api_update_leaves_the_requirement_as_it_is(contract):
    pilot = UserFactory()
    grant(contract, pilot, Role.PILOT)
    contract_update(contract=contract, by=pilot, **_update_kwargs(contract))
    contract.refresh_from_db()
    assert contract.requires_two_factor
    with pytest.raises(BusinessRuleError, match="propre compte"):
        other = make_contract(name="Autre contrat")
        contract_update(contract=other, by=pilot, requires_two_factor=True, **_update_kwargs(other))


# --- Pages -------------------------------------------------------------------------------------------------------


def test_a_member_without_a_device_is_sent_to_enrolment_then_reaches_the_page(contract):
    member = UserFactory()
    grant(contract, member, Role.PARTNER)
    client = Client()
    client.force_login(member)
    members_page = _url("contract_members", contract)
    response = client.get(members_page)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:two_factor')}?next={members_page.replace('/', '%2F')}"
    enrolment = client.get(response["Location"])
    assert "exige la double authentification : activez-la sur votre compte" in enrolment.text
    device = member.totpdevice_set.get()  # the page started the enrolment
    response = client.post(reverse("accounts:two_factor"), {"code": fresh_code(device), "next": members_page})
    assert response["Location"] == members_page
    assert client.get(members_page).status_code == 200


def test_a_member_with_a_device_but_an_unverified_session_is_asked_the_code(contract):
    member = UserFactory()
    grant(contract, member, Role.PARTNER)
    client = Client()
    client.force_login(member)
    enrolled(member)  # a session opened before the device: not pending, not verified
    assert client.get(reverse("awaiting")).status_code == 200
    response = client.get(_url("contract_members", contract))
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))


def test_a_member_of_another_contract_is_not_asked(contract):
    other = make_contract(name="Contrat de ville des Tilleuls")
    member = UserFactory()
    grant(other, member, Role.PILOT)
    client = Client()
    client.force_login(member)
    assert client.get(_url("contract_members", other)).status_code == 200
    # and the requiring contract is only public to them
    assert client.get(_url("contract_members", contract)).status_code == 404
    assert client.get(_url("contract_home", contract)).status_code == 200


def test_administrators_are_asked_too(contract):
    client = Client()
    client.force_login(UserFactory(is_staff=True))
    assert client.get(_url("contract_members", contract))["Location"].startswith(reverse("accounts:two_factor"))


def test_public_pages_stay_public(contract):
    assert Client().get(_url("contract_home", contract)).status_code == 200
    member = UserFactory()
    grant(contract, member, Role.PARTNER)
    client = Client()
    client.force_login(member)
    # An unverified member sees the public page as anyone does.
    assert client.get(_url("contract_home", contract)).status_code == 200


def test_an_unpublished_contract_s_public_page_asks_the_member_too(contract):
    Contract.objects.filter(pk=contract.pk).update(is_published=False)
    member = UserFactory()
    grant(contract, member, Role.PARTNER)
    client = Client()
    client.force_login(member)
    assert client.get(_url("contract_home", contract))["Location"].startswith(reverse("accounts:two_factor"))


# --- API ---------------------------------------------------------------------------------------------------------


def _api(contract: Contract) -> str:
    return reverse("api-1:contract_member_list", kwargs={"contract_id": contract.pk})


def test_the_api_refuses_an_unverified_session_and_a_token_whose_user_has_no_device(contract):
    from contrat_ville.accounts.tests.factories import bearer

    member = UserFactory()
    grant(contract, member, Role.PARTNER)
    client = Client()
    client.force_login(member)
    response = client.get(_api(contract))
    assert response.status_code == 401
    assert "exige la double authentification" in response.json()["detail"]
    assert Client().get(_api(contract), headers=bearer(member)).status_code == 401
    # The public read of a published contract stays open.
    detail = reverse("api-1:contract_detail", kwargs={"contract_id": contract.pk})
    assert Client().get(detail, headers=bearer(member)).status_code == 200


def test_the_api_accepts_a_verified_session_and_a_token_whose_user_has_a_device(contract):
    from contrat_ville.accounts.tests.factories import bearer

    member = UserFactory()
    grant(contract, member, Role.PARTNER)
    enrolled(member)
    assert Client().get(_api(contract), headers=bearer(member)).status_code == 200
    assert _verified_client(member).get(_api(contract)).status_code == 200

"""A contract that requires two-factor authentication, reached through ProConnect: the platform reads how the
person authenticated (the id_token's ``amr``, against the fake provider of ``accounts/tests/fake_oidc.py``) and
asks no code of a member whose sign-in used two factors there."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from contrat_ville.accounts.tests.factories import UserFactory
from contrat_ville.accounts.tests.fake_oidc import Identity, running, sign_in
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.tests.factories import grant, make_contract

pytestmark = pytest.mark.django_db


def test_a_member_who_used_two_factors_at_proconnect_reaches_the_pages_and_the_api(settings):
    """ProConnect's id_token says how the person authenticated (``amr``): with ``mfa`` the platform asks no code,
    even of a member who never enrolled a device here; with one factor, they are sent to enrolment."""
    contract = make_contract(name="Contrat de ville du Pré-Haut", published=True)
    Contract.objects.filter(pk=contract.pk).update(requires_two_factor=True)
    member = UserFactory(email="agent@interieur.gouv.fr")
    grant(contract, member, Role.PARTNER)
    members_page = reverse("contracts:contract_members", kwargs={"contract_slug": contract.slug})
    api = reverse("api-1:contract_member_list", kwargs={"contract_id": contract.pk})
    with running(settings) as provider:
        provider.identity = Identity(email=member.email, sub="agent-1", amr=["pwd"])
        one_factor = Client()
        sign_in(one_factor, provider)
        provider.identity = Identity(email=member.email, sub="agent-1", amr=["pwd", "mfa"])
        two_factors = Client()
        sign_in(two_factors, provider)

    assert one_factor.get(members_page)["Location"].startswith(reverse("accounts:two_factor"))
    assert one_factor.get(api).status_code == 401
    assert two_factors.get(members_page).status_code == 200
    assert two_factors.get(api).status_code == 200

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from contrat_ville.accounts.tests.factories import UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.selectors import contract_access, contracts_visible_to
from contrat_ville.contracts.tests.factories import grant, make_contract

pytestmark = pytest.mark.django_db


def test_anonymous_sees_only_published_contracts():
    private = make_contract(name="Privé")
    public = make_contract(name="Public", published=True)
    visible = set(contracts_visible_to(AnonymousUser()))
    assert public in visible
    assert private not in visible


def test_member_sees_own_private_contract_but_not_another():
    mine = make_contract(name="Le mien")
    other = make_contract(name="L'autre")
    user = UserFactory()
    grant(mine, user, Role.PILOT)
    visible = set(contracts_visible_to(user))
    assert mine in visible
    assert other not in visible


def test_contract_access_raises_404_for_non_member_of_private_contract():
    contract = make_contract()
    with pytest.raises(Http404):
        contract_access(user=UserFactory(), slug=contract.slug, private=False)
    with pytest.raises(Http404):
        contract_access(user=AnonymousUser(), slug="inexistant", private=False)


def test_public_page_of_published_contract_open_to_anyone_private_page_is_not():
    contract = make_contract(published=True)
    assert contract_access(user=AnonymousUser(), slug=contract.slug, private=False).role is None
    with pytest.raises(Http404):
        contract_access(user=AnonymousUser(), slug=contract.slug, private=True)


def test_contract_create_seeds_three_pillars_and_three_axes():
    contract = make_contract()
    assert [p.code for p in contract.pillars.all()] == ["cohesion_sociale", "cadre_de_vie", "developpement_economique"]
    assert [a.code for a in contract.axes.all()] == ["egalite_femmes_hommes", "jeunesse", "lutte_discriminations"]

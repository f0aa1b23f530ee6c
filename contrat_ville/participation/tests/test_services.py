from datetime import date, timedelta

import pytest

from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.participation.models import Opinion
from contrat_ville.participation.services import opinion_give

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract():
    return make_contract(name="Contrat de ville des avis")


@pytest.fixture
def council():
    return OrganizationFactory.create(name="Conseil citoyen des Tilleuls", kind="citizen_council")


@pytest.fixture
def resident(contract, council):
    user = UserFactory.create(organization=council)
    grant(contract, user, Role.COUNCIL)
    return user


def give(contract, council, author, **kwargs):
    # Any saved model may be judged: the contract itself stands for a target here.
    return opinion_give(
        target=kwargs.pop("target", contract),
        council=council,
        author=author,
        verdict=kwargs.pop("verdict", "agree"),
        contract=contract,
        **kwargs,
    )


def test_opinion_give_creates_one_opinion_per_author_and_target(contract, council, resident):
    give(contract, council, resident, verdict="agree", text="  Très bien.  ")
    opinion = give(contract, council, resident, verdict="disagree", text="Finalement non.")
    assert Opinion.objects.count() == 1
    assert opinion.verdict == "disagree"
    assert opinion.text == "Finalement non."
    assert opinion.target == contract
    assert opinion.history.count() == 2


def test_two_members_of_the_same_council_each_give_theirs(contract, council, resident):
    other = UserFactory.create(organization=council)
    grant(contract, other, Role.COUNCIL)
    give(contract, council, resident)
    give(contract, council, other)
    assert Opinion.objects.count() == 2


def test_the_author_must_belong_to_the_council(contract, council):
    stranger_org = OrganizationFactory.create(kind="citizen_council")
    stranger = UserFactory.create(organization=stranger_org)
    grant(contract, stranger, Role.COUNCIL)
    with pytest.raises(BusinessRuleError, match="qu'au nom de votre conseil citoyen"):
        give(contract, council, stranger)


def test_the_author_must_hold_the_council_role_on_the_contract(contract, council):
    partner = UserFactory.create(organization=council)
    grant(contract, partner, Role.PARTNER)
    with pytest.raises(BusinessRuleError, match="Seuls les membres d'un conseil citoyen du contrat"):
        give(contract, council, partner)


def test_only_a_citizen_council_gives_opinions(contract, resident):
    association = OrganizationFactory.create(kind="association")
    with pytest.raises(BusinessRuleError, match="n'est pas un conseil citoyen"):
        give(contract, association, resident)


def test_deadline_passed_refuses_with_a_french_message(contract, council, resident):
    deadline = date(2026, 3, 1)
    give(contract, council, resident, open_until=deadline, today=deadline)  # the deadline day is included
    with pytest.raises(BusinessRuleError, match="La date limite des avis \\(01/03/2026\\) est passée"):
        give(contract, council, resident, open_until=deadline, today=deadline + timedelta(days=1))


@pytest.mark.parametrize("verdict", ["agree_with_reservations", "disagree"])
def test_reservations_and_disagreements_say_why(contract, council, resident, verdict):
    with pytest.raises(BusinessRuleError, match="Précisez vos réserves ou votre désaccord"):
        give(contract, council, resident, verdict=verdict, text=" ")


def test_unknown_verdict(contract, council, resident):
    with pytest.raises(BusinessRuleError, match="Avis inconnu"):
        give(contract, council, resident, verdict="peut-être")

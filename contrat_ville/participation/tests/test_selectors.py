import pytest

from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.models import Pillar
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.participation.selectors import (
    opinion_list,
    opinion_of,
    opinion_summary,
    opinion_targets,
    opinions_for,
)
from contrat_ville.participation.services import opinion_give

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    contract = make_contract(name="Contrat de ville des avis")
    council = OrganizationFactory.create(name="Conseil citoyen", kind="citizen_council")
    residents = []
    for _ in range(3):
        user = UserFactory.create(organization=council)
        grant(contract, user, Role.COUNCIL)
        residents.append(user)
    pillars = list(Pillar.objects.filter(contract=contract).order_by("order"))
    return contract, council, residents, pillars


def test_opinions_for_groups_by_target_in_one_query(world, query_count):
    contract, council, residents, pillars = world
    verdicts = ["agree", "disagree", "agree_with_reservations"]
    for resident, verdict in zip(residents, verdicts, strict=True):
        opinion_give(target=pillars[0], council=council, author=resident, verdict=verdict, text="…", contract=contract)
    opinion_give(target=contract, council=council, author=residents[0], verdict="agree", contract=contract)
    with query_count() as queries:
        grouped = opinions_for([pillars[0], pillars[1], contract])
        assert [opinion.author for opinion in grouped[pillars[0]]] == residents
        assert grouped[pillars[1]] == []
        assert grouped[contract][0].council.name == "Conseil citoyen"
        assert grouped[contract][0].target is contract
    assert len(queries) == 1
    summary = opinion_summary(grouped[pillars[0]])
    assert (summary.agree, summary.agree_with_reservations, summary.disagree, summary.total) == (1, 1, 1, 3)
    assert summary.text == "1 d'accord · 1 d'accord avec réserves · 1 pas d'accord"
    assert opinion_summary([]).text == "aucun avis"


def test_opinions_for_without_targets_runs_no_query(query_count):
    with query_count() as queries:
        assert opinions_for([]) == {}
    assert len(queries) == 0


def test_opinion_list_targets_and_opinion_of(world):
    contract, council, residents, pillars = world
    mine = opinion_give(target=pillars[2], council=council, author=residents[1], verdict="agree", contract=contract)
    make_contract(name="Autre contrat")
    opinions = list(opinion_list(contract=contract))
    assert opinions == [mine]
    assert list(opinion_list(contract=contract, verdict="disagree")) == []
    assert opinion_targets(opinions) == {(mine.content_type_id, pillars[2].pk): pillars[2]}
    assert opinion_of(target=pillars[2], author=residents[1]) == mine
    assert opinion_of(target=pillars[2], author=residents[0]) is None

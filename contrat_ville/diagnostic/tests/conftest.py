"""The contract every diagnostic test works in, its pilot and a conseil citoyen with one resident member."""

import pytest

from contrat_ville.contracts.enums import Role
from contrat_ville.diagnostic.tests.factories import contract_with_qpv, council_member, make_council, member


@pytest.fixture
def contract():
    return contract_with_qpv()


@pytest.fixture
def pilot(contract):
    return member(contract, Role.PILOT, first_name="Élise", last_name="Marchand")


@pytest.fixture
def council(contract):
    return make_council(contract)


@pytest.fixture
def resident(contract, council):
    return council_member(contract, council, first_name="Nadia", last_name="Benali")

"""The balance of the droit commun: per partner and pillar, unit by unit; late years; objectives left without."""

from datetime import date
from decimal import Decimal

import pytest

from contrat_ville.contracts.tests.factories import make_contract
from contrat_ville.funding import presenters, selectors
from contrat_ville.funding.enums import CommitmentNature, CommitmentStatus, CommitmentUnit
from contrat_ville.funding.tests.factories import make_commitment, partner_member
from contrat_ville.strategy.tests.factories import make_action, make_objective, make_orientation, pillar

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)


@pytest.fixture
def contract():
    return make_contract(name="Contrat de ville du Val")


def test_figures_in_different_units_are_never_added(contract):
    _, caf = partner_member(contract, "Caisse d'allocations familiales")
    objective = make_objective(make_orientation(contract))
    make_commitment(
        contract,
        caf,
        title="Crédits d'action sociale",
        nature=CommitmentNature.FINANCIAL,
        unit=CommitmentUnit.EURO,
        objective=objective,
        years={2024: (100_000, 90_000), 2025: (100_000, None), 2026: (100_000, None)},
    )
    make_commitment(
        contract,
        caf,
        title="Travailleurs sociaux",
        unit=CommitmentUnit.HEADCOUNT,
        objective=objective,
        years={2024: (4, 4), 2025: (4, 5)},
    )
    balance = selectors.contract_balance(contract=contract, today=TODAY)
    units = {totals.unit: totals for totals in balance.by_unit}
    euros, people = units["euros"], units["personnes"]
    assert euros.planned == Decimal(300_000)
    # 2024 and 2025 are over; 2026 counts once its realised figure is in.
    assert euros.due_planned == Decimal(200_000) and euros.realised == Decimal(90_000)
    assert euros.rate == Decimal("0.45")
    assert people.rate == Decimal(9) / Decimal(8)
    assert euros.awaiting == 1 and people.awaiting == 0
    assert [(item.commitment.title, item.years) for item in balance.awaiting] == [("Crédits d'action sociale", [2025])]
    [row] = balance.rows
    assert row.partner == caf and row.pillar_label == objective.orientation.pillar.label
    assert presenters.figure_text(euros.planned, euros.unit) == "300\u00a0000\u00a0€"
    assert presenters.rate_text(euros.rate) == "45\u00a0%"


def test_rows_are_per_partner_and_pillar_and_withdrawn_commitments_are_left_out(contract):
    _, caf = partner_member(contract, "Caisse d'allocations familiales")
    _, ft = partner_member(contract, "France Travail")
    cadre = make_objective(make_orientation(contract, pillar_code="cadre_de_vie"))
    make_commitment(contract, caf, objective=cadre, years={2024: (2, 2)})
    make_commitment(contract, caf, pillar=pillar(contract, "cohesion_sociale"), years={2024: (1, 1)})
    make_commitment(contract, ft, years={2024: (3, 0)})
    make_commitment(contract, ft, title="Retiré", status=CommitmentStatus.WITHDRAWN, years={2024: (50, None)})
    balance = selectors.contract_balance(contract=contract, today=TODAY)
    assert [(row.partner.name, row.pillar_label) for row in balance.rows] == [
        # in the contract's order of pillars
        ("Caisse d'allocations familiales", pillar(contract, "cohesion_sociale").label),
        ("Caisse d'allocations familiales", pillar(contract, "cadre_de_vie").label),
        ("France Travail", selectors.NO_PILLAR_LABEL),
    ]
    assert balance.commitment_count == 3 and balance.partner_count == 2
    assert balance.awaiting == []  # the withdrawn commitment owes nothing


def test_objectives_served_by_no_commitment_are_listed(contract):
    _, caf = partner_member(contract)
    orientation = make_orientation(contract)
    served = make_objective(orientation, title="Servi directement")
    through_action = make_objective(orientation, title="Servi par une action")
    alone = make_objective(orientation, title="Sans engagement")
    make_commitment(contract, caf, objective=served)
    make_commitment(contract, caf, action=make_action(through_action))
    balance = selectors.contract_balance(contract=contract, today=TODAY)
    assert balance.objectives_without_commitment == [alone]


def test_the_balance_reads_a_constant_number_of_queries(contract, django_assert_max_num_queries, query_count):
    def populate(count):
        for index in range(count):
            _, organization = partner_member(contract, f"Partenaire {contract.pk}-{index}")
            objective = make_objective(make_orientation(contract, title=f"Orientation {index}"))
            make_commitment(contract, organization, objective=objective, years={2024: (1, 1), 2025: (2, None)})

    populate(1)
    with query_count() as small:
        selectors.contract_balance(contract=contract, today=TODAY)
    populate(4)
    with query_count() as large:
        selectors.contract_balance(contract=contract, today=TODAY)
    assert len(small) == len(large)

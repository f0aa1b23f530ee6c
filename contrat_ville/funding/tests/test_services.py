"""The rules of the commitments' services: targets in the contract, partners of the contract, years in its period."""

from datetime import date
from decimal import Decimal

import pytest

from contrat_ville.accounts.tests.factories import OrganizationFactory
from contrat_ville.contracts.tests.factories import make_contract
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.funding import services
from contrat_ville.funding.enums import CommitmentNature, CommitmentStatus, CommitmentUnit
from contrat_ville.funding.models import CommitmentYear, MainstreamCommitment
from contrat_ville.funding.tests.factories import make_commitment, partner_member
from contrat_ville.strategy.tests.factories import make_action, make_objective, make_orientation, pillar

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract():
    return make_contract(name="Contrat de ville du Val", start_on=date(2024, 1, 1), end_on=date(2030, 12, 31))


@pytest.fixture
def partner(contract):
    return partner_member(contract)[1]


def fields(**kwargs):
    return services.CommitmentFields(
        **{"title": "Postes d'adultes-relais", "nature": CommitmentNature.STAFF, **kwargs}
    )


def test_a_commitment_of_the_whole_contract_keeps_the_pillar_it_names(contract, partner):
    cohesion = pillar(contract, "cohesion_sociale")
    commitment = services.commitment_create(contract=contract, partner=partner, fields=fields(pillar=cohesion))
    assert commitment.pillar == cohesion
    assert commitment.objective is None and commitment.action is None


def test_a_commitment_on_an_objective_takes_its_pillar_from_the_tree(contract, partner):
    objective = make_objective(make_orientation(contract))
    commitment = services.commitment_create(
        contract=contract,
        partner=partner,
        fields=fields(objective=objective, pillar=pillar(contract, "cohesion_sociale")),
    )
    assert commitment.objective == objective
    assert commitment.pillar is None  # its pillar is its objective's


def test_an_objective_and_an_action_together_are_refused(contract, partner):
    objective = make_objective(make_orientation(contract))
    action = make_action(objective)
    with pytest.raises(BusinessRuleError, match="un objectif ou une action, pas les deux"):
        services.commitment_create(
            contract=contract, partner=partner, fields=fields(objective=objective, action=action)
        )
    assert not MainstreamCommitment.objects.exists()


def test_an_objective_of_another_contract_is_refused(contract, partner):
    other = make_contract(name="Autre contrat")
    objective = make_objective(make_orientation(other))
    with pytest.raises(BusinessRuleError, match="n'appartient pas à ce contrat"):
        services.commitment_create(contract=contract, partner=partner, fields=fields(objective=objective))


def test_an_organisation_that_does_not_work_with_the_contract_cannot_commit(contract):
    stranger = OrganizationFactory.create(name="Bailleur d'ailleurs")
    with pytest.raises(BusinessRuleError, match="ne figure pas parmi les organisations du contrat") as error:
        services.commitment_create(contract=contract, partner=stranger, fields=fields())
    assert error.value.field == "partner"


def test_another_unit_must_be_named(contract, partner):
    with pytest.raises(BusinessRuleError, match="Précisez l'unité"):
        services.commitment_create(contract=contract, partner=partner, fields=fields(unit=CommitmentUnit.OTHER))
    commitment = services.commitment_create(
        contract=contract, partner=partner, fields=fields(unit=CommitmentUnit.OTHER, unit_label="séances")
    )
    assert commitment.unit_text == "séances"


def test_an_empty_title_is_refused(contract, partner):
    with pytest.raises(BusinessRuleError, match="intitulé"):
        services.commitment_create(contract=contract, partner=partner, fields=fields(title="   "))


def test_a_year_outside_the_contract_is_refused(contract, partner):
    commitment = make_commitment(contract, partner)
    with pytest.raises(BusinessRuleError, match="hors de la période du contrat \\(2024-2030\\)"):
        services.commitment_year_set(commitment=commitment, year=2031, planned=Decimal(3), realised=None)
    assert not CommitmentYear.objects.exists()


def test_the_realised_figure_of_a_year_to_come_is_refused(contract, partner):
    commitment = make_commitment(contract, partner)
    with pytest.raises(BusinessRuleError, match="ne peut pas être saisi avant cette année"):
        services.commitment_year_set(
            commitment=commitment, year=2027, planned=Decimal(3), realised=Decimal(2), today=date(2026, 6, 1)
        )
    line = services.commitment_year_set(
        commitment=commitment, year=2027, planned=Decimal(3), realised=None, today=date(2026, 6, 1)
    )
    assert line.realised is None


def test_negative_or_empty_figures_are_refused(contract, partner):
    commitment = make_commitment(contract, partner)
    with pytest.raises(BusinessRuleError, match="ne peut pas être négatif"):
        services.commitment_year_set(commitment=commitment, year=2025, planned=Decimal(-1), realised=None)
    with pytest.raises(BusinessRuleError, match="au moins le prévu ou le réalisé"):
        services.commitment_year_set(commitment=commitment, year=2025, planned=None, realised=None)


def test_a_year_set_again_replaces_its_figures(contract, partner):
    commitment = make_commitment(contract, partner, years={2025: (10, None)})
    services.commitment_year_set(commitment=commitment, year=2025, planned=Decimal(10), realised=Decimal(8), note="ok")
    line = CommitmentYear.objects.get(commitment=commitment)
    assert (line.planned, line.realised, line.note) == (Decimal(10), Decimal(8), "ok")
    services.commitment_year_delete(commitment=commitment, year=2025)
    assert not CommitmentYear.objects.exists()
    with pytest.raises(BusinessRuleError, match="Aucun chiffre"):
        services.commitment_year_delete(commitment=commitment, year=2025)


def test_commitments_stay_editable_and_deletable_with_their_years(contract, partner):
    commitment = make_commitment(contract, partner, years={2025: (10, 9)})
    services.commitment_update(commitment=commitment, fields=fields(status=CommitmentStatus.WITHDRAWN))
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.WITHDRAWN
    pk = commitment.pk
    services.commitment_delete(commitment=commitment)
    assert not MainstreamCommitment.objects.exists() and not CommitmentYear.objects.exists()
    assert MainstreamCommitment.history.filter(id=pk, history_type="-").exists()

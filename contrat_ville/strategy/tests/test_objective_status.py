"""An objective's status: computed with observation's rule from the latest value of its indicator, or from the
value the working group recorded for an indicator outside the catalogue."""

import pytest

from contrat_ville.contracts.tests.factories import make_contract
from contrat_ville.observation import presenters
from contrat_ville.observation.enums import Direction, ObjectiveStatus, Theme
from contrat_ville.observation.models import Indicator, IndicatorValue
from contrat_ville.strategy import selectors
from contrat_ville.strategy.tests.factories import add_qpv, make_objective, make_orientation

pytestmark = pytest.mark.django_db


class Member:
    is_member = True


@pytest.fixture
def contract():
    return make_contract()


@pytest.fixture
def indicator():
    return Indicator.objects.create(
        code="CS-99",
        label="Taux de réussite au brevet des collèges",
        theme=Theme.COHESION_SOCIALE,
        unit="%",
        direction=Direction.HIGHER_IS_BETTER,
    )


def test_status_from_the_latest_public_value(contract, indicator):
    qpv = add_qpv(contract)
    objective = make_objective(
        make_orientation(contract),
        indicator=indicator,
        territory=qpv,
        baseline_value=70,
        baseline_year=2020,
        target_value=80,
        target_year=2030,
    )
    IndicatorValue.objects.create(indicator=indicator, territory=qpv, period=2021, value=71)
    IndicatorValue.objects.create(indicator=indicator, territory=qpv, period=2025, value=76)
    IndicatorValue.objects.create(indicator=indicator, territory=qpv, period=2026, is_confidential=True)
    state = selectors.objective_states([objective], contract=contract, access=None)[objective.pk]
    assert (state.latest_value, state.latest_year, state.status) == (76, 2025, ObjectiveStatus.ON_TRACK)
    assert state.status_label == "en bonne voie"
    assert state.latest_text == "76,0\u00a0%"
    assert (state.baseline_text, state.target_text) == ("70,0\u00a0%", "80,0\u00a0%")


def test_figures_read_as_observation_writes_them(contract):
    population = Indicator.objects.create(
        code="CTX-99", label="Population", theme=Theme.CONTEXT, unit="hab.", decimals=0, direction=Direction.CONTEXT
    )
    qpv = add_qpv(contract)
    objective = make_objective(make_orientation(contract), indicator=population, territory=qpv)
    IndicatorValue.objects.create(indicator=population, territory=qpv, period=2021, value=12345.6)
    state = selectors.objective_states([objective], contract=contract, access=None)[objective.pk]
    assert state.latest_text == "12\u00a0346\u00a0hab."
    assert state.latest_text == presenters.format_value(12345.6, decimals=0, unit="hab.")


def test_private_values_count_for_members_only(contract, indicator):
    qpv = add_qpv(contract)
    objective = make_objective(
        make_orientation(contract),
        indicator=indicator,
        territory=qpv,
        baseline_value=70,
        baseline_year=2020,
        target_value=80,
        target_year=2030,
    )
    IndicatorValue.objects.create(indicator=indicator, territory=qpv, period=2022, value=71)
    IndicatorValue.objects.create(indicator=indicator, territory=qpv, period=2025, value=81, contract=contract)
    public = selectors.objective_states([objective], contract=contract, access=None)[objective.pk]
    member = selectors.objective_states([objective], contract=contract, access=Member())[objective.pk]
    assert (public.latest_year, member.latest_year) == (2022, 2025)
    assert member.status == ObjectiveStatus.REACHED


def test_free_text_indicator_uses_the_recorded_value(contract):
    objective = make_objective(
        make_orientation(contract),
        indicator_text="Nombre d'incivilités signalées dans les halls",
        baseline_value=120,
        baseline_year=2022,
        target_value=60,
        target_year=2030,
        observed_value=118,
        observed_year=2026,
    )
    state = selectors.objective_states([objective], contract=contract, access=None)[objective.pk]
    assert state.status == ObjectiveStatus.OFF_TRACK
    assert state.source == "valeur constatée saisie par le groupe de travail"


def test_no_value_means_not_measurable(contract):
    objective = make_objective(make_orientation(contract), baseline_value=1, baseline_year=2022)
    state = selectors.objective_states([objective], contract=contract, access=None)[objective.pk]
    assert (state.status, state.latest_text) == (ObjectiveStatus.UNKNOWN, "—")

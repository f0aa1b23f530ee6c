"""Year-to-year comparison of plans: pure logic on recorded states, then through the database."""

import pytest

from contrat_ville.contracts.tests.factories import make_contract
from contrat_ville.strategy import selectors, services
from contrat_ville.strategy.enums import ActionStatus
from contrat_ville.strategy.services import PlanState, action_plan_compare
from contrat_ville.strategy.tests.factories import decide, make_plan, make_tree


def state(action_id: int, **fields):
    base = {
        "action_id": action_id,
        "code": f"A{action_id}",
        "title": f"Action {action_id}",
        "objective": "1.1.1 Objectif",
        "status": ActionStatus.PLANNED,
        "progress": 0,
        "lead": "",
        "start_on": None,
        "end_on": None,
        "qpvs": [],
        "carried_over": False,
    }
    return {**base, **fields}


def test_comparison_sorts_actions_into_added_changed_carried_over_and_stopped():
    previous = PlanState(
        year=2025,
        items={
            1: state(1),
            2: state(2, status=ActionStatus.IN_PROGRESS, progress=20, qpvs=["Les Glycines (QN0001)"]),
            3: state(3),
            4: state(4, status=ActionStatus.IN_PROGRESS),
        },
    )
    current = PlanState(
        year=2026,
        items={
            1: state(1, carried_over=True),
            2: state(
                2,
                status=ActionStatus.IN_PROGRESS,
                progress=60,
                end_on="2026-12-31",
                qpvs=["Les Glycines (QN0001)", "Le Parc (QN0002)"],
                carried_over=True,
            ),
            4: state(4, status=ActionStatus.ABANDONED, carried_over=True),
            5: state(5),
        },
    )
    comparison = action_plan_compare(previous, current)
    assert (comparison.previous_year, comparison.current_year) == (2025, 2026)
    assert [entry.action_id for entry in comparison.added] == [5]
    assert [entry.action_id for entry in comparison.carried_over] == [1, 2]
    assert [entry.action_id for entry in comparison.changed] == [2]
    changes = {change.field: (change.label, change.before, change.after) for change in comparison.changed[0].changes}
    assert changes == {
        "progress": ("avancement", "20 %", "60 %"),
        "end_on": ("fin", "—", "31/12/2026"),
        "qpvs": ("quartiers ciblés", "Les Glycines (QN0001)", "Les Glycines (QN0001), Le Parc (QN0002)"),
    }
    stopped = {entry.action_id: entry.reason for entry in comparison.stopped}
    assert stopped == {3: "absente du plan 2026", 4: "abandonnée dans le plan 2026"}
    assert comparison.has_differences


def test_comparison_without_previous_plan_lists_every_action_as_added():
    comparison = action_plan_compare(None, PlanState(year=2025, items={1: state(1), 2: state(2)}))
    assert comparison.previous_year is None
    assert [entry.action_id for entry in comparison.added] == [1, 2]
    assert not (comparison.changed or comparison.carried_over or comparison.stopped)


def test_an_action_abandoned_both_years_is_carried_over_not_stopped_again():
    previous = PlanState(year=2025, items={1: state(1, status=ActionStatus.ABANDONED)})
    current = PlanState(year=2026, items={1: state(1, status=ActionStatus.ABANDONED)})
    comparison = action_plan_compare(previous, current)
    assert [entry.action_id for entry in comparison.carried_over] == [1]
    assert not comparison.stopped
    assert not comparison.has_differences


@pytest.mark.django_db
def test_plan_comparison_uses_the_frozen_state_of_the_validated_plan():
    contract = make_contract()
    _, _, (kept, dropped, new) = make_tree(contract, action_count=3)
    plan_2025 = make_plan(contract, 2025, [kept, dropped])
    decide(plan_2025)
    services.action_set_status(action=kept, status=ActionStatus.IN_PROGRESS, progress=50)
    plan_2026 = services.action_plan_prepare_next(plan=plan_2025)
    services.action_plan_remove_action(plan=plan_2026, action=dropped)
    services.action_plan_add_action(plan=plan_2026, action=new)
    comparison = selectors.plan_comparison(plan=plan_2026)
    assert [entry.action_id for entry in comparison.added] == [new.pk]
    assert [entry.action_id for entry in comparison.stopped] == [dropped.pk]
    (changed,) = comparison.changed
    assert {change.field for change in changed.changes} == {"status", "progress"}
    assert changed.carried_over

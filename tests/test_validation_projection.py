"""« Validated by the comité de pilotage » is one projection of the committee's decisions (issue 15 §2).

The sequence validated → postponed → validated on a stake, an orientation and an action plan: after each decision
every page and API answer that shows the object's state says the same thing (the latest decision wins; a
postponement withdraws the validation), and the stored statuses (a stake « retenu », a plan « validé ») follow.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contrat_ville.accounts.services import api_token_create
from contrat_ville.contracts.enums import Generation, Role
from contrat_ville.contracts.models import Contract
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.diagnostic.enums import StakeStatus
from contrat_ville.diagnostic.models import Stake
from contrat_ville.diagnostic.tests.factories import (
    consult,
    contract_with_qpv,
    make_council,
    make_stake,
    member,
)
from contrat_ville.governance.enums import BodyKind, MeetingStatus, Verdict
from contrat_ville.governance.models import Body, Meeting
from contrat_ville.governance.services.decisions import decision_record
from contrat_ville.strategy.enums import ActionPlanStatus
from contrat_ville.strategy.models import ActionPlan, Orientation
from contrat_ville.strategy.tests.factories import make_action, make_objective, make_plan

pytestmark = pytest.mark.django_db

SEQUENCE = [(Verdict.VALIDATED, True), (Verdict.POSTPONED, False), (Verdict.VALIDATED, True)]


class World:
    def __init__(self) -> None:
        self.contract = contract_with_qpv()
        self.pilot = member(self.contract, Role.PILOT)
        self.client = Client()
        self.client.force_login(self.pilot)
        self.token = api_token_create(user=self.pilot)[1]
        council = make_council(self.contract)
        self.stake = make_stake(self.contract, title="Réussite éducative")
        consult(self.contract, [self.stake], [council])
        self.stake.refresh_from_db()
        self.orientation = Orientation.objects.get(
            pk=_orientation(self.contract, self.stake).pk,
        )
        objective = make_objective(self.orientation, title="Faire progresser le taux de réussite au brevet")
        self.action = make_action(objective, title="Mobiliser le droit commun")
        self.plan = make_plan(self.contract, actions=[self.action])
        self.body = Body.objects.create(
            contract=self.contract, kind=BodyKind.STEERING_COMMITTEE, name="Comité de pilotage"
        )
        self.days_ago = 30

    def meeting(self) -> Meeting:
        """A new held meeting of the committee, each one later than the previous: its decision is the latest."""
        self.days_ago -= 1
        return Meeting.objects.create(
            body=self.body,
            title=f"Comité de pilotage J-{self.days_ago}",
            starts_at=timezone.now() - timedelta(days=self.days_ago),
            status=MeetingStatus.HELD,
        )

    def page(self, name: str, **kwargs: Any) -> str:
        response = self.client.get(reverse(name, kwargs={"contract_slug": self.contract.slug, **kwargs}))
        assert response.status_code == 200
        return response.content.decode()

    def api(self, path: str) -> Any:
        response = self.client.get(
            f"/api/v1/contracts/{self.contract.pk}/{path}", headers={"Authorization": f"Bearer {self.token}"}
        )
        assert response.status_code == 200, response.content
        return response.json()


def _orientation(contract: Contract, stake: Stake) -> Orientation:
    from contrat_ville.strategy.services import orientation_create

    return orientation_create(
        contract=contract, pillar=stake.pillar, title="Améliorer la réussite des élèves", stakes=[stake]
    )


@pytest.fixture
def world() -> World:
    return World()


def test_a_stake_follows_the_committees_latest_decision_everywhere(world):
    for verdict, validated in SEQUENCE:
        decision_record(meeting=world.meeting(), verdict=verdict, text="Décision.", target=world.stake, by=world.pilot)
        world.stake.refresh_from_db()
        expected_status = StakeStatus.RETAINED if validated else StakeStatus.SUBMITTED
        assert world.stake.status == expected_status, verdict
        detail = world.page("diagnostic:stake_detail", stake_id=world.stake.pk)
        listing = world.page("diagnostic:stake_list")
        for html in (detail, listing):
            assert ('data-testid="stake-validated"' in html) is validated
            assert ('data-testid="stake-not-validated"' in html) is not validated
            assert StakeStatus(expected_status).label in html
        edit_url = reverse(
            "diagnostic:stake_update", kwargs={"contract_slug": world.contract.slug, "stake_id": world.stake.pk}
        )
        assert (edit_url in detail) is not validated
        api_stake = world.api(f"stakes/{world.stake.pk}")
        assert api_stake["status"] == expected_status
        assert api_stake["is_validated"] is validated
        listed = next(item for item in world.api("stakes") if item["id"] == world.stake.pk)
        assert (listed["status"], listed["is_validated"]) == (expected_status, validated)


def test_an_orientation_follows_the_committees_latest_decision_everywhere(world):
    for verdict, validated in SEQUENCE:
        decision_record(
            meeting=world.meeting(), verdict=verdict, text="Décision.", target=world.orientation, by=world.pilot
        )
        detail = world.page("strategy:orientation_detail", orientation_id=world.orientation.pk)
        assert ("n'a pas encore été validée par le comité de pilotage" in detail) is not validated
        tree = world.page("strategy:tree")
        assert ("non validée par le comité de pilotage" in tree) is not validated
        action_page = world.page("strategy:action_detail", action_id=world.action.pk)
        assert ("non validée par le comité de pilotage" in action_page) is not validated
        api_orientation = next(item for item in world.api("orientations") if item["id"] == world.orientation.pk)
        assert api_orientation["is_validated"] is validated


def test_a_plan_follows_the_committees_latest_decision_everywhere(world):
    decision_record(
        meeting=world.meeting(), verdict=Verdict.VALIDATED, text="Validée.", target=world.orientation, by=world.pilot
    )
    for verdict, validated in SEQUENCE:
        decision_record(meeting=world.meeting(), verdict=verdict, text="Décision.", target=world.plan, by=world.pilot)
        world.plan.refresh_from_db()
        expected_status = ActionPlanStatus.VALIDATED if validated else ActionPlanStatus.DRAFT
        assert world.plan.status == expected_status, verdict
        detail = world.page("strategy:plan_detail", plan_id=world.plan.pk)
        assert ("Plan validé par le comité de pilotage" in detail) is validated
        assert ("Ce plan est en préparation" in detail) is not validated
        listing = world.page("strategy:plan_list")
        assert ActionPlanStatus(expected_status).label in listing
        api_plan = world.api(f"action-plans/{world.plan.pk}")
        assert api_plan["status"] == expected_status


def test_a_decision_recorded_in_an_earlier_meeting_does_not_override_a_later_one(world):
    """Only the latest meeting's decision counts, whatever the order in which the decisions were recorded."""
    later, earlier = world.meeting(), world.meeting()
    later.starts_at = timezone.now() - timedelta(hours=1)
    later.save()
    decision_record(meeting=later, verdict=Verdict.VALIDATED, text="Retenu.", target=world.stake, by=world.pilot)
    decision_record(meeting=earlier, verdict=Verdict.POSTPONED, text="Ajourné.", target=world.stake, by=world.pilot)
    world.stake.refresh_from_db()
    assert world.stake.status == StakeStatus.RETAINED
    plan = ActionPlan.objects.get(pk=world.plan.pk)
    assert plan.status == ActionPlanStatus.DRAFT


def test_an_orientation_of_a_2015_contract_needs_its_stakes_debated_like_a_stake(world):
    """R13-R14: in the 2015 framework the committee decides on stakes debated with the councils, and on the
    orientations drawn from them under the same rule."""
    Contract.objects.filter(pk=world.contract.pk).update(generation=Generation.G2015)
    contract = Contract.objects.get(pk=world.contract.pk)
    never_debated = make_stake(contract, title="Tranquillité publique")
    orientation = _orientation(contract, never_debated)
    with pytest.raises(BusinessRuleError, match="pas encore été mis en débat avec les conseils citoyens"):
        decision_record(
            meeting=world.meeting(), verdict=Verdict.VALIDATED, text="Validée.", target=orientation, by=world.pilot
        )
    with pytest.raises(BusinessRuleError, match="pas encore été mis en débat avec les conseils citoyens"):
        decision_record(
            meeting=world.meeting(), verdict=Verdict.VALIDATED, text="Retenu.", target=never_debated, by=world.pilot
        )
    never_debated.refresh_from_db()
    assert never_debated.status == StakeStatus.PROPOSED
    # The debated ones pass, as an orientation and as a stake.
    decision_record(
        meeting=world.meeting(), verdict=Verdict.VALIDATED, text="Validée.", target=world.orientation, by=world.pilot
    )
    decision_record(meeting=world.meeting(), verdict=Verdict.VALIDATED, text="Retenu.", target=world.stake, by=None)
    assert Stake.objects.get(pk=world.stake.pk).status == StakeStatus.RETAINED

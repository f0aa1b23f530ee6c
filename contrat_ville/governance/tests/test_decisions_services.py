from datetime import timedelta

import pytest
from django.utils import timezone

from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.selectors import contract_access
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.governance.enums import BodyKind, MeetingStatus, Verdict
from contrat_ville.governance.models import Decision, Meeting
from contrat_ville.governance.selectors.decisions import (
    decision_get,
    decision_history,
    decision_list,
    decision_target_choices,
    decision_target_resolve,
    is_validated,
    latest_decision,
    target_value,
    validations_for,
)
from contrat_ville.governance.services.decisions import decision_publish, decision_record, decision_update
from contrat_ville.governance.services.phases import phases_apply
from contrat_ville.governance.tests.factories_decisions import make_body, make_decision, make_meeting, seat

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract():
    return make_contract(name="Contrat des décisions")


@pytest.fixture
def committee(contract):
    return make_body(contract)


@pytest.fixture
def meeting(committee):
    return make_meeting(committee)


def test_decision_record_stores_target_label_and_contract(meeting, contract):
    decision = decision_record(
        meeting=meeting, verdict=Verdict.VALIDATED, text="  Validé.  ", target=contract, is_published=True, by=None
    )
    decision.refresh_from_db()
    assert decision.contract == contract
    assert decision.target == contract
    assert decision.target_label == str(contract)
    assert decision.text == "Validé."
    assert decision.is_published


def test_decision_record_without_target(meeting):
    decision = decision_record(meeting=meeting, verdict=Verdict.POSTPONED, text="Ajourné.", by=None)
    assert decision.target_type is None
    assert decision.target_label == ""


def test_decision_record_accepts_a_started_meeting_not_yet_marked_held(committee):
    meeting = make_meeting(committee, days_ago=0, status=MeetingStatus.CONVENED)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    meeting.refresh_from_db()
    assert decision_record(meeting=meeting, verdict=Verdict.VALIDATED, text="Validé.", by=None).pk


def test_decision_record_refuses_a_meeting_not_held(committee):
    meeting = make_meeting(committee, days_ago=-3, status=MeetingStatus.PLANNED)
    with pytest.raises(BusinessRuleError, match="séance qui s'est tenue ou qui a commencé"):
        decision_record(meeting=meeting, verdict=Verdict.VALIDATED, text="Validé.", by=None)
    assert not Decision.objects.exists()


def test_decision_record_refuses_a_cancelled_meeting(committee):
    meeting = make_meeting(committee, status=MeetingStatus.CANCELLED)
    with pytest.raises(BusinessRuleError, match="annulée"):
        decision_record(meeting=meeting, verdict=Verdict.VALIDATED, text="Validé.", by=None)


def test_decision_record_refuses_an_unregistered_target_kind(meeting, committee):
    with pytest.raises(BusinessRuleError, match=r"Types d'objets admis : .*le contrat de ville") as error:
        decision_record(meeting=meeting, verdict=Verdict.VALIDATED, text="Validé.", target=committee, by=None)
    assert error.value.field == "target"


def test_decision_record_refuses_a_target_of_another_contract(meeting):
    other = make_contract(name="Autre contrat")
    with pytest.raises(BusinessRuleError, match="n'appartient pas à ce contrat"):
        decision_record(meeting=meeting, verdict=Verdict.VALIDATED, text="Validé.", target=other, by=None)
    other_phase = phases_apply(contract=other, by=None)[0]
    with pytest.raises(BusinessRuleError, match="n'appartient pas à ce contrat"):
        decision_record(meeting=meeting, verdict=Verdict.VALIDATED, text="Validé.", target=other_phase, by=None)


def test_decision_record_refuses_an_unknown_verdict_and_an_empty_text(meeting):
    with pytest.raises(BusinessRuleError, match="Sens de décision inconnu"):
        decision_record(meeting=meeting, verdict="maybe", text="Validé.", by=None)
    with pytest.raises(BusinessRuleError, match="obligatoire"):
        decision_record(meeting=meeting, verdict=Verdict.VALIDATED, text="  ", by=None)


def test_decision_update_and_publish(meeting):
    decision = make_decision(meeting)
    decision_update(decision=decision, verdict=Verdict.REJECTED, text="Rejeté.", is_published=False, by=None)
    decision_publish(decision=decision, by=None)
    decision.refresh_from_db()
    assert (decision.verdict, decision.text, decision.is_published) == (Verdict.REJECTED, "Rejeté.", True)
    decision_publish(decision=decision, is_published=False, by=None)
    decision.refresh_from_db()
    assert not decision.is_published


# --- is_validated: the one question higher apps ask ------------------------------------------------------


def test_is_validated_latest_decision_wins(committee, contract):
    assert not is_validated(contract)
    make_decision(make_meeting(committee, days_ago=30), verdict=Verdict.REJECTED, target=contract)
    assert not is_validated(contract)
    make_decision(make_meeting(committee, days_ago=20), verdict=Verdict.VALIDATED_WITH_AMENDMENTS, target=contract)
    assert is_validated(contract)


def test_is_validated_postponed_after_validated_withdraws_the_validation(committee, contract):
    make_decision(make_meeting(committee, days_ago=30), verdict=Verdict.VALIDATED, target=contract)
    postponed = make_decision(make_meeting(committee, days_ago=10), verdict=Verdict.POSTPONED, target=contract)
    assert not is_validated(contract)
    assert latest_decision(contract) == postponed


def test_is_validated_ignores_decisions_of_another_body_kind(contract):
    technical = make_body(contract, kind=BodyKind.TECHNICAL_COMMITTEE)
    make_decision(make_meeting(technical), verdict=Verdict.VALIDATED, target=contract)
    assert not is_validated(contract)
    assert is_validated(contract, body_kind=BodyKind.TECHNICAL_COMMITTEE)


def test_validations_for_answers_for_many_objects_in_one_query(contract, committee, query_count):
    phases = phases_apply(contract=contract, by=None)
    old, recent = make_meeting(committee, days_ago=30), make_meeting(committee, days_ago=5)
    make_decision(old, verdict=Verdict.VALIDATED, target=phases[0])
    make_decision(recent, verdict=Verdict.POSTPONED, target=phases[0])
    make_decision(recent, verdict=Verdict.VALIDATED, target=phases[1])
    with query_count() as queries:
        latest = validations_for(phases)
    assert len(queries) == 1
    assert latest[phases[0].pk].verdict == Verdict.POSTPONED
    assert latest[phases[1].pk].verdict == Verdict.VALIDATED
    assert latest[phases[2].pk] is None
    assert validations_for([]) == {}


# --- visibility --------------------------------------------------------------------------------------------


def _access(user, contract, *, private=False):
    return contract_access(user=user, slug=contract.slug, private=private)


def test_decision_list_by_role(contract, committee):
    working_group = make_body(contract, kind=BodyKind.WORKING_GROUP)
    mine = make_decision(make_meeting(working_group), text="Décision du groupe de travail.")
    hidden = make_decision(make_meeting(committee), text="Décision interne du comité.")
    public = make_decision(make_meeting(committee), text="Décision publiée.", is_published=True)
    contract.is_published = True
    contract.save()

    pilot = UserFactory()
    grant(contract, pilot, Role.PILOT)
    organization = OrganizationFactory()
    partner = UserFactory(organization=organization)
    grant(contract, partner, Role.PARTNER)
    seat(working_group, organization)
    outsider = UserFactory()
    grant(contract, outsider, Role.PARTNER)

    def visible(user):
        return set(decision_list(contract=contract, access=_access(user, contract), user=user))

    assert visible(pilot) == {mine, hidden, public}
    assert visible(partner) == {mine, public}
    assert visible(outsider) == {public}
    assert set(decision_list(contract=contract, access=_access(None, contract), user=None)) == {public}
    assert (
        set(decision_list(contract=contract, access=_access(pilot, contract), user=pilot, verdict=Verdict.REJECTED))
        == set()
    )
    assert set(
        decision_list(contract=contract, access=_access(pilot, contract), user=pilot, body_id=working_group.pk)
    ) == {mine}


def test_decision_get_hides_what_the_user_may_not_read(contract, meeting):
    from django.http import Http404

    contract.is_published = True
    contract.save()
    hidden = make_decision(meeting)
    with pytest.raises(Http404):
        decision_get(contract=contract, decision_id=hidden.pk, access=_access(None, contract), user=None)
    other = make_contract(name="Autre contrat")
    with pytest.raises(Http404):
        decision_get(contract=other, decision_id=hidden.pk, access=_access(None, contract), user=None)


def test_decision_history_filters_for_visitors(contract, meeting):
    contract.is_published = True
    contract.save()
    hidden = make_decision(meeting, target=contract)
    public = make_decision(meeting, target=contract, is_published=True)
    assert list(decision_history(contract, access=None)) == [public]
    pilot = UserFactory()
    grant(contract, pilot, Role.STATE)
    assert set(decision_history(contract, access=_access(pilot, contract), user=pilot)) == {hidden, public}


def test_decision_target_choices_list_the_contract_and_its_phases(contract):
    phases = phases_apply(contract=contract, by=None)
    other_phase = phases_apply(contract=make_contract(name="Autre contrat"), by=None)[0]
    groups = {group.model_label: group for group in decision_target_choices(contract=contract)}
    assert groups["contracts.contract"].options == [(f"contracts.contract:{contract.pk}", str(contract))]
    values = [value for value, _ in groups["governance.phase"].options]
    assert values == [target_value(phase) for phase in phases]
    assert target_value(other_phase) not in values
    assert decision_target_resolve(contract=contract, value=target_value(phases[2])) == phases[2]
    assert decision_target_resolve(contract=contract, value=target_value(other_phase)) is None
    assert decision_target_resolve(contract=contract, value="governance.body:1") is None
    assert decision_target_resolve(contract=contract, value="n'importe quoi") is None


def test_the_app_owning_the_target_is_told_of_each_decision_and_correction(meeting, contract):
    from contrat_ville.core.registries import DecisionTarget, decision_targets

    seen: list[tuple[str, object]] = []
    original = decision_targets.get("contracts.contract")
    decision_targets.unregister("contracts.contract")
    decision_targets.register(
        "contracts.contract",
        DecisionTarget("contracts.contract", "le contrat", on_decision=lambda d, by: seen.append((d.verdict, by))),
    )
    try:
        decision = decision_record(
            meeting=meeting, verdict=Verdict.POSTPONED, text="Ajourné.", target=contract, by=None
        )
        decision_update(decision=decision, verdict=Verdict.VALIDATED, text="Validé.", is_published=False, by=None)
        decision_record(meeting=meeting, verdict=Verdict.VALIDATED, text="Sans objet.", by=None)
    finally:
        decision_targets.unregister("contracts.contract")
        if original is not None:
            decision_targets.register("contracts.contract", original)
    assert seen == [(Verdict.POSTPONED, None), (Verdict.VALIDATED, None)]


def test_the_decision_form_preselects_the_target_given_in_the_url(client, meeting, contract):
    from django.urls import reverse

    pilot = UserFactory.create()
    grant(contract, pilot, Role.PILOT)
    client.force_login(pilot)
    url = reverse("governance:decision_create", kwargs={"contract_slug": contract.slug, "meeting_id": meeting.pk})
    response = client.get(url, {"cible": target_value(contract)})
    assert response.status_code == 200
    assert response.context["form"]["target"].value() == target_value(contract)

"""The demo's governance: the demo contract in preparation has its bodies, meetings, decisions and phases."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.apps import apps
from django.utils import timezone

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.contracts.models import Contract
from contrat_ville.demo.services import demo_load
from contrat_ville.demo.steps.governance import BODIES, launch_date
from contrat_ville.governance.enums import BodyKind, MeetingStatus, MemberRole, PhaseStatus, PhaseStatusSource
from contrat_ville.governance.models import Body, BodyMember, Decision, Meeting
from contrat_ville.governance.selectors.composition import contract_conformity
from contrat_ville.governance.selectors.phases import phase_list

pytestmark = pytest.mark.django_db

TODAY = date(2026, 2, 10)


@pytest.fixture
def contract() -> Contract:
    demo_load(today=TODAY)
    return Contract.objects.get(slug="val-de-sorne-2024")


def governance_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label == "governance"
    }


def test_every_body_is_constituted_with_its_co_chairs(contract):
    bodies = {body.kind: body for body in Body.objects.filter(contract=contract).exclude(kind=BodyKind.WORKING_GROUP)}
    assert set(bodies) == {
        BodyKind.STATE_CORE_TEAM,
        BodyKind.INTERMINISTERIAL_TEAM,
        BodyKind.STEERING_COMMITTEE,
        BodyKind.TECHNICAL_COMMITTEE,
    }
    groups = Body.objects.filter(contract=contract, kind=BodyKind.WORKING_GROUP).select_related("pillar")
    assert sorted(group.pillar.code for group in groups) == [
        "cadre_de_vie",
        "cohesion_sociale",
        "developpement_economique",
    ]
    assert BodyMember.objects.filter(body__contract=contract).count() == sum(len(spec.seats) for spec in BODIES)

    copil = bodies[BodyKind.STEERING_COMMITTEE]
    co_chairs = set(copil.members.filter(role=MemberRole.CO_CHAIR).values_list("organization__name", flat=True))
    assert co_chairs == {
        "Préfecture du Val-de-Sorne",
        "Communauté d'agglomération du Val de Sorne",
        "Commune de Sorne-la-Ville",
        "Commune de Saint-Aubin-sur-Sorne",
    }
    kinds = set(copil.members.values_list("organization__kind", flat=True))
    assert OrganizationKind.CITIZEN_COUNCIL in kinds
    users = dict(copil.members.filter(user__isnull=False).values_list("user__email", "organization__name"))
    assert users == {
        "pilote@exemple.fr": "Communauté d'agglomération du Val de Sorne",
        "etat@exemple.fr": "Préfecture du Val-de-Sorne",
        "conseil@exemple.fr": "Conseil citoyen des Hauts de Sorne",
    }
    cohesion = groups.get(pillar__code="cohesion_sociale")
    assert cohesion.members.filter(
        user__email="partenaire@exemple.fr", organization__name__startswith="Caisse"
    ).exists()
    # Composition rules R07, R09, R11 and R12 are all met: the demo shows a conformant governance.
    assert contract_conformity(contract=contract).issues == []


# The funding step adds the steering committee's programming of last year's call for projects (issue 14 §4).
PROGRAMMING_MEETING = "Comité de pilotage — programmation"


def test_five_past_meetings_with_minutes_and_decisions_and_two_upcoming(contract):
    meetings = list(
        Meeting.objects.filter(body__contract=contract)
        .exclude(title__startswith=PROGRAMMING_MEETING)
        .order_by("starts_at")
    )
    reference = timezone.make_aware(datetime.combine(TODAY, time(12)))
    past = [meeting for meeting in meetings if meeting.starts_at < reference]
    upcoming = [meeting for meeting in meetings if meeting.starts_at > reference]
    assert len(past) == 5
    assert len(upcoming) == 2
    for meeting in past:
        assert meeting.status == MeetingStatus.HELD
        assert meeting.minutes.startswith("<") and meeting.minutes_published
        assert meeting.agenda_items.count() >= 3
        assert meeting.attendances.filter(status="present").count() >= 3
        assert meeting.decisions.exists()
    assert {(meeting.body.kind, meeting.status) for meeting in upcoming} == {
        (BodyKind.TECHNICAL_COMMITTEE, MeetingStatus.CONVENED),
        (BodyKind.STEERING_COMMITTEE, MeetingStatus.CONVENED),
    }
    installation = Decision.objects.get(
        contract=contract, text="Le comité de pilotage valide sa composition et le calendrier d'élaboration."
    )
    assert installation.target == contract
    assert installation.is_published
    kick_off = Decision.objects.get(contract=contract, target_label__startswith="3 ")
    assert kick_off.meeting.body.kind == BodyKind.STEERING_COMMITTEE


def test_the_contract_is_in_phase_3(contract):
    views = {view.phase.code: view for view in phase_list(contract=contract, today=TODAY)}
    assert views["1.1"].phase.planned_start == launch_date(contract) == date(2025, 11, 30)
    for code in ("1.1", "2.1", "2.2", "2.3", "2.3.1", "2.3.2", "2.3.3"):
        assert (views[code].status, views[code].source) == (PhaseStatus.DONE, PhaseStatusSource.RULE), code
    assert (views["1.2"].status, views["1.2"].source) == (PhaseStatus.DONE, PhaseStatusSource.MANUAL)
    assert views["1.2"].phase.status_set_by.email == "pilote@exemple.fr"
    # The diagnostic steps complete 3.1 from their data; 3 goes on (a second round of opinions on a redefined stake
    # is open); 3.2 waits for orientation 3.3; 4 waits for the signature although a yearly plan is validated.
    assert (views["3.1"].status, views["3.1"].source) == (PhaseStatus.DONE, PhaseStatusSource.RULE)
    assert (views["4"].status, views["4"].source) == (PhaseStatus.TODO, PhaseStatusSource.RULE)
    assert views["3"].status == PhaseStatus.IN_PROGRESS and views["3"].is_current
    assert views["3.2"].status == PhaseStatus.TODO


def test_reloading_the_demo_duplicates_nothing(contract):
    first = governance_counts()
    assert Meeting.objects.filter(body__contract=contract).exclude(title__startswith=PROGRAMMING_MEETING).count() == 7
    assert Meeting.objects.filter(body__contract=contract, title__startswith=PROGRAMMING_MEETING).count() == 1
    demo_load(today=TODAY)
    assert governance_counts() == first


def test_reloading_another_month_moves_the_dates_without_duplicates(contract):
    first = governance_counts()
    later = date(2026, 3, 10)
    demo_load(today=later)
    contract.refresh_from_db()
    counts = governance_counts()
    for label in ("governance.Body", "governance.BodyMember", "governance.Meeting", "governance.Decision"):
        assert counts[label] == first[label], label
    views = {view.phase.code: view for view in phase_list(contract=contract, today=later)}
    assert views["1.1"].phase.planned_start == launch_date(contract) == date(2025, 12, 31)
    assert views["3.1"].status == PhaseStatus.DONE and views["3.2"].status == PhaseStatus.TODO

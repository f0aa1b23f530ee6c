"""The governance API: bodies, members, meetings, attendance, decisions and phases, behind the tenancy boundary.

Each endpoint answers 401 without a token, 404 to the pilot of another contract, 403 to a partner who writes,
422 with the service's French message when a business rule refuses, and goes through the same services as the
web pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from contrat_ville.accounts.services import api_token_create
from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.governance.enums import AttendanceStatus, BodyKind, MeetingStatus, MemberRole, PhaseStatus
from contrat_ville.governance.models import Attendance, Body, BodyMember, Decision, Meeting, Phase
from contrat_ville.governance.services.bodies import body_create, body_member_add
from contrat_ville.governance.services.decisions import decision_record
from contrat_ville.governance.services.meetings import meeting_schedule, minutes_save
from contrat_ville.governance.tests.factories_bodies import GovernanceWorld, governance_world

pytestmark = pytest.mark.django_db

BASE = "/api/v1/contracts"


def bearer(user: Any) -> dict[str, str]:
    _, raw_token = api_token_create(user=user)
    return {"Authorization": f"Bearer {raw_token}"}


@dataclass
class ApiWorld:
    world: GovernanceWorld
    pilot: dict[str, str]
    partner: dict[str, str]
    other_pilot: dict[str, str]

    @property
    def contract_id(self) -> int:
        return self.world.contract.pk

    def url(self, path: str = "") -> str:
        return f"{BASE}/{self.contract_id}/{path}".rstrip("/")


@pytest.fixture
def api() -> ApiWorld:
    return api_world()


def api_world() -> ApiWorld:
    """The governance world with the tokens of its pilot and partner, and of another contract's pilot."""
    world = governance_world()
    other_pilot = UserFactory()
    grant(make_contract(name="Un autre contrat"), other_pilot, Role.PILOT)
    return ApiWorld(
        world=world, pilot=bearer(world.pilot), partner=bearer(world.partner), other_pilot=bearer(other_pilot)
    )


def post(client: Client, url: str, data: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
    return client.post(url, data, content_type="application/json", headers=headers or {})


def patch(client: Client, url: str, data: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
    return client.patch(url, data, content_type="application/json", headers=headers or {})


def assert_private_read(client: Client, api: ApiWorld, url: str) -> None:
    assert client.get(url).status_code == 401
    assert client.get(url, headers=api.other_pilot).status_code == 404
    assert client.get(url, headers={"Authorization": "Bearer jeton-inconnu"}).status_code == 401


def assert_write_guarded(client: Client, api: ApiWorld, url: str, data: dict[str, Any], *, method: Any = post) -> None:
    """401 anonymous, 404 for another contract's pilot, 403 for a partner of this contract."""
    assert method(client, url, data).status_code == 401
    assert method(client, url, data, api.other_pilot).status_code == 404
    response = method(client, url, data, api.partner)
    assert response.status_code == 403
    assert response.json()["detail"].startswith("Seuls le pilote et le délégué de l'État")


def make_steering_committee(world: GovernanceWorld) -> Body:
    committee = body_create(contract=world.contract, kind=BodyKind.STEERING_COMMITTEE, by=world.pilot)
    for organization in (world.state_org, world.epci_org, world.commune_org):
        body_member_add(body=committee, organization=organization, role=MemberRole.CO_CHAIR, by=world.pilot)
    body_member_add(body=committee, organization=world.council_org, role=MemberRole.MEMBER, by=world.pilot)
    return committee


def past_meeting(body: Body, *, title: str = "Séance d'installation", hours_ago: int = 2) -> Meeting:
    return meeting_schedule(
        body=body,
        title=title,
        starts_at=timezone.now() - timedelta(hours=hours_ago),
        location="Hôtel de la communauté",
        agenda=[("Installation du comité", "")],
        by=None,
    )


# --- bodies -------------------------------------------------------------------------------------------------


def test_body_list_shows_all_bodies_to_the_pilot_and_the_partners_own_to_the_partner(client, api):
    world = api.world
    committee = make_steering_committee(world)
    group = body_create(
        contract=world.contract, kind=BodyKind.WORKING_GROUP, pillar=world.contract.pillars.first(), by=world.pilot
    )
    body_member_add(body=group, organization=world.partner_org, role=MemberRole.MEMBER, by=world.pilot)

    response = client.get(api.url("bodies"), headers=api.pilot)
    assert response.status_code == 200
    by_id = {item["id"]: item for item in response.json()}
    assert set(by_id) == {committee.pk, group.pk}
    assert by_id[committee.pk]["kind_label"] == "comité de pilotage"
    assert by_id[committee.pk]["member_count"] == 4
    assert by_id[group.pk]["pillar"] == "cohesion_sociale"

    partner_view = client.get(api.url("bodies"), headers=api.partner).json()
    assert [item["id"] for item in partner_view] == [group.pk]
    assert_private_read(client, api, api.url("bodies"))


def test_body_list_query_count_does_not_grow(client, api, query_count):
    world = api.world
    headers = api.pilot
    make_steering_committee(world)
    with query_count() as few:
        client.get(api.url("bodies"), headers=headers)
    for pillar in world.contract.pillars.all():
        for index in range(6):
            group = body_create(
                contract=world.contract, kind=BodyKind.WORKING_GROUP, pillar=pillar, name=f"GT {index}", by=None
            )
            body_member_add(body=group, organization=world.epci_org, role=MemberRole.CO_CHAIR, by=None)
    with query_count() as many:
        response = client.get(api.url("bodies"), headers=headers)
    assert len(response.json()) == 19
    assert len(many) == len(few)


def test_body_create(client, api):
    response = post(client, api.url("bodies"), {"kind": "steering_committee"}, api.pilot)
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "Comité de pilotage"
    assert body["members"] == []
    assert Body.objects.filter(contract=api.world.contract, kind=BodyKind.STEERING_COMMITTEE).count() == 1

    group = post(client, api.url("bodies"), {"kind": "working_group", "pillar": "cadre_de_vie"}, api.pilot).json()
    assert group["pillar"] == "cadre_de_vie"
    assert group["name"].startswith("Groupe de travail « ")


def test_body_create_refusals(client, api):
    post(client, api.url("bodies"), {"kind": "steering_committee"}, api.pilot)

    duplicate = post(client, api.url("bodies"), {"kind": "steering_committee"}, api.pilot)
    assert duplicate.status_code == 422
    assert duplicate.json()["detail"].startswith("Ce contrat a déjà un comité de pilotage")

    unnamed_local = post(client, api.url("bodies"), {"kind": "local"}, api.pilot)
    assert unnamed_local.status_code == 422
    assert unnamed_local.json()["detail"].startswith("Nommez la nature de cette instance locale")

    pillar_on_committee = post(
        client, api.url("bodies"), {"kind": "technical_committee", "pillar": "cadre_de_vie"}, api.pilot
    )
    assert pillar_on_committee.status_code == 422
    assert "rattaché à un pilier" in pillar_on_committee.json()["detail"]

    unknown_axis = post(client, api.url("bodies"), {"kind": "working_group", "axis": "inconnu"}, api.pilot)
    assert unknown_axis.status_code == 422
    assert unknown_axis.json()["detail"] == "Ce contrat n'a pas d'axe transversal « inconnu »."

    no_meetings = post(
        client,
        api.url("bodies"),
        {"kind": "local", "local_kind_label": "Cellule", "min_meetings_per_year": 0},
        api.pilot,
    )
    assert no_meetings.status_code == 422

    unknown_pillar = post(client, api.url("bodies"), {"kind": "working_group", "pillar": "inconnu"}, api.pilot)
    assert unknown_pillar.status_code == 422
    assert unknown_pillar.json()["detail"] == "Ce contrat n'a pas de pilier « inconnu »."

    assert_write_guarded(client, api, api.url("bodies"), {"kind": "technical_committee"})
    assert not Body.objects.filter(kind=BodyKind.TECHNICAL_COMMITTEE).exists()


def test_body_detail_and_members(client, api):
    committee = make_steering_committee(api.world)
    url = api.url(f"bodies/{committee.pk}")

    detail = client.get(url, headers=api.pilot)
    assert detail.status_code == 200
    roles = [(member["organization"]["name"], member["role"]) for member in detail.json()["members"]]
    assert roles[:3] == sorted(roles[:3]) and {role for _, role in roles[:3]} == {"co_chair"}
    assert detail.json()["member_count"] == 4

    members = client.get(f"{url}/members", headers=api.pilot)
    assert members.status_code == 200
    assert [member["role"] for member in members.json()] == ["co_chair", "co_chair", "co_chair", "member"]

    # The partner's organisation has no seat there: the body is not theirs to read.
    assert client.get(url, headers=api.partner).status_code == 404
    assert client.get(f"{url}/members", headers=api.partner).status_code == 404
    assert_private_read(client, api, url)
    assert_private_read(client, api, f"{url}/members")
    assert client.get(api.url("bodies/999999"), headers=api.pilot).status_code == 404


def test_body_member_add(client, api):
    world = api.world
    committee = body_create(contract=world.contract, kind=BodyKind.STEERING_COMMITTEE, by=world.pilot)
    url = api.url(f"bodies/{committee.pk}/members")

    response = post(
        client,
        url,
        {
            "organization_id": world.state_org.pk,
            "role": "co_chair",
            "person_name": "Claire Vasseur, préfète",
            "person_email": "claire.vasseur@exemple.test",
        },
        api.pilot,
    )
    assert response.status_code == 201
    member = response.json()
    assert member["role_label"] == "coprésident"
    assert member["person"] == "Claire Vasseur, préfète"
    assert member["organization"]["id"] == world.state_org.pk

    with_user = post(
        client, url, {"organization_id": world.epci_org.pk, "role": "co_chair", "user_id": world.pilot.pk}, api.pilot
    )
    assert with_user.status_code == 201
    assert with_user.json()["user_id"] == world.pilot.pk
    assert with_user.json()["person"] == world.pilot.display_name

    duplicate = post(
        client,
        url,
        {"organization_id": world.state_org.pk, "role": "member", "person_name": "Claire Vasseur, préfète"},
        api.pilot,
    )
    assert duplicate.status_code == 422
    assert "siège déjà" in duplicate.json()["detail"]

    stranger = UserFactory()
    not_a_member = post(client, url, {"organization_id": world.state_org.pk, "user_id": stranger.pk}, api.pilot)
    assert not_a_member.status_code == 422
    assert "n'a pas de rôle sur ce contrat" in not_a_member.json()["detail"]

    foreign_commune = OrganizationFactory(kind="local_authority", siren="")
    foreign = post(client, url, {"organization_id": foreign_commune.pk}, api.pilot)
    assert foreign.status_code == 422
    assert foreign.json()["detail"] == "Organisation inconnue, ou collectivité étrangère à ce contrat."

    assert_write_guarded(client, api, url, {"organization_id": world.council_org.pk})
    assert BodyMember.objects.filter(body=committee).count() == 2


# --- meetings -----------------------------------------------------------------------------------------------


def test_meeting_create_invites_the_members(client, api):
    committee = make_steering_committee(api.world)
    starts_at = timezone.now() + timedelta(days=10)
    payload = {
        "body_id": committee.pk,
        "title": "Installation du comité de pilotage",
        "starts_at": starts_at.isoformat(),
        "ends_at": (starts_at + timedelta(hours=2)).isoformat(),
        "location": "Hôtel de la communauté, salle du conseil",
        "agenda": [
            {"title": "Composition du comité", "description": "Coprésidence État, EPCI, communes."},
            {"title": "Calendrier d'élaboration"},
        ],
    }
    response = post(client, api.url("meetings"), payload, api.pilot)
    assert response.status_code == 201
    meeting = response.json()
    assert meeting["status"] == "planned"
    assert [item["title"] for item in meeting["agenda"]] == ["Composition du comité", "Calendrier d'élaboration"]
    assert len(meeting["attendance"]) == 4
    assert {entry["status"] for entry in meeting["attendance"]} == {"invited"}
    assert meeting["minutes"] == ""

    nowhere = post(client, api.url("meetings"), {**payload, "location": ""}, api.pilot)
    assert nowhere.status_code == 422
    assert nowhere.json()["detail"] == "Indiquez un lieu ou un lien de visioconférence."

    other_body = body_create(contract=make_contract(name="Tiers"), kind=BodyKind.STEERING_COMMITTEE, by=None)
    assert post(client, api.url("meetings"), {**payload, "body_id": other_body.pk}, api.pilot).status_code == 404

    assert_write_guarded(client, api, api.url("meetings"), payload)
    assert Meeting.objects.count() == 1


def test_meeting_list_and_detail(client, api):
    world = api.world
    committee = make_steering_committee(world)
    group = body_create(
        contract=world.contract, kind=BodyKind.WORKING_GROUP, pillar=world.contract.pillars.first(), by=None
    )
    body_member_add(body=group, organization=world.partner_org, role=MemberRole.MEMBER, by=None)
    installation = past_meeting(committee)
    workshop = past_meeting(group, title="Atelier diagnostic", hours_ago=1)
    minutes_save(meeting=workshop, html="<p>Le groupe a recensé les données.</p>", by=None)

    listing = client.get(api.url("meetings"), headers=api.pilot)
    assert listing.status_code == 200
    assert [item["id"] for item in listing.json()] == [installation.pk, workshop.pk]
    assert [item["id"] for item in client.get(api.url("meetings"), headers=api.partner).json()] == [workshop.pk]
    assert_private_read(client, api, api.url("meetings"))

    detail = client.get(api.url(f"meetings/{workshop.pk}"), headers=api.pilot).json()
    assert detail["minutes"] == "<p>Le groupe a recensé les données.</p>"
    # The minutes are not published yet: the partner sees the meeting, not its minutes.
    partner_detail = client.get(api.url(f"meetings/{workshop.pk}"), headers=api.partner)
    assert partner_detail.status_code == 200
    assert partner_detail.json()["minutes"] is None
    assert client.get(api.url(f"meetings/{installation.pk}"), headers=api.partner).status_code == 404
    assert_private_read(client, api, api.url(f"meetings/{workshop.pk}"))


def test_meeting_list_query_count_does_not_grow(client, api, query_count):
    committee = make_steering_committee(api.world)
    for index in range(2):
        past_meeting(committee, title=f"Séance {index}")
    with query_count() as few:
        client.get(api.url("meetings"), headers=api.pilot)
    for index in range(20):
        past_meeting(committee, title=f"Autre séance {index}")
    with query_count() as many:
        response = client.get(api.url("meetings"), headers=api.pilot)
    assert len(response.json()) == 22
    assert len(many) == len(few)


def test_attendance_record_marks_the_meeting_held(client, api):
    committee = make_steering_committee(api.world)
    meeting = past_meeting(committee)
    members = list(committee.members.order_by("pk"))
    url = api.url(f"meetings/{meeting.pk}/attendance")
    payload = {
        "entries": [
            {"member_id": members[0].pk, "status": "present"},
            {"member_id": members[1].pk, "status": "represented", "represented_by": "Paul Girard, vice-président"},
            {"member_id": members[2].pk, "status": "excused"},
        ]
    }

    response = post(client, url, payload, api.pilot)
    assert response.status_code == 200
    statuses = {entry["member_id"]: entry["status"] for entry in response.json()}
    assert statuses[members[1].pk] == "represented"
    assert statuses[members[3].pk] == "invited"
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    listed = client.get(url, headers=api.pilot)
    assert listed.status_code == 200
    assert {entry["represented_by"] for entry in listed.json()} >= {"Paul Girard, vice-président"}
    assert_private_read(client, api, url)
    assert_write_guarded(client, api, url, payload)


def test_attendance_refusals(client, api):
    committee = make_steering_committee(api.world)
    member = committee.members.first()
    future = meeting_schedule(
        body=committee,
        title="Prochaine séance",
        starts_at=timezone.now() + timedelta(days=3),
        location="Mairie",
        by=None,
    )
    too_early = post(
        client,
        api.url(f"meetings/{future.pk}/attendance"),
        {"entries": [{"member_id": member.pk, "status": "present"}]},
        api.pilot,
    )
    assert too_early.status_code == 422
    assert (
        too_early.json()["detail"] == "La séance n'a pas encore eu lieu : les présences ne peuvent pas être saisies."
    )

    held = past_meeting(committee)
    no_name = post(
        client,
        api.url(f"meetings/{held.pk}/attendance"),
        {"entries": [{"member_id": member.pk, "status": "represented"}]},
        api.pilot,
    )
    assert no_name.status_code == 422
    assert no_name.json()["detail"].startswith("Indiquez qui représente")
    assert not Attendance.objects.exclude(status=AttendanceStatus.INVITED).exists()


# --- decisions ----------------------------------------------------------------------------------------------


def test_decision_create_on_the_contract(client, api):
    world = api.world
    meeting = past_meeting(make_steering_committee(world))
    payload = {
        "meeting_id": meeting.pk,
        "verdict": "validated",
        "text": "Le comité de pilotage valide sa composition et le calendrier d'élaboration.",
        "target_type": "contracts.contract",
        "target_id": world.contract.pk,
        "is_published": True,
    }
    response = post(client, api.url("decisions"), payload, api.pilot)
    assert response.status_code == 201
    decision = response.json()
    assert decision["verdict_label"] == "validé"
    assert decision["target_type"] == "contracts.contract"
    assert decision["target_label"] == world.contract.name
    assert decision["body_name"] == "Comité de pilotage"
    assert decision["decided_on"] == timezone.localdate(meeting.starts_at).isoformat()

    other_contract = make_contract(name="Contrat voisin")
    foreign = post(client, api.url("decisions"), {**payload, "target_id": other_contract.pk}, api.pilot)
    assert foreign.status_code == 422
    assert foreign.json()["detail"].startswith("Objet de la décision introuvable dans ce contrat")

    future = meeting_schedule(
        body=meeting.body, title="Plus tard", starts_at=timezone.now() + timedelta(days=5), location="Mairie", by=None
    )
    too_early = post(client, api.url("decisions"), {**payload, "meeting_id": future.pk}, api.pilot)
    assert too_early.status_code == 422
    assert too_early.json()["detail"].startswith("Une décision s'enregistre dans une séance qui s'est tenue")

    assert_write_guarded(client, api, api.url("decisions"), payload)
    assert Decision.objects.count() == 1


def test_decision_list_is_public_on_a_published_contract(client, api):
    world = api.world
    meeting = past_meeting(make_steering_committee(world))
    decision_record(meeting=meeting, verdict="validated", text="Décision publiée.", is_published=True, by=None)
    decision_record(meeting=meeting, verdict="postponed", text="Décision interne.", by=None)
    url = api.url("decisions")

    assert [item["text"] for item in client.get(url, headers=api.pilot).json()] == [
        "Décision interne.",
        "Décision publiée.",
    ]
    # Unpublished contract: nothing for the public or for another contract's pilot.
    assert client.get(url).status_code == 404
    assert client.get(url, headers=api.other_pilot).status_code == 404

    world.contract.is_published = True
    world.contract.save()
    public = client.get(url)
    assert public.status_code == 200
    assert [item["text"] for item in public.json()] == ["Décision publiée."]
    # The partner does not sit in the steering committee: published decisions only.
    assert [item["text"] for item in client.get(url, headers=api.partner).json()] == ["Décision publiée."]


def test_decision_list_query_count_does_not_grow(client, api, query_count):
    world = api.world
    meeting = past_meeting(make_steering_committee(world))
    for index in range(2):
        decision_record(meeting=meeting, verdict="validated", text=f"D{index}", target=world.contract, by=None)
    with query_count() as few:
        client.get(api.url("decisions"), headers=api.pilot)
    for index in range(20):
        decision_record(meeting=meeting, verdict="validated", text=f"E{index}", target=world.contract, by=None)
    with query_count() as many:
        response = client.get(api.url("decisions"), headers=api.pilot)
    assert len(response.json()) == 22
    assert len(many) == len(few)


# --- phases -------------------------------------------------------------------------------------------------


def test_phases_apply_list_and_detail(client, api):
    url = api.url("phases")
    assert client.get(url, headers=api.pilot).json() == []

    response = post(client, url, {"launch_on": "2024-09-02"}, api.pilot)
    assert response.status_code == 201
    phases = response.json()
    assert [phase["code"] for phase in phases][:3] == ["1.1", "1.2", "2.1"]
    assert phases[0]["planned_start"] == "2024-09-02"
    assert phases[2]["rule"].startswith("Le comité de pilotage existe")

    listing = client.get(url, headers=api.partner)
    assert listing.status_code == 200
    assert len(listing.json()) == len(phases)
    phase_id = phases[1]["id"]
    detail = client.get(api.url(f"phases/{phase_id}"), headers=api.pilot)
    assert detail.status_code == 200
    assert detail.json()["code"] == "1.2"
    assert_private_read(client, api, url)
    assert_private_read(client, api, api.url(f"phases/{phase_id}"))

    unknown = post(client, url, {"template_code": "inconnu"}, api.pilot)
    assert unknown.status_code == 422
    assert unknown.json()["detail"] == "Modèle de processus d'élaboration inconnu : « inconnu »."
    assert_write_guarded(client, api, url, {"template_code": "calendrier-2024"})
    assert Phase.objects.filter(contract=api.world.contract, code="2.3.1").exists()


def test_phase_status_set_by_hand_with_who_and_when(client, api):
    post(client, api.url("phases"), {}, api.pilot)
    phase = Phase.objects.get(contract=api.world.contract, code="1.2")
    url = api.url(f"phases/{phase.pk}")

    response = patch(client, url, {"status": "done"}, api.pilot)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "done"
    assert body["status_source"] == "manual"
    assert body["status_set_by"] == api.world.pilot.display_name
    assert body["completed_on"] == timezone.localdate().isoformat()

    refused = post(client, api.url("phases"), {}, api.pilot)
    assert refused.status_code == 422
    assert refused.json()["detail"].startswith("Impossible d'appliquer un autre modèle")

    bad = patch(client, url, {"status": "finie"}, api.pilot)
    assert bad.status_code == 422  # schema validation (unknown choice)
    assert_write_guarded(client, api, url, {"status": "in_progress"}, method=patch)
    phase.refresh_from_db()
    assert phase.manual_status == PhaseStatus.DONE


def test_the_steering_committee_phase_turns_done_through_the_api(client, api):
    """Constitute the COPIL, schedule a meeting, record attendance and a decision: phase 2.1 is done."""
    world = api.world
    post(client, api.url("phases"), {}, api.pilot)
    committee_id = post(client, api.url("bodies"), {"kind": "steering_committee"}, api.pilot).json()["id"]
    for organization in (world.state_org, world.epci_org, world.commune_org):
        added = post(
            client,
            api.url(f"bodies/{committee_id}/members"),
            {"organization_id": organization.pk, "role": "co_chair"},
            api.pilot,
        )
        assert added.status_code == 201
    meeting = post(
        client,
        api.url("meetings"),
        {
            "body_id": committee_id,
            "title": "Installation",
            "starts_at": (timezone.now() - timedelta(minutes=30)).isoformat(),
            "video_url": "https://visio.exemple.test/copil",
        },
        api.pilot,
    ).json()
    phase_21 = next(
        phase for phase in client.get(api.url("phases"), headers=api.pilot).json() if phase["code"] == "2.1"
    )
    assert phase_21["status"] != "done"

    entries = [{"member_id": entry["member_id"], "status": "present"} for entry in meeting["attendance"]]
    assert (
        post(client, api.url(f"meetings/{meeting['id']}/attendance"), {"entries": entries}, api.pilot).status_code
        == 200
    )
    decision = post(
        client,
        api.url("decisions"),
        {"meeting_id": meeting["id"], "verdict": "validated", "text": "Le comité valide sa composition."},
        api.pilot,
    )
    assert decision.status_code == 201

    phase_21 = client.get(api.url(f"phases/{phase_21['id']}"), headers=api.pilot).json()
    assert (phase_21["status"], phase_21["status_source"]) == ("done", "rule")

"""The governance API's updates and removals (issue 10 §7): edit or delete a body, change or remove a seat, edit,
cancel or convene a meeting, write and publish its minutes — through the same services, permissions and French
messages as the pages.

Each endpoint answers 401 without a token, 404 to the pilot of another contract, 403 to a partner who writes and
422 with the service's French message when a business rule refuses.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from contrat_ville.governance.enums import AttendanceStatus, BodyKind, MeetingStatus, MemberRole, Verdict
from contrat_ville.governance.models import Attendance, Body, BodyMember, Meeting
from contrat_ville.governance.services.bodies import body_create, body_member_add
from contrat_ville.governance.services.decisions import decision_record
from contrat_ville.governance.services.meetings import attendance_record, meeting_mark_held, meeting_schedule
from contrat_ville.governance.tests.test_api import (
    ApiWorld,
    api_world,
    assert_write_guarded,
    make_steering_committee,
    past_meeting,
    post,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api() -> ApiWorld:
    return api_world()


def put(client: Client, url: str, data: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
    return client.put(url, data, content_type="application/json", headers=headers or {})


def delete(client: Client, url: str, data: Any = None, headers: dict[str, str] | None = None) -> Any:
    return client.delete(url, headers=headers or {})


def future_meeting(body: Body) -> Meeting:
    return meeting_schedule(
        body=body,
        title="Séance de printemps",
        starts_at=timezone.now() + timedelta(days=10),
        location="Hôtel de la communauté",
        agenda=[("Bilan", "Le bilan de l'année.")],
        by=None,
    )


# --- bodies -------------------------------------------------------------------------------------------------


def test_body_update(client, api: ApiWorld):
    group = body_create(contract=api.world.contract, kind=BodyKind.WORKING_GROUP, by=None)
    url = api.url(f"bodies/{group.pk}")
    payload = {"name": "Groupe cadre de vie", "pillar": "cadre_de_vie", "min_meetings_per_year": 4}
    response = put(client, url, payload, api.pilot)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["name"], body["pillar"], body["kind"]) == ("Groupe cadre de vie", "cadre_de_vie", "working_group")
    group.refresh_from_db()
    assert (group.min_meetings_per_year, group.history.first().history_user) == (4, api.world.pilot)

    unknown = put(client, url, {**payload, "pillar": "inconnu"}, api.pilot)
    assert (unknown.status_code, unknown.json()["detail"]) == (422, "Ce contrat n'a pas de pilier « inconnu ».")
    assert put(client, url, {**payload, "min_meetings_per_year": 0}, api.pilot).status_code == 422
    committee = make_steering_committee(api.world)
    refused = put(client, api.url(f"bodies/{committee.pk}"), {"pillar": "cadre_de_vie"}, api.pilot)
    assert refused.status_code == 422
    assert "rattaché à un pilier" in refused.json()["detail"]
    assert put(client, api.url("bodies/999999"), payload, api.pilot).status_code == 404
    assert_write_guarded(client, api, url, payload, method=put)


def test_body_delete_refused_once_it_met(client, api: ApiWorld):
    committee = make_steering_committee(api.world)
    past_meeting(committee)
    group = body_create(contract=api.world.contract, kind=BodyKind.WORKING_GROUP, by=None)
    refused = delete(client, api.url(f"bodies/{committee.pk}"), headers=api.pilot)
    assert refused.status_code == 422
    assert refused.json()["detail"].startswith("Cette instance a des séances")
    assert_write_guarded(client, api, api.url(f"bodies/{group.pk}"), {}, method=delete)
    assert delete(client, api.url(f"bodies/{group.pk}"), headers=api.pilot).status_code == 204
    assert not Body.objects.filter(pk=group.pk).exists()
    assert delete(client, api.url(f"bodies/{group.pk}"), headers=api.pilot).status_code == 404


def test_seat_update_and_removal(client, api: ApiWorld):
    world = api.world
    committee = body_create(contract=world.contract, kind=BodyKind.STEERING_COMMITTEE, by=None)
    seat = body_member_add(body=committee, organization=world.state_org, role=MemberRole.MEMBER, by=None)
    url = api.url(f"bodies/{committee.pk}/members/{seat.pk}")
    payload = {"role": "co_chair", "person_name": "Claire Vasseur, préfète"}
    response = put(client, url, payload, api.pilot)
    assert response.status_code == 200, response.content
    assert (response.json()["role"], response.json()["person"]) == ("co_chair", "Claire Vasseur, préfète")
    stranger = put(client, url, {**payload, "user_id": 999999}, api.pilot)
    assert (stranger.status_code, "n'a pas de rôle sur ce contrat" in stranger.json()["detail"]) == (422, True)
    assert put(client, api.url(f"bodies/{committee.pk}/members/999999"), payload, api.pilot).status_code == 404
    assert_write_guarded(client, api, url, payload, method=put)

    meeting = past_meeting(committee)
    attendance_record(meeting=meeting, entries={seat.pk: (AttendanceStatus.PRESENT, "")}, by=None)
    recorded = delete(client, url, headers=api.pilot)
    assert recorded.status_code == 422
    assert "présence" in recorded.json()["detail"]
    other = body_member_add(body=committee, organization=world.council_org, role=MemberRole.MEMBER, by=None)
    other_url = api.url(f"bodies/{committee.pk}/members/{other.pk}")
    Attendance.objects.filter(member=other).delete()
    assert_write_guarded(client, api, other_url, {}, method=delete)
    assert delete(client, other_url, headers=api.pilot).status_code == 204
    assert not BodyMember.objects.filter(pk=other.pk).exists()


# --- meetings -----------------------------------------------------------------------------------------------


def test_meeting_update(client, api: ApiWorld):
    committee = make_steering_committee(api.world)
    meeting = future_meeting(committee)
    url = api.url(f"meetings/{meeting.pk}")
    starts_at = timezone.now() + timedelta(days=12)
    payload = {
        "title": "Séance de printemps, reportée",
        "purpose": "annual_review",
        "starts_at": starts_at.isoformat(),
        "video_url": "https://visio.exemple.fr/copil",
        "agenda": [{"title": "Bilan"}, {"title": "Programmation"}],
    }
    response = put(client, url, payload, api.pilot)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["title"], body["purpose"], body["location"]) == ("Séance de printemps, reportée", "annual_review", "")
    assert [(item["title"], item["description"]) for item in body["agenda"]] == [
        ("Bilan", "Le bilan de l'année."),
        ("Programmation", ""),
    ]
    nowhere = put(client, url, {**payload, "video_url": ""}, api.pilot)
    assert (nowhere.status_code, nowhere.json()["detail"]) == (422, "Indiquez un lieu ou un lien de visioconférence.")
    assert put(client, api.url("meetings/999999"), payload, api.pilot).status_code == 404
    assert_write_guarded(client, api, url, payload, method=put)


def test_meeting_cancel_and_convene(client, api: ApiWorld):
    committee = make_steering_committee(api.world)
    meeting = future_meeting(committee)
    url = api.url(f"meetings/{meeting.pk}")
    assert_write_guarded(client, api, f"{url}/convene", {})
    convened = post(client, f"{url}/convene", {}, api.pilot)
    assert (convened.status_code, convened.json()["status"]) == (200, MeetingStatus.CONVENED)
    assert_write_guarded(client, api, f"{url}/cancel", {})
    cancelled = post(client, f"{url}/cancel", {}, api.pilot)
    assert (cancelled.status_code, cancelled.json()["status"]) == (200, MeetingStatus.CANCELLED)
    again = post(client, f"{url}/cancel", {}, api.pilot)
    assert (again.status_code, again.json()["detail"]) == (422, "Cette séance est annulée.")
    frozen = put(client, url, {"title": "x", "starts_at": timezone.now().isoformat(), "location": "Ici"}, api.pilot)
    assert (frozen.status_code, frozen.json()["detail"]) == (422, "Cette séance est annulée.")

    held = past_meeting(committee)
    decision_record(meeting=held, verdict=Verdict.VALIDATED, text="Installation.", by=None)
    refused = post(client, api.url(f"meetings/{held.pk}/cancel"), {}, api.pilot)
    assert refused.status_code == 422
    assert post(client, api.url("meetings/999999/cancel"), {}, api.pilot).status_code == 404


def test_minutes_are_written_and_published_once_the_meeting_is_held(client, api: ApiWorld):
    committee = make_steering_committee(api.world)
    meeting = past_meeting(committee)
    url = api.url(f"meetings/{meeting.pk}/minutes")
    payload = {"minutes": "<p>Installation du comité.</p><script>alert(1)</script>", "publish": True}
    assert_write_guarded(client, api, url, payload, method=put)
    not_held = put(client, url, payload, api.pilot)
    assert (not_held.status_code, not_held.json()["detail"]) == (
        422,
        "Seul le compte rendu d'une séance tenue peut être publié.",
    )
    meeting.refresh_from_db()
    assert meeting.minutes == ""  # nothing saved when the publication is refused
    draft = put(client, url, {**payload, "publish": False}, api.pilot)
    assert draft.status_code == 200, draft.content
    assert (draft.json()["minutes"], draft.json()["minutes_published"]) == ("<p>Installation du comité.</p>", False)
    seat = committee.members.first()
    attendance_record(meeting=meeting, entries={seat.pk: (AttendanceStatus.PRESENT, "")}, by=None)
    meeting_mark_held(meeting=meeting, by=None)
    published = put(client, url, payload, api.pilot)
    assert (published.status_code, published.json()["minutes_published"]) == (200, True)


def test_meeting_attachments_through_the_api(client: Client) -> None:
    """Issue 10 §7: a meeting's documents are joined and removed through the API as on its page."""
    api = api_world()
    meeting = past_meeting(make_steering_committee(api.world))
    url = f"/api/v1/contracts/{api.world.contract.pk}/meetings/{meeting.pk}/attachments"

    def upload(name: str, content: bytes, headers: dict[str, str]) -> Any:
        return client.post(url, {"title": "Diaporama", "file": SimpleUploadedFile(name, content)}, headers=headers)

    assert upload("diaporama.pdf", b"%PDF-1.7\n", {}).status_code == 401
    assert upload("diaporama.pdf", b"%PDF-1.7\n", api.partner).status_code == 403
    assert upload("diaporama.pdf", b"%PDF-1.7\n", api.other_pilot).status_code == 404
    refused = upload("script.exe", b"MZ", api.pilot)
    assert refused.status_code == 422 and "Ce type de fichier n'est pas accepté" in refused.json()["detail"]
    created = upload("diaporama.pdf", b"%PDF-1.7\n", api.pilot)
    assert created.status_code == 201, created.content
    assert client.get(url, headers=api.pilot).json() == [created.json()]
    removed = client.delete(f"{url}/{created.json()['id']}", headers=api.pilot)
    assert removed.status_code == 204
    assert client.get(url, headers=api.pilot).json() == []

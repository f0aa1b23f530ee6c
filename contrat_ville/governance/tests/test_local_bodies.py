"""Governance as the contract describes it (issue 10 §5): local bodies, several bodies of a kind, working groups
without a pillar or tied to a transversal axis, a minimum number of meetings a year, a purpose per meeting, a
body's restricted and enlarged formats."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from contrat_ville.contracts.tests.factories import make_contract
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.governance.enums import BodyKind, MeetingFormat, MeetingPurpose, MeetingStatus, MemberRole
from contrat_ville.governance.models import Body, Meeting
from contrat_ville.governance.selectors.bodies import meeting_pace
from contrat_ville.governance.selectors.composition import body_conformity
from contrat_ville.governance.services.bodies import body_create, body_member_add, body_update
from contrat_ville.governance.services.meetings import meeting_cancel, meeting_schedule, meeting_update
from contrat_ville.governance.suggestions import body_member_suggestions
from contrat_ville.governance.tests.factories_bodies import governance_world
from contrat_ville.governance.tests.test_api import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return governance_world()


def url(world, name, **kwargs):
    return reverse(f"governance:{name}", kwargs={"contract_slug": world.contract.slug, **kwargs})


def this_year(month: int, day: int = 15) -> datetime:
    return datetime(timezone.localdate().year, month, day, 10, tzinfo=UTC)


def meet(body: Body, month: int, **kwargs) -> Meeting:
    return meeting_schedule(
        body=body, title=f"Séance {month}", starts_at=this_year(month), location="Salle", by=None, **kwargs
    )


# --- local bodies and several bodies of a kind -------------------------------------------------------------


def test_a_local_body_is_named_after_its_kind_and_gets_no_seed_suggestion(world):
    body = body_create(
        contract=world.contract, kind=BodyKind.LOCAL, local_kind_label="conférence des financeurs", by=world.pilot
    )
    assert body.name == "Conférence des financeurs"
    assert body.kind_label == "conférence des financeurs"
    assert body.mission == ""
    assert body_member_suggestions(body=body) == []
    # No composition rule of the seed's bodies applies to it (R12 included).
    assert body_conformity(body=body) == []
    second = body_create(
        contract=world.contract, kind=BodyKind.LOCAL, local_kind_label="Cellule de pilotage", name="Cellule", by=None
    )
    assert second.kind_label == "Cellule de pilotage"


def test_a_local_body_must_name_its_kind_and_only_it_has_one(world):
    with pytest.raises(BusinessRuleError, match="Nommez la nature de cette instance locale"):
        body_create(contract=world.contract, kind=BodyKind.LOCAL, local_kind_label="  ", by=world.pilot)
    with pytest.raises(BusinessRuleError, match="Seule une instance locale"):
        body_create(
            contract=world.contract, kind=BodyKind.STEERING_COMMITTEE, local_kind_label="Copil", by=world.pilot
        )


def test_several_technical_committees_and_working_groups_of_any_theme(world):
    first = body_create(contract=world.contract, kind=BodyKind.TECHNICAL_COMMITTEE, by=world.pilot)
    second = body_create(
        contract=world.contract, kind=BodyKind.TECHNICAL_COMMITTEE, name="Équipe projet Nord", by=world.pilot
    )
    assert {first.name, second.name} == {"Comité technique", "Équipe projet Nord"}
    free = body_create(contract=world.contract, kind=BodyKind.WORKING_GROUP, by=world.pilot)
    assert (free.name, free.pillar, free.axis, free.mission) == ("Groupe de travail", None, None, "")
    axis = world.contract.axes.get(code="jeunesse")
    youth = body_create(contract=world.contract, kind=BodyKind.WORKING_GROUP, axis=axis, by=world.pilot)
    assert youth.name == "Groupe de travail « Jeunesse »"
    assert body_create(contract=world.contract, kind=BodyKind.WORKING_GROUP, axis=axis, by=None).name.endswith("(2)")


def test_axis_rules(world):
    axis = world.contract.axes.first()
    with pytest.raises(BusinessRuleError, match="rattaché à un axe transversal"):
        body_create(contract=world.contract, kind=BodyKind.STEERING_COMMITTEE, axis=axis, by=world.pilot)
    foreign = make_contract(name="Autre contrat").axes.first()
    with pytest.raises(BusinessRuleError, match="Cet axe transversal n'appartient pas à ce contrat"):
        body_create(contract=world.contract, kind=BodyKind.WORKING_GROUP, axis=foreign, by=world.pilot)


def test_body_update_keeps_the_local_kind_axis_and_minimum(world):
    body = body_create(contract=world.contract, kind=BodyKind.LOCAL, local_kind_label="Cellule de pilotage", by=None)
    axis = world.contract.axes.first()
    body_update(
        body=body,
        name="Cellule restreinte",
        local_kind_label="Cellule de pilotage",
        axis=axis,
        min_meetings_per_year=4,
        by=world.pilot,
    )
    body.refresh_from_db()
    assert (body.name, body.axis, body.min_meetings_per_year) == ("Cellule restreinte", axis, 4)
    with pytest.raises(BusinessRuleError, match="entre 1 et 366"):
        body_update(body=body, local_kind_label="Cellule", min_meetings_per_year=0, by=world.pilot)


def test_web_creates_a_local_body_tied_to_an_axis(client, world):
    client.force_login(world.pilot)
    axis = world.contract.axes.get(code="jeunesse")
    response = client.post(
        url(world, "body_create"),
        {
            "kind": BodyKind.LOCAL,
            "local_kind_label": "Conférence des financeurs",
            "name": "",
            "axis": axis.pk,
            "mission": "",
            "min_meetings_per_year": "2",
        },
    )
    body = Body.objects.get(contract=world.contract, kind=BodyKind.LOCAL)
    assert response.status_code == 302
    assert (body.name, body.axis, body.min_meetings_per_year) == ("Conférence des financeurs", axis, 2)
    listing = client.get(url(world, "body_list")).content.decode()
    assert "<h2>Conférence des financeurs</h2>" in listing
    assert "Axe : Jeunesse" in listing
    detail = client.get(url(world, "body_detail", body_id=body.pk)).content.decode()
    assert "Conférence des financeurs" in detail
    assert "Axe transversal : Jeunesse" in detail
    form = client.get(url(world, "body_update", body_id=body.pk)).context["form"]
    assert {"local_kind_label", "axis", "pillar", "min_meetings_per_year"} <= set(form.fields)
    response = client.post(
        url(world, "body_update", body_id=body.pk),
        {"name": "CDF", "local_kind_label": "Conférence des financeurs", "mission": "", "min_meetings_per_year": ""},
    )
    assert response.status_code == 302
    body.refresh_from_db()
    assert (body.name, body.axis, body.min_meetings_per_year) == ("CDF", None, None)


def test_the_edit_form_of_a_seed_body_has_no_local_kind_nor_theme(client, world):
    client.force_login(world.pilot)
    committee = body_create(contract=world.contract, kind=BodyKind.STEERING_COMMITTEE, by=world.pilot)
    fields = set(client.get(url(world, "body_update", body_id=committee.pk)).context["form"].fields)
    assert fields == {"name", "mission", "min_meetings_per_year"}


# --- minimum number of meetings a year ---------------------------------------------------------------------


def test_meeting_pace_counts_this_years_meetings_except_cancelled(world):
    committee = body_create(
        contract=world.contract, kind=BodyKind.STEERING_COMMITTEE, min_meetings_per_year=3, by=world.pilot
    )
    meet(committee, 3)
    meeting_cancel(meeting=meet(committee, 4), by=None)
    Meeting.objects.create(
        body=committee, title="L'an dernier", starts_at=this_year(5).replace(year=this_year(5).year - 1)
    )
    pace = meeting_pace(body=committee)
    assert pace is not None
    assert (pace.minimum, pace.count, pace.is_short) == (3, 1, True)
    assert pace.warning_fr == (
        f"1 séance tenue ou prévue en {pace.year} pour 3 au minimum par an : programmez-en 2 de plus."
    )
    meet(committee, 6)
    held = meet(committee, 7)
    Meeting.objects.filter(pk=held.pk).update(status=MeetingStatus.HELD)
    assert meeting_pace(body=committee).is_short is False
    assert meeting_pace(body=body_create(contract=world.contract, kind=BodyKind.TECHNICAL_COMMITTEE, by=None)) is None


def test_the_body_page_and_the_list_warn_below_the_minimum(client, world):
    committee = body_create(
        contract=world.contract, kind=BodyKind.STEERING_COMMITTEE, min_meetings_per_year=2, by=world.pilot
    )
    meet(committee, 2)
    client.force_login(world.pilot)
    detail = client.get(url(world, "body_detail", body_id=committee.pk)).content.decode()
    assert "Séances en deçà du minimum : 1 séance tenue ou prévue en" in detail
    listing = client.get(url(world, "body_list")).content.decode()
    assert "1 / 2 au minimum" in listing
    assert "Sous le minimum" in listing
    meet(committee, 9)
    detail = client.get(url(world, "body_detail", body_id=committee.pk)).content.decode()
    assert "Séances en deçà du minimum" not in detail
    assert "2 séances tenues ou prévues en" in detail
    assert "Sous le minimum" not in client.get(url(world, "body_list")).content.decode()


# --- purpose of a meeting ----------------------------------------------------------------------------------


def test_a_meeting_has_a_purpose_shown_on_its_page_and_the_calendar(client, world):
    committee = body_create(contract=world.contract, kind=BodyKind.STEERING_COMMITTEE, by=world.pilot)
    client.force_login(world.pilot)
    response = client.post(
        url(world, "meeting_create", body_id=committee.pk),
        {
            "title": "Comité de pilotage annuel",
            "purpose": MeetingPurpose.ANNUAL_REVIEW,
            "starts_at": this_year(10).strftime("%Y-%m-%dT%H:%M"),
            "location": "Hôtel de communauté",
            "agenda": "Bilan de l'année",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(body=committee)
    assert meeting.purpose == MeetingPurpose.ANNUAL_REVIEW
    detail = client.get(url(world, "meeting_detail", meeting_id=meeting.pk)).content.decode()
    assert '<dd class="fr-mb-2v" data-testid="meeting-purpose">Suivi annuel</dd>' in detail
    listing = client.get(url(world, "meeting_calendar") + "?vue=liste").content.decode()
    assert "<td>Suivi annuel</td>" in listing
    month = client.get(url(world, "meeting_calendar") + f"?mois={this_year(10):%Y-%m}").content.decode()
    assert "Suivi annuel — " in month


def test_meeting_update_keeps_or_changes_the_purpose(world):
    committee = body_create(contract=world.contract, kind=BodyKind.STEERING_COMMITTEE, by=world.pilot)
    meeting = meet(committee, 5, purpose=MeetingPurpose.INSTALLATION)
    meeting_update(meeting=meeting, title="Installation", starts_at=meeting.starts_at, location="Salle", by=None)
    assert Meeting.objects.get(pk=meeting.pk).purpose == MeetingPurpose.INSTALLATION
    meeting_update(meeting=meeting, title="Bilan", starts_at=meeting.starts_at, location="Salle", purpose="", by=None)
    assert Meeting.objects.get(pk=meeting.pk).purpose == ""
    with pytest.raises(BusinessRuleError, match="Objet de séance inconnu"):
        meeting_update(
            meeting=meeting, title="Bilan", starts_at=meeting.starts_at, location="Salle", purpose="fête", by=None
        )


# --- API ---------------------------------------------------------------------------------------------------


def test_api_creates_a_local_body_and_a_meeting_with_a_purpose(client, world):
    headers = bearer(world.pilot)
    base = f"/api/v1/contracts/{world.contract.pk}"
    created = client.post(
        f"{base}/bodies",
        {
            "kind": "local",
            "local_kind_label": "Conférence des financeurs",
            "axis": "jeunesse",
            "min_meetings_per_year": 2,
        },
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["kind"], body["kind_label"], body["name"]) == (
        "local",
        "Conférence des financeurs",
        "Conférence des financeurs",
    )
    assert (body["axis"], body["pillar"], body["min_meetings_per_year"]) == ("jeunesse", None, 2)
    assert body["meeting_pace"] == {"year": timezone.localdate().year, "minimum": 2, "count": 0, "is_short": True}

    meeting = client.post(
        f"{base}/meetings",
        {
            "body_id": body["id"],
            "title": "Installation",
            "purpose": "installation",
            "starts_at": this_year(11).isoformat(),
            "location": "Salle",
        },
        content_type="application/json",
        headers=headers,
    )
    assert meeting.status_code == 201
    assert (meeting.json()["purpose"], meeting.json()["purpose_label"]) == ("installation", "séance d'installation")

    listed = client.get(f"{base}/bodies", headers=headers).json()
    assert [entry["meeting_pace"] for entry in listed if entry["id"] == body["id"]] == [
        {"year": timezone.localdate().year, "minimum": 2, "count": 1, "is_short": True}
    ]
    wrong_purpose = client.post(
        f"{base}/meetings",
        {
            "body_id": body["id"],
            "title": "X",
            "purpose": "fête",
            "starts_at": this_year(11).isoformat(),
            "location": "S",
        },
        content_type="application/json",
        headers=headers,
    )
    assert wrong_purpose.status_code == 422


# --- formats (restricted / enlarged) -----------------------------------------------------------------------


def test_a_restricted_meeting_invites_the_restricted_formats_seats_only(client, world):
    cell = body_create(contract=world.contract, kind=BodyKind.LOCAL, local_kind_label="Cellule de pilotage", by=None)
    core = body_member_add(body=cell, organization=world.epci_org, role=MemberRole.CO_CHAIR, by=None)
    wide = body_member_add(
        body=cell, organization=world.partner_org, role=MemberRole.MEMBER, enlarged_only=True, by=None
    )
    restricted = meet(cell, 3, formation=MeetingFormat.RESTRICTED)
    assert set(restricted.attendances.values_list("member_id", flat=True)) == {core.pk}
    enlarged = meet(cell, 4, formation=MeetingFormat.ENLARGED)
    assert set(enlarged.attendances.values_list("member_id", flat=True)) == {core.pk, wide.pk}
    meeting_update(
        meeting=enlarged,
        title="Restreinte finalement",
        starts_at=enlarged.starts_at,
        location="Salle",
        formation=MeetingFormat.RESTRICTED,
        by=None,
    )
    assert set(enlarged.attendances.values_list("member_id", flat=True)) == {core.pk}

    client.force_login(world.pilot)
    detail = client.get(url(world, "body_detail", body_id=cell.pk)).content.decode()
    assert "en formation restreinte (1 membre) et en formation élargie (les 2 membres)" in detail
    assert "Élargie seulement" in detail
    page = client.get(url(world, "meeting_detail", meeting_id=restricted.pk)).content.decode()
    assert 'data-testid="meeting-formation">Formation restreinte</dd>' in page


def test_the_member_form_and_the_api_take_the_enlarged_format(client, world):
    cell = body_create(contract=world.contract, kind=BodyKind.LOCAL, local_kind_label="Cellule de pilotage", by=None)
    client.force_login(world.pilot)
    response = client.post(
        url(world, "body_member_add", body_id=cell.pk),
        {"organization": world.partner_org.pk, "role": MemberRole.MEMBER, "enlarged_only": "on"},
    )
    assert response.status_code == 302
    assert cell.members.get().enlarged_only is True
    headers = bearer(world.pilot)
    base = f"/api/v1/contracts/{world.contract.pk}"
    seat = client.post(
        f"{base}/bodies/{cell.pk}/members",
        {"organization_id": world.epci_org.pk, "role": "co_chair"},
        content_type="application/json",
        headers=headers,
    )
    assert (seat.status_code, seat.json()["enlarged_only"]) == (201, False)
    meeting = client.post(
        f"{base}/meetings",
        {
            "body_id": cell.pk,
            "title": "Cellule restreinte",
            "formation": "restricted",
            "starts_at": this_year(11).isoformat(),
            "location": "Salle",
        },
        content_type="application/json",
        headers=headers,
    )
    assert meeting.status_code == 201
    assert (meeting.json()["formation"], meeting.json()["formation_label"]) == ("restricted", "formation restreinte")
    assert [entry["organization"] for entry in meeting.json()["attendance"]] == [str(world.epci_org)]

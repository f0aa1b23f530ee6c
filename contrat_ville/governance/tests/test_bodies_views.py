"""Bodies pages: create a body, add a co-chair through the form, permissions and bounded queries."""

import pytest
from django.urls import reverse

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant
from contrat_ville.governance.enums import BodyKind, MemberRole
from contrat_ville.governance.models import Body, BodyMember
from contrat_ville.governance.tests.factories_bodies import (
    WORLD_DEPARTEMENT,
    BodyFactory,
    governance_world,
    seat,
    steering_committee,
)
from contrat_ville.governance.tests.factories_decisions import make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return governance_world()


@pytest.fixture
def other_world():
    return governance_world(name="Contrat de ville des Coteaux", qpv_name="Les Vignes")


def url(world, name, **kwargs):
    return reverse(f"governance:{name}", kwargs={"contract_slug": world.contract.slug, **kwargs})


def test_pilot_creates_a_steering_committee(client, world):
    client.force_login(world.pilot)
    assert client.get(url(world, "body_create")).status_code == 200
    response = client.post(url(world, "body_create"), {"kind": BodyKind.STEERING_COMMITTEE, "name": "", "mission": ""})
    body = Body.objects.get(contract=world.contract)
    assert response.status_code == 302
    assert response["Location"] == url(world, "body_detail", body_id=body.pk)
    assert body.name == "Comité de pilotage"


def test_create_form_shows_the_services_refusal(client, world):
    steering_committee(world)
    client.force_login(world.state_user)
    response = client.post(url(world, "body_create"), {"kind": BodyKind.STEERING_COMMITTEE})
    assert response.status_code == 200
    assert "Ce contrat a déjà un comité de pilotage" in response.content.decode()
    response = client.post(url(world, "body_create"), {"kind": BodyKind.LOCAL})
    assert "Nommez la nature de cette instance locale" in response.content.decode()


def test_create_form_prefills_kind_and_pillar_from_the_fix_link(client, world):
    pillar = world.contract.pillars.first()
    client.force_login(world.pilot)
    response = client.get(url(world, "body_create") + f"?kind=working_group&pillar={pillar.pk}")
    assert response.context["form"].initial == {"kind": "working_group", "pillar": str(pillar.pk)}


def test_pilot_adds_a_cochair_through_the_form(client, world):
    committee = steering_committee(world, complete=False)
    client.force_login(world.pilot)
    add_url = url(world, "body_member_add", body_id=committee.pk)
    form_page = client.get(add_url + f"?role=co_chair&organization={world.commune_org.pk}")
    assert form_page.status_code == 200
    assert form_page.context["form"].initial["role"] == "co_chair"
    response = client.post(
        add_url,
        {
            "organization": world.commune_org.pk,
            "role": MemberRole.CO_CHAIR,
            "user": "",
            "person_name": "Mme la maire",
            "person_email": "maire@bourg.test",
        },
    )
    assert response.status_code == 302
    member = BodyMember.objects.get(body=committee)
    assert (member.organization, member.role) == (world.commune_org, MemberRole.CO_CHAIR)
    detail = client.get(url(world, "body_detail", body_id=committee.pk)).content.decode()
    assert world.commune_org.name in detail
    assert "Mme la maire" in detail
    assert "coprésident" in detail


def test_member_form_refuses_a_duplicate_seat(client, world):
    committee = steering_committee(world)
    client.force_login(world.pilot)
    response = client.post(
        url(world, "body_member_add", body_id=committee.pk),
        {"organization": world.council_org.pk, "role": MemberRole.MEMBER},
    )
    assert response.status_code == 200
    assert "siège déjà" in response.content.decode()


def test_member_form_offers_contract_users_and_not_foreign_local_authorities(client, world, other_world):
    committee = steering_committee(world, complete=False)
    client.force_login(world.pilot)
    form = client.get(url(world, "body_member_add", body_id=committee.pk)).context["form"]
    organizations = set(form.fields["organization"].queryset)
    assert {world.epci_org, world.commune_org, world.state_org, world.council_org} <= organizations
    assert other_world.commune_org not in organizations
    assert set(form.fields["user"].queryset) == {world.pilot, world.state_user, world.partner}


def test_body_detail_shows_former_names_conformity_and_suggestions(client, world):
    committee = steering_committee(world, complete=False)
    france_travail = OrganizationFactory.create(
        name="France Travail du Val",
        kind=OrganizationKind.PUBLIC_OPERATOR,
        former_names="Pôle emploi",
        departement_code=WORLD_DEPARTEMENT,
    )
    seat(committee, world.epci_org, MemberRole.CO_CHAIR)
    client.force_login(world.pilot)
    html = client.get(url(world, "body_detail", body_id=committee.pk)).content.decode()
    assert "Règle R09" in html
    assert "Ajouter un coprésident" in html
    assert "Membres suggérés par la note de cadrage de 2014" in html
    assert "France Travail (ex-Pôle emploi)" in html
    assert "anciennement Pôle emploi" in html
    response = client.post(
        url(world, "body_member_suggest_add", body_id=committee.pk), {"organization": france_travail.pk}
    )
    assert response.status_code == 302
    assert committee.members.filter(organization=france_travail, role=MemberRole.MEMBER).exists()


def test_suggest_add_refuses_an_organisation_that_is_not_suggested(client, world):
    committee = steering_committee(world)
    stranger = OrganizationFactory.create(name="Club de pétanque")
    client.force_login(world.pilot)
    client.post(url(world, "body_member_suggest_add", body_id=committee.pk), {"organization": stranger.pk})
    assert not committee.members.filter(organization=stranger).exists()


def test_member_remove(client, world):
    committee = steering_committee(world)
    member = committee.members.get(organization=world.council_org)
    client.force_login(world.pilot)
    assert client.get(url(world, "body_member_remove", body_id=committee.pk, member_id=member.pk)).status_code == 405
    response = client.post(url(world, "body_member_remove", body_id=committee.pk, member_id=member.pk))
    assert response.status_code == 302
    assert not BodyMember.objects.filter(pk=member.pk).exists()


def test_body_update_and_delete(client, world):
    committee = steering_committee(world)
    client.force_login(world.pilot)
    response = client.post(
        url(world, "body_update", body_id=committee.pk), {"name": "COPIL du contrat", "mission": "Piloter."}
    )
    assert response.status_code == 302
    committee.refresh_from_db()
    assert committee.name == "COPIL du contrat"
    assert client.get(url(world, "body_delete", body_id=committee.pk)).status_code == 200
    assert client.post(url(world, "body_delete", body_id=committee.pk)).status_code == 302
    assert not Body.objects.filter(pk=committee.pk).exists()


def test_constitute_button_creates_the_bodies(client, world):
    client.force_login(world.pilot)
    assert "Constituer les instances suggérées" in client.get(url(world, "body_list")).content.decode()
    response = client.post(url(world, "bodies_constitute"))
    assert response.status_code == 302
    assert Body.objects.filter(contract=world.contract).count() == 7
    html = client.get(url(world, "body_list")).content.decode()
    assert "Constituer les instances suggérées" not in html
    assert "Gouvernance conforme aux règles de composition applicables à ce contrat" in html


# --- permissions ---------------------------------------------------------------------------------------


def test_partner_sees_only_the_bodies_they_sit_in(client, world):
    committee = steering_committee(world)
    technical = BodyFactory.create(contract=world.contract, kind=BodyKind.TECHNICAL_COMMITTEE, name="COTECH")
    seat(technical, world.partner_org)
    client.force_login(world.partner)
    assert client.get(url(world, "body_detail", body_id=committee.pk)).status_code == 404
    detail = client.get(url(world, "body_detail", body_id=technical.pk))
    assert detail.status_code == 200
    assert "Retirer" not in detail.content.decode()
    listing = client.get(url(world, "body_list"))
    assert [body.pk for group in listing.context["groups"] for body in group.bodies] == [technical.pk]
    assert listing.context["conformity"] is None


def test_a_user_seated_in_person_sees_the_body(client, world):
    committee = steering_committee(world)
    council_member = UserFactory.create()
    grant(world.contract, council_member, Role.COUNCIL)
    BodyMember.objects.create(
        body=committee, organization=world.council_org, user=council_member, person_name="Awa", role="member"
    )
    client.force_login(council_member)
    assert client.get(url(world, "body_detail", body_id=committee.pk)).status_code == 200


@pytest.mark.parametrize("name", ["body_create", "bodies_constitute"])
def test_partner_may_not_edit(client, world, name):
    client.force_login(world.partner)
    method = client.post if name == "bodies_constitute" else client.get
    assert method(url(world, name)).status_code == 403


def test_partner_may_not_add_a_member(client, world):
    committee = steering_committee(world)
    seat(committee, world.partner_org)
    client.force_login(world.partner)
    assert client.get(url(world, "body_member_add", body_id=committee.pk)).status_code == 403
    assert client.post(url(world, "body_update", body_id=committee.pk), {"name": "x"}).status_code == 403


def test_pilot_of_another_contract_gets_404(client, world, other_world):
    committee = steering_committee(world)
    client.force_login(other_world.pilot)
    assert client.get(url(world, "body_list")).status_code == 404
    assert client.get(url(world, "body_detail", body_id=committee.pk)).status_code == 404
    assert client.get(url(world, "body_member_add", body_id=committee.pk)).status_code == 404
    # Their own contract's URL with this body's id: the body is not theirs.
    assert client.get(url(other_world, "body_detail", body_id=committee.pk)).status_code == 404
    assert client.get(url(other_world, "body_update", body_id=committee.pk)).status_code == 404


def test_anonymous_visitor_gets_404(client, world):
    assert client.get(url(world, "body_list")).status_code == 404


# --- queries -------------------------------------------------------------------------------------------


def _add_working_groups(world, count):
    pillar = world.contract.pillars.first()
    for index in range(count):
        group = BodyFactory.create(
            contract=world.contract, kind=BodyKind.WORKING_GROUP, pillar=pillar, name=f"Sous-groupe {index:02d}"
        )
        seat(group, world.state_org, MemberRole.CO_CHAIR)
        seat(group, OrganizationFactory.create())


@pytest.mark.query_count("governance:body_list")
def test_body_list_runs_a_bounded_number_of_queries(client, world, query_count):
    client.force_login(world.pilot)
    _add_working_groups(world, 2)
    client.get(url(world, "body_list"))  # warm caches (content types, sessions)
    small = query_count.page(client, url(world, "body_list"))
    assert small <= 20
    _add_working_groups(world, 18)
    assert query_count.page(client, url(world, "body_list")) == small
    assert sum(len(group.bodies) for group in query_count.response.context["groups"]) == 20


@pytest.mark.query_count("governance:body_detail")
def test_body_detail_query_count_does_not_grow_with_members_and_meetings(client, world, query_count):
    committee = steering_committee(world, complete=False)
    seat(committee, world.epci_org, MemberRole.CO_CHAIR)
    client.force_login(world.pilot)
    few = query_count.page(client, url(world, "body_detail", body_id=committee.pk))
    for index in range(12):
        seat(committee, OrganizationFactory.create(name=f"Partenaire {index:02d}"))
        make_meeting(committee, days_ago=index + 1, title=f"Séance {index:02d}")
    assert query_count.page(client, url(world, "body_detail", body_id=committee.pk)) == few

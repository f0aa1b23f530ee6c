"""A council's page shows the bodies of its contract where it sits (issue 11 §1, « participation in bodies »):
governance contributes the seats through ``core.registries.seat_sources`` — participation and governance, two
sibling apps, never import each other, so this test lives above both."""

from __future__ import annotations

from html import unescape

import pytest
from django.urls import reverse

from contrat_ville.contracts.tests.factories import make_contract
from contrat_ville.governance.enums import BodyKind, MemberRole
from contrat_ville.governance.models import Body, BodyMember
from contrat_ville.participation.tests.factories import make_council

pytestmark = pytest.mark.django_db


def url(name: str, council) -> str:
    return reverse(f"participation:{name}", kwargs={"contract_slug": council.contract.slug, "council_id": council.pk})


@pytest.fixture
def council():
    return make_council(make_contract(name="Contrat des Tilleuls", published=True), name="Conseil des Tilleuls")


def test_the_council_page_shows_the_bodies_it_sits_in(client, council):
    page = unescape(client.get(url("council_detail", council)).content.decode())
    assert "Le conseil ne siège encore dans aucune instance du contrat" in page
    committee = Body.objects.create(
        contract=council.contract, kind=BodyKind.STEERING_COMMITTEE, name="Comité de pilotage"
    )
    BodyMember.objects.create(body=committee, organization=council.organization, role=MemberRole.MEMBER)
    other = make_council(make_contract(name="Autre contrat"))
    elsewhere = Body.objects.create(contract=other.contract, kind=BodyKind.STEERING_COMMITTEE, name="Autre comité")
    BodyMember.objects.create(body=elsewhere, organization=council.organization, role=MemberRole.MEMBER)
    page = unescape(client.get(url("council_detail", council)).content.decode())
    assert "Comité de pilotage — membre" in page
    assert "Autre comité" not in page

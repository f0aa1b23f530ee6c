"""Factories and a small world for the meeting tests (bodies, seats, meetings)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import factory
from django.utils import timezone

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.governance.enums import BodyKind, MemberRole
from contrat_ville.governance.models import Body, BodyMember, Meeting
from contrat_ville.governance.services.meetings import meeting_schedule


class MeetingBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body

    kind = BodyKind.STEERING_COMMITTEE
    name = factory.Sequence(lambda n: f"Comité de pilotage {n}")


class MeetingBodyMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BodyMember

    organization = factory.SubFactory(OrganizationFactory)
    person_name = factory.Sequence(lambda n: f"Personne {n}")
    role = MemberRole.MEMBER


def schedule(body: Body, *, days: int = 7, title: str = "Séance d'installation", **kwargs: Any) -> Meeting:
    """A meeting of ``body`` ``days`` from now (negative: in the past), scheduled through the service."""
    starts_at = kwargs.pop("starts_at", None) or timezone.now().replace(microsecond=0) + datetime.timedelta(days=days)
    return meeting_schedule(
        body=body,
        title=title,
        starts_at=starts_at,
        location=kwargs.pop("location", "Hôtel de communauté, salle du conseil"),
        agenda=kwargs.pop("agenda", [("Installation du comité", ""), ("Calendrier d'élaboration", "")]),
        by=kwargs.pop("by", None),
        **kwargs,
    )


@dataclass
class MeetingWorld:
    contract: Any
    other_contract: Any
    body: Body
    pilot: Any
    other_pilot: Any
    state: Any
    partner_member: Any
    partner_outsider: Any
    seat_state: BodyMember
    seat_partner: BodyMember


def meeting_world() -> MeetingWorld:
    """A contract with a steering committee of two seats, and users with various roles."""
    contract = make_contract(name="Contrat de ville de Valmont")
    other_contract = make_contract(name="Contrat de ville de Berneval", published=True)
    body = MeetingBodyFactory(contract=contract, name="Comité de pilotage")
    prefecture = OrganizationFactory(name="Préfecture de Valmont", kind=OrganizationKind.STATE_SERVICE)
    association = OrganizationFactory(name="Centre social des Tilleuls")
    seat_state = MeetingBodyMemberFactory(
        body=body, organization=prefecture, person_name="Délégué du préfet", role=MemberRole.CO_CHAIR
    )
    seat_partner = MeetingBodyMemberFactory(body=body, organization=association, person_name="Directrice")
    pilot = UserFactory()
    grant(contract, pilot, Role.PILOT)
    state = UserFactory(organization=prefecture)
    grant(contract, state, Role.STATE)
    partner_member = UserFactory(organization=association)
    grant(contract, partner_member, Role.PARTNER)
    partner_outsider = UserFactory(organization=OrganizationFactory(name="Bailleur social"))
    grant(contract, partner_outsider, Role.PARTNER)
    other_pilot = UserFactory()
    grant(other_contract, other_pilot, Role.PILOT)
    return MeetingWorld(
        contract=contract,
        other_contract=other_contract,
        body=body,
        pilot=pilot,
        other_pilot=other_pilot,
        state=state,
        partner_member=partner_member,
        partner_outsider=partner_outsider,
        seat_state=seat_state,
        seat_partner=seat_partner,
    )

"""A small contract with its EPCI, one commune concerned, its organisations and members, for the bodies tests."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import factory

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.models import Organization, User
from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import Generation, Role
from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.governance.enums import BodyKind, MemberRole
from contrat_ville.governance.models import Body, BodyMember
from contrat_ville.territories.models import Territory, TerritoryLink
from contrat_ville.territories.tests.factories import TerritoryFactory

_sirens = itertools.count(100000000)


def next_siren() -> str:
    return str(next(_sirens))


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body

    kind = BodyKind.STEERING_COMMITTEE
    name = factory.Sequence(lambda n: f"Instance {n}")


class BodyMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BodyMember

    organization = factory.SubFactory(OrganizationFactory)
    role = MemberRole.MEMBER


@dataclass
class GovernanceWorld:
    contract: Contract
    epci: Territory
    commune: Territory
    qpv: Territory
    state_org: Organization
    epci_org: Organization
    commune_org: Organization
    council_org: Organization
    partner_org: Organization
    pilot: User
    state_user: User
    partner: User


WORLD_DEPARTEMENT = "96"


def governance_world(
    *, name: str = "Contrat de ville du Val Fictif", qpv_name: str = "Les Tilleuls", generation: str = Generation.G2024
) -> GovernanceWorld:
    """A contract whose QPV lies in one commune, with the organisations of the State, the EPCI, the commune,
    the QPV's conseil citoyen and a partner association; a pilot, a State delegate and a partner."""
    epci = TerritoryFactory.create(epci=True, siren=next_siren())
    contract = make_contract(name=name, epci=epci, generation=generation)
    commune = TerritoryFactory.create(name=f"Bourg {contract.pk}", siren=next_siren())
    TerritoryLink.objects.create(parent=epci, child=commune)
    qpv = TerritoryFactory.create(qpv=True, name=qpv_name)
    TerritoryLink.objects.create(parent=commune, child=qpv)
    contract.qpvs.add(qpv)
    # The factory's communes are coded 96xxx: the world's organisations are of département 96.
    state_org = OrganizationFactory.create(
        name=f"Préfecture {contract.pk}", kind=OrganizationKind.STATE_SERVICE, departement_code=WORLD_DEPARTEMENT
    )
    epci_org = OrganizationFactory.create(name=epci.name, kind=OrganizationKind.LOCAL_AUTHORITY, siren=epci.siren)
    commune_org = OrganizationFactory.create(
        name=f"Commune de {commune.name}", kind=OrganizationKind.LOCAL_AUTHORITY, siren=commune.siren
    )
    council_org = OrganizationFactory.create(
        name=f"Conseil citoyen {qpv_name.removeprefix('Les ')}",
        kind=OrganizationKind.CITIZEN_COUNCIL,
        departement_code=WORLD_DEPARTEMENT,
    )
    partner_org = OrganizationFactory.create(
        name=f"Association partenaire {contract.pk}", departement_code=WORLD_DEPARTEMENT
    )
    pilot = UserFactory.create(organization=epci_org)
    state_user = UserFactory.create(organization=state_org)
    partner = UserFactory.create(organization=partner_org)
    grant(contract, pilot, Role.PILOT)
    grant(contract, state_user, Role.STATE)
    grant(contract, partner, Role.PARTNER)
    return GovernanceWorld(
        contract=contract,
        epci=epci,
        commune=commune,
        qpv=qpv,
        state_org=state_org,
        epci_org=epci_org,
        commune_org=commune_org,
        council_org=council_org,
        partner_org=partner_org,
        pilot=pilot,
        state_user=state_user,
        partner=partner,
    )


def seat(body: Body, organization: Organization, role: str = MemberRole.MEMBER) -> BodyMember:
    return BodyMember.objects.create(body=body, organization=organization, role=role)


def complete_body(world: GovernanceWorld, body: Body) -> Body:
    """Co-chaired by the State, the EPCI and the commune concerned, with the conseil citoyen as a member."""
    for organization in (world.state_org, world.epci_org, world.commune_org):
        seat(body, organization, MemberRole.CO_CHAIR)
    seat(body, world.council_org)
    return body


def steering_committee(world: GovernanceWorld, *, complete: bool = True) -> Body:
    body = BodyFactory.create(contract=world.contract, kind=BodyKind.STEERING_COMMITTEE, name="Comité de pilotage")
    return complete_body(world, body) if complete else body


def working_group(world: GovernanceWorld, pillar_code: str, *, complete: bool = True) -> Body:
    pillar = world.contract.pillars.get(code=pillar_code)
    body = BodyFactory.create(
        contract=world.contract, kind=BodyKind.WORKING_GROUP, pillar=pillar, name=f"Groupe « {pillar.label} »"
    )
    return complete_body(world, body) if complete else body

"""Test data of the diagnostic, built through the services (so it obeys the rules), and page helpers."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.models import Organization, User
from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.models import Contract, Pillar, TransversalAxis
from contrat_ville.contracts.services import contract_set_qpvs
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.diagnostic.models import Consultation, Stake
from contrat_ville.diagnostic.services.consultations import consultation_create
from contrat_ville.diagnostic.services.stakes import stake_create
from contrat_ville.governance.enums import BodyKind, MeetingStatus, MemberRole
from contrat_ville.governance.models import Body, BodyMember, Meeting
from contrat_ville.territories.models import Territory
from contrat_ville.territories.tests.factories import TerritoryFactory


def contract_with_qpv(name: str = "Contrat de ville du diagnostic", **kwargs: Any) -> Contract:
    contract = make_contract(name=name, **kwargs)
    qpv: Territory = TerritoryFactory.create(qpv=True, name="Les Iris")
    contract_set_qpvs(contract=contract, qpvs=[qpv])
    return contract


def pillars(contract: Contract) -> list[Pillar]:
    return list(Pillar.objects.filter(contract=contract).order_by("order"))


def axes(contract: Contract) -> list[TransversalAxis]:
    return list(TransversalAxis.objects.filter(contract=contract).order_by("order"))


def member(contract: Contract, role: str, **kwargs: Any) -> User:
    user: User = UserFactory.create(**kwargs)
    grant(contract, user, role)
    return user


def make_council(contract: Contract, name: str = "Conseil citoyen des Iris", *, seated: bool = True) -> Organization:
    """A conseil citoyen of the contract: seated in its steering committee (so ``council_list`` finds it)."""
    council: Organization = OrganizationFactory.create(name=name, kind=OrganizationKind.CITIZEN_COUNCIL)
    if seated:
        body, _ = Body.objects.get_or_create(
            contract=contract, kind=BodyKind.STEERING_COMMITTEE, defaults={"name": "Comité de pilotage"}
        )
        BodyMember.objects.create(body=body, organization=council, role=MemberRole.MEMBER)
    return council


def council_member(contract: Contract, council: Organization, **kwargs: Any) -> User:
    return member(contract, Role.COUNCIL, organization=council, **kwargs)


def make_stake(
    contract: Contract, *, pillar: Pillar | None = None, title: str = "Réussite éducative", **kwargs: Any
) -> Stake:
    return stake_create(
        contract=contract, pillar=pillar or pillars(contract)[0], title=title, by=kwargs.pop("by", None), **kwargs
    )


def consult(
    contract: Contract,
    stakes: list[Stake],
    councils: list[Organization],
    *,
    deadline: date | None = None,
    by: User | None = None,
    **kwargs: Any,
) -> Consultation:
    return consultation_create(
        contract=contract,
        title=kwargs.pop("title", "Mise en débat des enjeux"),
        deadline=deadline or timezone.localdate() + timedelta(days=14),
        councils=councils,
        stakes=stakes,
        by=by,
        **kwargs,
    )


def make_meeting(
    contract: Contract, *, kind: str = BodyKind.STEERING_COMMITTEE, days_ago: int = 1, title: str = "COPIL"
) -> Meeting:
    body, _ = Body.objects.get_or_create(contract=contract, kind=kind, defaults={"name": BodyKind(kind).label})
    return Meeting.objects.create(
        body=body,
        title=title,
        starts_at=timezone.now() - timedelta(days=days_ago),
        status=MeetingStatus.HELD if days_ago > 0 else MeetingStatus.PLANNED,
    )


# --- pages ------------------------------------------------------------------------------------------------------


def url(name: str, contract: Contract, **kwargs: Any) -> str:
    return reverse(f"diagnostic:{name}", kwargs={"contract_slug": contract.slug, **kwargs})

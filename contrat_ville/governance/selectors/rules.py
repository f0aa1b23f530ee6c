"""Phase-status rules that governance can decide from its own data (registered in ``registrations``).

Rules for phases that depend on higher apps (3 diagnostic, 3.2 orientations, 4 action plans) are registered
by those apps. Each rule returns True (done), False (not yet) or None (nothing to say).
"""

from __future__ import annotations

from contrat_ville.contracts.models import Contract, Pillar
from contrat_ville.governance.enums import BodyKind, MeetingStatus
from contrat_ville.governance.models import Body, BodyMember, Meeting

# Seed 004 numbers the working groups 2.3.1 to 2.3.3 in the order of the national pillars.
WORKING_GROUP_PHASES = {
    "2.3.1": "cohesion_sociale",
    "2.3.2": "cadre_de_vie",
    "2.3.3": "developpement_economique",
}


def _body_kinds_with_members(contract: Contract) -> set[str]:
    return set(BodyMember.objects.filter(body__contract=contract).values_list("body__kind", flat=True).distinct())


def state_teams_constituted(contract: Contract) -> bool:
    """1.1: the State's core team and interministerial team exist, each with members."""
    kinds = _body_kinds_with_members(contract)
    return {BodyKind.STATE_CORE_TEAM, BodyKind.INTERMINISTERIAL_TEAM} <= kinds


def steering_committee_set_up(contract: Contract) -> bool:
    """2.1: the steering committee exists with its co-chairs (State, EPCI, communes concerned) and has met."""
    from contrat_ville.governance.selectors.composition import steering_committee_cochairs_complete

    committee = Body.objects.filter(contract=contract, kind=BodyKind.STEERING_COMMITTEE).first()
    if committee is None:
        return False
    has_met = Meeting.objects.filter(body=committee, status=MeetingStatus.HELD).exists()
    return has_met and steering_committee_cochairs_complete(committee)


def technical_committee_set_up(contract: Contract) -> bool:
    """2.2: the technical committee exists with members."""
    return BodyKind.TECHNICAL_COMMITTEE in _body_kinds_with_members(contract)


def working_groups_set_up(contract: Contract) -> bool:
    """2.3: every pillar of the contract has a working group with members."""
    pillar_ids = set(Pillar.objects.filter(contract=contract).values_list("pk", flat=True))
    covered = set(
        BodyMember.objects.filter(body__contract=contract, body__kind=BodyKind.WORKING_GROUP)
        .values_list("body__pillar_id", flat=True)
        .distinct()
    )
    return bool(pillar_ids) and pillar_ids <= covered


def working_group_of_pillar_set_up(contract: Contract, pillar_code: str) -> bool | None:
    """2.3.x: the working group of that pillar exists with members (None if the contract has no such pillar)."""
    if not Pillar.objects.filter(contract=contract, code=pillar_code).exists():
        return None
    return BodyMember.objects.filter(
        body__contract=contract, body__kind=BodyKind.WORKING_GROUP, body__pillar__code=pillar_code
    ).exists()

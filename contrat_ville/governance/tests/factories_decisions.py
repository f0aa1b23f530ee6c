"""Test builders for governance decisions and phases (ORM only, so they do not depend on the bodies' services)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from contrat_ville.accounts.models import Organization, User
from contrat_ville.contracts.models import Contract
from contrat_ville.governance.enums import BodyKind, MeetingStatus, MemberRole, Verdict
from contrat_ville.governance.models import Body, BodyMember, Decision, Meeting
from contrat_ville.governance.services.decisions import decision_record


def make_body(contract: Contract, *, kind: str = BodyKind.STEERING_COMMITTEE, name: str = "", **kwargs: Any) -> Body:
    if kind == BodyKind.WORKING_GROUP and "pillar" not in kwargs:
        kwargs["pillar"] = contract.pillars.first()
    return Body.objects.create(contract=contract, kind=kind, name=name or BodyKind(kind).label.capitalize(), **kwargs)


def make_meeting(body: Body, *, days_ago: int = 7, status: str = MeetingStatus.HELD, title: str = "") -> Meeting:
    return Meeting.objects.create(
        body=body,
        title=title or f"Séance du {body.name}",
        starts_at=timezone.now() - timedelta(days=days_ago),
        status=status,
    )


def seat(
    body: Body, organization: Organization, *, user: User | None = None, role: str = MemberRole.MEMBER
) -> BodyMember:
    return BodyMember.objects.create(body=body, organization=organization, user=user, role=role)


def make_decision(
    meeting: Meeting,
    *,
    verdict: str = Verdict.VALIDATED,
    target: Any = None,
    is_published: bool = False,
    text: str = "Le comité valide.",
) -> Decision:
    return decision_record(
        meeting=meeting, verdict=verdict, text=text, target=target, is_published=is_published, by=None
    )

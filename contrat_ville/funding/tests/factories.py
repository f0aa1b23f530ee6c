"""Test builders of the commitments and of the call for projects, through the services (so the rules and the status
machine apply)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from contrat_ville.accounts.models import Organization, User
from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.tests.factories import grant
from contrat_ville.funding import services
from contrat_ville.funding.enums import ApplicationStatus, CallStatus, CommitmentNature
from contrat_ville.funding.models import Application, CallForProjects, MainstreamCommitment
from contrat_ville.governance.enums import BodyKind, MeetingStatus, MemberRole, Verdict
from contrat_ville.governance.models import Body, BodyMember, Decision, Meeting
from contrat_ville.governance.services.decisions import decision_record
from contrat_ville.territories.models import Territory
from contrat_ville.territories.tests.factories import TerritoryFactory


def partner_member(contract: Contract, name: str = "Caisse d'allocations familiales") -> tuple[User, Organization]:
    """A partner's account on the contract, acting for its organisation (which thereby works with the contract)."""
    organization = OrganizationFactory.create(name=name)
    user = UserFactory.create(organization=organization)
    grant(contract, user, Role.PARTNER)
    return user, organization


def make_commitment(
    contract: Contract,
    partner: Organization,
    *,
    title: str = "Éducateurs de prévention spécialisée",
    nature: str = CommitmentNature.STAFF,
    years: dict[int, tuple[Any, Any]] | None = None,
    **fields: Any,
) -> MainstreamCommitment:
    """A commitment with its ``years``: {year: (planned, realised)}."""
    commitment = services.commitment_create(
        contract=contract, partner=partner, fields=services.CommitmentFields(title=title, nature=nature, **fields)
    )
    for year, (planned, realised) in (years or {}).items():
        services.commitment_year_set(
            commitment=commitment,
            year=year,
            planned=Decimal(planned) if planned is not None else None,
            realised=Decimal(realised) if realised is not None else None,
        )
    return commitment


FUNDERS = (("État — programme 147", True, 120000), ("Intercommunalité", False, 80000))


def contract_qpv(contract: Contract, name: str = "Les Hauts") -> Territory:
    qpv = TerritoryFactory.create(qpv=True, name=name)
    contract.qpvs.add(qpv)
    return qpv


def make_call(
    contract: Contract,
    *,
    title: str = "Appel à projets 2025",
    year: int = 2025,
    status: str = CallStatus.OPEN,
    funders: tuple[tuple[str, bool, int], ...] = FUNDERS,
) -> CallForProjects:
    call = services.call_create(
        contract=contract,
        fields=services.CallFields(
            title=title, year=year, opens_on=date(year - 1, 10, 1), closes_on=date(2099, 12, 15)
        ),
    )
    for name, is_p147, envelope in funders:
        services.call_funder_add(call=call, name=name, is_p147=is_p147, envelope=Decimal(envelope))
    paths: dict[str, list[str]] = {
        CallStatus.DRAFT: [],
        CallStatus.OPEN: [CallStatus.OPEN],
        CallStatus.CLOSED: [CallStatus.OPEN, CallStatus.CLOSED],
    }
    path = paths[status]
    for step in path:
        services.call_set_status(call=call, to_status=step)
    return call


def applicant_member(contract: Contract, name: str = "Association Sorne Solidarités") -> tuple[User, Organization]:
    """An association's account on the contract (role « porteur de projet »)."""
    organization = OrganizationFactory.create(name=name, kind="association")
    user = UserFactory.create(organization=organization)
    grant(contract, user, Role.APPLICANT)
    return user, organization


def application_fields(call: CallForProjects, *, title: str = "Médiation de nuit", **overrides: Any) -> Any:
    funders = list(call.funders.all())
    qpvs = tuple(call.contract.qpvs.all()) or (contract_qpv(call.contract),)
    defaults: dict[str, Any] = {
        "title": title,
        "description": "Deux médiateurs, à la sortie des collèges.",
        "public": "Jeunes de 11 à 17 ans",
        "expected_beneficiaries": 120,
        "total_budget": Decimal(30000),
        "co_funding": Decimal(10000),
        "qpvs": qpvs,
        "requested": {funders[0].pk: Decimal(15000), **({funders[1].pk: Decimal(5000)} if len(funders) > 1 else {})},
    }
    defaults.update(overrides)
    return services.ApplicationFields(**defaults)


def make_body(contract: Contract, *, kind: str = BodyKind.STEERING_COMMITTEE) -> Body:
    return Body.objects.create(contract=contract, kind=kind, name=BodyKind(kind).label.capitalize())


def seat(body: Body, organization: Organization) -> BodyMember:
    return BodyMember.objects.create(body=body, organization=organization, role=MemberRole.MEMBER)


def make_meeting(body: Body, *, days_ago: int = 7) -> Meeting:
    return Meeting.objects.create(
        body=body,
        title=f"Séance du {body.name}",
        starts_at=timezone.now() - timedelta(days=days_ago),
        status=MeetingStatus.HELD,
    )


def make_decision(meeting: Meeting, *, target: Any, verdict: str = Verdict.VALIDATED) -> Decision:
    return decision_record(
        meeting=meeting, verdict=verdict, text="Le comité de pilotage décide.", target=target, by=None
    )


def copil_meeting(contract: Contract) -> Meeting:
    body = contract.bodies.filter(kind=BodyKind.STEERING_COMMITTEE).first() or make_body(contract)
    return make_meeting(body)


def make_application(
    call: CallForProjects,
    organization: Organization,
    *,
    status: str = ApplicationStatus.DRAFT,
    title: str = "Médiation de nuit",
    by: Any = None,
    **overrides: Any,
) -> Application:
    """An application brought to ``status`` through the services (a steering-committee decision programmes or
    refuses it)."""
    reopened = False
    if call.status != CallStatus.OPEN:
        # Deposit while the call is open, then put it back as it was.
        before = call.status
        services.call_set_status(call=call, to_status=CallStatus.OPEN)
        reopened = True
    application = services.application_create(
        call=call, organization=organization, fields=application_fields(call, title=title, **overrides), by=by
    )
    order: list[str] = [
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.UNDER_REVIEW,
        ApplicationStatus.PROGRAMMED,
        ApplicationStatus.AGREEMENT_SIGNED,
        ApplicationStatus.PAID,
        ApplicationStatus.REPORT_RECEIVED,
    ]
    if status != ApplicationStatus.DRAFT:
        services.application_submit(application=application, by=by)
    if status == ApplicationStatus.DRAFT:
        targets: list[str] = []
    else:
        targets = order[: order.index(status) + 1] if status in order else order[:2]
    for step in targets[1:]:
        if step == ApplicationStatus.UNDER_REVIEW:
            services.application_follow(application=application, to_status=step)
        elif step == ApplicationStatus.PROGRAMMED:
            services.application_grant_set(
                application=application,
                granted={amount.pk: amount.requested for amount in application.amounts.all()},
            )
            make_decision(copil_meeting(call.contract), target=application)
        elif step == ApplicationStatus.REPORT_RECEIVED:
            services.final_report_set(
                application=application,
                fields=services.ReportFields(
                    actions_carried_out="Permanences tenues toute l'année.",
                    women=60,
                    men=50,
                    age_16_25=110,
                    qpv_residents=90,
                ),
            )
        else:
            services.application_follow(application=application, to_status=step)
    if status == ApplicationStatus.REFUSED:
        make_decision(copil_meeting(call.contract), target=application, verdict=Verdict.REJECTED)
    if reopened:
        services.call_set_status(call=call, to_status=before)
    application.refresh_from_db()
    return application


def luhn_complete(digits: str) -> str:
    """``digits`` followed by the key that makes it pass Luhn's check (a SIREN, a SIRET)."""
    for key in "0123456789":
        candidate = digits + key
        total = 0
        for index, char in enumerate(reversed(candidate)):
            value = int(char) * (2 if index % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable")

"""The call for projects and its applications: the status machine (forbidden moves refused in French, every change
in the history), the rules of an application, reviews, programming by the steering committee, the final report."""

from __future__ import annotations

from decimal import Decimal

import pytest

from contrat_ville.accounts.tests.factories import UserFactory
from contrat_ville.contracts.tests.factories import make_contract
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.selectors import status_history
from contrat_ville.funding import selectors, services
from contrat_ville.funding.enums import ApplicationStatus, CallStatus, ReviewOpinion
from contrat_ville.funding.tests.factories import (
    applicant_member,
    application_fields,
    contract_qpv,
    copil_meeting,
    make_application,
    make_body,
    make_call,
    make_decision,
    make_meeting,
)
from contrat_ville.governance.enums import BodyKind, Verdict
from contrat_ville.strategy.tests.factories import make_objective, make_orientation

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract():
    contract = make_contract(name="Contrat de ville du Val Fictif")
    contract_qpv(contract)
    return contract


@pytest.fixture
def association(contract):
    return applicant_member(contract)[1]


def test_a_call_opens_only_with_a_funder_and_never_jumps_to_programmed(contract):
    call = make_call(contract, status=CallStatus.DRAFT, funders=())
    with pytest.raises(BusinessRuleError, match="au moins un financeur"):
        services.call_set_status(call=call, to_status=CallStatus.OPEN)
    services.call_funder_add(call=call, name="État — programme 147", is_p147=True, envelope=Decimal(1000))
    with pytest.raises(BusinessRuleError, match="Passage impossible de « en préparation » à « clos, en instruction »"):
        services.call_set_status(call=call, to_status=CallStatus.CLOSED)
    services.call_set_status(call=call, to_status=CallStatus.OPEN)
    services.call_set_status(call=call, to_status=CallStatus.CLOSED)
    with pytest.raises(BusinessRuleError, match="Seule une décision du comité de pilotage"):
        services.call_set_status(call=call, to_status=CallStatus.PROGRAMMED)
    assert [(change.from_status, change.to_status) for change in status_history(call)] == [
        ("draft", "open"),
        ("open", "closed"),
    ]


def test_a_call_refuses_dates_out_of_order_a_year_out_of_the_contract_and_a_foreign_objective(contract):
    fields = services.CallFields(
        title="AAP",
        year=2025,
        opens_on=__import__("datetime").date(2024, 11, 1),
        closes_on=__import__("datetime").date(2024, 10, 1),
    )
    with pytest.raises(BusinessRuleError, match="précède leur ouverture"):
        services.call_create(contract=contract, fields=fields)
    with pytest.raises(BusinessRuleError, match="hors de la période du contrat"):
        services.call_create(
            contract=contract,
            fields=services.CallFields(**{**fields.__dict__, "year": 2040, "closes_on": fields.opens_on}),
        )
    elsewhere = make_objective(make_orientation(make_contract(name="Autre contrat")))
    with pytest.raises(BusinessRuleError, match="n'appartient pas à ce contrat"):
        services.call_create(
            contract=contract,
            fields=services.CallFields(
                **{**fields.__dict__, "closes_on": fields.opens_on, "priorities": (elsewhere,)}
            ),
        )


def test_an_application_is_written_in_draft_then_deposited_and_locked(contract, association):
    call = make_call(contract)
    user = UserFactory.create(organization=association)
    application = services.application_create(
        call=call, organization=association, fields=application_fields(call), by=user
    )
    assert application.status == ApplicationStatus.DRAFT
    assert selectors.requested_total(application) == Decimal(20000)
    services.application_submit(application=application, by=user)
    assert (application.status, application.submitted_by) == (ApplicationStatus.SUBMITTED, user)
    with pytest.raises(BusinessRuleError, match="Un dossier déposé ne se modifie plus"):
        services.application_update(application=application, fields=application_fields(call, title="Autre"))
    [change] = status_history(application)
    assert (change.from_status, change.to_status, change.changed_by) == ("draft", "submitted", user)


def test_an_application_must_balance_its_budget_and_name_a_qpv_of_the_contract(contract, association):
    call = make_call(contract)
    with pytest.raises(BusinessRuleError, match="dépassent le budget total"):
        services.application_create(
            call=call, organization=association, fields=application_fields(call, total_budget=Decimal(1000))
        )
    stranger = contract_qpv(make_contract(name="Ailleurs"), "Quartier d'ailleurs")
    with pytest.raises(BusinessRuleError, match="n'est pas un quartier prioritaire de ce contrat"):
        services.application_create(
            call=call, organization=association, fields=application_fields(call, qpvs=(stranger,))
        )
    application = services.application_create(
        call=call, organization=association, fields=application_fields(call, qpvs=())
    )
    with pytest.raises(BusinessRuleError, match="au moins un quartier prioritaire"):
        services.application_submit(application=application)


def test_no_application_to_a_call_that_is_not_open_and_no_deposit_after_closing(contract, association):
    call = make_call(contract, status=CallStatus.DRAFT)
    with pytest.raises(BusinessRuleError, match="n'est pas ouvert aux dépôts"):
        services.application_create(call=call, organization=association, fields=application_fields(call))
    open_call = make_call(contract, title="AAP ouvert")
    application = services.application_create(
        call=open_call, organization=association, fields=application_fields(open_call)
    )
    services.call_set_status(call=open_call, to_status=CallStatus.CLOSED)
    with pytest.raises(BusinessRuleError, match="sont clos"):
        services.application_submit(application=application)


@pytest.mark.parametrize(
    ("status", "to_status", "message"),
    [
        (
            ApplicationStatus.DRAFT,
            ApplicationStatus.UNDER_REVIEW,
            "Passage impossible de « brouillon » à « en instruction »",
        ),
        (ApplicationStatus.SUBMITTED, ApplicationStatus.PAID, "Passage impossible de « déposé » à « versé »"),
        (ApplicationStatus.UNDER_REVIEW, ApplicationStatus.PROGRAMMED, "Seule une décision du comité de pilotage"),
        (ApplicationStatus.UNDER_REVIEW, ApplicationStatus.REFUSED, "Seule une décision du comité de pilotage"),
        (ApplicationStatus.PROGRAMMED, ApplicationStatus.PAID, "Passage impossible de « programmé » à « versé »"),
        (
            ApplicationStatus.PAID,
            ApplicationStatus.REPORT_RECEIVED,
            "Passage impossible de « versé » à « compte rendu reçu »",
        ),
        (
            ApplicationStatus.REFUSED,
            ApplicationStatus.AGREEMENT_SIGNED,
            "Passage impossible de « refusé » à « convention signée »",
        ),
    ],
)
def test_forbidden_moves_are_refused_in_french_and_leave_the_status(contract, association, status, to_status, message):
    application = make_application(make_call(contract), association, status=status)
    before = status_history(application).count()
    with pytest.raises(BusinessRuleError, match=message):
        services.application_follow(application=application, to_status=to_status)
    application.refresh_from_db()
    assert application.status == status
    assert status_history(application).count() == before


def test_the_whole_life_of_an_application_is_in_its_history(contract, association):
    application = make_application(make_call(contract), association, status=ApplicationStatus.REPORT_RECEIVED)
    assert [change.to_status for change in status_history(application)] == [
        "submitted",
        "under_review",
        "programmed",
        "agreement_signed",
        "paid",
        "report_received",
    ]
    assert application.final_report.beneficiaries == 110


def test_a_steering_decision_programmes_refuses_and_may_change_its_mind(contract, association):
    application = make_application(make_call(contract), association, status=ApplicationStatus.UNDER_REVIEW)
    meeting = copil_meeting(contract)
    make_decision(meeting, target=application, verdict=Verdict.REJECTED)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REFUSED
    make_decision(make_meeting(meeting.body, days_ago=1), target=application, verdict=Verdict.VALIDATED)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PROGRAMMED
    comments = [change.comment for change in status_history(application)]
    assert comments[-1].startswith("Décision du comité de pilotage (validé)")


def test_a_technical_committee_decision_does_not_programme(contract, association):
    application = make_application(make_call(contract), association, status=ApplicationStatus.UNDER_REVIEW)
    make_decision(make_meeting(make_body(contract, kind=BodyKind.TECHNICAL_COMMITTEE)), target=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW


def test_the_committee_decides_only_applications_in_instruction(contract, association):
    application = make_application(make_call(contract), association, status=ApplicationStatus.SUBMITTED)
    with pytest.raises(BusinessRuleError, match="décide des dossiers en instruction"):
        make_decision(copil_meeting(contract), target=application)


def test_the_programme_of_a_closed_call_programmes_what_the_instruction_proposes(contract, association):
    call = make_call(contract)
    _, other = applicant_member(contract, "Les Ateliers du Quartier")
    kept = make_application(call, association, status=ApplicationStatus.UNDER_REVIEW, title="Gardé")
    dropped = make_application(call, other, status=ApplicationStatus.UNDER_REVIEW, title="Écarté")
    services.application_grant_set(application=kept, granted={kept.amounts.first().pk: Decimal(12000)})
    with pytest.raises(BusinessRuleError, match="une fois les dépôts clos"):
        make_decision(copil_meeting(contract), target=call)
    services.call_set_status(call=call, to_status=CallStatus.CLOSED)
    make_decision(copil_meeting(contract), target=call)
    kept.refresh_from_db()
    dropped.refresh_from_db()
    call.refresh_from_db()
    assert (kept.status, dropped.status, call.status) == ("programmed", "refused", "programmed")
    programme = selectors.call_programme(call=call)
    assert [line.application for line in programme.lines] == [kept]
    assert programme.totals == [Decimal(12000), Decimal(0)] and programme.total == Decimal(12000)


def test_granted_amounts_are_proposed_in_instruction_and_never_exceed_the_request(contract, association):
    application = make_application(make_call(contract), association, status=ApplicationStatus.SUBMITTED)
    amount = application.amounts.first()
    with pytest.raises(BusinessRuleError, match="pendant l'instruction"):
        services.application_grant_set(application=application, granted={amount.pk: Decimal(1)})
    services.application_follow(application=application, to_status=ApplicationStatus.UNDER_REVIEW)
    with pytest.raises(BusinessRuleError, match="dépasse le montant demandé"):
        services.application_grant_set(application=application, granted={amount.pk: Decimal(999999)})


def test_reviews_one_per_member_with_a_reason_when_not_favourable(contract, association):
    application = make_application(make_call(contract), association, status=ApplicationStatus.SUBMITTED)
    reviewer = UserFactory.create()
    with pytest.raises(BusinessRuleError, match="dit pourquoi"):
        services.review_set(application=application, reviewer=reviewer, opinion=ReviewOpinion.RESERVED)
    services.review_set(application=application, reviewer=reviewer, opinion=ReviewOpinion.FAVOURABLE)
    services.review_set(
        application=application, reviewer=reviewer, opinion=ReviewOpinion.RESERVED, comment="Budget à préciser"
    )
    assert [(review.opinion, review.comment) for review in application.reviews.all()] == [
        ("reserved", "Budget à préciser")
    ]
    draft = make_application(application.call, association, title="Brouillon")
    with pytest.raises(BusinessRuleError, match="sur un dossier déposé"):
        services.review_set(application=draft, reviewer=reviewer, opinion=ReviewOpinion.FAVOURABLE)


def test_the_final_report_adds_up_and_closes_the_file(contract, association):
    application = make_application(make_call(contract), association, status=ApplicationStatus.AGREEMENT_SIGNED)
    fields = services.ReportFields(actions_carried_out="Fait.", women=3, men=2, age_16_25=5, qpv_residents=4)
    with pytest.raises(BusinessRuleError, match="une fois la subvention versée"):
        services.final_report_set(application=application, fields=fields)
    services.application_follow(application=application, to_status=ApplicationStatus.PAID)
    with pytest.raises(BusinessRuleError, match="les deux répartitions portent sur les mêmes personnes"):
        services.final_report_set(
            application=application,
            fields=services.ReportFields(actions_carried_out="Fait.", women=3, men=2, age_16_25=4),
        )
    with pytest.raises(BusinessRuleError, match="plus nombreux que les bénéficiaires"):
        services.final_report_set(
            application=application,
            fields=services.ReportFields(actions_carried_out="Fait.", women=3, men=2, age_16_25=5, qpv_residents=6),
        )
    services.final_report_set(application=application, fields=fields)
    assert application.status == ApplicationStatus.REPORT_RECEIVED

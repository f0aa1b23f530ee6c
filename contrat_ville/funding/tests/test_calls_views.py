"""Pages of the call for projects: an association applies and follows its own applications only; a member of the
technical committee gives opinions; the pilot programmes through the steering committee; the programme table and
its export; nothing leaks to another association or another contract; constant query counts."""

from __future__ import annotations

import io
from datetime import date
from html import unescape

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.funding import presenters, services
from contrat_ville.funding.enums import ApplicationStatus, CallStatus
from contrat_ville.funding.models import Application, Review
from contrat_ville.funding.tests.factories import (
    applicant_member,
    contract_qpv,
    copil_meeting,
    make_application,
    make_body,
    make_call,
    seat,
)
from contrat_ville.governance.enums import BodyKind
from contrat_ville.governance.models import Decision
from contrat_ville.strategy.tests.factories import make_objective, make_orientation

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract():
    contract = make_contract(name="Contrat de ville du Val Fictif")
    contract_qpv(contract, "Les Hauts de Sorne")
    return contract


@pytest.fixture
def pilot(contract):
    user = UserFactory.create(first_name="Alix", last_name="Pilote")
    grant(contract, user, Role.PILOT)
    return user


def url(name, contract, **kwargs):
    return reverse(f"funding_calls:{name}", kwargs={"contract_slug": contract.slug, **kwargs})


def text(response):
    assert response.status_code == 200, response.status_code
    return " ".join(unescape(response.content.decode()).split())


def reviewer_in_technical_committee(contract):
    organization = OrganizationFactory.create(name="Conseil départemental")
    user = UserFactory.create(organization=organization)
    grant(contract, user, Role.PARTNER)
    seat(make_body(contract, kind=BodyKind.TECHNICAL_COMMITTEE), organization)
    return user


def test_an_association_applies_through_the_pages(client, contract):
    call = make_call(contract)
    objective = make_objective(make_orientation(contract))
    user, association = applicant_member(contract)
    client.force_login(user)
    page = text(client.get(url("call_detail", contract, call_id=call.pk)))
    assert "Déposer un dossier" in page
    assert "Déposer un dossier" in text(client.get(url("my_applications", contract)))
    funders = list(call.funders.all())
    response = client.post(
        url("application_create", contract, call_id=call.pk),
        {
            "title": "Médiation de nuit",
            "description": "Deux médiateurs.",
            "objectives": [objective.pk],
            "qpvs": [contract.qpvs.get().pk],
            "public": "Jeunes",
            "expected_beneficiaries": "80",
            "total_budget": "30000",
            "co_funding": "10000",
            f"requested_{funders[0].pk}": "15000",
            f"requested_{funders[1].pk}": "5000",
        },
    )
    application = Application.objects.get()
    assert response.status_code == 302 and response.url == url(
        "application_detail", contract, application_id=application.pk
    )
    assert application.organization == association
    detail = text(client.get(response.url))
    assert "15 000 €" in detail.replace("\u202f", " ").replace("\u00a0", " ")
    response = client.post(url("application_submit", contract, application_id=application.pk))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    mine = text(client.get(url("my_applications", contract)))
    assert "Médiation de nuit" in mine and "déposé" in mine


def test_an_association_sees_only_its_own_applications(client, contract):
    call = make_call(contract)
    user, association = applicant_member(contract, "Association Sorne Solidarités")
    _, other = applicant_member(contract, "Les Ateliers du Quartier")
    own = make_application(call, association, title="Projet à nous", status=ApplicationStatus.SUBMITTED)
    theirs = make_application(call, other, title="Projet des autres", status=ApplicationStatus.SUBMITTED)
    client.force_login(user)
    for page in (url("my_applications", contract), url("call_detail", contract, call_id=call.pk)):
        content = text(client.get(page))
        assert "Projet à nous" in content and "Projet des autres" not in content
    assert client.get(url("application_detail", contract, application_id=theirs.pk)).status_code == 404
    assert client.get(url("application_update", contract, application_id=theirs.pk)).status_code == 404
    assert client.post(url("application_submit", contract, application_id=theirs.pk)).status_code == 404
    assert client.get(url("application_report", contract, application_id=theirs.pk)).status_code == 404
    assert client.get(url("application_detail", contract, application_id=own.pk)).status_code == 200
    # Neither the instruction page nor the programme's making are an applicant's.
    assert client.get(url("call_review", contract, call_id=call.pk)).status_code == 403
    assert client.get(url("application_grant", contract, application_id=own.pk)).status_code == 403


def test_a_user_of_another_contract_gets_404_everywhere(client, contract):
    call = make_call(contract)
    _, association = applicant_member(contract)
    application = make_application(call, association, status=ApplicationStatus.SUBMITTED)
    elsewhere = make_contract(name="Autre contrat", published=True)
    outsider = UserFactory.create()
    grant(elsewhere, outsider, Role.PILOT)
    client.force_login(outsider)
    for name, kwargs in (
        ("call_list", {}),
        ("call_detail", {"call_id": call.pk}),
        ("call_programme", {"call_id": call.pk}),
        ("application_detail", {"application_id": application.pk}),
        ("financial_annex", {}),
    ):
        assert client.get(url(name, contract, **kwargs)).status_code == 404, name
    # Not through their own contract's URL either.
    assert client.get(url("application_detail", elsewhere, application_id=application.pk)).status_code == 404
    assert client.get(url("call_detail", elsewhere, call_id=call.pk)).status_code == 404


def test_a_technical_committee_member_reviews_deposited_applications(client, contract):
    call = make_call(contract)
    _, association = applicant_member(contract)
    deposited = make_application(call, association, title="Déposé", status=ApplicationStatus.SUBMITTED)
    draft = make_application(call, association, title="Brouillon")
    reviewer = reviewer_in_technical_committee(contract)
    client.force_login(reviewer)
    page = text(client.get(url("call_review", contract, call_id=call.pk)))
    assert "Déposé" in page and "Brouillon" not in page
    assert client.get(url("application_detail", contract, application_id=draft.pk)).status_code == 404
    response = client.post(
        url("application_review", contract, application_id=deposited.pk), {"opinion": "reserved", "comment": ""}
    )
    assert "dit pourquoi" in text(response)
    response = client.post(
        url("application_review", contract, application_id=deposited.pk),
        {"opinion": "reserved", "comment": "Budget à préciser"},
    )
    assert response.status_code == 302
    review = Review.objects.get()
    assert (review.reviewer, review.opinion, review.reviewer_organization.name) == (
        reviewer,
        "reserved",
        "Conseil départemental",
    )
    assert "Votre avis : réservé" in text(client.get(url("call_review", contract, call_id=call.pk)))


def test_a_partner_outside_the_technical_committee_does_not_review(client, contract):
    call = make_call(contract)
    partner = UserFactory.create(organization=OrganizationFactory.create())
    grant(contract, partner, Role.PARTNER)
    client.force_login(partner)
    assert client.get(url("call_review", contract, call_id=call.pk)).status_code == 403


def test_the_pilot_instructs_and_the_steering_committee_programmes(client, contract, pilot):
    call = make_call(contract)
    _, association = applicant_member(contract)
    application = make_application(call, association, status=ApplicationStatus.SUBMITTED)
    meeting = copil_meeting(contract)
    client.force_login(pilot)
    client.post(url("application_follow", contract, application_id=application.pk), {"to": "under_review"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW
    response = client.post(url("application_follow", contract, application_id=application.pk), {"to": "programmed"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW
    amount = application.amounts.first()
    client.post(url("application_grant", contract, application_id=application.pk), {f"granted_{amount.pk}": "12000"})
    response = client.post(
        url("application_request_decision", contract, application_id=application.pk), {"meeting": meeting.pk}
    )
    assert response.status_code == 302 and f"cible=funding.application%3A{application.pk}" in response.url
    response = client.post(
        response.url, {"target": f"funding.application:{application.pk}", "verdict": "validated", "text": "Programmé."}
    )
    assert response.status_code == 302, text(response)
    assert Decision.objects.get().target == application
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PROGRAMMED
    programme = text(client.get(url("call_programme", contract, call_id=call.pk)))
    assert "Médiation de nuit" in programme and "12 000" in programme.replace("\u202f", " ").replace("\u00a0", " ")
    response = client.get(url("call_programme_export", contract, call_id=call.pk))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Programmation", "Annexe financière"]
    [row] = list(workbook["Programmation"].iter_rows(min_row=2, values_only=True))
    assert row[:2] == ("Association Sorne Solidarités", "Médiation de nuit") and row[-3:] == (12000, None, 12000)
    annex = text(client.get(url("financial_annex", contract)))
    assert "Annexe financière 2025 par pilier et par financeur" in annex


def test_the_pilot_runs_the_call(client, contract, pilot):
    client.force_login(pilot)
    response = client.post(
        url("call_create", contract),
        {"title": "Appel à projets 2026", "year": "2026", "opens_on": "2025-10-01", "closes_on": "2025-12-15"},
    )
    assert response.status_code == 302
    call = pilot_call = contract.calls_for_projects.get()
    assert response.url == url("call_detail", contract, call_id=call.pk)
    client.post(url("call_status", contract, call_id=call.pk), {"to": CallStatus.OPEN})
    call.refresh_from_db()
    assert call.status == CallStatus.DRAFT  # no funder yet: refused, with its message
    client.post(
        url("call_funder_add", contract, call_id=call.pk),
        {"name": "État — programme 147", "is_p147": "on", "envelope": "100000"},
    )
    client.post(url("call_status", contract, call_id=call.pk), {"to": CallStatus.OPEN})
    pilot_call.refresh_from_db()
    assert pilot_call.status == CallStatus.OPEN
    page = text(client.get(url("call_detail", contract, call_id=call.pk)))
    assert "Clore les dépôts" in page and "programme 147" in page
    home = text(client.get(reverse("contracts:contract_home", kwargs={"contract_slug": contract.slug})))
    assert "dépôts ouverts jusqu'au 15/12/2025, 0 dossiers déposés." in home


def test_the_pilot_records_an_application_received_on_paper(client, contract, pilot):
    call = make_call(contract)
    _, association = applicant_member(contract)
    client.force_login(pilot)
    form = text(client.get(url("application_create", contract, call_id=call.pk)))
    assert "Porteur du projet" in form
    funder = call.funders.first()
    response = client.post(
        url("application_create", contract, call_id=call.pk),
        {
            "organization": association.pk,
            "title": "Dossier papier",
            "description": "Reçu par courrier.",
            "qpvs": [contract.qpvs.get().pk],
            "total_budget": "1000",
            f"requested_{funder.pk}": "500",
        },
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert (application.organization, application.status) == (association, ApplicationStatus.DRAFT)


def test_observers_and_council_members_do_not_read_applications(client, contract):
    call = make_call(contract)
    _, association = applicant_member(contract)
    application = make_application(call, association, status=ApplicationStatus.SUBMITTED)
    observer = UserFactory.create()
    grant(contract, observer, Role.OBSERVER)
    client.force_login(observer)
    assert client.get(url("application_detail", contract, application_id=application.pk)).status_code == 403
    assert "Médiation de nuit" not in text(client.get(url("call_detail", contract, call_id=call.pk)))


@pytest.mark.query_count(
    "funding_calls:call_list",
    "funding_calls:call_detail",
    "funding_calls:application_detail",
    "funding_calls:my_applications",
    "funding_calls:call_review",
    "funding_calls:call_programme",
    "funding_calls:call_programme_export",
    "funding_calls:financial_annex",
    "contracts:contract_home",
)
def test_call_pages_run_a_constant_number_of_queries(client, contract, pilot, query_count):
    call = make_call(contract)
    user, association = applicant_member(contract)
    objective = make_objective(make_orientation(contract))
    first = make_application(call, association, status=ApplicationStatus.PAID, objectives=(objective,))
    reviewer = reviewer_in_technical_committee(contract)

    def pages():
        return [
            url("call_list", contract),
            url("call_detail", contract, call_id=call.pk),
            url("application_detail", contract, application_id=first.pk),
            url("call_review", contract, call_id=call.pk),
            url("call_programme", contract, call_id=call.pk),
            url("call_programme_export", contract, call_id=call.pk),
            url("financial_annex", contract),
            reverse("contracts:contract_home", kwargs={"contract_slug": contract.slug}),
        ]

    def measure(user, paths):
        client.force_login(user)
        for page in paths:  # warm the content-type cache
            query_count.page(client, page)
        return [query_count.page(client, page) for page in paths]

    small = measure(pilot, pages())
    small_mine = measure(user, [url("my_applications", contract)])
    for index in range(3):
        _, organization = applicant_member(contract, f"Association {index}")
        more = make_application(call, organization, title=f"Projet {index}", status=ApplicationStatus.PROGRAMMED)
        mine = make_application(call, association, title=f"Autre projet {index}", status=ApplicationStatus.SUBMITTED)
        services.review_set(application=mine, reviewer=reviewer, opinion="favourable")
        more.objectives.add(make_objective(make_orientation(contract, title=f"Orientation {index}")))
    make_call(contract, title="Appel à projets 2026", year=2026)
    assert measure(pilot, pages()) == small
    assert measure(user, [url("my_applications", contract)]) == small_mine


def test_a_paid_grant_awaits_its_final_report_within_six_months_after_the_year(client, contract):
    user, association = applicant_member(contract)
    late = make_application(make_call(contract, year=2024), association, status=ApplicationStatus.PAID, title="Ancien")
    client.force_login(user)
    mine = text(client.get(url("my_applications", contract)))
    assert "Compte rendu attendu avant le 30/06/2025" in mine and "en retard" in mine
    detail = text(client.get(url("application_detail", contract, application_id=late.pk)))
    assert "sont attendus avant le 30/06/2025" in detail and "Transmettre le compte rendu" in detail


def test_a_final_report_is_not_late_before_the_end_of_june_after_the_year(contract):
    _, association = applicant_member(contract)
    paid = make_application(make_call(contract, year=2025), association, status=ApplicationStatus.PAID)
    row = presenters.application_row(paid, None, date(2026, 6, 30))
    assert (row.report_due, row.report_late) == ("30/06/2026", False)
    assert presenters.application_row(paid, None, date(2026, 7, 1)).report_late

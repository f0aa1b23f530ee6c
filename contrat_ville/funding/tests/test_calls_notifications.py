"""What the call for projects tells people (issue 14 §5): event e-mails sent once the action commits — deposit (the
applicant, the pilots and the State), opinions asked (the members asked), decision (the applicant), final report
overdue (once per application, ``send_final_report_reminders``) — and « Ce qui vous attend »: drafts before the
deadline and final reports (applicant), opinions asked (reviewer), deposits to instruct (pilot), yearly figures
(partner); each user's own only, in a constant number of queries."""

from __future__ import annotations

from datetime import date
from html import unescape
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.urls import reverse

from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.core.registries import awaiting_sources, sorted_entries
from contrat_ville.funding import services
from contrat_ville.funding.enums import ApplicationStatus
from contrat_ville.funding.models import Application, CallForProjects, ReviewRequest
from contrat_ville.funding.tests.factories import (
    applicant_member,
    contract_qpv,
    copil_meeting,
    make_application,
    make_body,
    make_call,
    make_commitment,
    make_decision,
    partner_member,
    seat,
)
from contrat_ville.governance.enums import BodyKind, Verdict

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract():
    contract = make_contract(name="Contrat de ville du Val Fictif")
    contract_qpv(contract, "Les Hauts de Sorne")
    return contract


@pytest.fixture
def pilot(contract):
    user = UserFactory.create(email="pilote@valfictif.fr")
    grant(contract, user, Role.PILOT)
    return user


@pytest.fixture
def state(contract):
    user = UserFactory.create(email="delegue@prefecture.gouv.fr")
    grant(contract, user, Role.STATE)
    return user


@pytest.fixture
def reviewer(contract):
    organization = OrganizationFactory.create(name="Conseil départemental")
    user = UserFactory.create(email="cotech@departement.fr", organization=organization)
    grant(contract, user, Role.PARTNER)
    seat(make_body(contract, kind=BodyKind.TECHNICAL_COMMITTEE), organization)
    return user


def url(name, contract, **kwargs):
    return reverse(f"funding_calls:{name}", kwargs={"contract_slug": contract.slug, **kwargs})


def sent(mailoutbox):
    return {address: message for message in mailoutbox for address in message.to}


def test_a_deposit_tells_the_applicant_and_the_managers(
    client, contract, pilot, state, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    call = make_call(contract)
    user, association = applicant_member(contract)
    application = make_application(call, association)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("application_submit", contract, application_id=application.pk))
    messages = sent(mailoutbox)
    assert set(messages) == {user.email, pilot.email, state.email}  # not the technical committee
    receipt = messages[user.email]
    assert receipt.subject == "Dossier déposé : Médiation de nuit"
    assert "a bien été déposé" in receipt.body and "l'appel à projets « Appel à projets 2025 »" in receipt.body
    assert f"http://127.0.0.1:8000{url('application_detail', contract, application_id=application.pk)}" in receipt.body
    assert "&#x27;" not in receipt.body and unescape(receipt.body) == receipt.body
    assert messages[pilot.email].subject.startswith("Nouveau dossier à instruire : Médiation de nuit")


def test_a_refused_deposit_sends_nothing(client, contract, pilot, mailoutbox, django_capture_on_commit_callbacks):
    call = make_call(contract)
    user, association = applicant_member(contract)
    application = make_application(call, association, total_budget=None)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("application_submit", contract, application_id=application.pk))
    assert Application.objects.get().status == ApplicationStatus.DRAFT
    assert mailoutbox == []


def test_the_pilot_asks_the_technical_committee_for_opinions(
    client, contract, pilot, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    call = make_call(contract)
    _, association = applicant_member(contract)
    application = make_application(call, association, status=ApplicationStatus.SUBMITTED)
    not_seated, _ = partner_member(contract, "Bailleur social")
    client.force_login(pilot)
    page = url("application_request_reviews", contract, application_id=application.pk)
    form = unescape(client.get(page).content.decode())
    assert "Conseil départemental" in form and "Bailleur social" not in form
    assert client.post(page, {"reviewers": [not_seated.pk]}).status_code == 200  # not a choice
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page, {"reviewers": [reviewer.pk]})
    assert response.status_code == 302
    assert [message.to for message in mailoutbox] == [[reviewer.email]]
    assert "Votre avis de membre du comité technique est demandé" in mailoutbox[0].body
    assert f"{url('application_detail', contract, application_id=application.pk)}avis/" in mailoutbox[0].body
    detail = unescape(client.get(url("application_detail", contract, application_id=application.pk)).content.decode())
    assert "Avis demandé à" in detail
    # Asked again: no second e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page, {"reviewers": [reviewer.pk]})
    assert len(mailoutbox) == 1 and ReviewRequest.objects.count() == 1
    # The applicant may not ask; a decided application is not open to opinions any more.
    applicant, _ = applicant_member(contract, "Autre association")
    client.force_login(applicant)
    assert client.get(page).status_code == 403


def test_the_decision_is_told_to_the_applicant(contract, pilot, mailoutbox, django_capture_on_commit_callbacks):
    call = make_call(contract)
    user, association = applicant_member(contract)
    _, other = applicant_member(contract, "Les Ateliers du Quartier")
    programmed = make_application(call, association, status=ApplicationStatus.UNDER_REVIEW)
    refused = make_application(call, other, status=ApplicationStatus.UNDER_REVIEW, title="Autre projet")
    services.application_grant_set(
        application=programmed, granted={amount.pk: amount.requested for amount in programmed.amounts.all()}
    )
    mailoutbox.clear()
    meeting = copil_meeting(contract)
    with django_capture_on_commit_callbacks(execute=True):
        make_decision(meeting, target=programmed)
        make_decision(meeting, target=refused, verdict=Verdict.REJECTED)
    subjects = {message.subject: message for message in mailoutbox}
    assert set(subjects) == {
        "Décision du comité de pilotage : Médiation de nuit — programmé",
        "Décision du comité de pilotage : Autre projet — refusé",
    }
    assert subjects["Décision du comité de pilotage : Médiation de nuit — programmé"].to == [user.email]
    assert "La convention de subvention vous sera proposée" in mailoutbox[0].body + mailoutbox[1].body


def test_final_report_reminders_are_sent_once(contract, mailoutbox):
    user, association = applicant_member(contract)
    late = make_application(
        make_call(contract, year=2024, title="Appel 2024"), association, status=ApplicationStatus.PAID
    )
    received = make_application(
        CallForProjects.objects.get(title="Appel 2024"), association, status=ApplicationStatus.REPORT_RECEIVED
    )
    not_yet = make_application(
        make_call(contract, year=2026, title="Appel 2026"), association, status=ApplicationStatus.PAID
    )
    mailoutbox.clear()
    out = StringIO()
    call_command("send_final_report_reminders", "--dry-run", stdout=out)
    assert "à rappeler : 1" in out.getvalue() and mailoutbox == []
    call_command("send_final_report_reminders", stdout=out)
    assert [message.to for message in mailoutbox] == [[user.email]]
    assert mailoutbox[0].subject == f"Compte rendu attendu : {late.title}"
    assert "était attendu avant le 30/06/2025" in mailoutbox[0].body
    late.refresh_from_db()
    assert late.report_reminded_at is not None
    call_command("send_final_report_reminders", stdout=out)
    assert len(mailoutbox) == 1  # once per application
    # A call's own due date counts.
    call_2026 = not_yet.call
    CallForProjects.objects.filter(pk=call_2026.pk).update(report_due_on=date(2026, 1, 31))
    assert services.final_report_reminders_send(today=date(2026, 2, 1)).reminded == 1
    assert received.report_reminded_at is None


def awaiting_groups(user):
    """What the registry's sources collect for ``user`` (the contracts app renders it), non-empty sources only."""
    groups = []
    for source in sorted_entries(awaiting_sources):
        items = list(source.collect(user))
        if items:
            groups.append(SimpleNamespace(label=source.label, items=items))
    return groups


def _awaiting(user):
    return {group.label: [item.title for item in group.items] for group in awaiting_groups(user)}


def test_what_awaits_each_user(contract, pilot, reviewer):
    call = make_call(contract)
    user, association = applicant_member(contract)
    stranger, _ = applicant_member(contract, "Les Ateliers du Quartier")
    draft = make_application(call, association, title="Brouillon")
    make_application(
        make_call(contract, year=2024, title="Appel 2024"), association, status=ApplicationStatus.PAID, title="Versé"
    )
    deposited = make_application(call, association, title="Déposé", status=ApplicationStatus.SUBMITTED)
    mine = _awaiting(user)
    assert mine["Dossiers à déposer avant la clôture"] == [
        "Déposer le dossier « Brouillon » avant la clôture de « Appel à projets 2025 »"
    ]
    assert mine["Comptes rendus à transmettre"] == ["Transmettre le compte rendu de « Versé »"]
    assert _awaiting(stranger) == {}
    assert _awaiting(pilot)["Dossiers déposés à instruire"] == [
        "Instruire le dossier « Déposé » (Association Sorne Solidarités)"
    ]
    assert "Avis techniques demandés" not in _awaiting(reviewer)  # nobody asked yet
    services.reviews_request(application=deposited, reviewers=[reviewer], by=pilot)
    [item] = awaiting_groups(reviewer)[0].items
    assert item.key == f"funding.application.review:{deposited.pk}" and item.url.endswith("/avis/")
    services.review_set(application=deposited, reviewer=reviewer, opinion="favourable")
    assert _awaiting(reviewer) == {}
    services.application_submit(application=draft)
    assert "Dossiers à déposer avant la clôture" not in _awaiting(user)
    # A partner's realised figures of the years over.
    partner, organization = partner_member(contract, "Caisse d'allocations familiales")
    make_commitment(contract, organization, years={2024: (10, None), 2025: (10, 8)})
    assert _awaiting(partner) == {
        "Chiffres réalisés du droit commun à saisir": [
            "Saisir le réalisé 2024 de « Éducateurs de prévention spécialisée »"
        ]
    }
    # Another contract's members see none of it.
    outsider = UserFactory.create()
    grant(make_contract(name="Autre contrat"), outsider, Role.PILOT)
    assert _awaiting(outsider) == {}


def test_the_sources_read_a_constant_number_of_queries(contract, pilot, reviewer, query_count):
    call = make_call(contract)
    user, association = applicant_member(contract)
    partner, organization = partner_member(contract, "Caisse d'allocations familiales")

    def grow(index):
        make_application(call, association, title=f"Brouillon {index}")
        deposited = make_application(call, association, title=f"Déposé {index}", status=ApplicationStatus.SUBMITTED)
        services.reviews_request(application=deposited, reviewers=[reviewer], by=pilot)
        make_commitment(contract, organization, title=f"Engagement {index}", years={2024: (1, None)})

    def count():
        counts = []
        for who in (user, pilot, reviewer, partner):
            with query_count() as queries:
                awaiting_groups(who)
            counts.append(len(queries))
        return counts

    grow(0)
    small = count()
    for index in range(1, 4):
        grow(index)
    assert count() == small
    assert sum(len(group.items) for group in awaiting_groups(reviewer)) == 4

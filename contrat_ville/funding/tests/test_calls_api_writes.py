"""API writes of the call for projects: what the pages write, the API writes — on the same services and predicates,
403 for a role the rule refuses, 404 for another association's application, 422 in French for a refused rule."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory, bearer
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.funding.enums import ApplicationStatus, CallStatus
from contrat_ville.funding.models import ApplicationAttachment, CallForProjects, FinalReport, ReviewRequest
from contrat_ville.funding.tests.factories import (
    applicant_member,
    contract_qpv,
    make_application,
    make_body,
    make_call,
    seat,
)
from contrat_ville.governance.enums import BodyKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract():
    contract = make_contract(name="Contrat publié", published=True)
    contract_qpv(contract, "Les Hauts")
    return contract


@pytest.fixture
def pilot(contract):
    user = UserFactory.create()
    grant(contract, user, Role.PILOT)
    return user


def api_url(contract, path):
    return f"/api/v1/contracts/{contract.pk}/{path}"


def send(method, path, payload=None, user=None):
    headers = bearer(user) if user is not None else {}
    client = Client()
    if payload is None:
        return getattr(client, method)(path, headers=headers)
    return getattr(client, method)(path, payload, content_type="application/json", headers=headers)


CALL = {
    "title": "Appel à projets 2026",
    "year": 2026,
    "opens_on": "2025-10-01",
    "closes_on": "2026-12-15",
    "eligibility": "Associations intervenant dans les quartiers prioritaires.",
}


def test_the_pilot_prepares_opens_and_closes_a_call(contract, pilot):
    created = send("post", api_url(contract, "calls"), CALL, pilot)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft" and body["report_due_on"] == "2027-06-30"
    status = api_url(contract, f"calls/{body['id']}/status")
    refused = send("post", status, {"status": "open"}, pilot)
    assert refused.status_code == 422 and "au moins un financeur" in refused.json()["detail"]
    funder = send("post", api_url(contract, f"calls/{body['id']}/funders"), {"name": "État", "is_p147": True}, pilot)
    assert funder.status_code == 201 and funder.json()["funders"][0]["is_p147"]
    assert send("post", status, {"status": "open"}, pilot).json()["status"] == "open"
    programmed = send("post", status, {"status": "programmed"}, pilot)
    assert programmed.status_code == 422 and "comité de pilotage" in programmed.json()["detail"]
    updated = send("put", api_url(contract, f"calls/{body['id']}"), {**CALL, "report_due_on": "2027-09-30"}, pilot)
    assert updated.status_code == 200 and updated.json()["report_due_on"] == "2027-09-30"
    late = send("put", api_url(contract, f"calls/{body['id']}"), {**CALL, "report_due_on": "2025-01-01"}, pilot)
    assert late.status_code == 422 and "après la clôture des dépôts" in late.json()["detail"]
    # An applicant or a partner does not manage calls; another contract's pilot does not see them.
    applicant, _ = applicant_member(contract)
    assert send("post", api_url(contract, "calls"), {**CALL, "title": "Autre"}, applicant).status_code == 403
    outsider = UserFactory.create()
    grant(make_contract(name="Autre contrat"), outsider, Role.PILOT)
    assert send("post", api_url(contract, "calls"), {**CALL, "title": "Autre"}, outsider).status_code == 404
    assert CallForProjects.objects.count() == 1


def test_an_association_updates_its_draft_attaches_documents_and_reports(contract, pilot):
    call = make_call(contract)
    user, association = applicant_member(contract)
    stranger, _ = applicant_member(contract, "Les Ateliers du Quartier")
    application = make_application(call, association)
    funder = call.funders.first()
    payload = {
        "title": "Médiation de nuit, deuxième année",
        "description": "Trois médiateurs.",
        "total_budget": 40000,
        "qpv_codes": [contract.qpvs.get().code],
        "requested": [{"funder_id": funder.pk, "amount": 20000}],
    }
    path = api_url(contract, f"applications/{application.pk}")
    assert send("put", path, payload, stranger).status_code == 404
    unbalanced = send("put", path, {**payload, "total_budget": 100}, user)
    assert unbalanced.status_code == 422 and "budget total" in unbalanced.json()["detail"]
    assert send("put", path, payload, user).json()["title"] == "Médiation de nuit, deuxième année"
    attachments = api_url(contract, f"applications/{application.pk}/attachments")
    upload = Client().post(
        attachments,
        {"title": "Statuts", "file": SimpleUploadedFile("statuts.pdf", b"%PDF-1.4")},
        headers=bearer(user),
    )
    assert upload.status_code == 201, upload.content
    assert upload.json()["url"].endswith(f"/pieces-jointes/{upload.json()['id']}/")
    wrong = Client().post(
        attachments, {"title": "Virus", "file": SimpleUploadedFile("virus.exe", b"MZ")}, headers=bearer(user)
    )
    assert wrong.status_code == 422 and "type de fichier" in wrong.json()["detail"]
    assert [item["title"] for item in send("get", attachments, user=user).json()] == ["Statuts"]
    assert send("get", attachments, user=stranger).status_code == 404
    # A member who reads no application (an observer) gets the application's own answer: 404, never a 403.
    observer = UserFactory.create()
    grant(contract, observer, Role.OBSERVER)
    assert send("get", path, user=observer).status_code == 404
    assert send("get", attachments, user=observer).status_code == 404
    assert send("get", attachments, user=pilot).status_code == 200
    attachment_id = upload.json()["id"]
    assert send("delete", f"{attachments}/{attachment_id}", user=stranger).status_code == 404
    assert send("delete", f"{attachments}/{attachment_id}", user=user).status_code == 204
    assert not ApplicationAttachment.objects.exists()
    assert send("post", f"{path}/submit", {}, user).json()["status"] == "submitted"
    assert send("put", path, payload, user).status_code == 422  # deposited: no more edits
    # The final report, once paid.
    report = {"actions_carried_out": "Permanences.", "women": 3, "men": 2, "age_16_25": 5, "qpv_residents": 4}
    early = send("put", f"{path}/final-report", report, user)
    assert early.status_code == 422 and "une fois la subvention versée" in early.json()["detail"]


def test_the_pilot_instructs_asks_opinions_and_follows_the_grant(
    contract, pilot, mailoutbox, django_capture_on_commit_callbacks
):
    call = make_call(contract)
    applicant, association = applicant_member(contract)
    application = make_application(call, association, status=ApplicationStatus.SUBMITTED)
    organization = OrganizationFactory.create(name="Conseil départemental")
    reviewer = UserFactory.create(organization=organization)
    grant(contract, reviewer, Role.PARTNER)
    seat(make_body(contract, kind=BodyKind.TECHNICAL_COMMITTEE), organization)
    not_seated = UserFactory.create()
    grant(contract, not_seated, Role.PARTNER)
    path = api_url(contract, f"applications/{application.pk}")
    assert send("post", f"{path}/status", {"status": "under_review"}, applicant).status_code == 403
    assert send("post", f"{path}/status", {"status": "under_review"}, pilot).json()["status"] == "under_review"
    refused = send("post", f"{path}/status", {"status": "programmed"}, pilot)
    assert refused.status_code == 422 and "comité de pilotage" in refused.json()["detail"]
    stranger = send("post", f"{path}/review-requests", {"reviewer_ids": [not_seated.pk]}, pilot)
    assert stranger.status_code == 422 and "comité technique" in stranger.json()["detail"]
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        with_request = send("post", f"{path}/review-requests", {"reviewer_ids": [reviewer.pk]}, pilot)
    assert with_request.status_code == 200, with_request.content
    assert ReviewRequest.objects.filter(application=application, reviewer=reviewer).exists()
    assert [message.to for message in mailoutbox] == [[reviewer.email]]
    review = send("put", f"{path}/review", {"opinion": "favourable"}, reviewer)
    assert review.status_code == 200
    funders = list(call.funders.all())
    too_much = send("put", f"{path}/grants", {"granted": [{"funder_id": funders[0].pk, "granted": 99999}]}, pilot)
    assert too_much.status_code == 422 and "dépasse le montant demandé" in too_much.json()["detail"]
    granted = send("put", f"{path}/grants", {"granted": [{"funder_id": funders[0].pk, "granted": 12000}]}, pilot)
    assert granted.json()["amounts"][0]["granted"] == 12000
    assert send("put", f"{path}/grants", {"granted": [{"funder_id": 999999, "granted": 1}]}, pilot).status_code == 422


def test_a_paid_grant_gets_its_final_report_through_the_api(contract):
    call = make_call(contract)
    user, association = applicant_member(contract)
    application = make_application(call, association, status=ApplicationStatus.PAID)
    path = api_url(contract, f"applications/{application.pk}/final-report")
    wrong = send("put", path, {"actions_carried_out": "Ateliers.", "women": 3, "men": 2, "age_16_25": 4}, user)
    assert wrong.status_code == 422 and "tranches d'âge" in wrong.json()["detail"]
    report = {
        "actions_carried_out": "Ateliers.",
        "women": 3,
        "men": 2,
        "age_16_25": 4,
        "age_26_64": 1,
        "qpv_residents": 4,
        "realised_budget": 28000,
    }
    answer = send("put", path, report, user)
    assert answer.status_code == 200 and answer.json()["status"] == "report_received"
    assert FinalReport.objects.get().qpv_residents == 4


def test_open_data_through_the_api(contract):
    call = make_call(contract)
    assert send("get", api_url(contract, f"calls/{call.pk}/open-data")).status_code == 404  # not decided yet
    CallForProjects.objects.filter(pk=call.pk).update(status=CallStatus.PROGRAMMED)
    assert send("get", api_url(contract, f"calls/{call.pk}/open-data")).json() == []
    _, association = applicant_member(contract)
    CallForProjects.objects.filter(pk=call.pk).update(status=CallStatus.OPEN)
    call.refresh_from_db()
    make_application(call, association, status=ApplicationStatus.AGREEMENT_SIGNED)
    CallForProjects.objects.filter(pk=call.pk).update(status=CallStatus.PROGRAMMED)
    missing = send("get", api_url(contract, f"calls/{call.pk}/open-data"))
    assert missing.status_code == 422 and "n'est rattaché à aucune organisation" in missing.json()["detail"]
    # Every call of the year together: the same answer; a year without a decided programme is not found.
    assert send("get", api_url(contract, f"open-data/{call.year}")).status_code == 422
    assert send("get", api_url(contract, "open-data/2029")).status_code == 404


def test_the_applications_list_reads_their_documents_in_constant_queries(contract, pilot, query_count):
    call = make_call(contract)

    def grow(index):
        _, association = applicant_member(contract, f"Association {index}")
        application = make_application(call, association, title=f"Projet {index}")
        for number in range(2):
            ApplicationAttachment.objects.create(
                application=application, title=f"Pièce {number}", file=SimpleUploadedFile("piece.pdf", b"%PDF-1.4")
            )

    def count():
        with query_count() as queries:
            answer = send("get", api_url(contract, "applications"), user=pilot)
        assert answer.status_code == 200
        return len(queries), sum(len(item["attachments"]) for item in answer.json())

    grow(0)
    send("get", api_url(contract, "applications"), user=pilot)  # warm the caches
    small, documents = count()
    for index in range(1, 4):
        grow(index)
    assert count() == (small, 8) and documents == 2

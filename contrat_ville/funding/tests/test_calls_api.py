"""The call-for-projects API: the same services, predicates and French messages as the pages (issue 14 §6)."""

from __future__ import annotations

import pytest
from django.test import Client

from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory, bearer
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.funding.enums import ApplicationStatus
from contrat_ville.funding.models import Application
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


def api_url(contract, path):
    return f"/api/v1/contracts/{contract.pk}/{path}"


def call(method, path, payload=None, headers=None):
    client = Client()
    if payload is None:
        return getattr(client, method)(path, headers=headers or {})
    return getattr(client, method)(path, payload, content_type="application/json", headers=headers or {})


def test_calls_are_private_even_on_a_published_contract(contract):
    make_call(contract)
    pilot = UserFactory.create()
    grant(contract, pilot, Role.PILOT)
    path = api_url(contract, "calls")
    assert call("get", path).status_code == 401
    assert call("get", path, headers=bearer(UserFactory.create())).status_code == 404
    [body] = call("get", path, headers=bearer(pilot)).json()
    assert (body["status"], [funder["is_p147"] for funder in body["funders"]]) == ("open", [True, False])
    assert (
        call("get", api_url(contract, f"calls/{body['id']}"), headers=bearer(pilot)).json()["title"] == body["title"]
    )


def test_an_association_reads_and_writes_only_its_own_applications(contract):
    the_call = make_call(contract)
    user, association = applicant_member(contract, "Association Sorne Solidarités")
    _, other = applicant_member(contract, "Les Ateliers du Quartier")
    theirs = make_application(the_call, other, title="Projet des autres", status=ApplicationStatus.SUBMITTED)
    make_application(the_call, association, title="Projet à nous")
    listed = call("get", api_url(contract, "applications"), headers=bearer(user)).json()
    assert [item["title"] for item in listed] == ["Projet à nous"]
    assert listed[0]["reviews"] == []
    assert call("get", api_url(contract, f"applications/{theirs.pk}"), headers=bearer(user)).status_code == 404
    assert call("post", api_url(contract, f"applications/{theirs.pk}/submit"), {}, bearer(user)).status_code == 404
    funder = the_call.funders.first()
    payload = {
        "call_id": the_call.pk,
        "organization_id": other.pk,  # ignored: an association applies for its own organisation
        "title": "Atelier cuisine",
        "description": "Un atelier par semaine.",
        "total_budget": "5000",
        "qpv_codes": [contract.qpvs.get().code],
        "requested": [{"funder_id": funder.pk, "amount": "3000"}],
    }
    created = call("post", api_url(contract, "applications"), payload, bearer(user))
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["organization"], body["status"]) == ("Association Sorne Solidarités", "draft")
    submitted = call("post", api_url(contract, f"applications/{body['id']}/submit"), {}, bearer(user))
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    again = call("post", api_url(contract, f"applications/{body['id']}/submit"), {}, bearer(user))
    assert again.status_code == 422 and "Passage impossible de « déposé » à « déposé »" in again.json()["detail"]
    refused = call("post", api_url(contract, "applications"), {**payload, "total_budget": "100"}, bearer(user))
    assert refused.status_code == 422 and "dépassent le budget total" in refused.json()["detail"]
    assert Application.objects.filter(organization=association).count() == 2


def test_reviewers_read_deposited_applications_and_give_opinions(contract):
    the_call = make_call(contract)
    _, association = applicant_member(contract)
    deposited = make_application(the_call, association, title="Déposé", status=ApplicationStatus.SUBMITTED)
    make_application(the_call, association, title="Brouillon")
    partner = UserFactory.create(organization=OrganizationFactory.create(name="Conseil départemental"))
    grant(contract, partner, Role.PARTNER)
    path = api_url(contract, f"applications/{deposited.pk}/review")
    assert call("put", path, {"opinion": "favourable"}, bearer(partner)).status_code == 403
    seat(make_body(contract, kind=BodyKind.TECHNICAL_COMMITTEE), partner.organization)
    assert [
        item["title"] for item in call("get", api_url(contract, "applications"), headers=bearer(partner)).json()
    ] == ["Déposé"]
    refused = call("put", path, {"opinion": "unfavourable"}, bearer(partner))
    assert refused.status_code == 422 and "dit pourquoi" in refused.json()["detail"]
    answer = call("put", path, {"opinion": "unfavourable", "comment": "Hors QPV"}, bearer(partner))
    assert answer.status_code == 200
    assert answer.json()["reviews"][0]["opinion_label"] == "défavorable"

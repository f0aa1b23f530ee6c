"""Rows of the access matrix for this app's URLs (see tests/access_rows.py)."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile

from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.services import contract_role_grant
from contrat_ville.funding import services
from contrat_ville.funding.enums import ApplicationStatus, CallStatus
from contrat_ville.funding.models import ApplicationAttachment, CallForProjects
from contrat_ville.funding.tests.factories import make_application, make_body, make_call
from contrat_ville.governance.enums import BodyKind
from tests.access_rows import (
    API_CONTRACT_PRIVATE,
    API_CONTRACT_PUBLIC,
    API_WRITE,
    CONTRACT_PRIVATE,
    CONTRACT_PUBLIC,
    EXCLUDED,
    STAFF,
    STATE_OR_STAFF,
    Row,
    _api_obj,
    _contract_id,
    _obj,
    _slug,
)


def _programmed_call(world: Any, contract: Any) -> dict[str, Any]:
    return {"contract_slug": contract.slug, "call_id": world.objects[contract.pk]["programmed_call"].pk}


def _programmed_year(world: Any, contract: Any) -> dict[str, Any]:
    return {"contract_slug": contract.slug, "year": world.objects[contract.pk]["programmed_call"].year}


def _application_attachment(world: Any, contract: Any) -> dict[str, Any]:
    objects = world.objects[contract.pk]
    return {
        "contract_slug": contract.slug,
        "application_id": objects["application"].pk,
        "attachment_id": objects["application_attachment"].pk,
    }


ACCESS_ROWS: dict[str, Row] = {
    # private to the contract's members, even on a published contract
    "funding:commitment_list": Row(CONTRACT_PRIVATE, _slug),
    "funding:commitment_create": Row(CONTRACT_PRIVATE, _slug),
    "funding:commitment_detail": Row(CONTRACT_PRIVATE, _obj("commitment")),
    "funding:commitment_update": Row(CONTRACT_PRIVATE, _obj("commitment")),
    "funding:commitment_delete": Row(CONTRACT_PRIVATE, _obj("commitment")),
    "funding:commitment_year": Row(CONTRACT_PRIVATE, _obj("commitment")),
    "funding:commitment_year_delete": Row(
        CONTRACT_PRIVATE,
        lambda world, contract: {**_obj("commitment")(world, contract), "year": 2024},
        method="post",
    ),
    "funding:my_commitments": Row(CONTRACT_PRIVATE, _slug),
    "funding:balance": Row(CONTRACT_PRIVATE, _slug),
    "funding:balance_export": Row(CONTRACT_PRIVATE, _slug),
    "funding:credit_list": Row(CONTRACT_PRIVATE, _slug),
    "funding:credit_create": Row(CONTRACT_PRIVATE, _slug),
    "funding:credit_update": Row(CONTRACT_PRIVATE, _obj("credit")),
    "funding:credit_delete": Row(CONTRACT_PRIVATE, _obj("credit")),
    # the annual call for projects: private to the contract's members
    "funding_calls:call_list": Row(CONTRACT_PRIVATE, _slug),
    "funding_calls:call_create": Row(CONTRACT_PRIVATE, _slug),
    "funding_calls:call_detail": Row(CONTRACT_PRIVATE, _obj("call")),
    "funding_calls:call_update": Row(CONTRACT_PRIVATE, _obj("call")),
    "funding_calls:call_status": Row(CONTRACT_PRIVATE, _obj("call"), method="post"),
    "funding_calls:call_funder_add": Row(CONTRACT_PRIVATE, _obj("call")),
    "funding_calls:call_funder_delete": Row(CONTRACT_PRIVATE, _obj("call", "funder"), method="post"),
    "funding_calls:call_request_decision": Row(CONTRACT_PRIVATE, _obj("call"), method="post"),
    "funding_calls:call_review": Row(CONTRACT_PRIVATE, _obj("call")),
    "funding_calls:call_programme": Row(CONTRACT_PRIVATE, _obj("call")),
    "funding_calls:call_programme_export": Row(CONTRACT_PRIVATE, _obj("call")),
    "funding_calls:financial_annex": Row(CONTRACT_PRIVATE, _slug),
    # open data: public on a published contract once the call's programme is decided (the world's call is open:
    # the public gets 404, as for a call that does not exist)
    "funding_calls:call_open_data": Row(CONTRACT_PUBLIC, _programmed_call),
    "funding_calls:call_open_data_csv": Row(CONTRACT_PUBLIC, _programmed_call),
    "funding_calls:year_open_data": Row(CONTRACT_PUBLIC, _programmed_year),
    "funding_calls:year_open_data_csv": Row(CONTRACT_PUBLIC, _programmed_year),
    "funding_calls:my_applications": Row(CONTRACT_PRIVATE, _slug),
    "funding_calls:application_create": Row(CONTRACT_PRIVATE, _obj("call")),
    "funding_calls:application_detail": Row(CONTRACT_PRIVATE, _obj("application")),
    "funding_calls:application_update": Row(CONTRACT_PRIVATE, _obj("application")),
    "funding_calls:application_submit": Row(CONTRACT_PRIVATE, _obj("application"), method="post"),
    "funding_calls:application_follow": Row(CONTRACT_PRIVATE, _obj("application"), method="post"),
    "funding_calls:application_request_decision": Row(CONTRACT_PRIVATE, _obj("application"), method="post"),
    "funding_calls:application_grant": Row(CONTRACT_PRIVATE, _obj("application")),
    "funding_calls:application_review": Row(CONTRACT_PRIVATE, _obj("application")),
    "funding_calls:application_report": Row(CONTRACT_PRIVATE, _obj("application")),
    "funding_calls:application_request_reviews": Row(CONTRACT_PRIVATE, _obj("application")),
    "funding_calls:application_attachment_add": Row(CONTRACT_PRIVATE, _obj("application")),
    "funding_calls:application_attachment_download": Row(CONTRACT_PRIVATE, _application_attachment),
    "funding_calls:application_attachment_remove": Row(CONTRACT_PRIVATE, _application_attachment, method="post"),
    # outside a contract: State delegates and administrators; the national file's import, administrators only
    "funding_balance_across_contracts": Row(STATE_OR_STAFF),
    "funding_posts_across_contracts": Row(STATE_OR_STAFF),
    "funding_posts_import": Row(STAFF),
    # API
    "api-1:funding_commitment_list": Row(API_CONTRACT_PRIVATE, _contract_id),
    "api-1:funding_commitment_detail": Row(API_CONTRACT_PRIVATE, _api_obj("commitment")),
    "api-1:funding_commitment_balance": Row(API_CONTRACT_PRIVATE, _contract_id),
    "api-1:funding_credit_list": Row(API_CONTRACT_PRIVATE, _contract_id),
    "api-1:funding_call_list": Row(API_CONTRACT_PRIVATE, _contract_id),
    "api-1:funding_call_detail": Row(API_CONTRACT_PRIVATE, _api_obj("call")),
    "api-1:funding_application_list": Row(API_CONTRACT_PRIVATE, _contract_id),
    "api-1:funding_application_detail": Row(API_CONTRACT_PRIVATE, _api_obj("application")),
    "api-1:funding_application_attachment_list": Row(API_CONTRACT_PRIVATE, _api_obj("application")),
    "api-1:funding_year_open_data": Row(
        API_CONTRACT_PUBLIC,
        lambda world, contract: {
            "contract_id": contract.pk,
            "year": world.objects[contract.pk]["programmed_call"].year,
        },
    ),
    "api-1:funding_call_open_data": Row(
        API_CONTRACT_PUBLIC,
        lambda world, contract: {
            "contract_id": contract.pk,
            "call_id": world.objects[contract.pk]["programmed_call"].pk,
        },
    ),
    **{
        f"api-1:funding_application_{verb}": Row(EXCLUDED, why_excluded=API_WRITE)
        for verb in (
            "create",
            "submit",
            "review",
            "update",
            "status",
            "grants",
            "review_requests",
            "final_report",
            "attachment_add",
            "attachment_remove",
        )
    },
    **{
        f"api-1:funding_call_{verb}": Row(EXCLUDED, why_excluded=API_WRITE)
        for verb in ("create", "update", "status", "funder_add", "funder_delete")
    },
    **{
        f"api-1:funding_commitment_{verb}": Row(EXCLUDED, why_excluded=API_WRITE)
        for verb in ("create", "update", "delete", "year_set")
    },
    **{
        f"api-1:funding_credit_{verb}": Row(EXCLUDED, why_excluded=API_WRITE)
        for verb in ("create", "update", "delete")
    },
}


def access_objects(contract: Any, objects: dict[str, Any]) -> dict[str, Any]:
    """A partner's commitment in ``contract``, with a figure for 2024; an open call for projects with an association's
    application in instruction, and the contract's technical committee (where the applications are reviewed)."""
    organization = OrganizationFactory.create(name=f"Partenaire du contrat {contract.pk}")
    contract_role_grant(contract=contract, user=UserFactory.create(organization=organization), role=Role.PARTNER)
    commitment = services.commitment_create(
        contract=contract,
        partner=organization,
        fields=services.CommitmentFields(title="Engagement de test", nature="staff"),
    )
    services.commitment_year_set(commitment=commitment, year=2024, planned=1, realised=None)
    credit = services.credit_create(
        contract=contract,
        fields=services.CreditFields(programme="p147", title="Crédits de test", year=contract.start_on.year),
    )
    call = make_call(contract, title=f"Appel à projets du contrat {contract.pk}")
    association = OrganizationFactory.create(name=f"Association du contrat {contract.pk}", kind="association")
    application = make_application(call, association, status=ApplicationStatus.UNDER_REVIEW)
    technical_committee = make_body(contract, kind=BodyKind.TECHNICAL_COMMITTEE)
    attachment = ApplicationAttachment.objects.create(
        application=application, title="Statuts", file=ContentFile(b"%PDF-1.4", name="statuts.pdf")
    )
    # A call of last year whose programme the steering committee decided (no grant under agreement yet).
    programmed_call = make_call(
        contract, title=f"Appel à projets programmé du contrat {contract.pk}", status=CallStatus.CLOSED
    )
    CallForProjects.objects.filter(pk=programmed_call.pk).update(status=CallStatus.PROGRAMMED)
    return {
        "commitment": commitment,
        "programmed_call": programmed_call,
        "credit": credit,
        "call": call,
        "funder": call.funders.first(),
        "application": application,
        "technical_committee": technical_committee,
        # Not « attachment »: that key is the governance meeting's (the world merges every app's objects).
        "application_attachment": attachment,
    }

"""An application's documents: the applicant uploads, lists, downloads and removes them while the application is a
draft (type and size checked, French refusals); the pilot, the State and the technical committee read them once
it is deposited; another association never does — 404 as for the application itself."""

from __future__ import annotations

from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.funding import services
from contrat_ville.funding.enums import ApplicationStatus
from contrat_ville.funding.models import ApplicationAttachment
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
    contract = make_contract(name="Contrat de ville du Val Fictif")
    contract_qpv(contract, "Les Hauts de Sorne")
    return contract


def url(name, contract, **kwargs):
    return reverse(f"funding_calls:{name}", kwargs={"contract_slug": contract.slug, **kwargs})


def text(response):
    assert response.status_code == 200, response.status_code
    return " ".join(unescape(response.content.decode()).split())


def pdf(name="statuts.pdf", content=b"%PDF-1.4 statuts"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_the_applicant_uploads_lists_downloads_and_removes_documents_of_its_draft(client, contract):
    call = make_call(contract)
    user, association = applicant_member(contract)
    application = make_application(call, association)
    client.force_login(user)
    add = url("application_attachment_add", contract, application_id=application.pk)
    assert "Joindre le document" in text(client.get(add))
    response = client.post(add, {"title": "Statuts de l'association", "file": pdf()})
    assert response.status_code == 302
    attachment = ApplicationAttachment.objects.get()
    assert attachment.uploaded_by == user and attachment.application == application
    detail = text(client.get(url("application_detail", contract, application_id=application.pk)))
    assert "Statuts de l'association" in detail and "Joindre un document" in detail
    download = client.get(
        url("application_attachment_download", contract, application_id=application.pk, attachment_id=attachment.pk)
    )
    assert download.status_code == 200 and download.content == b"%PDF-1.4 statuts"
    assert download["Content-Type"] == "application/pdf" and "attachment" in download["Content-Disposition"]
    # A file of another type, or too big, is refused in French on the form.
    refused = text(client.post(add, {"title": "", "file": SimpleUploadedFile("virus.exe", b"MZ")}))
    assert "Ce type de fichier n'est pas accepté" in refused
    big = SimpleUploadedFile("budget.pdf", b"0" * (10 * 1024 * 1024 + 1))
    assert "dépasse la taille maximale de 10 Mo" in text(client.post(add, {"title": "", "file": big}))
    assert ApplicationAttachment.objects.count() == 1
    remove = url("application_attachment_remove", contract, application_id=application.pk, attachment_id=attachment.pk)
    assert client.post(remove).status_code == 302
    assert not ApplicationAttachment.objects.exists()


def test_a_deposited_application_keeps_its_documents(contract):
    call = make_call(contract)
    _, association = applicant_member(contract)
    application = make_application(call, association)
    attachment = services.application_attachment_add(application=application, title="", file=pdf())
    assert attachment.title == "statuts"
    services.application_submit(application=application)
    with pytest.raises(BusinessRuleError, match="Les pièces jointes d'un dossier déposé ne changent plus"):
        services.application_attachment_add(application=application, title="Budget", file=pdf("budget.pdf"))
    with pytest.raises(BusinessRuleError, match="ne changent plus"):
        services.application_attachment_remove(attachment=attachment)


def test_a_deposited_application_offers_no_form_to_fill_in_vain(client, contract):
    """Once deposited (the detail page hides « Modifier » and « Joindre »), its edit and upload pages, reached from a
    bookmark or the back button, say why instead of offering a form the service would refuse after it is filled."""
    call = make_call(contract)
    user, association = applicant_member(contract)
    application = make_application(call, association)
    services.application_submit(application=application)
    client.force_login(user)
    for name in ("application_update", "application_attachment_add"):
        page = text(client.get(url(name, contract, application_id=application.pk)))
        assert services.APPLICATION_DEPOSITED in page
        assert "<form" not in page.split("</header>", 1)[1].split("<footer", 1)[0]
        assert "Retour au dossier" in page


def test_managers_and_reviewers_read_the_documents_another_association_never(client, contract):
    call = make_call(contract)
    owner, association = applicant_member(contract, "Association Sorne Solidarités")
    stranger, _ = applicant_member(contract, "Les Ateliers du Quartier")
    application = make_application(call, association)
    attachment = services.application_attachment_add(application=application, title="Budget", file=pdf())
    services.application_submit(application=application)
    pilot = UserFactory.create()
    grant(contract, pilot, Role.PILOT)
    organization = OrganizationFactory.create(name="Conseil départemental")
    reviewer = UserFactory.create(organization=organization)
    grant(contract, reviewer, Role.PARTNER)
    seat(make_body(contract, kind=BodyKind.TECHNICAL_COMMITTEE), organization)
    outsider = UserFactory.create()
    grant(make_contract(name="Autre contrat"), outsider, Role.PILOT)
    download = url(
        "application_attachment_download", contract, application_id=application.pk, attachment_id=attachment.pk
    )
    detail = url("application_detail", contract, application_id=application.pk)
    for user in (owner, pilot, reviewer):
        client.force_login(user)
        assert client.get(download).status_code == 200
        assert "Budget" in text(client.get(detail))
    for user in (stranger, outsider):
        client.force_login(user)
        assert client.get(download).status_code == 404
    # Only the applicant adds or removes, and only on a draft.
    client.force_login(stranger)
    remove = url("application_attachment_remove", contract, application_id=application.pk, attachment_id=attachment.pk)
    assert client.post(remove).status_code == 404
    client.force_login(reviewer)
    assert client.post(remove).status_code == 403
    client.force_login(owner)
    assert client.post(remove).status_code == 302  # refused by the service, with a message
    assert ApplicationAttachment.objects.filter(pk=attachment.pk).exists()
    assert "Joindre un document" not in text(client.get(detail))


@pytest.mark.query_count("funding_calls:application_detail")
def test_the_application_page_reads_its_documents_in_constant_queries(client, contract, query_count):
    call = make_call(contract)
    user, association = applicant_member(contract)
    application = make_application(call, association)
    client.force_login(user)
    detail = url("application_detail", contract, application_id=application.pk)
    query_count.page(client, detail)
    one = query_count.page(client, detail)
    for index in range(5):
        services.application_attachment_add(application=application, title=f"Pièce {index}", file=pdf())
    assert query_count.page(client, detail) == one


def test_an_application_status_other_than_draft_keeps_its_documents_through_the_api_too(contract):
    call = make_call(contract)
    _, association = applicant_member(contract)
    application = make_application(call, association, status=ApplicationStatus.UNDER_REVIEW)
    with pytest.raises(BusinessRuleError):
        services.application_attachment_add(application=application, title="", file=pdf())


def test_a_program_renamed_pdf_is_refused_on_the_page_and_nothing_is_stored(client, contract):
    call = make_call(contract)
    user, association = applicant_member(contract)
    application = make_application(call, association)
    client.force_login(user)
    add = url("application_attachment_add", contract, application_id=application.pk)
    disguised = SimpleUploadedFile("budget.pdf", b"\x7fELF\x02\x01" + b"\x00" * 60)
    page = text(client.post(add, {"title": "Budget", "file": disguised}))
    assert "Le fichier « budget.pdf » est refusé : c'est un programme Linux." in page
    assert not ApplicationAttachment.objects.exists()

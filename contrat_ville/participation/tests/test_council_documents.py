"""A council's charter and statutes as files (issue 11 §1): joined by the pilot (type and size checked, in French),
downloaded with the council's page, replaced or removed; never another contract's."""

from __future__ import annotations

from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contrat_ville.accounts.tests.factories import UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.participation.tests.factories import make_council

pytestmark = pytest.mark.django_db


def url(name: str, council, **kwargs) -> str:
    return reverse(
        f"participation:{name}", kwargs={"contract_slug": council.contract.slug, "council_id": council.pk, **kwargs}
    )


@pytest.fixture
def council():
    return make_council(make_contract(name="Contrat des Tilleuls", published=True), name="Conseil des Tilleuls")


@pytest.fixture
def pilot(client, council):
    user = UserFactory.create()
    grant(council.contract, user, Role.PILOT)
    client.force_login(user)
    return user


def test_the_pilot_joins_the_charter_anyone_downloads_it_and_the_pilot_removes_it(client, council, pilot):
    pdf = SimpleUploadedFile("charte-tilleuls.pdf", b"%PDF-1.4 la charte", content_type="application/pdf")
    response = client.post(url("council_document_upload", council, kind="charte"), {"charte-file": pdf})
    assert response.status_code == 302
    page = unescape(client.get(url("council_detail", council)).content.decode())
    assert "Télécharger la charte" in page
    assert 'id="id_charte-file"' in page and 'id="id_statuts-file"' in page
    client.logout()
    download = client.get(url("council_document_download", council, kind="charte"))
    assert download.status_code == 200
    assert b"".join(download.streaming_content if download.streaming else [download.content]) == b"%PDF-1.4 la charte"
    assert "charte-tilleuls" in download["Content-Disposition"]
    assert client.get(url("council_document_download", council, kind="statuts")).status_code == 404
    client.force_login(pilot)
    assert client.post(url("council_document_remove", council, kind="charte")).status_code == 302
    assert client.get(url("council_document_download", council, kind="charte")).status_code == 404


def test_a_file_of_another_type_is_refused_in_french_and_nothing_changes(client, council, pilot):
    script = SimpleUploadedFile("statuts.exe", b"MZ", content_type="application/octet-stream")
    page = unescape(
        client.post(url("council_document_upload", council, kind="statuts"), {"statuts-file": script}).content.decode()
    )
    assert "Ce type de fichier n'est pas accepté" in page
    council.refresh_from_db()
    assert not council.statutes_file


def test_a_member_who_does_not_keep_the_registry_may_not_join_a_file(client, council):
    partner = UserFactory.create()
    grant(council.contract, partner, Role.PARTNER)
    client.force_login(partner)
    pdf = SimpleUploadedFile("charte.pdf", b"%PDF-1.4", content_type="application/pdf")
    assert client.post(url("council_document_upload", council, kind="charte"), {"charte-file": pdf}).status_code == 403


def test_html_renamed_pdf_is_refused_and_the_council_keeps_no_file(client, council, pilot):
    disguised = SimpleUploadedFile("charte.pdf", b"<html><script>alert(1)</script></html>")
    page = unescape(
        client.post(
            url("council_document_upload", council, kind="charte"), {"charte-file": disguised}
        ).content.decode()
    )
    assert "Le fichier « charte.pdf » est refusé : son contenu n'est pas un document PDF." in page
    council.refresh_from_db()
    assert not council.charter_file

"""The programmed grants as open data (issue 14 §8): the SCDL « subventions » 2.1.1 file validates against the
national schema with frictionless; a missing SIRET or RNA is named in French rather than producing an invalid
file; the public downloads it on a published contract once the programme is decided; the API serves the same."""

from __future__ import annotations

import csv
import io
import json
from html import unescape
from pathlib import Path

import pytest
from django.urls import reverse
from frictionless import Resource, Schema, validate

from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.core.checksums import luhn_is_valid
from contrat_ville.funding import selectors, services
from contrat_ville.funding.enums import ApplicationStatus, CallStatus
from contrat_ville.funding.models import CallForProjects
from contrat_ville.funding.tests.factories import (
    applicant_member,
    contract_qpv,
    luhn_complete,
    make_application,
    make_call,
)

pytestmark = pytest.mark.django_db

SCHEMA = Path(__file__).parent / "fixtures" / "scdl-subventions-2.1.1.schema.json"


def url(name, contract, **kwargs):
    return reverse(f"funding_calls:{name}", kwargs={"contract_slug": contract.slug, **kwargs})


def text(response):
    assert response.status_code == 200, response.status_code
    return " ".join(unescape(response.content.decode()).split())


@pytest.fixture
def contract():
    contract = make_contract(name="Contrat de ville du Val Fictif", published=True)
    contract_qpv(contract, "Les Hauts de Sorne")
    return contract


@pytest.fixture
def pilot(contract):
    user = UserFactory.create()
    grant(contract, user, Role.PILOT)
    return user


def programmed_call(contract, *, with_identifiers=True):
    """Last year's call, programmed: four grants — report received, paid, agreement signed (in the file) — and one
    programmed, awaiting its agreement (not yet)."""
    call = make_call(contract, title="Appel à projets 2025", year=2025)
    state = OrganizationFactory.create(name="Préfecture de Sorne", kind="state")
    epci = OrganizationFactory.create(name="Communauté d'agglomération du Val Fictif", kind="epci")
    funders = list(call.funders.all())
    if with_identifiers:
        state.siret = luhn_complete("9600000100001")
        epci.siret = luhn_complete("9600000200001")
        state.save()
        epci.save()
    for funder, organization in zip(funders, (state, epci), strict=True):
        funder.organization = organization
        funder.save()
    statuses = (
        ApplicationStatus.REPORT_RECEIVED,
        ApplicationStatus.PAID,
        ApplicationStatus.AGREEMENT_SIGNED,
        ApplicationStatus.PROGRAMMED,
    )
    for index, status in enumerate(statuses):
        _, association = applicant_member(contract, f"Association {index}")
        if with_identifiers:
            if index % 2:
                association.rna = f"W96{index:07d}"
            else:
                association.siret = luhn_complete(f"96100{index:03d}00001")
            association.save()
        make_application(call, association, title=f"Projet {index}", status=status)
    services.call_set_status(call=call, to_status=CallStatus.CLOSED)
    CallForProjects.objects.filter(pk=call.pk).update(status=CallStatus.PROGRAMMED)
    call.refresh_from_db()
    return call


def validate_scdl(content: bytes):
    schema = Schema.from_descriptor(json.loads(SCHEMA.read_text(encoding="utf-8")))
    return validate(Resource(source=content, format="csv", encoding="utf-8", schema=schema))


def test_the_export_validates_against_the_national_schema(client, contract, pilot):
    call = programmed_call(contract)
    client.force_login(pilot)
    page = text(client.get(url("call_open_data", contract, call_id=call.pk)))
    assert "6 subventions dans le fichier" in page  # three projects, two funders each
    assert "1 dossier programmé attend sa convention" in page
    response = client.get(url("call_open_data_csv", contract, call_id=call.pk))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert f"subventions-2025-{contract.slug}.csv" in response["Content-Disposition"]
    report = validate_scdl(response.content)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert len(rows) == 6
    # The schema's custom checks, which frictionless does not run: SIRETs pass Luhn's check, and each beneficiary
    # has a SIRET or an RNA number.
    for row in rows:
        assert luhn_is_valid(row["idAttribuant"])
        assert (row["idBeneficiaire"] and luhn_is_valid(row["idBeneficiaire"])) or row["rnaBeneficiaire"]
    assert {row["nomAttribuant"] for row in rows} == {
        "Préfecture de Sorne",
        "Communauté d'agglomération du Val Fictif",
    }
    assert {row["objet"] for row in rows} == {"Projet 0", "Projet 1", "Projet 2"}
    paid = next(row for row in rows if row["objet"] == "Projet 1")
    assert paid["montant"] == "15000.00" or paid["montant"] == "5000.00"
    assert len(paid["datesPeriodeVersement"]) == 10  # the payment's day
    signed = next(row for row in rows if row["objet"] == "Projet 2")
    assert signed["datesPeriodeVersement"] == "2025-01-01/2025-12-31"  # not paid yet: the year
    assert signed["referenceDecision"].startswith("Comité de pilotage du ")


def test_a_missing_identifier_is_named_instead_of_an_invalid_file(client, contract, pilot):
    call = programmed_call(contract, with_identifiers=False)
    grants = selectors.open_data_grants(calls=[call])
    assert not grants.grants
    assert any("« Préfecture de Sorne »" in problem and "n'a pas de SIRET" in problem for problem in grants.missing)
    assert any("n'a ni SIRET ni numéro RNA" in problem for problem in grants.missing)
    client.force_login(pilot)
    page = text(client.get(url("call_open_data", contract, call_id=call.pk)))
    assert "Le fichier ne peut pas encore être produit" in page and "Compléter les fiches" in page
    response = client.get(url("call_open_data_csv", contract, call_id=call.pk))
    assert response.status_code == 302 and response.url == url("call_open_data", contract, call_id=call.pk)
    # A funder tied to no organisation is named too.
    call.funders.update(organization=None)
    assert any("n'est rattaché à aucune organisation" in p for p in selectors.open_data_grants(calls=[call]).missing)


def test_the_public_downloads_a_decided_programme_of_a_published_contract_only(client, contract):
    call = programmed_call(contract)
    open_call = make_call(contract, title="Appel à projets 2026", year=2026)
    assert client.get(url("call_open_data_csv", contract, call_id=call.pk)).status_code == 200
    assert "Télécharger les données ouvertes" in text(client.get(url("call_open_data", contract, call_id=call.pk)))
    assert client.get(url("call_open_data_csv", contract, call_id=open_call.pk)).status_code == 404
    # The call's other pages stay private.
    assert client.get(url("call_detail", contract, call_id=call.pk)).status_code == 404
    unpublished = make_contract(name="Contrat non publié")
    hidden = make_call(unpublished, title="Appel à projets caché")
    CallForProjects.objects.filter(pk=hidden.pk).update(status=CallStatus.PROGRAMMED)
    assert client.get(url("call_open_data_csv", unpublished, call_id=hidden.pk)).status_code == 404
    # Another contract's call is not found through this contract.
    assert client.get(url("call_open_data_csv", contract, call_id=hidden.pk)).status_code == 404


@pytest.mark.query_count("funding_calls:call_open_data", "funding_calls:call_open_data_csv")
def test_the_open_data_reads_a_constant_number_of_queries(client, contract, pilot, query_count):
    call = programmed_call(contract)
    client.force_login(pilot)
    pages = [url("call_open_data", contract, call_id=call.pk), url("call_open_data_csv", contract, call_id=call.pk)]
    for page in pages:
        query_count.page(client, page)
    small = [query_count.page(client, page) for page in pages]
    for index in range(3):
        CallForProjects.objects.filter(pk=call.pk).update(status=CallStatus.OPEN)
        call.refresh_from_db()
        _, association = applicant_member(contract, f"Autre association {index}")
        association.siret = luhn_complete(f"96200{index:03d}00001")
        association.save()
        make_application(call, association, title=f"Autre projet {index}", status=ApplicationStatus.PAID)
    CallForProjects.objects.filter(pk=call.pk).update(status=CallStatus.PROGRAMMED)
    assert [query_count.page(client, page) for page in pages] == small


def test_a_programming_year_in_one_file(client, contract, pilot):
    """Every call of a year (a main call and a second campaign) in one file, valid; the public gets the decided
    programmes only, and 404 for a year without any."""
    call = programmed_call(contract)
    campaign = make_call(contract, title="Appel à projets 2025 — seconde vague", year=2025)
    _, association = applicant_member(contract, "Association de la seconde vague")
    association.rna = "W961234567"
    association.save()
    campaign.funders.update(organization=call.funders.first().organization)
    make_application(campaign, association, title="Projet de la seconde vague", status=ApplicationStatus.PAID)
    client.force_login(pilot)
    annex = text(client.get(url("financial_annex", contract)))
    assert "Données ouvertes des subventions (format SCDL)" in annex
    response = client.get(url("year_open_data_csv", contract, year=2025))
    assert response.status_code == 200
    assert f"subventions-2025-{contract.slug}-annee.csv" in response["Content-Disposition"]
    assert validate_scdl(response.content).valid
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert {row["objet"] for row in rows} == {"Projet 0", "Projet 1", "Projet 2", "Projet de la seconde vague"}
    client.logout()
    public = list(
        csv.DictReader(io.StringIO(client.get(url("year_open_data_csv", contract, year=2025)).content.decode()))
    )
    assert {row["objet"] for row in public} == {"Projet 0", "Projet 1", "Projet 2"}  # the campaign is still open
    assert "Télécharger les données ouvertes" in text(client.get(url("year_open_data", contract, year=2025)))
    assert client.get(url("year_open_data", contract, year=2026)).status_code == 404


def test_a_project_titled_as_a_formula_is_text_in_the_file(client, contract, pilot):
    """Formula injection (core.spreadsheets.safe_cell): the project's title is the grant's « objet »."""
    from contrat_ville.funding.models import Application

    call = programmed_call(contract)
    payload = '=HYPERLINK("http://exemple.invalid/";"Voir")'
    Application.objects.filter(call=call, title="Projet 1").update(title=payload)
    client.force_login(pilot)
    response = client.get(url("call_open_data_csv", contract, call_id=call.pk))
    objects = {row["objet"] for row in csv.DictReader(io.StringIO(response.content.decode("utf-8")))}
    assert "'" + payload in objects and payload not in objects
    assert validate_scdl(response.content).valid

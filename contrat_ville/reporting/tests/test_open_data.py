"""A contract's published data as open data (issue 12 §4): a zip of CSV files whose Data Package descriptor
frictionless validates, the same data as JSON, public data only, and a fixed number of queries."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from html import unescape

import pytest
from django.urls import reverse
from frictionless import validate

from contrat_ville.accounts.tests.factories import UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.participation.enums import Sex
from contrat_ville.participation.tests.factories import add_member, make_council
from contrat_ville.strategy.tests.factories import add_qpv, make_tree

pytestmark = pytest.mark.django_db


def url(name: str, contract) -> str:
    return reverse(f"reporting:{name}", kwargs={"contract_slug": contract.slug})


@pytest.fixture
def contract():
    contract = make_contract(name="Contrat de ville des Tilleuls", published=True)
    add_qpv(contract, code="QN03501M", name="Les Tilleuls")
    council = make_council(contract, name="Conseil citoyen des Tilleuls")
    add_member(council, name="Aïcha Traoré", sex=Sex.FEMALE)
    add_member(council, name="Marc Petit", sex=Sex.MALE)
    return contract


def test_the_zip_is_a_valid_data_package_of_the_public_data(client, contract, tmp_path):
    response = client.get(url("open_data_zip", contract))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        archive.extractall(tmp_path)
        names = set(archive.namelist())
    assert {"datapackage.json", "contrat.csv", "quartiers.csv", "strategie.csv", "conseils_citoyens.csv"} <= names
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert (tmp_path / "quartiers.csv").read_text(encoding="utf-8").splitlines()[1].startswith("QN03501M,Les Tilleuls")
    councils = (tmp_path / "conseils_citoyens.csv").read_text(encoding="utf-8")
    assert "Conseil citoyen des Tilleuls" in councils and ",2,50," in councils
    assert "Aïcha" not in councils and "Marc Petit" not in councils
    assert "engagement" not in names and "credits.csv" not in names


def test_the_strategy_and_published_decisions_are_typed_and_valid(client, contract, tmp_path):
    make_tree(contract, validated=True, action_count=2)  # validated by a published decision of the committee
    with zipfile.ZipFile(io.BytesIO(client.get(url("open_data_zip", contract)).content)) as archive:
        archive.extractall(tmp_path)
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    strategy = (tmp_path / "strategie.csv").read_text(encoding="utf-8").splitlines()
    assert len(strategy) == 3  # the header and one row per action
    assert ",true," in strategy[1] and ",120.0,2022,60.0,2030," in strategy[1]
    assert "Action 1" in strategy[1] and "Action 2" in strategy[2]


def test_the_json_holds_the_same_rows(client, contract):
    data = json.loads(client.get(url("open_data_json", contract)).content)
    assert data["contrat"][0]["identifiant"] == contract.slug
    assert data["licence"] == "Licence Ouverte 2.0"
    assert data["quartiers"][0]["code"] == "QN03501M"
    assert data["conseils_citoyens"][0]["membres"] == 2


def test_an_unpublished_contract_s_data_is_for_its_members_only(client):
    private = make_contract(name="Contrat non publié")
    assert client.get(url("open_data_zip", private)).status_code == 404
    assert client.get(url("open_data", private)).status_code == 404
    pilot = UserFactory.create()
    grant(private, pilot, Role.PILOT)
    client.force_login(pilot)
    assert client.get(url("open_data_zip", private)).status_code == 200


@pytest.mark.query_count("reporting:open_data")
def test_the_page_lists_the_files_in_a_fixed_number_of_queries(client, contract, query_count):
    client.get(url("open_data", contract))  # warm-up
    few = query_count.page(client, url("open_data", contract))
    page = unescape(query_count.response.content.decode())
    assert "conseils_citoyens.csv" in page and "Licence Ouverte 2.0" in page
    for number in range(4):
        add_member(make_council(contract, name=f"Conseil {number}"))
        add_qpv(contract, code=f"QN0350{number}X", name=f"Quartier {number}")
    assert query_count.page(client, url("open_data", contract)) == few


def test_a_title_written_as_a_formula_is_neutralised_in_the_csv_files(client, contract, tmp_path):
    """Formula injection (core.spreadsheets.safe_cell): an orientation titled « =HYPERLINK(…) » is text in
    strategie.csv, and the data package stays valid."""
    from contrat_ville.strategy.models import Orientation

    make_tree(contract, validated=True, action_count=1)
    payload = '=HYPERLINK("http://exemple.invalid/";"Voir")'
    Orientation.objects.filter(contract=contract).update(title=payload)
    with zipfile.ZipFile(io.BytesIO(client.get(url("open_data_zip", contract)).content)) as archive:
        archive.extractall(tmp_path)
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    with (tmp_path / "strategie.csv").open(encoding="utf-8", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert "'" + payload in cells and payload not in cells

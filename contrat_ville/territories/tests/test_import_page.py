"""The administrator's import of official territory files from the web (issue 10 §3): the importers of the
commands on the uploaded file, the report shown, a refused file listing its faults in French and writing nothing."""

from __future__ import annotations

import html
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contrat_ville.accounts.tests.factories import UserFactory
from contrat_ville.core.models import ImportBatch
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import Territory
from contrat_ville.territories.tests.builders import FIXTURES, write_epci_xlsx

pytestmark = pytest.mark.django_db

URL = "/territoires/import/"


def _text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def admin(client):
    user = UserFactory.create(is_staff=True, first_name="Alice", last_name="Admin")
    client.force_login(user)
    return user


def _upload(client, kind: str, name: str, content: bytes, **data: str):
    return client.post(URL, {"kind": kind, "file": SimpleUploadedFile(name, content), **data}, follow=True)


def _fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def _load_cog(client) -> None:
    for kind, name in (
        ("regions", "v_region_2026.csv"),
        ("departements", "v_departement_2026.csv"),
        ("communes", "v_commune_2026.csv"),
    ):
        response = _upload(client, kind, name, _fixture(name), vintage="2026")
        assert "Import terminé" in _text(response), _text(response)


def test_the_administrator_loads_the_cog_epci_iris_and_qpv_from_the_web(client, admin, tmp_path):
    assert reverse("territory_import") == URL
    _load_cog(client)
    assert Territory.objects.filter(kind=TerritoryKind.COMMUNE, vintage="2026").count() == 4
    workbook = write_epci_xlsx(tmp_path / "Intercommunalite_Metropole_au_01-01-2026.xlsx").read_bytes()
    epci = _upload(client, "epci", "Intercommunalite_Metropole_au_01-01-2026.xlsx", workbook)
    page = _text(epci)
    assert "Import terminé : 1 créé(s)" in page
    assert "Import de « Intercommunalite_Metropole_au_01-01-2026.xlsx »" in page  # the report, the batch shown
    assert "millésime 2026" in page
    iris = _upload(
        client, "iris", "iris_2024_lambert93.geojson", _fixture("iris_2024_lambert93.geojson"), vintage="2024"
    )
    assert "Import terminé : 7 créé(s)" in _text(iris)
    qpv = _text(_upload(client, "qpv", "qpv_2024.geojson", _fixture("qpv_2024.geojson"), generation="2024"))
    assert "Import terminé : 3 créé(s)" in qpv
    assert "la commune 96005 a fusionné dans 96001" in qpv  # the importer's warnings, in the report
    batch = ImportBatch.objects.get(importer="import_qpv")
    assert (batch.imported_by, batch.source_file) == (admin, "qpv_2024.geojson")
    assert "Derniers imports de territoires" in qpv and "Alice Admin" in qpv


def test_the_report_lists_the_columns_the_importer_does_not_read(client, admin):
    _load_cog(client)
    header, *rows = _fixture("v_commune_2026.csv").decode().splitlines()
    content = "\n".join([f"{header},REMARQUE", *(f"{row},vu" for row in rows)]) + "\n"
    page = _text(_upload(client, "communes", "v_commune_2026.csv", content.encode(), vintage="2026"))
    assert "Import terminé : 0 créé(s), 4 mis à jour" in page
    assert "Colonnes non lues" in page and "REMARQUE" in page


def test_a_faulty_file_is_refused_with_its_lines_and_columns_and_nothing_is_written(client, admin):
    _load_cog(client)
    before = (Territory.objects.count(), ImportBatch.objects.count())
    content = (
        _fixture("v_commune_2026.csv")
        .decode()
        .replace("COM,96002,84,96,", "COM,960021,84,96,")
        .replace("COM,96003,84,96,", "COM,96003,84,99,")
    )
    response = _upload(client, "communes", "v_commune_2026.csv", content.encode(), vintage="2027")
    page = _text(response)
    assert "Fichier refusé : rien n'a été importé" in page
    assert "v_commune_2026.csv, ligne 5, colonne COM" in page
    assert "Aucune donnée n'a été importée" in page
    assert (Territory.objects.count(), ImportBatch.objects.count()) == before


def test_a_workbook_given_as_communes_and_missing_options_are_refused_in_french(client, admin, tmp_path):
    workbook = write_epci_xlsx(tmp_path / "epci.xlsx").read_bytes()
    wrong_kind = _text(_upload(client, "communes", "v_commune_2026.csv", workbook, vintage="2026"))
    assert "n'est pas un fichier texte CSV (c'est un classeur Excel (.xlsx))" in wrong_kind
    no_generation = _text(_upload(client, "qpv", "qpv_2024.geojson", _fixture("qpv_2024.geojson")))
    assert "Indiquez la génération des quartiers (2015 ou 2024)." in no_generation
    no_vintage = _text(_upload(client, "regions", "regions.csv", _fixture("v_region_2026.csv")))
    assert "Indiquez le millésime du fichier" in no_vintage
    bad_vintage = _text(_upload(client, "regions", "regions.csv", _fixture("v_region_2026.csv"), vintage="26"))
    assert "une année sur quatre chiffres" in bad_vintage
    assert not Territory.objects.exists() and not ImportBatch.objects.exists()


def test_a_user_who_is_not_an_administrator_may_not_import(client):
    """(The access matrix checks a State delegate and a pilot are refused too.)"""
    client.force_login(UserFactory.create())
    before = Territory.objects.count()
    response = client.post(
        URL, {"kind": "regions", "file": SimpleUploadedFile("r.csv", _fixture("v_region_2026.csv"))}
    )
    assert response.status_code == 403
    assert Territory.objects.count() == before and not ImportBatch.objects.exists()


def test_a_zip_holding_a_program_is_refused_and_nothing_is_imported(client, admin):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("qpv.shp", b"\x00\x00\x27\x0a")
        archive.writestr("installer.exe", b"MZ")
    page = _text(_upload(client, "qpv", "qpv.zip", buffer.getvalue(), generation="2024"))
    assert "Le fichier « qpv.zip » est refusé : l'archive contient un programme (« installer.exe »)." in page
    assert not Territory.objects.exists() and not ImportBatch.objects.exists()

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from contrat_ville.core.models import ImportBatch
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import Territory
from contrat_ville.territories.tests.builders import FIXTURES

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_cog_commands_guess_the_vintage_from_the_file_name(db):
    run("import_regions", str(FIXTURES / "v_region_2026.csv"))
    run("import_departements", str(FIXTURES / "v_departement_2026.csv"))
    output = run("import_communes", str(FIXTURES / "v_commune_2026.csv"))
    assert "4 créé(s), 0 mis à jour" in output
    assert Territory.objects.filter(kind=TerritoryKind.COMMUNE, vintage="2026").count() == 4


def test_dry_run_prints_the_report_and_writes_nothing(cog):
    before = (Territory.objects.count(), ImportBatch.objects.count())
    output = run("import_qpv", str(FIXTURES / "qpv_2024.geojson"), "--generation", "2024", "--dry-run")
    assert "3 créé(s)" in output
    assert "la commune 96005 a fusionné dans 96001" in output
    assert "aucune donnée n'a été enregistrée" in output
    assert (Territory.objects.count(), ImportBatch.objects.count()) == before


def test_epci_iris_and_qpv_commands(cog, epci_xlsx):
    assert "1 créé(s)" in run("import_epci", str(epci_xlsx))
    assert "7 créé(s)" in run("import_iris", str(FIXTURES / "iris_2024_lambert93.geojson"), "--vintage", "2024")
    assert "3 créé(s)" in run("import_qpv", str(FIXTURES / "qpv_2015.geojson"), "--generation", "2015")


def test_failing_import_raises_command_error_with_the_french_message(db, tmp_path):
    path = tmp_path / "v_commune_2026.csv"
    path.write_text((FIXTURES / "v_commune_2026.csv").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(CommandError, match=r"v_commune_2026.csv, ligne 2, colonne DEP : département « 96 » inconnu"):
        run("import_communes", str(path))
    assert Territory.objects.count() == 0


def test_missing_file_and_missing_vintage_are_refused(db, tmp_path):
    with pytest.raises(CommandError, match="Fichier introuvable"):
        run("import_regions", str(tmp_path / "absent.csv"))
    path = tmp_path / "regions.csv"
    path.write_text("REG\n", encoding="utf-8")
    with pytest.raises(CommandError, match="--vintage"):
        run("import_regions", str(path))


def test_load_reference_territories_for_one_departement(db, settings):
    data_dir = settings.NODE_MODULES_DIR / "@etalab" / "decoupage-administratif" / "data"
    if not data_dir.exists():
        pytest.skip("paquet npm @etalab/decoupage-administratif absent")
    output = run("load_reference_territories", "--departement", "35")
    assert "créé(s)" in output
    rennes = Territory.objects.get(kind=TerritoryKind.COMMUNE, code="35238", vintage="2026")
    assert rennes.parents.get(kind=TerritoryKind.EPCI).name == "Rennes Métropole"


def test_load_reference_territories_with_unknown_departement_fails(db, settings):
    if not (settings.NODE_MODULES_DIR / "@etalab" / "decoupage-administratif" / "data").exists():
        pytest.skip("paquet npm @etalab/decoupage-administratif absent")
    with pytest.raises(CommandError, match="département"):
        run("load_reference_territories", "--departement", "96")

from pathlib import Path

import pytest

from contrat_ville.territories import services
from contrat_ville.territories.tests.builders import FIXTURES, write_epci_xlsx


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def cog(db):
    """Régions, départements and communes of the fictional département 96 (COG 2026)."""
    services.import_regions(FIXTURES / "v_region_2026.csv", vintage="2026")
    services.import_departements(FIXTURES / "v_departement_2026.csv", vintage="2026")
    return services.import_communes(FIXTURES / "v_commune_2026.csv", vintage="2026")


@pytest.fixture
def epci_xlsx(tmp_path) -> Path:
    return write_epci_xlsx(tmp_path / "Intercommunalite_Metropole_au_01-01-2026.xlsx")


@pytest.fixture
def reference(cog, epci_xlsx):
    """COG + EPCI + IRIS + QPV 2024: the whole fictional intercommunality."""
    services.import_epci(epci_xlsx)
    services.import_iris(FIXTURES / "iris_2024_lambert93.geojson", vintage="2024")
    return services.import_qpv(FIXTURES / "qpv_2024.geojson", generation="2024")

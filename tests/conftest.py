"""Fixtures shared by the cross-app tests of ``tests/`` (end-to-end, access matrix, conventions).

``foundation`` builds a small but complete world through the factories and services (never through
``load_demo``) and returns only plain values: browser tests read it after Playwright has started, when
the Django ORM may no longer be called from the test's thread (see ``tests/e2e/conftest.py``).
"""

from dataclasses import dataclass
from typing import Any

import pytest

from contrat_ville.accounts.tests.factories import TEST_PASSWORD, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.services import contract_set_qpvs
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import Territory
from contrat_ville.territories.tests.factories import TerritoryFactory, TerritoryLinkFactory, square


def _in_first_commune(epci: Territory, qpvs: list[Any]) -> list[Territory]:
    """The QPVs, linked to the EPCI's first commune: a contract's QPVs lie in its EPCI (contract_set_qpvs)."""
    commune = Territory.objects.filter(parent_links__parent=epci).order_by("code").first()
    for qpv in qpvs:
        TerritoryLinkFactory(parent=commune, child=qpv)
    return qpvs


@dataclass(frozen=True)
class Foundation:
    """What the cross-app tests need to know about the data ``foundation`` created (plain values only)."""

    pilot_email: str
    pilot_password: str
    pilot_name: str
    # The pilot's contract is private (unpublished): only its members see it.
    private_slug: str
    private_name: str
    # A published contract, visible to everyone, pilot included.
    published_slug: str
    published_name: str
    published_epci_name: str
    qpv_kind: str
    qpv_vintage: str
    qpv_code: str
    qpv_name: str


def _epci_with_communes(*, code: str, name: str, lon: float, lat: float) -> Territory:
    epci: Territory = TerritoryFactory.create(epci=True, code=code, name=name, geometry=square(lon, lat, 0.2))
    for index in range(2):
        commune = TerritoryFactory(
            code=f"{code[-3:]}{index:02d}",
            name=f"{name} — commune {index + 1}",
            geometry=square(lon + index * 0.1, lat, 0.1),
        )
        TerritoryLinkFactory(parent=epci, child=commune)
    return epci


@pytest.fixture
def foundation(db: None) -> Foundation:
    """Two EPCI with their communes and QPVs (2024), a published contract and a private one, and its pilot.

    Requesting ``live_server`` in the same test switches pytest-django to a transactional database, so
    the live server's thread sees these rows.
    """
    published_epci = _epci_with_communes(code="200099001", name="Métropole des Coteaux", lon=4.80, lat=45.70)
    published = make_contract(name="Contrat de ville des Coteaux", epci=published_epci, published=True)
    published_qpvs = _in_first_commune(
        published_epci,
        [
            TerritoryFactory(qpv=True, code="QN09601M", name="Les Tilleuls", geometry=square(4.83, 45.73, 0.02)),
            TerritoryFactory(qpv=True, code="QN09602M", name="Le Plateau", geometry=square(4.92, 45.75, 0.02)),
        ],
    )
    contract_set_qpvs(contract=published, qpvs=published_qpvs)

    private_epci = _epci_with_communes(code="200099002", name="Communauté du Val", lon=5.20, lat=45.40)
    private = make_contract(name="Contrat de ville du Val", epci=private_epci, published=False)
    private_qpvs = _in_first_commune(
        private_epci,
        [
            TerritoryFactory(qpv=True, code="QN09603M", name="La Source", geometry=square(5.23, 45.43, 0.02)),
            TerritoryFactory(qpv=True, code="QN09604M", name="Les Prés", geometry=square(5.32, 45.45, 0.02)),
        ],
    )
    contract_set_qpvs(contract=private, qpvs=private_qpvs)

    pilot = UserFactory(email="pilote@exemple.test", first_name="Camille", last_name="Pilote")
    grant(private, pilot, Role.PILOT)

    qpv = published_qpvs[0]
    return Foundation(
        pilot_email=pilot.email,
        pilot_password=TEST_PASSWORD,
        pilot_name=pilot.display_name,
        private_slug=private.slug,
        private_name=private.name,
        published_slug=published.slug,
        published_name=published.name,
        published_epci_name=published_epci.name,
        qpv_kind=str(TerritoryKind.QPV),
        qpv_vintage=qpv.vintage,
        qpv_code=qpv.code,
        qpv_name=qpv.name,
    )

"""Fixtures of the contracts tests: a real-looking intercommunality with its communes and QPVs."""

from __future__ import annotations

import pytest

from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import TerritoryLink
from contrat_ville.territories.tests.factories import TerritoryFactory


@pytest.fixture
def territory():
    """An EPCI of département 35 with two communes; a 2024 QPV in one of them, one elsewhere, a 2015 QPV."""
    departement = TerritoryFactory.create(kind=TerritoryKind.DEPARTEMENT, code="35", name="Ille-et-Vilaine")
    epci = TerritoryFactory.create(epci=True, name="Rennes Métropole", code="243500139", siren="243500139")
    rennes = TerritoryFactory.create(code="35238", name="Rennes")
    bruz = TerritoryFactory.create(code="35047", name="Bruz")
    elsewhere = TerritoryFactory.create(code="29019", name="Brest")
    for commune in (rennes, bruz):
        TerritoryLink.objects.create(parent=epci, child=commune)
        TerritoryLink.objects.create(parent=departement, child=commune)
    maurepas = TerritoryFactory.create(qpv=True, code="QN03501M", name="Maurepas")
    TerritoryLink.objects.create(parent=rennes, child=maurepas)
    brest_qpv = TerritoryFactory.create(qpv=True, code="QN02901M", name="Recouvrance")
    TerritoryLink.objects.create(parent=elsewhere, child=brest_qpv)
    old_qpv = TerritoryFactory.create(qpv=True, code="QP035001", vintage="2015", name="Maurepas 2015")
    TerritoryLink.objects.create(parent=rennes, child=old_qpv)
    return {
        "epci": epci,
        "rennes": rennes,
        "bruz": bruz,
        "elsewhere": elsewhere,
        "maurepas": maurepas,
        "brest_qpv": brest_qpv,
        "old_qpv": old_qpv,
    }

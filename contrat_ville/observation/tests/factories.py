"""Builders for the observation tests: a small territory tree, indicator values, INSEE-style workbooks."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import factory
from openpyxl import Workbook

from contrat_ville.observation.enums import Aggregation, Direction, Theme
from contrat_ville.observation.models import Indicator, IndicatorValue
from contrat_ville.territories.enums import LinkKind, TerritoryKind
from contrat_ville.territories.models import Territory, TerritoryLink

FIXTURES = Path(__file__).parent / "fixtures"


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"TST-{n:02d}")
    label = factory.Sequence(lambda n: f"Indicateur de test {n}")
    theme = Theme.CONTEXT
    unit = "%"
    direction = Direction.CONTEXT
    aggregation = Aggregation.RATIO
    decimals = 1


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    territory = factory.SubFactory("contrat_ville.territories.tests.factories.TerritoryFactory")
    period = 2021
    value = 10.0


def territory(kind: str, code: str, name: str, *, vintage: str = "2026", **fields: Any) -> Territory:
    return Territory.objects.create(kind=kind, code=code, name=name, vintage=vintage, **fields)


def link(
    parent: Territory, child: Territory, share: float | str = 1, *, kind: str = LinkKind.INCLUSION
) -> TerritoryLink:
    return TerritoryLink.objects.create(parent=parent, child=child, share=Decimal(str(share)), kind=kind)


@dataclass
class Tree:
    """France > région 84 > département 96 > EPCI > communes 96001, 96002; IRIS; one QPV in 96001."""

    france: Territory
    region: Territory
    departement: Territory
    epci: Territory
    commune: Territory
    commune2: Territory
    iris_a: Territory
    iris_b: Territory
    iris_c: Territory
    qpv: Territory


def build_tree(*, qpv_links: bool = True) -> Tree:
    """The fictional territories the fixture files name (codes 96…, QN09601M), with their links.

    The QPV takes 30 % of IRIS 960010101 and all of 960010102 (parent QPV, child IRIS, share = part of
    the IRIS inside the QPV) when ``qpv_links``.
    """
    france = territory(TerritoryKind.FRANCE, "FR", "France")
    region = territory(TerritoryKind.REGION, "84", "Auvergne-Rhône-Alpes")
    departement = territory(TerritoryKind.DEPARTEMENT, "96", "Val de Sorne")
    epci = territory(TerritoryKind.EPCI, "249600001", "CA du Val de Sorne")
    commune = territory(TerritoryKind.COMMUNE, "96001", "Sornac-Ville")
    commune2 = territory(TerritoryKind.COMMUNE, "96002", "Bel-Air")
    iris_a = territory(TerritoryKind.IRIS, "960010101", "Centre", vintage="2024")
    iris_b = territory(TerritoryKind.IRIS, "960010102", "Les Tours", vintage="2024")
    iris_c = territory(TerritoryKind.IRIS, "960020101", "Bel-Air", vintage="2024")
    qpv = territory(TerritoryKind.QPV, "QN09601M", "Les Tours", vintage="2024")
    link(france, region)
    link(region, departement)
    link(departement, commune)
    link(departement, commune2)
    link(epci, commune)
    link(epci, commune2)
    link(commune, iris_a)
    link(commune, iris_b)
    link(commune2, iris_c)
    link(commune, qpv)
    if qpv_links:
        link(qpv, iris_a, "0.3", kind=LinkKind.OVERLAP)
        link(qpv, iris_b, 1)
    return Tree(france, region, departement, epci, commune, commune2, iris_a, iris_b, iris_c, qpv)


def write_insee_workbook(
    path: Path,
    *,
    sheets: list[tuple[str, list[str], list[list[Any]]]],
    title: str = "Données des quartiers de la politique de la ville",
    geography: str = "01/01/2024",
) -> Path:
    """An INSEE workbook: title block on rows 1-4, French labels on row 5, variable codes on row 6."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, codes, rows in sheets:
        sheet = workbook.create_sheet(name)
        sheet.append([title])
        sheet.append(["Quartiers prioritaires de la politique de la ville 2024"])
        sheet.append([f"Mise en ligne le 28/08/2024 Géographie au {geography}"])
        sheet.append(["© Insee Source(s) : Insee, Recensement de la population"])
        sheet.append([f"Libellé de {code}" for code in codes])
        sheet.append(codes)
        for row in rows:
            sheet.append(row)
    variables = workbook.create_sheet("Variables")
    variables.append(["Variable", "Libellé"])
    variables.append(["POP_MUN", "Population municipale"])
    workbook.save(path)
    return path


def write_long_workbook(path: Path, rows: list[list[Any]], *, header: list[str] | None = None) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "valeurs"
    sheet.append(["Valeurs locales transmises par les partenaires"])
    sheet.append([])
    sheet.append(header or ["indicateur", "territoire", "periode", "valeur", "numerateur", "denominateur"])
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path

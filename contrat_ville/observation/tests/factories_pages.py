"""Test data of the observation pages: a small geography with its links, indicators and hand-made values."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.services import contract_set_qpvs
from contrat_ville.contracts.tests.factories import make_contract
from contrat_ville.observation.enums import Aggregation, Direction, Theme
from contrat_ville.observation.models import Indicator, IndicatorValue
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import Territory, TerritoryLink
from contrat_ville.territories.tests.factories import TerritoryFactory, square


def make_indicator(
    code: str = "CS-02",
    *,
    label: str = "Taux de pauvreté",
    theme: str = Theme.COHESION_SOCIALE,
    unit: str = "%",
    direction: str = Direction.LOWER_IS_BETTER,
    aggregation: str = Aggregation.RATIO,
    decimals: int = 1,
    source: str = "Filosofi",
    order: int = 100,
    levels: list[str] | None = None,
) -> Indicator:
    return Indicator.objects.create(
        code=code,
        label=label,
        theme=theme,
        unit=unit,
        direction=direction,
        aggregation=aggregation,
        decimals=decimals,
        source=source,
        producer="Insee",
        definition=f"Définition de {label.lower()}.",
        levels=levels if levels is not None else [TerritoryKind.IRIS, TerritoryKind.QPV],
        order=order,
    )


def make_value(
    indicator: Indicator,
    territory: Territory,
    period: int,
    value: float | None = None,
    *,
    numerator: float | None = None,
    denominator: float | None = None,
    confidential: bool = False,
    contract: Contract | None = None,
) -> IndicatorValue:
    if confidential:
        value = numerator = denominator = None
    return IndicatorValue.objects.create(
        indicator=indicator,
        territory=territory,
        period=period,
        value=value,
        numerator=numerator,
        denominator=denominator,
        is_confidential=confidential,
        contract=contract,
    )


def link(parent: Territory, child: Territory, share: float = 1) -> TerritoryLink:
    return TerritoryLink.objects.create(parent=parent, child=child, share=share)


@dataclass
class Geography:
    """France ⊃ unité urbaine, EPCI ⊃ commune ⊃ QPVs and IRIS; a contract on the EPCI with its QPVs."""

    france: Territory
    epci: Territory
    unite_urbaine: Territory
    commune: Territory
    qpvs: list[Territory]
    iris: list[Territory]
    contract: Contract
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def qpv(self) -> Territory:
        return self.qpvs[0]


def make_geography(
    *, qpv_count: int = 1, iris_count: int = 2, published: bool = True, name: str = "Contrat observé"
) -> Geography:
    france, _ = Territory.objects.get_or_create(
        kind=TerritoryKind.FRANCE, code="FR", vintage="2024", defaults={"name": "France"}
    )
    epci = TerritoryFactory.create(epci=True, name=f"Agglomération de {name}", geometry=square(4.8, 45.6, 0.2))
    unite_urbaine = TerritoryFactory.create(
        kind=TerritoryKind.UNITE_URBAINE, name=f"Unité urbaine de {name}", geometry=None
    )
    commune = TerritoryFactory.create(name="Valmont", geometry=square(4.8, 45.6, 0.1))
    link(epci, commune)
    link(unite_urbaine, commune)
    qpvs = []
    for index in range(qpv_count):
        qpv = TerritoryFactory.create(
            qpv=True, name=f"Quartier {index + 1:02d}", geometry=square(4.81 + index * 0.001, 45.61, 0.001)
        )
        link(commune, qpv)
        qpvs.append(qpv)
    iris = []
    for index in range(iris_count):
        item = TerritoryFactory.create(
            kind=TerritoryKind.IRIS,
            code=f"{commune.code}{index + 1:04d}",
            name=f"IRIS {index + 1}",
            geometry=square(4.8 + index * 0.01, 45.6, 0.01),
        )
        link(commune, item)
        iris.append(item)
    contract = make_contract(name=name, epci=epci, published=published)
    contract_set_qpvs(contract=contract, qpvs=qpvs)
    return Geography(
        france=france,
        epci=epci,
        unite_urbaine=unite_urbaine,
        commune=commune,
        qpvs=qpvs,
        iris=iris,
        contract=contract,
    )

import factory

from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import Territory, TerritoryLink


def square(lon: float, lat: float, size: float = 0.01) -> dict:
    """A small GeoJSON polygon, enough for maps and tests."""
    return {
        "type": "Polygon",
        "coordinates": [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]],
    }


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory

    kind = TerritoryKind.COMMUNE
    code = factory.Sequence(lambda n: f"96{n % 1000:03d}")
    vintage = "2026"
    name = factory.Sequence(lambda n: f"Commune {n}")
    geometry = factory.LazyFunction(lambda: square(4.80, 45.70))

    class Params:
        epci = factory.Trait(
            kind=TerritoryKind.EPCI,
            code=factory.Sequence(lambda n: f"2000990{n % 100:02d}"),
            name=factory.Sequence(lambda n: f"Communauté d'agglomération {n}"),
        )
        qpv = factory.Trait(
            kind=TerritoryKind.QPV,
            code=factory.Sequence(lambda n: f"QN096{n % 100:02d}M"),
            vintage="2024",
            name=factory.Sequence(lambda n: f"Quartier {n}"),
        )


class TerritoryLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TerritoryLink

    parent = factory.SubFactory(TerritoryFactory, epci=True)
    child = factory.SubFactory(TerritoryFactory)
    share = 1

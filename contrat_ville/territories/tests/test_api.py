import pytest

from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import Territory, TerritoryLink

pytestmark = pytest.mark.django_db

URL = "/api/v1/territories"


def make_communes(count: int) -> Territory:
    """One EPCI and ``count`` communes linked to it, in a fixed number of queries."""
    epci = Territory.objects.create(
        kind=TerritoryKind.EPCI, code="200099001", vintage="2026", name="CA", siren="200099001"
    )
    communes = Territory.objects.bulk_create(
        Territory(kind=TerritoryKind.COMMUNE, code=f"96{index:03d}", vintage="2026", name=f"Commune {index}")
        if index < 1000
        else Territory(kind=TerritoryKind.COMMUNE, code=f"9{index:04d}", vintage="2026", name=f"Commune {index}")
        for index in range(count)
    )
    TerritoryLink.objects.bulk_create(TerritoryLink(parent=epci, child=commune) for commune in communes)
    return epci


def test_list_filters_by_kind_code_vintage_and_parent(client, reference):
    epci = Territory.objects.get(kind=TerritoryKind.EPCI)
    body = client.get(URL, {"kind": "commune", "parent": epci.pk}).json()
    assert sorted(item["code"] for item in body["items"]) == ["96001", "96002", "96003"]
    assert all(epci.pk in item["parent_ids"] for item in body["items"])
    body = client.get(URL, {"kind": "qpv", "vintage": "2024", "code": "QN09601M"}).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert set(item) == {"id", "kind", "code", "vintage", "name", "siren", "population", "parent_ids"}
    assert "geometry" not in item


def test_list_is_paginated_with_at_most_100_items(client, db):
    make_communes(150)
    body = client.get(URL, {"kind": "commune"}).json()
    assert (body["count"], len(body["items"])) == (150, 50)
    assert len(client.get(URL, {"kind": "commune", "page_size": 500}).json()["items"]) == 100
    assert len(client.get(URL, {"kind": "commune", "page": 2, "page_size": 100}).json()["items"]) == 50


@pytest.mark.parametrize("count", [10, 1000])
def test_list_query_count_does_not_grow_with_data(client, db, query_count, count):
    make_communes(count)
    with query_count() as queries:
        response = client.get(URL, {"page_size": 100})
    assert len(queries) <= 3
    assert response.status_code == 200
    assert len(response.json()["items"]) == min(count + 1, 100)


def test_detail_returns_geometry(client, reference):
    quartier = Territory.objects.get(code="QN09601M")
    body = client.get(f"{URL}/{quartier.pk}").json()
    assert body["geometry"]["type"] == "Polygon"
    assert body["attributes"]["suffix"] == "M"
    assert body["parent_ids"]


def test_detail_of_unknown_territory_is_404(client, db):
    assert client.get(f"{URL}/999999").status_code == 404

import json
from datetime import date

import pytest
from django.urls import reverse

from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import Territory

pytestmark = pytest.mark.django_db


def detail_url(territory: Territory) -> str:
    return reverse("territories:territory_detail", args=[territory.kind, territory.vintage, territory.code])


def test_search_page_without_query_shows_the_form(client):
    response = client.get(reverse("territories:territory_search"))
    assert response.status_code == 200
    assert "Nom ou code" in response.content.decode()


def test_search_by_name_and_kind_lists_matching_territories(client, reference):
    response = client.get(reverse("territories:territory_search"), {"q": "sorne", "kind": TerritoryKind.QPV})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Les Hauts de Sorne" in content
    assert "Sornac-Ville" not in content
    by_code = client.get(reverse("territories:territory_search"), {"q": "96001"}).content.decode()
    assert "Sornac-Ville" in by_code


def test_search_results_are_paginated(client, db):
    Territory.objects.bulk_create(
        Territory(kind=TerritoryKind.COMMUNE, code=f"96{index:03d}", vintage="2026", name=f"Ville {index}")
        for index in range(60)
    )
    response = client.get(reverse("territories:territory_search"), {"q": "Ville", "page": 3})
    assert response.status_code == 200
    assert response.context["page_obj"].number == 3
    assert len(response.context["page_obj"].object_list) == 10


@pytest.mark.query_count("territories:territory_detail")
def test_qpv_detail_shows_communes_iris_epci_published_contracts_and_map(client, reference, query_count):
    quartier = Territory.objects.get(kind=TerritoryKind.QPV, code="QN09602M")
    epci = Territory.objects.get(kind=TerritoryKind.EPCI)
    # Through the reverse relation: territories sits below contracts and must not import it.
    contract_model = quartier.qpv_contracts.model
    common = {"epci": epci, "generation": "2024", "start_on": date(2024, 1, 1), "end_on": date(2030, 12, 31)}
    published = contract_model.objects.create(
        slug="val-de-sorne", name="Contrat de ville publié du Val de Sorne", is_published=True, **common
    )
    hidden = contract_model.objects.create(
        slug="secret", name="Contrat en préparation secret", is_published=False, **common
    )
    published.qpvs.add(quartier)
    hidden.qpvs.add(quartier)
    assert query_count.page(client, detail_url(quartier)) <= 12
    response = query_count.response
    content = response.content.decode()
    assert "Bel-Air" in content and "Sornac-Ville" in content
    assert "CA du Val de Sorne" in content
    assert "960010104" in content
    assert "Contrat de ville publié du Val de Sorne" in content
    assert "Contrat en préparation secret" not in content
    assert 'id="territory-map"' in content
    assert "territories/territory_map.js" in content
    geojson = json.loads(json.dumps(response.context["geojson"]))
    assert geojson["features"][0]["properties"]["code"] == "QN09602M"
    assert "<script>" not in content  # CSP: no inline script
    assert reverse("observation:territory_portrait", args=["qpv", "2024", "QN09602M"]) in content


def test_commune_and_epci_details_list_their_children(client, reference):
    commune = Territory.objects.get(kind=TerritoryKind.COMMUNE, code="96001")
    content = client.get(detail_url(commune)).content.decode()
    assert "QN09601M" in content and "960010101" in content and "Val-de-Sorne" in content
    epci = Territory.objects.get(kind=TerritoryKind.EPCI)
    assert "Les Vignes" in client.get(detail_url(epci)).content.decode()


def test_unknown_territory_is_404(client, db):
    response = client.get(reverse("territories:territory_detail", args=["qpv", "2024", "QN09699M"]))
    assert response.status_code == 404


@pytest.mark.query_count("territories:territory_search")
def test_search_query_count_does_not_grow_with_results(client, db, query_count):
    def communes(start: int, count: int) -> None:
        Territory.objects.bulk_create(
            Territory(kind=TerritoryKind.COMMUNE, code=f"96{index:03d}", vintage="2026", name=f"Ville {index}")
            for index in range(start, start + count)
        )

    communes(0, 2)
    few = query_count.page(client, reverse("territories:territory_search"), {"q": "Ville"})
    communes(2, 60)
    assert query_count.page(client, reverse("territories:territory_search"), {"q": "Ville"}) == few
    assert query_count.response.context["page_obj"].paginator.count == 62

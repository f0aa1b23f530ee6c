"""The observation API: catalogue, values (filters, pagination, tenancy of private values), portraits."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from contrat_ville.accounts.services import api_token_create
from contrat_ville.accounts.tests.factories import UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant
from contrat_ville.observation.enums import Theme
from contrat_ville.observation.tests.factories_pages import make_geography, make_indicator, make_value
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.tests.factories import TerritoryFactory

pytestmark = pytest.mark.django_db


def bearer(user: Any) -> dict[str, str]:
    _, raw_token = api_token_create(user=user)
    return {"Authorization": f"Bearer {raw_token}"}


@pytest.fixture
def geo():
    return make_geography(qpv_count=2, published=False, name="Contrat privé")


@pytest.fixture
def poverty():
    return make_indicator("CS-02", label="Taux de pauvreté")


@pytest.fixture
def pilot(geo):
    user = UserFactory.create(email="pilote-api@exemple.fr")
    grant(geo.contract, user, Role.PILOT)
    return user


def get(url: str, headers: dict[str, str] | None = None, **params: Any) -> Any:
    return Client().get(url, params, headers=headers or {})


def test_indicator_catalogue_and_detail_are_public(poverty):
    make_indicator("DE-01", label="Taux d'emploi", theme=Theme.DEVELOPPEMENT_ECONOMIQUE, order=200)
    response = get("/api/v1/indicators")
    assert response.status_code == 200
    assert [item["code"] for item in response.json()] == ["CS-02", "DE-01"]
    detail = get("/api/v1/indicators/CS-02").json()
    assert detail["theme_label"] == "cohésion sociale"
    assert detail["direction"] == "down" and detail["aggregation"] == "ratio"
    assert get("/api/v1/indicators/NOPE").status_code == 404


def test_values_filters_and_pagination(geo, poverty):
    employment = make_indicator("DE-01", label="Taux d'emploi", theme=Theme.DEVELOPPEMENT_ECONOMIQUE)
    for period in range(2015, 2022):
        make_value(poverty, geo.qpv, period, 40.0 + period - 2015)
        make_value(employment, geo.qpv, period, 50.0)
    make_value(poverty, geo.commune, 2021, 20.0)
    everything = get("/api/v1/indicator-values").json()
    assert everything["count"] == 15
    page = get("/api/v1/indicator-values", indicator="CS-02", page_size=3, page=2).json()
    assert page["count"] == 8 and [item["period"] for item in page["items"]] == [2017, 2018, 2019]  # after the commune
    by_kind = get("/api/v1/indicator-values", indicator="CS-02", kind="commune").json()
    assert by_kind["count"] == 1 and by_kind["items"][0]["territory"]["code"] == geo.commune.code
    one = get("/api/v1/indicator-values", indicator="CS-02", territory=geo.qpv.code, period=2021).json()
    assert one["count"] == 1
    assert one["items"][0]["value"] == 46.0
    assert one["items"][0]["territory"] == {
        "id": geo.qpv.pk,
        "kind": "qpv",
        "code": geo.qpv.code,
        "vintage": geo.qpv.vintage,
        "name": geo.qpv.name,
    }


def test_values_query_count_does_not_grow(geo, poverty, query_count):
    make_value(poverty, geo.qpv, 2021, 40.0)
    with query_count() as few:
        get("/api/v1/indicator-values")
    for period in range(2000, 2021):
        make_value(poverty, geo.qpv, period, 40.0)
        make_value(poverty, geo.epci, period, 40.0)
    with query_count() as many:
        assert get("/api/v1/indicator-values").json()["count"] == 43
    assert len(many) == len(few)


def test_confidential_value_comes_out_as_null(geo, poverty):
    make_value(poverty, geo.qpv, 2021, confidential=True)
    [item] = get("/api/v1/indicator-values").json()["items"]
    assert item["value"] is None and item["numerator"] is None and item["confidential"] is True


def test_private_values_need_a_member_of_the_contract(geo, poverty, pilot):
    make_value(poverty, geo.qpv, 2021, 44.0)
    make_value(poverty, geo.qpv, 2022, 47.0, contract=geo.contract)
    url = "/api/v1/indicator-values"
    assert [item["value"] for item in get(url).json()["items"]] == [44.0]
    assert [item["value"] for item in get(url, bearer(pilot)).json()["items"]] == [44.0]  # no contract asked
    member = get(url, bearer(pilot), contract=geo.contract.pk).json()["items"]
    assert [(item["value"], item["contract_id"]) for item in member] == [(44.0, None), (47.0, geo.contract.pk)]
    # The contract is unpublished: anyone else gets 404, with or without a token.
    stranger = UserFactory.create(email="autre@exemple.fr")
    other_contract = make_geography(name="Autre contrat", published=True).contract
    grant(other_contract, stranger, Role.PILOT)
    assert get(url, contract=geo.contract.pk).status_code == 404
    assert get(url, bearer(stranger), contract=geo.contract.pk).status_code == 404
    assert get(url, contract=999999).status_code == 404
    # Another contract's token never sees this contract's private values.
    items = get(url, bearer(stranger), contract=other_contract.pk).json()["items"]
    assert all(item["contract_id"] is None for item in items)
    assert get(url, {"Authorization": "Bearer inconnu"}).status_code == 401


def test_published_contract_answers_public_values_to_visitors(poverty):
    geo = make_geography(published=True, name="Publié")
    make_value(poverty, geo.qpv, 2021, 44.0)
    make_value(poverty, geo.qpv, 2022, 47.0, contract=geo.contract)
    items = get("/api/v1/indicator-values", contract=geo.contract.pk).json()["items"]
    assert [item["value"] for item in items] == [44.0]


def test_portrait_disambiguates_kind_and_vintage(poverty):
    region = TerritoryFactory.create(kind=TerritoryKind.REGION, code="84", vintage="2024", name="Région 84")
    departement = TerritoryFactory.create(kind=TerritoryKind.DEPARTEMENT, code="84", vintage="2024", name="Vaucluse")
    make_value(poverty, region, 2021, 14.0)
    make_value(poverty, departement, 2021, 20.0)
    response = get("/api/v1/territories/departement/84/portrait")
    assert response.status_code == 200
    body = response.json()
    assert body["territory"]["name"] == "Vaucluse"
    assert body["themes"][0]["indicators"][0]["latest"] == {"period": 2021, "value": 20.0, "confidential": False}
    assert get("/api/v1/territories/region/84/portrait", vintage="2016").status_code == 404
    assert get("/api/v1/territories/commune/84/portrait").status_code == 404


def test_portrait_gives_references_gaps_and_private_values_to_members(geo, poverty, pilot):
    make_value(poverty, geo.qpv, 2016, 40.0)
    make_value(poverty, geo.qpv, 2021, 44.0)
    make_value(poverty, geo.epci, 2021, 15.0)
    make_value(poverty, geo.qpv, 2022, 47.0, contract=geo.contract)
    url = f"/api/v1/territories/qpv/{geo.qpv.code}/portrait"
    public = get(url).json()
    assert [reference["kind"] for reference in public["references"]] == ["commune", "epci", "unite_urbaine", "france"]
    [row] = public["themes"][0]["indicators"]
    assert row["latest"]["value"] == 44.0 and row["trend"] == "up" and row["first_period"] == 2016
    epci = row["references"][1]
    assert epci["territory_id"] == geo.epci.pk and epci["difference"] == pytest.approx(29.0)
    member = get(url, bearer(pilot), contract=geo.contract.pk).json()
    latest = member["themes"][0]["indicators"][0]
    assert latest["latest"]["value"] == 47.0 and latest["private"] is True
    assert get(url, contract=geo.contract.pk).status_code == 404


def test_portrait_query_count_does_not_grow(geo, poverty, query_count):
    make_value(poverty, geo.qpv, 2021, 44.0)
    url = f"/api/v1/territories/qpv/{geo.qpv.code}/portrait"
    with query_count() as few:
        get(url)
    for number in range(5):
        indicator = make_indicator(f"X-{number}", label=f"Indicateur {number}")
        for period in range(2015, 2022):
            for territory in (geo.qpv, geo.commune, geo.epci, geo.france):
                make_value(indicator, territory, period, 10.0)
    with query_count() as many:
        get(url)
    assert len(many) == len(few)

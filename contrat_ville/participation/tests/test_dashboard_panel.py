"""The councils' panel of the contract's dashboard (issue 12 §1): counts and shares, never a name, and a constant
number of queries whatever the number of councils and members."""

from __future__ import annotations

from html import unescape

import pytest
from django.urls import reverse

from contrat_ville.contracts.tests.factories import make_contract
from contrat_ville.participation.enums import AgeBand, College, Sex
from contrat_ville.participation.tests.factories import add_member, make_council

pytestmark = pytest.mark.django_db


def dashboard(contract) -> str:
    return reverse("contracts:contract_home", kwargs={"contract_slug": contract.slug})


def test_the_dashboard_shows_each_council_with_its_shares_and_no_name(client):
    contract = make_contract(name="Contrat des Tilleuls", published=True)
    council = make_council(contract, name="Conseil citoyen des Tilleuls")
    add_member(council, name="Aïcha Traoré", publish_name=False, sex=Sex.FEMALE, age_band=AgeBand.FROM_18_TO_25)
    add_member(council, name="Marc Petit", publish_name=False, sex=Sex.MALE, age_band=AgeBand.FROM_40_TO_59)
    add_member(council, sex=Sex.FEMALE, college=College.LOCAL_ACTORS, age_band=AgeBand.FROM_40_TO_59)
    html = " ".join(unescape(client.get(dashboard(contract)).content.decode()).split())
    assert 'data-testid="dashboard-councils"' in html
    assert "Conseil citoyen des Tilleuls</a> —" in html
    assert "3 membres : 67 % de femmes, 33 % de moins de 26 ans, 67 % au collège des habitants" in html
    assert "Aïcha Traoré" not in html and "Marc Petit" not in html


@pytest.mark.query_count("contracts:contract_home")
def test_the_councils_panel_costs_the_same_whatever_the_councils(client, query_count):
    few = make_contract(name="Peu de conseils", published=True)
    many = make_contract(name="Beaucoup de conseils", published=True)
    add_member(make_council(few))
    for _ in range(6):
        council = make_council(many)
        for sex in (Sex.FEMALE, Sex.MALE, Sex.FEMALE):
            add_member(council, sex=sex)
    client.get(dashboard(few))  # warm-up
    assert query_count.page(client, dashboard(few)) == query_count.page(client, dashboard(many))

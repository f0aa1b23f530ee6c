from datetime import date

import pytest
from django.urls import reverse

from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import ContractStatus, Role, SignatoryKind
from contrat_ville.contracts.services import signatory_add
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import Territory, TerritoryLink
from contrat_ville.territories.tests.factories import TerritoryFactory, square

pytestmark = pytest.mark.django_db


def populate(contract, *, communes: int, qpvs: int, prefix: str) -> None:
    """Link ``communes`` communes to the contract's EPCI and attach ``qpvs`` QPVs, with bulk_create."""
    created_communes = Territory.objects.bulk_create(
        Territory(
            kind=TerritoryKind.COMMUNE,
            code=f"{prefix}{index:05d}",
            vintage="2026",
            name=f"Commune {prefix} {index}",
            population=1000 + index,
            geometry=square(4.80 + index * 0.001, 45.70),
        )
        for index in range(communes)
    )
    created_qpvs = Territory.objects.bulk_create(
        Territory(
            kind=TerritoryKind.QPV,
            code=f"QN{prefix}{index:05d}",
            vintage="2024",
            name=f"Quartier {prefix} {index}",
            population=500 + index,
            area_ha=12,
            geometry=square(4.80 + index * 0.001, 45.70, 0.0005),
        )
        for index in range(qpvs)
    )
    TerritoryLink.objects.bulk_create(
        TerritoryLink(parent=contract.epci, child=commune) for commune in created_communes
    )
    TerritoryLink.objects.bulk_create(
        TerritoryLink(parent=created_communes[index % len(created_communes)], child=qpv)
        for index, qpv in enumerate(created_qpvs)
    )
    through = contract.qpvs.through
    through.objects.bulk_create(through(contract_id=contract.pk, territory_id=qpv.pk) for qpv in created_qpvs)


@pytest.fixture
def pilot():
    return UserFactory(first_name="Alix", last_name="Pilote")


@pytest.fixture
def other_pilot():
    return UserFactory(first_name="Bastien", last_name="Autre")


@pytest.fixture
def contract(pilot):
    epci = TerritoryFactory.create(
        epci=True, name="Communauté d'agglomération du Val Fictif", geometry=square(4.7, 45.6, 0.3)
    )
    contract = make_contract(
        name="Contrat de ville du Val Fictif",
        epci=epci,
        status=ContractStatus.SIGNED,
        signed_on=date(2024, 6, 30),
    )
    commune = TerritoryFactory.create(name="Bourg-Fictif", code="96101")
    TerritoryLink.objects.create(parent=epci, child=commune)
    qpv = TerritoryFactory.create(qpv=True, name="Les Tilleuls", code="QN09601M", population=3200)
    TerritoryLink.objects.create(parent=commune, child=qpv)
    contract.qpvs.add(qpv)
    signatory_add(
        contract=contract,
        organization=OrganizationFactory(name="Préfecture du Fictif"),
        kind=SignatoryKind.STATE,
        signed_on=date(2024, 6, 30),
    )
    signatory_add(
        contract=contract, organization=OrganizationFactory(name="Bailleur Fictif"), kind=SignatoryKind.OTHER
    )
    grant(contract, pilot, Role.PILOT)
    return contract


@pytest.fixture
def other_contract(other_pilot):
    contract = make_contract(name="Contrat de ville du Sud")
    grant(contract, other_pilot, Role.PILOT)
    return contract


def home_url(contract) -> str:
    return reverse("contracts:contract_home", kwargs={"contract_slug": contract.slug})


def territory_url(contract) -> str:
    return reverse("contracts:contract_territory", kwargs={"contract_slug": contract.slug})


def members_url(contract) -> str:
    return reverse("contracts:contract_members", kwargs={"contract_slug": contract.slug})


def test_contract_territory_shows_the_map_the_communes_and_the_signatories(client, pilot, contract):
    client.force_login(pilot)
    response = client.get(territory_url(contract))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Territoire et signataires — Plateforme des contrats de ville</title>" in html
    assert 'id="contract-map"' in html
    assert 'data-testid="contract-map"' in html
    assert 'role="region"' in html
    assert 'id="contract-map-data"' in html
    assert "vendor/leaflet/leaflet.js" in html
    assert "contracts/contract_map.js" in html
    assert 'data-testid="communes-table"' in html
    assert "Bourg-Fictif" in html
    assert 'data-testid="qpvs-table"' in html
    assert "Préfecture du Fictif" in html
    assert "Bailleur Fictif" in html
    assert "non signé" in html


def test_contract_dashboard_for_pilot_shows_qpvs_signatures_pillars_and_axes_without_the_map(client, pilot, contract):
    client.force_login(pilot)
    response = client.get(home_url(contract))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Contrat de ville du Val Fictif — Plateforme des contrats de ville</title>" in html
    assert 'data-testid="contract-map"' not in html
    assert 'data-testid="communes-table"' not in html
    assert "vendor/leaflet/leaflet.js" not in html
    assert 'data-testid="qpvs-table"' in html
    assert (
        reverse("territories:territory_detail", kwargs={"kind": "qpv", "vintage": "2024", "code": "QN09601M"}) in html
    )
    assert "3200 habitants" in html
    assert f'href="{territory_url(contract)}#signataires"' in html
    assert " sur 2 signataires</a>" in html
    for label in (
        "Cohésion sociale",
        "Cadre de vie et renouvellement urbain",
        "Développement économique et emploi",
        "Égalité femmes-hommes",
        "Jeunesse",
        "Lutte contre les discriminations",
    ):
        assert label in html
    assert html.count('class="fr-card__title"') == 6
    assert "Votre rôle : pilote (EPCI)" in html
    assert "signé le 30 juin 2024" in html
    assert "du 1er janvier 2024 au 31 décembre 2030" in html


def test_contract_home_map_data_holds_epci_communes_and_qpvs(client, pilot, contract):
    client.force_login(pilot)
    map_data = client.get(territory_url(contract)).context["map_data"]
    assert map_data["epci"]["properties"]["name"] == "Communauté d'agglomération du Val Fictif"
    assert [f["properties"]["name"] for f in map_data["communes"]["features"]] == ["Bourg-Fictif"]
    assert [f["properties"]["code"] for f in map_data["qpvs"]["features"]] == ["QN09601M"]
    assert map_data["qpvs"]["features"][0]["properties"]["communes"] == ["Bourg-Fictif"]
    assert map_data["tiles"] is None


def test_contract_home_passes_tile_layer_only_when_configured(client, pilot, contract, settings):
    settings.MAP_TILE_URL = "https://tuiles.exemple.test/{z}/{x}/{y}.png"
    client.force_login(pilot)
    assert client.get(territory_url(contract)).context["map_data"]["tiles"]["url"] == settings.MAP_TILE_URL


def test_scripts_carry_the_csp_nonce_and_pages_have_no_inline_style(client, pilot, contract):
    client.force_login(pilot)
    html = client.get(home_url(contract)).content.decode() + client.get(territory_url(contract)).content.decode()
    assert ' style="' not in html
    for line in html.splitlines():
        if "<script src=" in line and ("leaflet" in line or "contract_map" in line):
            assert 'nonce="' in line and 'nonce=""' not in line


def test_unpublished_contract_is_404_for_another_pilot_and_for_anonymous(client, contract, other_pilot):
    assert client.get(home_url(contract)).status_code == 404
    client.force_login(other_pilot)
    assert client.get(home_url(contract)).status_code == 404


def test_published_contract_is_public_without_member_data(client, contract):
    contract.is_published = True
    contract.save()
    response = client.get(home_url(contract))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Votre rôle" not in html
    assert members_url(contract) not in html
    assert 'data-testid="contract-map"' in client.get(territory_url(contract)).content.decode()


def test_members_page_is_404_for_anonymous_even_on_a_published_contract(client, contract):
    contract.is_published = True
    contract.save()
    assert client.get(members_url(contract)).status_code == 404


def test_members_page_is_404_for_another_pilot(client, contract, other_pilot):
    contract.is_published = True
    contract.save()
    client.force_login(other_pilot)
    assert client.get(members_url(contract)).status_code == 404


def test_members_page_lists_roles_for_members(client, contract, pilot):
    partner = UserFactory(first_name="Dominique", last_name="Partenaire", organization=OrganizationFactory(name="CAF"))
    grant(contract, partner, Role.PARTNER)
    client.force_login(partner)
    response = client.get(members_url(contract))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Alix Pilote" in html
    assert "pilote (EPCI)" in html
    assert "Dominique Partenaire" in html
    assert "CAF" in html
    assert "partenaire" in html
    assert "<caption>" in html


def test_side_menu_marks_current_entry_and_shows_members_to_members_only(client, contract, pilot):
    client.force_login(pilot)
    html = client.get(members_url(contract)).content.decode()
    assert 'data-testid="contract-sidemenu"' in html
    assert f'href="{members_url(contract)}" target="_self" aria-current="page"' in html
    assert f'href="{home_url(contract)}" target="_self">Tableau de bord' in html


def test_contract_list_shows_my_contracts_first_then_published_ones(client, contract, pilot, other_contract):
    published = make_contract(name="Contrat publié du Nord", published=True)
    client.force_login(pilot)
    response = client.get(reverse("contracts:contract_list"))
    html = response.content.decode()
    assert "Mes contrats" in html
    assert html.index(contract.name) < html.index(published.name)
    assert other_contract.name not in html
    assert response.context["listing"].mine[0].role == Role.PILOT


def test_contract_list_for_anonymous_shows_only_published(client, contract):
    published = make_contract(name="Contrat publié", published=True)
    html = client.get(reverse("contracts:contract_list")).content.decode()
    assert published.name in html
    assert contract.name not in html
    assert "Mes contrats" not in html


def test_platform_home_presents_platform_published_contracts_and_sign_in(client, contract):
    published = make_contract(name="Contrat publié", published=True)
    html = client.get(reverse("home")).content.decode()
    for word in ("Préparer", "Piloter", "Suivre", "Évaluer", "conseils citoyens", "cohésion sociale"):
        assert word in html
    assert published.name in html
    assert contract.name not in html
    assert reverse("accounts:login") in html


def test_platform_home_lists_the_signed_in_users_contracts(client, contract, pilot):
    client.force_login(pilot)
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="my-contracts"' in html
    assert contract.name in html


@pytest.mark.query_count("contracts:contract_home", "contracts:contract_territory")
def test_home_page_query_count_does_not_grow_with_territories(client, pilot, query_count):
    small = make_contract(name="Petit contrat", epci=TerritoryFactory(epci=True, geometry=square(4.7, 45.6, 0.3)))
    large = make_contract(name="Grand contrat", epci=TerritoryFactory(epci=True, geometry=square(4.7, 45.6, 0.3)))
    populate(small, communes=10, qpvs=10, prefix="1")
    populate(large, communes=1000, qpvs=1000, prefix="2")
    for contract in (small, large):
        grant(contract, pilot, Role.PILOT)
        signatory_add(contract=contract, organization=OrganizationFactory(), kind=SignatoryKind.EPCI)
    client.force_login(pilot)
    client.get(home_url(small))  # warm-up (sessions, content types)

    small_queries = query_count.page(client, home_url(small))
    large_queries = query_count.page(client, home_url(large))

    assert query_count.response.context["home"].qpv_count == 1000
    assert small_queries == large_queries
    small_territory = query_count.page(client, territory_url(small))
    assert query_count.page(client, territory_url(large)) == small_territory
    assert len(query_count.response.context["home"].communes) == 1000
    # The contract page (12 queries) plus the panels the apps above register (governance's next steps and
    # conformity, observation's key figures, diagnostic's and strategy's counts, strategy's charts, the droit
    # commun's realisation, the evaluation, the generated documents): a fixed budget, whatever the data.
    assert large_queries <= 50


def _more_contracts(pilot, count: int, *, prefix: str) -> None:
    """``count`` contracts the pilot holds a role on, and as many published ones, each with a signatory."""
    for index in range(count):
        mine = make_contract(name=f"Contrat {prefix}{index}")
        grant(mine, pilot, Role.PILOT if index % 2 else Role.PARTNER)
        published = make_contract(name=f"Contrat publié {prefix}{index}", published=True)
        signatory_add(contract=published, organization=OrganizationFactory(), kind=SignatoryKind.EPCI)


@pytest.mark.query_count("contracts:contract_list", "home")
def test_contract_list_and_platform_home_query_counts_do_not_grow(client, contract, pilot, query_count):
    _more_contracts(pilot, 1, prefix="a")
    client.force_login(pilot)
    client.get(reverse("home"))  # warm-up (sessions, content types)
    few = {name: query_count.page(client, reverse(name)) for name in ("contracts:contract_list", "home")}
    _more_contracts(pilot, 12, prefix="b")
    for name, count in few.items():
        assert query_count.page(client, reverse(name)) == count, name
    assert "Contrat publié b11" in query_count.response.content.decode()

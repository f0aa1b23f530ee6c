"""Observation pages: status codes, content, tenancy of private values, import, query counts, registrations."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse, reverse_lazy

from contrat_ville.accounts.tests.factories import UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant
from contrat_ville.core.models import ImportBatch
from contrat_ville.observation.enums import Aggregation, Direction, Theme
from contrat_ville.observation.models import IndicatorValue
from contrat_ville.observation.presenters import NBSP
from contrat_ville.observation.tests.factories_pages import Geography, link, make_geography, make_indicator, make_value
from contrat_ville.observation.tests.test_exports import read_csv, read_xlsx
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import Territory
from contrat_ville.territories.tests.factories import TerritoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def geo():
    return make_geography(qpv_count=2, published=True)


@pytest.fixture
def poverty():
    return make_indicator("CS-02", label="Taux de pauvreté")


@pytest.fixture
def pilot(geo):
    user = UserFactory.create(email="pilote-obs@exemple.fr")
    grant(geo.contract, user, Role.PILOT)
    return user


def _contract_url(name, geo, **kwargs):
    return reverse(f"observation_contract:{name}", kwargs={"contract_slug": geo.contract.slug, **kwargs})


def _row_of(html: str, name: str) -> str:
    """The ``<tr>`` of the table row whose header names ``name``."""
    for row in re.findall(r"<tr[^>]*>.*?</tr>", html, flags=re.DOTALL):
        if name in row:
            return row
    raise AssertionError(f"pas de ligne pour {name}")


# --- catalogue and indicator page ---------------------------------------------------------------------------------


def test_catalogue_groups_indicators_by_theme(client, poverty):
    make_indicator("DE-01", label="Taux d'emploi", theme=Theme.DEVELOPPEMENT_ECONOMIQUE)
    response = client.get(reverse("observation:indicator_list"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Cohésion sociale" in content and "Développement économique et emploi" in content
    assert "Définition de taux de pauvreté." in content
    assert reverse("observation:indicator_detail", kwargs={"code": "CS-02"}) in content


def test_indicator_page_defaults_to_qpvs_with_values_and_draws_chart_map_and_tables(client, geo, poverty):
    for period, value in ((2019, 41.0), (2020, 42.0), (2021, 44.5)):
        make_value(poverty, geo.qpv, period, value)
    make_value(poverty, geo.epci, 2021, 15.0)
    make_value(poverty, geo.iris[0], 2021, 30.0)
    response = client.get(reverse("observation:indicator_detail", kwargs={"code": "CS-02"}))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="indicator-chart"' in content and "<svg" in content
    assert 'data-testid="indicator-table"' in content
    assert f"44,5{NBSP}%" in content
    assert geo.epci.name in content  # a reference of the default QPV
    assert 'data-testid="indicator-map-table"' in content
    assert 'id="indicator-map-data"' in content
    assert "observation/choropleth.js" in content


def test_indicator_page_by_codes_and_iris_map(client, geo, poverty):
    make_value(poverty, geo.qpvs[1], 2021, 33.0)
    make_value(poverty, geo.iris[0], 2021, 30.0)
    url = reverse("observation:indicator_detail", kwargs={"code": "CS-02"})
    response = client.get(url, {"kind": "qpv", "codes": geo.qpvs[1].code, "map_kind": "iris"})
    content = response.content.decode()
    assert response.status_code == 200
    assert geo.qpvs[1].name in content
    assert "Carte : IRIS en 2021" in content
    assert geo.iris[0].name in content
    response = client.get(url, {"kind": "qpv", "codes": " , ".join(f"Q{n}" for n in range(20))})
    assert "Indiquez au plus 12 codes." in response.content.decode()


def test_unknown_indicator_is_404(client):
    assert client.get(reverse("observation:indicator_detail", kwargs={"code": "NOPE"})).status_code == 404


@pytest.mark.query_count("observation:indicator_detail")
def test_indicator_page_query_count_does_not_grow(client, poverty, query_count):
    small = make_geography(qpv_count=1, name="Petit")
    make_value(poverty, small.qpv, 2021, 40.0)
    url = reverse("observation:indicator_detail", kwargs={"code": "CS-02"})
    few = query_count.page(client, url + f"?kind=qpv&codes={small.qpv.code}&with_references=on")
    big = make_geography(qpv_count=6, iris_count=6, name="Grand")
    for territory in [*big.qpvs, *big.iris, big.epci, big.commune]:
        for period in range(2015, 2022):
            make_value(poverty, territory, period, 30.0 + period - 2015)
    many = query_count.page(client, url + f"?kind=qpv&codes={big.qpv.code}&with_references=on")
    assert many == few


def test_contract_indicator_page_member_sees_private_values(client, geo, poverty, pilot):
    make_value(poverty, geo.qpv, 2021, 44.0)
    make_value(poverty, geo.qpv, 2022, 46.0, contract=geo.contract)
    url = _contract_url("indicator_detail", geo, code="CS-02")
    anonymous = client.get(url).content.decode()
    assert f"44,0{NBSP}%" in anonymous and f"46,0{NBSP}%" not in anonymous
    client.force_login(pilot)
    member = client.get(url).content.decode()
    assert f"46,0{NBSP}%" in member and "donnée du contrat" in member


@pytest.mark.query_count("observation_contract:indicator_detail")
def test_contract_indicator_page_query_count_does_not_grow(client, poverty, query_count):
    small = make_geography(qpv_count=1, name="Petit", published=True)
    make_value(poverty, small.qpv, 2021, 40.0)
    few = query_count.page(client, _contract_url("indicator_detail", small, code="CS-02"))
    big = make_geography(qpv_count=6, iris_count=5, name="Grand", published=True)
    for territory in [*big.qpvs, *big.iris, big.epci]:
        for period in range(2016, 2022):
            make_value(poverty, territory, period, 25.0)
    assert query_count.page(client, _contract_url("indicator_detail", big, code="CS-02")) == few


# --- portraits ----------------------------------------------------------------------------------------------------


def test_territory_portrait_is_public_and_shows_gaps(client, geo, poverty):
    make_value(poverty, geo.qpv, 2021, 44.5)
    make_value(poverty, geo.epci, 2021, 15.0)
    url = reverse(
        "observation:territory_portrait", kwargs={"kind": "qpv", "vintage": geo.qpv.vintage, "code": geo.qpv.code}
    )
    content = client.get(url).content.decode()
    assert f"Portrait de {geo.qpv.name}" in content
    assert f"+29,5{NBSP}pts" in content
    assert 'data-testid="portrait-section-cohesion_sociale"' in content
    assert "export.csv" in content and "export.xlsx" in content


def test_territory_portrait_unknown_territory_is_404(client):
    url = reverse("observation:territory_portrait", kwargs={"kind": "qpv", "vintage": "2024", "code": "QN000000"})
    assert client.get(url).status_code == 404


def test_qpv_portrait_of_a_published_contract_hides_private_values_from_visitors(client, geo, poverty, pilot):
    make_value(poverty, geo.qpv, 2021, 44.0)
    make_value(poverty, geo.qpv, 2022, 47.0, contract=geo.contract)
    url = _contract_url("qpv_portrait", geo, territory_id=geo.qpv.pk)
    anonymous = client.get(url).content.decode()
    assert f"44,0{NBSP}%" in anonymous and f"47,0{NBSP}%" not in anonymous
    client.force_login(pilot)
    assert f"47,0{NBSP}%" in client.get(url).content.decode()


def test_qpv_portrait_of_another_contract_qpv_is_404(client, geo, pilot):
    other = make_geography(name="Autre", published=True)
    client.force_login(pilot)
    assert client.get(_contract_url("qpv_portrait", geo, territory_id=other.qpv.pk)).status_code == 404


def test_qpv_portrait_of_an_unpublished_contract_is_404_for_visitors(client, poverty):
    geo = make_geography(published=False, name="Privé")
    assert client.get(_contract_url("qpv_portrait", geo, territory_id=geo.qpv.pk)).status_code == 404


@pytest.mark.query_count("observation_contract:qpv_portrait")
def test_portrait_page_query_count_does_not_grow(client, geo, poverty, pilot, query_count):
    make_value(poverty, geo.qpv, 2021, 44.0)
    client.force_login(pilot)
    url = _contract_url("qpv_portrait", geo, territory_id=geo.qpv.pk)
    few = query_count.page(client, url)
    for number in range(5):
        indicator = make_indicator(f"X-{number}", label=f"Indicateur {number}", direction=Direction.HIGHER_IS_BETTER)
        for period in range(2015, 2022):
            for territory in (geo.qpv, geo.commune, geo.epci, geo.unite_urbaine, geo.france):
                make_value(indicator, territory, period, 10.0 + period - 2015)
                make_value(indicator, territory, period, 12.0, contract=geo.contract)
    assert query_count.page(client, url) == few


# --- comparison ---------------------------------------------------------------------------------------------------


def test_comparison_lists_qpvs_with_gap_to_epci_and_links_to_portraits(client, geo, poverty):
    make_value(poverty, geo.qpvs[0], 2021, 40.0)
    make_value(poverty, geo.qpvs[1], 2021, 30.0)
    make_value(poverty, geo.epci, 2021, 15.0)
    response = client.get(_contract_url("comparison", geo), {"indicators": "CS-02", "sort": "CS-02"})
    content = response.content.decode()
    assert response.status_code == 200
    assert f"+25,0{NBSP}pts" in content and f"+15,0{NBSP}pts" in content
    assert content.index(geo.qpvs[1].name) < content.index(geo.qpvs[0].name)  # ascending by value
    assert _contract_url("qpv_portrait", geo, territory_id=geo.qpvs[0].pk) in content
    assert 'aria-sort="ascending"' in content


def test_comparison_without_values_says_so(client, geo):
    response = client.get(_contract_url("comparison", geo))
    assert "Aucune valeur d'indicateur" in response.content.decode()


@pytest.mark.query_count("observation_contract:comparison")
def test_comparison_query_count_does_not_grow(client, poverty, query_count):
    small = make_geography(qpv_count=1, name="Petit", published=True)
    make_value(poverty, small.qpv, 2021, 40.0)
    few = query_count.page(client, _contract_url("comparison", small))
    big = make_geography(qpv_count=8, name="Grand", published=True)
    others = [make_indicator(f"Y-{n}", label=f"Autre {n}") for n in range(4)]
    for indicator in [poverty, *others]:
        for qpv in big.qpvs:
            for period in (2019, 2020, 2021):
                make_value(indicator, qpv, period, 30.0)
    assert query_count.page(client, _contract_url("comparison", big)) == few


# --- import -------------------------------------------------------------------------------------------------------


def _csv(text: str, name: str = "valeurs.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_pilot_imports_a_long_csv_as_private_values(client, geo, poverty, pilot):
    client.force_login(pilot)
    url = _contract_url("value_import", geo)
    page = client.get(url).content.decode()
    assert "Importer des valeurs" in page
    assert "Données réservées aux membres" not in page  # a pilot always imports private values
    content = (
        f"indicateur;territoire;periode;valeur\nCS-02;{geo.qpv.code};2021;44,5\nCS-02;{geo.qpvs[1].code};2021;s\n"
    )
    response = client.post(url, {"file": _csv(content), "fmt": "long_csv", "territory_kind": "qpv"}, follow=True)
    assert response.status_code == 200
    assert "Import terminé : 2 créé(s), 0 mis à jour, 0 remplacé(s), 0 rejeté(s)." in response.content.decode()
    values = IndicatorValue.objects.filter(indicator=poverty)
    assert values.count() == 2
    assert all(value.contract_id == geo.contract.pk for value in values)
    assert values.get(territory=geo.qpvs[1]).is_confidential
    assert "valeurs.csv" in response.content.decode()  # the batch list


def test_state_delegate_may_publish_public_values(client, geo, poverty):
    delegate = UserFactory.create(email="delegue@exemple.fr")
    grant(geo.contract, delegate, Role.STATE)
    client.force_login(delegate)
    url = _contract_url("value_import", geo)
    assert "Données réservées aux membres" in client.get(url).content.decode()
    content = f"indicateur;territoire;periode;valeur\nCS-02;{geo.qpv.code};2021;44,5\n"
    client.post(url, {"file": _csv(content), "fmt": "long_csv", "territory_kind": "qpv"})  # checkbox unticked: public
    assert IndicatorValue.objects.get().contract_id is None


def test_import_error_names_line_and_column_and_keeps_nothing(client, geo, poverty, pilot):
    client.force_login(pilot)
    content = f"indicateur;territoire;periode;valeur\nCS-02;{geo.qpv.code};2021;44,5\nCS-02;{geo.qpv.code};2020;abc\n"
    response = client.post(
        _contract_url("value_import", geo), {"file": _csv(content), "fmt": "long_csv", "territory_kind": "qpv"}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "valeurs.csv, ligne 3, colonne valeur : « abc » n&#x27;est pas un nombre" in text
    assert "Fichier refusé : aucune valeur n&#x27;a été importée (1)" in text
    assert not IndicatorValue.objects.exists()
    assert not ImportBatch.objects.exists()


def test_web_import_skips_unknown_territories_on_request_and_lists_them(client, geo, poverty, pilot):
    """The page offers what the command offers: without the box, an unknown code refuses the file (and the message
    names the box); with it, the known values are imported and the report lists what was ignored."""
    client.force_login(pilot)
    url = _contract_url("value_import", geo)
    content = (
        "indicateur;territoire;periode;valeur;commentaire\n"
        f"CS-02;{geo.qpv.code};2021;44,5;ok\nCS-02;QN09699X;2021;12;?\n"
    )
    refused = client.post(url, {"file": _csv(content), "fmt": "long_csv", "territory_kind": "qpv"})
    text = refused.content.decode()
    assert "valeurs.csv, ligne 3, colonne territoire : territoire « QN09699X » (qpv) inconnu" in text
    assert "(case « Ignorer les territoires inconnus », option --skip-unknown)" in text
    assert not IndicatorValue.objects.exists()
    assert not ImportBatch.objects.exists()
    response = client.post(
        url, {"file": _csv(content), "fmt": "long_csv", "territory_kind": "qpv", "skip_unknown": "on"}, follow=True
    )
    page = response.content.decode()
    assert "Import terminé : 1 créé(s), 0 mis à jour, 0 remplacé(s), 1 rejeté(s)." in page
    report = page[page.index('data-testid="import-report"') :]
    assert "QN09699X (qpv)" in report[report.index('data-testid="import-ignored"') :]
    assert "commentaire" in report[report.index('data-testid="import-unused-columns"') :]
    assert IndicatorValue.objects.get().territory == geo.qpv
    batch = ImportBatch.objects.get()
    assert (batch.ignored, batch.unused_columns, batch.scope) == (
        ["QN09699X (qpv)"],
        {"": ["commentaire"]},
        geo.contract,
    )


def test_import_report_of_another_contract_is_not_shown(client, geo, poverty, pilot):
    other = make_geography(qpv_count=1, name="Autre", published=True)
    secret = ImportBatch.objects.create(importer="long_csv", source_file="secret.csv", scope=other.contract)
    client.force_login(pilot)
    page = client.get(_contract_url("value_import", geo) + f"?lot={secret.pk}").content.decode()
    assert "secret.csv" not in page


def test_import_form_checks_the_extension(client, geo, pilot):
    client.force_login(pilot)
    response = client.post(
        _contract_url("value_import", geo), {"file": _csv("x", name="valeurs.pdf"), "fmt": "long_csv"}
    )
    assert "Le format choisi attend un fichier .csv ou .txt" in response.content.decode()


def test_import_page_is_closed_to_partners(client, geo):
    partner = UserFactory.create(email="partenaire@exemple.fr")
    grant(geo.contract, partner, Role.PARTNER)
    client.force_login(partner)
    assert client.get(_contract_url("value_import", geo)).status_code == 403


# --- registrations ------------------------------------------------------------------------------------------------


def test_contract_menu_and_home_panel(client, geo, poverty):
    make_value(poverty, geo.qpvs[0], 2021, 40.0, numerator=40, denominator=100)
    make_value(poverty, geo.qpvs[1], 2021, 20.0, numerator=60, denominator=300)
    make_value(poverty, geo.epci, 2021, 15.0)
    content = client.get(reverse("contracts:contract_home", kwargs={"contract_slug": geo.contract.slug})).content
    text = content.decode()
    assert _contract_url("comparison", geo) in text
    assert 'data-testid="observation-key-figures"' in text
    assert f"25,0{NBSP}%" in text  # (40 + 60) / (100 + 300), never the mean of the rates


def test_the_home_gives_the_qpvs_population_and_their_share_of_the_epcis(client, geo):
    """Issue 10 §3: the contract's key figures read the imported population, with its year, and say what share of
    the intercommunality lives in its QPVs (not a difference of inhabitants)."""
    population = make_indicator(
        "CTX-01", label="Population municipale", unit="hab.", aggregation=Aggregation.SUM, decimals=0
    )
    make_value(population, geo.qpvs[0], 2021, 3_000.0)
    make_value(population, geo.qpvs[1], 2021, 2_000.0)
    make_value(population, geo.epci, 2021, 40_000.0)
    page = client.get(reverse("contracts:contract_home", kwargs={"contract_slug": geo.contract.slug})).content.decode()
    panel = page[page.index('data-testid="observation-key-figures"') :]
    assert f"5{NBSP}000{NBSP}hab." in panel and "2021" in panel
    assert f"12,5{NBSP}% de l&#x27;intercommunalité" in panel


def test_comparison_against_another_reference_kind(client, geo, poverty):
    departement = TerritoryFactory.create(kind=TerritoryKind.DEPARTEMENT, code="96", name="Département témoin")
    link(departement, geo.commune)
    make_value(poverty, geo.qpvs[0], 2021, 40.0)
    make_value(poverty, geo.epci, 2021, 15.0)
    make_value(poverty, departement, 2021, 18.0)
    url = _contract_url("comparison", geo)
    by_default = client.get(url, {"indicators": "CS-02"}).content.decode()
    assert f"+25,0{NBSP}pts" in by_default and "écart à l&#x27;EPCI" in by_default
    content = client.get(url, {"indicators": "CS-02", "reference": "departement"}).content.decode()
    assert f"+22,0{NBSP}pts" in content and f"+25,0{NBSP}pts" not in content
    assert "Département témoin" in content and "écart au département" in content
    header, reference, first, _second = read_csv(
        client.get(
            _contract_url("comparison_export", geo, fmt="csv"), {"indicators": "CS-02", "reference": "departement"}
        )
    )
    assert header[4] == "CS-02 (%) écart au département"
    assert reference[:2] == [departement.code, "Département témoin (département, référence)"]
    assert first[:6] == [geo.qpvs[0].code, geo.qpvs[0].name, "2021", "40", "22", "2,22"]


# --- national table -------------------------------------------------------------------------------------------------


@pytest.fixture
def delegate(geo):
    user = UserFactory.create(email="delegue-national@exemple.fr")
    grant(geo.contract, user, Role.STATE)
    return user


def _national(geo: Geography, *, name: str = "Rhône", code: str = "69") -> Territory:
    """A département (in a région) over the geography's commune."""
    region = TerritoryFactory.create(kind=TerritoryKind.REGION, code=f"8{code[-1]}", name=f"Région de {name}")
    departement = TerritoryFactory.create(kind=TerritoryKind.DEPARTEMENT, code=code, name=name)
    link(region, departement)
    link(departement, geo.commune)
    return departement


NATIONAL_URL = reverse_lazy("observation:national_gaps")


def test_national_table_shows_every_qpv_gaps_to_its_references_and_trend(client, geo, poverty, delegate):
    departement = _national(geo)
    masked, visible = geo.qpvs
    make_value(poverty, visible, 2016, 40.0)
    make_value(poverty, visible, 2021, 44.5)
    make_value(poverty, masked, 2021, confidential=True)
    for territory, value in ((geo.commune, 20.0), (geo.epci, 15.0), (departement, 14.0), (geo.france, 14.5)):
        make_value(poverty, territory, 2021, value)
    make_value(poverty, visible, 2022, 99.0, contract=geo.contract)  # the contract's own: never here
    make_value(poverty, geo.epci, 2021, 77.0, contract=geo.contract)
    client.force_login(delegate)
    content = client.get(NATIONAL_URL).content.decode()
    table = content[content.index('data-testid="national-table"') :]
    assert "2 quartiers" in content
    visible_row = _row_of(table, visible.name)
    assert f"44,5{NBSP}%" in visible_row and "en 2021" in visible_row
    assert f"écart : +29,5{NBSP}pts" in visible_row  # EPCI
    assert f"écart : +30,5{NBSP}pts" in visible_row  # département
    assert f"en hausse de +4,5{NBSP}pts entre 2016 et 2021" in visible_row
    assert departement.name in visible_row and "Région de Rhône" in visible_row
    masked_row = _row_of(table, masked.name)
    assert "secret statistique" in masked_row and "écart" not in masked_row
    assert "99,0" not in content and "77,0" not in content
    assert "export.csv" in content and "export.xlsx" in content


def test_national_table_filters_by_area_year_and_indicator(client, geo, poverty, delegate):
    departement = _national(geo)
    other = make_geography(qpv_count=1, name="Ailleurs")
    _national(other, name="Loire", code="42")
    employment = make_indicator("DE-01", label="Taux d'emploi", theme=Theme.DEVELOPPEMENT_ECONOMIQUE, order=200)
    for qpv in [*geo.qpvs, other.qpv]:
        make_value(poverty, qpv, 2019, 30.0)
        make_value(poverty, qpv, 2021, 31.0)
    make_value(employment, other.qpv, 2021, 55.0)
    client.force_login(delegate)
    by_area = client.get(NATIONAL_URL, {"indicator": "CS-02", "area": departement.pk}).content.decode()
    assert "2 quartiers" in by_area and other.qpv.code not in by_area and geo.qpv.code in by_area
    by_year = client.get(NATIONAL_URL, {"indicator": "CS-02", "period": 2020}).content.decode()
    assert "3 quartiers" in by_year and f"30,0{NBSP}%" in by_year and f"31,0{NBSP}%" not in by_year
    by_indicator = client.get(NATIONAL_URL, {"indicator": "DE-01"}).content.decode()
    assert ": 1 quartier</h2>" in by_indicator and other.qpv.code in by_indicator and geo.qpv.code not in by_indicator
    wrong = client.get(NATIONAL_URL, {"indicator": "CS-02", "period": 1800})
    assert wrong.status_code == 200 and 'data-testid="national-table"' not in wrong.content.decode()


def test_national_table_is_paginated(client, poverty, delegate):
    geo = make_geography(qpv_count=23, name="Grand")
    for qpv in geo.qpvs:
        make_value(poverty, qpv, 2021, 30.0)
    client.force_login(delegate)
    first = client.get(NATIONAL_URL).content.decode()
    assert first.count('data-testid="national-row"') == 20 and "fr-pagination" in first
    second = client.get(NATIONAL_URL, {"page": 2}).content.decode()
    assert second.count('data-testid="national-row"') == 3
    assert geo.qpvs[-1].name in second and geo.qpvs[-1].name not in first


@pytest.mark.query_count("observation:national_gaps")
def test_national_table_query_count_does_not_grow(client, poverty, query_count):
    small = make_geography(qpv_count=1, name="Petit")
    _national(small)
    make_value(poverty, small.qpv, 2021, 40.0)
    delegate = UserFactory.create(email="delegue-requetes@exemple.fr")
    grant(small.contract, delegate, Role.STATE)
    client.force_login(delegate)
    few = query_count.page(client, NATIONAL_URL)
    big = make_geography(qpv_count=25, name="Grand")
    departement = _national(big, name="Loire", code="42")
    second_commune = TerritoryFactory.create(name="Aval")
    link(big.epci, second_commune)
    link(departement, second_commune)
    for qpv in big.qpvs:
        link(second_commune, qpv, share=0.3)
        for period in range(2015, 2022):
            make_value(poverty, qpv, period, 30.0 + period - 2015)
    for territory in (big.commune, second_commune, big.epci, departement, big.france):
        make_value(poverty, territory, 2021, 20.0)
    assert query_count.page(client, NATIONAL_URL) == few
    assert query_count.page(client, f"{NATIONAL_URL}?indicator=CS-02&area={departement.pk}&period=2020") == few + 1


def test_national_exports_write_one_line_per_qpv_and_reference(client, geo, poverty, delegate):
    masked, visible = geo.qpvs
    make_value(poverty, visible, 2016, 40.0)
    make_value(poverty, visible, 2021, 44.5)
    make_value(poverty, masked, 2021, confidential=True)
    make_value(poverty, geo.epci, 2021, 15.0)
    make_value(poverty, geo.epci, 2021, 77.0, contract=geo.contract)
    client.force_login(delegate)
    url = reverse("observation:national_gaps_export", kwargs={"fmt": "csv"})
    response = client.get(url, {"indicator": "CS-02"})
    assert 'filename="ecarts-nationaux-cs-02.csv"' in response["Content-Disposition"]
    header, *rows = read_csv(response)
    assert header[:6] == ["code du quartier", "quartier", "indicateur", "unité", "année", "valeur"]
    epci = next(row for row in rows if row[0] == visible.code and row[12] == geo.epci.code)
    assert epci[4:11] == [
        "2021",
        "44,5",
        "2016",
        "40",
        "4,5",
        "0,9",
        f"en hausse de +4,5{NBSP}pts entre 2016 et 2021 (évolution défavorable)",
    ]
    assert epci[11:] == ["EPCI", geo.epci.code, geo.epci.name, "15", "29,5", "2,97"]
    secret = [row for row in rows if row[0] == masked.code]
    assert secret and all(row[5] == "secret statistique" and row[15:] == ["", ""] for row in secret)
    assert not any("77" in row[14] for row in rows)
    sheets = read_xlsx(client.get(reverse("observation:national_gaps_export", kwargs={"fmt": "xlsx"})))
    [(title, lines)] = sheets.items()
    assert title == "Écarts CS-02"
    assert (visible.code, geo.epci.code, 15, 29.5) in {(line[0], line[12], line[14], line[15]) for line in lines[1:]}


def test_national_table_link_on_the_catalogue_for_those_who_may_see_it(client, geo, pilot, delegate):
    url = reverse("observation:indicator_list")
    assert 'data-testid="national-gaps-link"' not in client.get(url).content.decode()
    client.force_login(pilot)
    assert 'data-testid="national-gaps-link"' not in client.get(url).content.decode()
    client.force_login(delegate)
    assert 'data-testid="national-gaps-link"' in client.get(url).content.decode()


@pytest.mark.query_count("observation:indicator_list")
def test_catalogue_page_query_count_does_not_grow_with_indicators(client, db, query_count):
    make_indicator("CS-02")
    few = query_count.page(client, reverse("observation:indicator_list"))
    for number in range(12):
        theme = [Theme.CONTEXT, Theme.CADRE_DE_VIE, Theme.DEVELOPPEMENT_ECONOMIQUE][number % 3]
        make_indicator(f"LOC-{number:02d}", label=f"Indicateur local {number}", theme=theme)
    assert query_count.page(client, reverse("observation:indicator_list")) == few
    assert "Indicateur local 11" in query_count.response.content.decode()


def test_import_form_refuses_a_program_renamed_csv_and_imports_nothing(client, geo, pilot):
    client.force_login(pilot)
    disguised = SimpleUploadedFile("valeurs.csv", b"MZ\x90\x00" + b"\x00" * 60)
    response = client.post(_contract_url("value_import", geo), {"file": disguised, "fmt": "long_csv"})
    assert "Le fichier « valeurs.csv » est refusé : c&#x27;est un programme Windows." in response.content.decode()
    assert not ImportBatch.objects.exists()

"""Observation pages: status codes, content, tenancy of private values, import, query counts, registrations."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contrat_ville.accounts.tests.factories import UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant
from contrat_ville.observation.enums import Direction, Theme
from contrat_ville.observation.models import IndicatorValue, ValueBatch
from contrat_ville.observation.presenters import NBSP
from contrat_ville.observation.tests.factories_pages import link, make_geography, make_indicator, make_value
from contrat_ville.observation.tests.test_exports import read_csv
from contrat_ville.territories.enums import TerritoryKind
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


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


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


def test_indicator_page_query_count_does_not_grow(client, poverty):
    small = make_geography(qpv_count=1, name="Petit")
    make_value(poverty, small.qpv, 2021, 40.0)
    url = reverse("observation:indicator_detail", kwargs={"code": "CS-02"})
    few = _queries(client, url + f"?kind=qpv&codes={small.qpv.code}&with_references=on")
    big = make_geography(qpv_count=6, iris_count=6, name="Grand")
    for territory in [*big.qpvs, *big.iris, big.epci, big.commune]:
        for period in range(2015, 2022):
            make_value(poverty, territory, period, 30.0 + period - 2015)
    many = _queries(client, url + f"?kind=qpv&codes={big.qpv.code}&with_references=on")
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


def test_contract_indicator_page_query_count_does_not_grow(client, poverty):
    small = make_geography(qpv_count=1, name="Petit", published=True)
    make_value(poverty, small.qpv, 2021, 40.0)
    few = _queries(client, _contract_url("indicator_detail", small, code="CS-02"))
    big = make_geography(qpv_count=6, iris_count=5, name="Grand", published=True)
    for territory in [*big.qpvs, *big.iris, big.epci]:
        for period in range(2016, 2022):
            make_value(poverty, territory, period, 25.0)
    assert _queries(client, _contract_url("indicator_detail", big, code="CS-02")) == few


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


def test_portrait_page_query_count_does_not_grow(client, geo, poverty, pilot):
    make_value(poverty, geo.qpv, 2021, 44.0)
    client.force_login(pilot)
    url = _contract_url("qpv_portrait", geo, territory_id=geo.qpv.pk)
    few = _queries(client, url)
    for number in range(5):
        indicator = make_indicator(f"X-{number}", label=f"Indicateur {number}", direction=Direction.HIGHER_IS_BETTER)
        for period in range(2015, 2022):
            for territory in (geo.qpv, geo.commune, geo.epci, geo.unite_urbaine, geo.france):
                make_value(indicator, territory, period, 10.0 + period - 2015)
                make_value(indicator, territory, period, 12.0, contract=geo.contract)
    assert _queries(client, url) == few


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


def test_comparison_query_count_does_not_grow(client, poverty):
    small = make_geography(qpv_count=1, name="Petit", published=True)
    make_value(poverty, small.qpv, 2021, 40.0)
    few = _queries(client, _contract_url("comparison", small))
    big = make_geography(qpv_count=8, name="Grand", published=True)
    others = [make_indicator(f"Y-{n}", label=f"Autre {n}") for n in range(4)]
    for indicator in [poverty, *others]:
        for qpv in big.qpvs:
            for period in (2019, 2020, 2021):
                make_value(indicator, qpv, period, 30.0)
    assert _queries(client, _contract_url("comparison", big)) == few


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
    assert "2 valeurs ajoutées" in response.content.decode()
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
    assert "ligne 3" in text and "Aucune valeur n&#x27;a été importée" in text
    assert not IndicatorValue.objects.exists()
    assert not ValueBatch.objects.exists()


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

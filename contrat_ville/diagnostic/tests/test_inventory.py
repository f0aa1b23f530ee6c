"""The data inventory and the findings: services, pages, cited indicator figures."""

import pytest

from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import make_contract
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.diagnostic.enums import FindingKind
from contrat_ville.diagnostic.models import DataSource, Finding, FindingEvidence
from contrat_ville.diagnostic.selectors.inventory import evidence_figures, pillar_counts
from contrat_ville.diagnostic.services.inventory import (
    data_source_create,
    finding_create,
    finding_evidence_add,
)
from contrat_ville.diagnostic.tests.factories import make_stake, member, pillars, url
from contrat_ville.observation.models import Indicator, IndicatorValue
from contrat_ville.territories.tests.factories import TerritoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator():
    return Indicator.objects.create(
        code="taux_pauvrete", label="Taux de pauvreté", theme="cohesion_sociale", unit="%", decimals=1
    )


def qpv(contract):
    return contract.qpvs.get()


def make_finding(contract, **kwargs):
    return finding_create(
        contract=contract,
        pillar=kwargs.pop("pillar", pillars(contract)[0]),
        territory=kwargs.pop("territory", None),
        kind=kwargs.pop("kind", FindingKind.HANDICAP),
        text=kwargs.pop("text", "Un collégien sur trois sans le brevet."),
        by=None,
        **kwargs,
    )


# --- services -----------------------------------------------------------------------------------------------


def test_data_source_rules(contract):
    with pytest.raises(BusinessRuleError, match="producteur est obligatoire"):
        data_source_create(contract=contract, pillar=None, producer=" ", dataset="Filosofi", by=None)
    with pytest.raises(BusinessRuleError, match="pilier n'appartient pas"):
        data_source_create(
            contract=contract, pillar=pillars(make_contract(name="Autre"))[0], producer="INSEE", dataset="X", by=None
        )
    with pytest.raises(BusinessRuleError, match="L'année doit être comprise"):
        data_source_create(contract=contract, pillar=None, producer="INSEE", dataset="X", year=1200, by=None)


def test_finding_is_about_a_qpv_of_the_contract_or_the_whole_contract(contract):
    assert make_finding(contract, territory=qpv(contract)).territory == qpv(contract)
    assert make_finding(contract).territory is None
    with pytest.raises(BusinessRuleError, match="n'est pas un quartier prioritaire de ce contrat"):
        make_finding(contract, territory=TerritoryFactory.create(qpv=True, name="Ailleurs"))


def test_finding_cites_sources_of_the_contract_only(contract):
    other = make_contract(name="Autre contrat")
    foreign = data_source_create(contract=other, pillar=None, producer="CAF", dataset="Allocataires", by=None)
    with pytest.raises(BusinessRuleError, match="source citée n'appartient pas"):
        make_finding(contract, data_sources=[foreign])


def test_evidence_territory_and_uniqueness(contract, indicator):
    finding = make_finding(contract)
    finding_evidence_add(finding=finding, indicator=indicator, territory=qpv(contract), period=2021, by=None)
    with pytest.raises(BusinessRuleError, match="cite déjà cet indicateur"):
        finding_evidence_add(finding=finding, indicator=indicator, territory=qpv(contract), period=2021, by=None)
    with pytest.raises(BusinessRuleError, match="ni un quartier"):
        finding_evidence_add(
            finding=finding, indicator=indicator, territory=TerritoryFactory.create(), period=2021, by=None
        )
    finding_evidence_add(finding=finding, indicator=indicator, territory=contract.epci, period=2021, by=None)


def test_evidence_figures_show_value_private_over_public_and_hide_secrets(contract, indicator):
    finding = make_finding(contract)
    area = qpv(contract)
    public = finding_evidence_add(finding=finding, indicator=indicator, territory=area, period=2020, by=None)
    private = finding_evidence_add(finding=finding, indicator=indicator, territory=area, period=2021, by=None)
    secret = finding_evidence_add(finding=finding, indicator=indicator, territory=contract.epci, period=2021, by=None)
    missing = finding_evidence_add(finding=finding, indicator=indicator, territory=contract.epci, period=2019, by=None)
    IndicatorValue.objects.create(indicator=indicator, territory=area, period=2020, value=41.25)
    IndicatorValue.objects.create(indicator=indicator, territory=area, period=2021, value=40.0)
    IndicatorValue.objects.create(indicator=indicator, territory=area, period=2021, value=38.5, contract=contract)
    IndicatorValue.objects.create(indicator=indicator, territory=contract.epci, period=2021, is_confidential=True)
    figures = evidence_figures(contract=contract, evidence=FindingEvidence.objects.all())
    assert figures[public.pk].display_value == "41,2\xa0%"
    assert figures[private.pk].display_value == "38,5\xa0%"
    assert figures[secret.pk].display_value == "secret statistique"
    assert figures[missing.pk].display_value == "—"


def test_pillar_counts(contract):
    social, urban, _ = pillars(contract)
    data_source_create(contract=contract, pillar=social, producer="INSEE", dataset="Filosofi", by=None)
    make_finding(contract, pillar=urban)
    make_stake(contract, pillar=urban)
    counts = {row.pillar.code: row for row in pillar_counts(contract=contract)}
    assert (counts[social.code].sources, counts[social.code].findings) == (1, 0)
    assert (counts[urban.code].findings, counts[urban.code].stakes, counts[urban.code].retained) == (1, 1, 0)


# --- pages --------------------------------------------------------------------------------------------------


def test_pilot_manages_the_data_inventory(client, contract, pilot):
    client.force_login(pilot)
    social = pillars(contract)[0]
    response = client.post(
        url("source_create", contract),
        {"pillar": social.pk, "producer": "INSEE", "dataset": "Filosofi", "level": "QPV", "year": "2021"},
    )
    assert response.status_code == 302
    source = DataSource.objects.get()
    page = client.get(url("source_list", contract)).content.decode()
    assert "Filosofi" in page
    response = client.post(
        url("source_update", contract, source_id=source.pk),
        {"pillar": social.pk, "producer": "INSEE", "dataset": "Filosofi 2021", "year": "2021"},
    )
    assert response.status_code == 302
    assert "Filosofi 2021" in client.get(url("source_list", contract) + f"?pilier={social.code}").content.decode()
    response = client.post(url("source_delete", contract, source_id=source.pk))
    assert response.status_code == 302
    assert not DataSource.objects.exists()


def test_council_and_observers_read_the_inventory_but_do_not_edit(client, contract):
    source = data_source_create(contract=contract, pillar=None, producer="CAF", dataset="Allocataires", by=None)
    for role in (Role.COUNCIL, Role.OBSERVER):
        client.force_login(member(contract, role))
        page = client.get(url("source_list", contract)).content.decode()
        assert "Allocataires" in page
        assert "Nouvelle source de données" not in page
        assert client.get(url("source_create", contract)).status_code == 403
        assert client.post(url("source_delete", contract, source_id=source.pk)).status_code == 403
    client.force_login(member(contract, Role.PARTNER))
    assert client.get(url("source_create", contract)).status_code == 200


def test_partner_of_another_contract_gets_404(client, contract):
    source = data_source_create(contract=contract, pillar=None, producer="CAF", dataset="Allocataires", by=None)
    finding = make_finding(contract)
    client.force_login(member(make_contract(name="Autre", published=True), Role.PARTNER))
    assert client.get(url("source_list", contract)).status_code == 404
    assert client.get(url("finding_detail", contract, finding_id=finding.pk)).status_code == 404
    assert client.get(url("source_update", contract, source_id=source.pk)).status_code == 404


def test_pilot_writes_a_finding_and_cites_an_indicator(client, contract, pilot, indicator):
    client.force_login(pilot)
    source = data_source_create(contract=contract, pillar=None, producer="DEPP", dataset="Brevet", by=None)
    response = client.post(
        url("finding_create", contract),
        {
            "pillar": pillars(contract)[0].pk,
            "territory": qpv(contract).pk,
            "kind": FindingKind.HANDICAP,
            "text": "Taux de réussite au brevet inférieur de 15 points.",
            "data_sources": [source.pk],
        },
    )
    finding = Finding.objects.get()
    assert response.status_code == 302
    assert response.url == url("finding_detail", contract, finding_id=finding.pk)
    response = client.post(
        url("finding_evidence_add", contract, finding_id=finding.pk),
        {"indicator": indicator.pk, "territory": qpv(contract).pk, "period": "2022"},
    )
    assert response.status_code == 302
    IndicatorValue.objects.create(indicator=indicator, territory=qpv(contract), period=2022, value=23.4)
    page = client.get(response.url).content.decode()
    assert "Taux de pauvreté" in page
    assert "23,4\xa0%" in page
    listing = client.get(url("finding_list", contract)).content.decode()
    assert "Taux de réussite au brevet inférieur de 15 points." in listing
    assert "Les Iris" in listing
    assert "23,4\xa0%" in listing
    evidence = FindingEvidence.objects.get()
    response = client.post(url("finding_evidence_remove", contract, finding_id=finding.pk, evidence_id=evidence.pk))
    assert response.status_code == 302
    assert not FindingEvidence.objects.exists()


@pytest.mark.query_count("diagnostic:source_list", "diagnostic:finding_list", "diagnostic:finding_detail")
def test_inventory_lists_query_counts_do_not_grow(client, contract, pilot, indicator, query_count):
    client.force_login(pilot)
    data_source_create(contract=contract, pillar=pillars(contract)[0], producer="INSEE", dataset="A", by=None)
    first = make_finding(contract)
    finding_evidence_add(finding=first, indicator=indicator, territory=qpv(contract), period=2020, by=None)
    sources_few = query_count.page(client, url("source_list", contract))
    findings_few = query_count.page(client, url("finding_list", contract))
    detail_few = query_count.page(client, url("finding_detail", contract, finding_id=first.pk))
    sources = [
        data_source_create(contract=contract, pillar=pillar, producer="CAF", dataset=f"Jeu {index}", by=None)
        for index, pillar in enumerate(pillars(contract) * 3)
    ]
    for index, pillar in enumerate(pillars(contract) * 3):
        finding = make_finding(contract, pillar=pillar, territory=qpv(contract), data_sources=sources[:3])
        finding_evidence_add(
            finding=finding, indicator=indicator, territory=qpv(contract), period=2010 + index, by=None
        )
    for year in range(2011, 2015):
        finding_evidence_add(finding=first, indicator=indicator, territory=qpv(contract), period=year, by=None)
    assert query_count.page(client, url("source_list", contract)) == sources_few
    assert query_count.page(client, url("finding_list", contract)) == findings_few
    assert query_count.page(client, url("finding_detail", contract, finding_id=first.pk)) == detail_few

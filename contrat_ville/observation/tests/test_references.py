"""One definition of a QPV's reference territories (docs/observation.md): the portrait, the comparison page and the
national computation (its function and its table) read the same references and compute the same gaps."""

import pytest

from contrat_ville.contracts.services import contract_set_qpvs
from contrat_ville.contracts.tests.factories import make_contract
from contrat_ville.observation.selectors import PUBLIC, comparisons, national, portraits
from contrat_ville.observation.selectors.references import qpv_ids_within, reference_rows, references_for
from contrat_ville.observation.tests.factories_pages import link, make_indicator, make_value
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import Territory

pytestmark = pytest.mark.django_db


def _territory(kind: str, code: str, name: str, vintage: str = "2024") -> Territory:
    return Territory.objects.create(kind=kind, code=code, name=name, vintage=vintage)


@pytest.fixture
def world() -> dict:
    """France ⊃ région ⊃ département ⊃ two communes, in one EPCI and one unité urbaine; a QPV over both communes
    (60 % / 40 %), overlapped by an IRIS; a second QPV in an arrondissement municipal of the first commune; a
    QPV of another département. France is not linked: the newest ``france`` territory is the reference."""
    _territory(TerritoryKind.FRANCE, "FR", "France (ancien millésime)", vintage="2016")
    france = _territory(TerritoryKind.FRANCE, "FR", "France")
    region = _territory(TerritoryKind.REGION, "84", "Auvergne-Rhône-Alpes")
    departement = _territory(TerritoryKind.DEPARTEMENT, "69", "Rhône")
    other_departement = _territory(TerritoryKind.DEPARTEMENT, "42", "Loire")
    epci = _territory(TerritoryKind.EPCI, "200046977", "Métropole de Lyon")
    unite = _territory(TerritoryKind.UNITE_URBAINE, "00758", "Lyon")
    first = _territory(TerritoryKind.COMMUNE, "69266", "Villeurbanne")
    second = _territory(TerritoryKind.COMMUNE, "69259", "Vénissieux")
    arrondissement = _territory(TerritoryKind.COMMUNE, "69388", "Lyon 8e Arrondissement")
    far = _territory(TerritoryKind.COMMUNE, "42218", "Saint-Étienne")
    link(region, departement)
    link(region, other_departement)
    for commune in (first, second):
        link(departement, commune)
        link(epci, commune)
        link(unite, commune)
    link(first, arrondissement)
    link(other_departement, far)
    qpv = _territory(TerritoryKind.QPV, "QN06901M", "Les Buers")
    link(first, qpv, share=0.6)
    link(second, qpv, share=0.4)
    iris = _territory(TerritoryKind.IRIS, "692660101", "Buers Nord")
    link(iris, qpv, share=0.5)  # an IRIS overlapping the QPV is its parent in the links: never a reference
    qpv_in_arrondissement = _territory(TerritoryKind.QPV, "QN06902M", "Mermoz")
    link(arrondissement, qpv_in_arrondissement)
    far_qpv = _territory(TerritoryKind.QPV, "QN04201M", "Montreynaud")
    link(far, far_qpv)
    contract = make_contract(name="Contrat de la métropole", epci=epci)
    contract_set_qpvs(contract=contract, qpvs=[qpv])
    poverty = make_indicator("CS-02", label="Taux de pauvreté", levels=[TerritoryKind.QPV])
    make_value(poverty, qpv, 2017, 38.0)
    make_value(poverty, qpv, 2021, 41.0)
    make_value(poverty, qpv_in_arrondissement, 2021, 30.0)
    make_value(poverty, far_qpv, 2021, 35.0)
    reference_values = {
        first: 20.0,
        second: 25.0,
        epci: 16.0,
        unite: 17.0,
        departement: 15.0,
        region: 13.0,
        france: 14.5,
        arrondissement: 22.0,
    }
    for territory, value in reference_values.items():
        make_value(poverty, territory, 2021, value)
    make_value(poverty, second, 2021, 99.0, contract=contract)  # private: never in a public reading
    return {
        "qpv": qpv,
        "qpv_in_arrondissement": qpv_in_arrondissement,
        "far_qpv": far_qpv,
        "expected": [second, first, epci, unite, departement, region, france],  # communes by name
        "arrondissement_expected": [arrondissement, first, epci, unite, departement, region, france],
        "values": reference_values,
        "poverty": poverty,
        "contract": contract,
        "departement": departement,
        "other_departement": other_departement,
        "region": region,
    }


def test_the_references_are_the_documented_ones(world):
    assert references_for(world["qpv"]) == world["expected"]
    assert references_for(world["qpv_in_arrondissement"]) == world["arrondissement_expected"]
    rows = reference_rows([world["qpv"].pk, world["far_qpv"].pk])
    assert [row.kind for row in rows[world["qpv"].pk]] == [
        "commune",
        "commune",
        "epci",
        "unite_urbaine",
        "departement",
        "region",
        "france",
    ]
    assert [row.name for row in rows[world["far_qpv"].pk]] == [
        "Saint-Étienne",
        "Loire",
        "Auvergne-Rhône-Alpes",
        "France",
    ]


def test_portrait_comparison_page_and_national_computation_agree(world):
    qpv, poverty = world["qpv"], world["poverty"]
    latest = 41.0
    expected_ids = [territory.pk for territory in world["expected"]]
    expected_gaps = {territory.pk: latest - value for territory, value in world["values"].items()}

    portrait = portraits.portrait_get(territory=qpv)
    assert [reference.pk for reference in portrait.references] == expected_ids
    [row] = portrait.sections[0].rows
    portrait_gaps = {
        reference.pk: comparison.gap.difference
        for reference, comparison in zip(portrait.references, row.comparisons, strict=True)
    }

    [national_row] = [
        item for item in national.national_gaps_and_trends(indicator_codes=["CS-02"]) if item.territory_id == qpv.pk
    ]
    assert [gap.territory_id for gap in national_row.references] == expected_ids
    national_gaps = {gap.territory_id: gap.difference for gap in national_row.references}

    table = national.national_table(filters=national.NationalFilters(indicator=poverty), paginate=False)
    [table_row] = [item for item in table.rows if item.qpv == qpv]
    assert [item.reference.territory_id for item in table_row.references] == expected_ids

    for territory_id in expected_ids:
        assert portrait_gaps[territory_id] == pytest.approx(expected_gaps[territory_id])
        assert national_gaps[territory_id] == pytest.approx(expected_gaps[territory_id])

    by_kind = {reference.kind: reference for reference in portrait.references if reference.kind != "commune"}
    for kind in comparisons.COMPARISON_REFERENCE_KINDS:
        page = comparisons.comparison_get(
            contract=world["contract"], scope=PUBLIC, indicators=[poverty], reference_kind=kind
        )
        [page_row] = [item for item in page.rows if item.qpv == qpv]
        assert page_row.reference is not None and page_row.reference.territory_id == by_kind[kind].pk, kind
        assert page_row.cells[0].comparison.gap.difference == pytest.approx(expected_gaps[by_kind[kind].pk]), kind


def test_the_qpvs_of_an_area_are_those_it_is_a_reference_of(world):
    both = {world["qpv"].pk, world["qpv_in_arrondissement"].pk}
    assert set(qpv_ids_within(world["departement"])) == both
    assert set(qpv_ids_within(world["region"])) == {*both, world["far_qpv"].pk}
    assert qpv_ids_within(world["other_departement"]) == [world["far_qpv"].pk]

"""Services: catalogue loading, the bulk writer, aggregation through links, the national computation."""

import random
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection, transaction

from contrat_ville.contracts.tests.factories import make_contract
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.models import ImportBatch
from contrat_ville.observation import services
from contrat_ville.observation.catalogue import CATALOGUE
from contrat_ville.observation.models import Indicator, IndicatorValue
from contrat_ville.observation.selectors.national import _national_gaps_and_trends, national_gaps_and_trends
from contrat_ville.observation.tests.factories import build_tree, link, territory
from contrat_ville.observation.tests.naive import national_gaps_naive
from contrat_ville.territories.enums import LinkKind, TerritoryKind

# LATERAL index probes exist on PostgreSQL only: the other strategies run on every database.
PAIR_STRATEGIES_HERE = ["window", "correlated"] + (
    ["lateral"] if settings.DATABASES["default"]["ENGINE"].endswith("postgresql") else []
)


@pytest.fixture
def tree(db):
    services.catalogue_load()
    return build_tree()


def ids(*codes: str) -> dict[str, int]:
    return dict(Indicator.objects.filter(code__in=codes).values_list("code", "pk"))


def stored(code: str, territory, period: int = 2021, contract=None) -> IndicatorValue:
    return IndicatorValue.objects.get(indicator__code=code, territory=territory, period=period, contract=contract)


class TestCatalogueLoad:
    def test_idempotent(self, db):
        assert services.catalogue_load() == len(CATALOGUE)
        Indicator.objects.filter(code="CS-02").update(label="modifié")
        assert services.catalogue_load() == len(CATALOGUE)
        assert Indicator.objects.count() == len(CATALOGUE)
        assert Indicator.objects.get(code="CS-02").label == "Taux de pauvreté (seuil à 60 %)"

    def test_keeps_local_indicators(self, db):
        Indicator.objects.create(code="LOC-01", label="Indicateur local", theme="context", unit="nb")
        services.catalogue_load()
        assert Indicator.objects.filter(code="LOC-01").exists()


class TestValuesWrite:
    def test_adds_then_replaces(self, tree):
        indicator = ids("CTX-01")["CTX-01"]
        rows = [
            (indicator, tree.qpv.pk, 2021, 2450.0, None, None, False),
            (indicator, tree.qpv.pk, 2020, 2400.0, None, None, False),
        ]
        assert services.values_write(rows) == (2, 0)
        assert services.values_write([(indicator, tree.qpv.pk, 2021, 2500.0, None, None, False)]) == (0, 1)
        assert stored("CTX-01", tree.qpv).value == 2500.0

    def test_confidential_rows_lose_their_figures(self, tree):
        indicator = ids("DE-03")["DE-03"]
        services.values_write([(indicator, tree.qpv.pk, 2021, 27.4, 137.0, 500.0, True)])
        value = stored("DE-03", tree.qpv)
        assert value.is_confidential
        assert (value.value, value.numerator, value.denominator) == (None, None, None)

    def test_duplicates_are_refused(self, tree):
        indicator = ids("CTX-01")["CTX-01"]
        row = (indicator, tree.qpv.pk, 2021, 1.0, None, None, False)
        with pytest.raises(BusinessRuleError, match="lignes 1 et 2"):
            services.values_write([row, row])
        assert IndicatorValue.objects.count() == 0

    def test_unknown_ids_are_refused(self, tree):
        indicator = ids("CTX-01")["CTX-01"]
        with pytest.raises(BusinessRuleError, match="Ligne 2 : territoire d'identifiant 999999 inexistant"):
            services.values_write(
                [
                    (indicator, tree.qpv.pk, 2021, 1.0, None, None, False),
                    (indicator, 999999, 2021, 1.0, None, None, False),
                ]
            )
        with pytest.raises(BusinessRuleError, match="indicateur d'identifiant 999999"):
            services.values_write([(999999, tree.qpv.pk, 2021, 1.0, None, None, False)])
        assert IndicatorValue.objects.count() == 0

    def test_private_rows_and_batch_counts(self, tree):
        contract = make_contract()
        batch = ImportBatch.objects.create(importer="benchmark", source_file="synthétique", scope=contract)
        indicator = ids("CS-13")["CS-13"]
        services.values_write([(indicator, tree.qpv.pk, 2022, 12.0, None, None, False)])
        assert services.values_write(
            [(indicator, tree.qpv.pk, 2022, 15.0, None, None, False)], contract_id=contract.pk, batch=batch
        ) == (1, 0)
        batch.refresh_from_db()
        assert batch.created_count == 1
        assert stored("CS-13", tree.qpv, 2022, contract).value == 15.0
        assert stored("CS-13", tree.qpv, 2022).value == 12.0

    def test_large_write_streams_in_chunks(self, tree):
        indicator = ids("CTX-01")["CTX-01"]
        rows = ((indicator, tree.qpv.pk, 1950 + index % 70, float(index), None, None, False) for index in range(70))
        assert services.values_write(rows) == (70, 0)


class TestValuesAggregate:
    def write(self, tree, code: str, values: dict, period: int = 2021) -> None:
        indicator = ids(code)[code]
        services.values_write([(indicator, territory.pk, period, *figures) for territory, figures in values.items()])

    def test_sum_and_ratio_with_partial_shares(self, tree):
        self.write(
            tree,
            "CTX-01",
            {
                tree.iris_a: (1000.0, None, None, False),
                tree.iris_b: (500.0, None, None, False),
                tree.iris_c: (800.0, None, None, False),
            },
        )
        self.write(
            tree,
            "DE-03",
            {
                tree.iris_a: (25.0, 100.0, 400.0, False),
                tree.iris_b: (5.0, 30.0, 600.0, False),
                tree.iris_c: (10.0, 50.0, 500.0, False),
            },
        )
        self.write(
            tree, "CS-01", {tree.iris_a: (17000.0, None, None, False), tree.iris_b: (12000.0, None, None, False)}
        )
        count = services.values_aggregate()
        # QPV and commune 96001 (IRIS a, b), commune 96002 (IRIS c), for CTX-01 and DE-03; medians are skipped.
        assert count == 6
        assert stored("CTX-01", tree.qpv).value == pytest.approx(0.3 * 1000 + 500)
        rate = stored("DE-03", tree.qpv)
        assert (rate.numerator, rate.denominator) == (pytest.approx(60.0), pytest.approx(720.0))
        assert rate.value == pytest.approx(100 * 60 / 720)
        assert stored("DE-03", tree.commune).value == pytest.approx(100 * 130 / 1000)
        assert stored("CTX-01", tree.commune2).value == 800
        assert not IndicatorValue.objects.filter(indicator__code="CS-01", territory=tree.qpv).exists()
        batch = stored("CTX-01", tree.qpv).batch
        assert batch.importer == "aggregation"
        # Running it again replaces its own estimates.
        assert services.values_aggregate() == 6
        assert IndicatorValue.objects.filter(territory=tree.qpv).count() == 2

    def test_confidential_child_makes_the_parent_confidential(self, tree):
        self.write(
            tree,
            "DE-03",
            {tree.iris_a: (None, None, None, True), tree.iris_b: (5.0, 30.0, 600.0, False)},
        )
        services.values_aggregate(indicator_codes=["DE-03"], to_kinds=["qpv"])
        value = stored("DE-03", tree.qpv)
        assert value.is_confidential
        assert value.value is None and value.numerator is None

    def test_missing_child_gives_no_parent_value(self, tree):
        self.write(tree, "CTX-01", {tree.iris_b: (500.0, None, None, False)})
        assert services.values_aggregate(indicator_codes=["CTX-01"], to_kinds=["qpv"]) == 0

    def test_official_values_are_not_overwritten(self, tree):
        self.write(tree, "CTX-01", {tree.iris_a: (1000.0, None, None, False), tree.iris_b: (500.0, None, None, False)})
        self.write(tree, "CTX-01", {tree.qpv: (2450.0, None, None, False)})
        services.values_aggregate(indicator_codes=["CTX-01"], to_kinds=["qpv"])
        assert stored("CTX-01", tree.qpv).value == 2450.0

    def test_reverse_links_use_areas(self, db):
        services.catalogue_load()
        iris = territory(TerritoryKind.IRIS, "960030101", "IRIS", area_ha=Decimal("100"))
        qpv = territory(TerritoryKind.QPV, "QN09602M", "QPV", vintage="2024", area_ha=Decimal("20"))
        # The territories app links parent IRIS → child QPV, share = part of the QPV inside the IRIS.
        link(iris, qpv, "0.5", kind=LinkKind.OVERLAP)
        services.values_write([(ids("CTX-01")["CTX-01"], iris.pk, 2021, 1000.0, None, None, False)])
        services.values_aggregate(indicator_codes=["CTX-01"], to_kinds=["qpv"])
        # Half of the 20 ha QPV lies in the 100 ha IRIS: 10 % of the IRIS → 100 inhabitants.
        assert stored("CTX-01", qpv).value == pytest.approx(100.0)

    def test_private_aggregation(self, tree):
        contract = make_contract()
        indicator = ids("CS-13")["CS-13"]
        services.values_write(
            [
                (indicator, tree.iris_a.pk, 2022, 10.0, None, None, False),
                (indicator, tree.iris_b.pk, 2022, 4.0, None, None, False),
            ],
            contract_id=contract.pk,
        )
        services.values_aggregate(indicator_codes=["CS-13"], to_kinds=["qpv"], contract=contract)
        assert stored("CS-13", tree.qpv, 2022, contract).value == pytest.approx(7.0)
        assert not IndicatorValue.objects.filter(territory=tree.qpv, contract=None).exists()


# --- national -----------------------------------------------------------------------------------------------------


def national_dataset(qpv_count: int, *, seed: int = 1) -> dict:
    """A région, two départements, EPCIs, communes and ``qpv_count`` QPVs, with 3 indicators over 4 years."""
    services.catalogue_load()
    rng = random.Random(seed)
    france = territory(TerritoryKind.FRANCE, "FR", "France")
    region = territory(TerritoryKind.REGION, "84", "Région")
    link(france, region)
    deps = [territory(TerritoryKind.DEPARTEMENT, code, f"Dép {code}") for code in ("96", "97")]
    for dep in deps:
        link(region, dep)
    epcis = [territory(TerritoryKind.EPCI, f"24960000{index}", f"EPCI {index}") for index in range(2)]
    unit = territory(TerritoryKind.UNITE_URBAINE, "96701", "Unité urbaine")
    communes = []
    for index in range(max(qpv_count // 2, 2)):
        commune = territory(TerritoryKind.COMMUNE, f"96{index + 100:03d}", f"Commune {index}")
        link(deps[index % 2], commune)
        link(epcis[index % 2], commune)
        if index % 3 == 0:
            link(unit, commune)
        communes.append(commune)
    qpvs = []
    for index in range(qpv_count):
        qpv = territory(TerritoryKind.QPV, f"QN096{index:03d}M", f"QPV {index}", vintage="2024")
        link(communes[index % len(communes)], qpv, "0.6" if index % 4 == 0 else 1, kind=LinkKind.OVERLAP)
        if index % 4 == 0:
            link(communes[(index + 1) % len(communes)], qpv, "0.4", kind=LinkKind.OVERLAP)
        iris = territory(TerritoryKind.IRIS, f"96{index + 100:03d}0101", f"IRIS {index}")
        link(iris, qpv, "0.5", kind=LinkKind.OVERLAP)  # an IRIS parent is never a reference
        qpvs.append(qpv)
    codes = ids("CTX-01", "DE-03", "CS-02")
    rows = []
    for qpv_index, qpv in enumerate(qpvs):
        for code, indicator in codes.items():
            for year in (2017, 2018, 2019, 2021):
                if (qpv_index + year) % 7 == 0:
                    continue  # holes in the series
                secret = code == "CS-02" and (qpv_index + year) % 5 == 0
                value = None if secret else round(rng.uniform(10, 60), 1)
                rows.append((indicator, qpv.pk, year, value, None, None, secret))
    for reference in [france, region, *deps, *epcis, unit, *communes]:
        for code, indicator in codes.items():
            for year in (2017, 2019, 2021):
                secret = reference in communes[:2] and code == "DE-03" and year == 2021
                value = None if secret else round(rng.uniform(5, 30), 1)
                rows.append((indicator, reference.pk, year, value, None, None, secret))
    services.values_write(rows)
    return {"qpvs": qpvs, "communes": communes, "france": france, "codes": codes}


class TestNational:
    def test_same_result_as_the_naive_loop(self, db):
        national_dataset(12)
        fast = national_gaps_and_trends()
        assert fast == national_gaps_naive()
        assert len(fast) == 12 * 3
        assert fast == sorted(fast, key=lambda row: (row.territory_id, row.indicator_id))
        for options in ({"period": 2019}, {"indicator_codes": ["DE-03"]}, {"min_gap_years": 3}):
            assert national_gaps_and_trends(**options) == national_gaps_naive(**options)

    def test_row_contents(self, db):
        data = national_dataset(4)
        qpv = data["qpvs"][1]
        de03 = data["codes"]["DE-03"]
        row = next(r for r in national_gaps_and_trends() if r.territory_id == qpv.pk and r.indicator_id == de03)
        assert row.period == 2021
        assert row.previous_period == 2019
        latest = stored("DE-03", qpv).value
        previous = stored("DE-03", qpv, 2019).value
        france_value = stored("DE-03", data["france"]).value
        assert latest is not None and previous is not None and france_value is not None
        assert row.change == pytest.approx(latest - previous)
        assert row.annual_change == pytest.approx((latest - previous) / 2)
        assert row.trend in ("up", "down")
        kinds = [reference.kind for reference in row.references]
        # QPV 1 lies in commune 1 (outside the unité urbaine), then its EPCI, département, région, France;
        # never the IRIS it is linked to.
        assert kinds == ["commune", "epci", "departement", "region", "france"]
        france = row.references[-1]
        assert france.territory_id == data["france"].pk
        assert france.difference == pytest.approx(latest - france_value)
        assert france.ratio == pytest.approx(latest / france_value)
        # Commune 1 holds a confidential DE-03 in 2021: no figure, no gap.
        commune = row.references[0]
        assert commune.is_confidential
        assert (commune.value, commune.difference, commune.ratio) == (None, None, None)

    def test_confidential_values_never_produce_gaps(self, db):
        national_dataset(10)
        rows = national_gaps_and_trends(indicator_codes=["CS-02"])
        secret_rows = [row for row in rows if row.is_confidential]
        assert secret_rows
        for row in secret_rows:
            assert row.value is None
            assert row.change is None
            assert all(ref.difference is None and ref.ratio is None for ref in row.references)

    def test_private_values_win_for_their_contract_only(self, db):
        data = national_dataset(3)
        contract = make_contract()
        qpv = data["qpvs"][0]
        indicator = data["codes"]["CTX-01"]
        services.values_write([(indicator, qpv.pk, 2021, 999.0, None, None, False)], contract_id=contract.pk)

        def value(rows):
            return next(r.value for r in rows if r.territory_id == qpv.pk and r.indicator_id == indicator)

        assert value(national_gaps_and_trends()) != 999.0
        assert value(national_gaps_and_trends(contract_id=contract.pk)) == 999.0
        assert national_gaps_and_trends(contract_id=contract.pk) == national_gaps_naive(contract_id=contract.pk)

    @pytest.mark.parametrize("strategy", PAIR_STRATEGIES_HERE)
    def test_every_strategy_matches_the_naive_loop(self, db, strategy):
        """The portable window query, the correlated ``MAX`` (SQLite) and PostgreSQL's index probes per
        (QPV, indicator) give the naive rows, with private values newer than, older than and at the same period
        as the public ones."""
        data = national_dataset(8)
        contract, other = make_contract(name="Contrat A"), make_contract(name="Contrat B")
        codes, qpvs = data["codes"], data["qpvs"]
        private = [
            (codes["CTX-01"], qpvs[0].pk, 2021, 999.0, None, None, False),  # same period as a public value
            (codes["CTX-01"], qpvs[0].pk, 2020, 888.0, None, None, False),  # a private previous period
            (codes["DE-03"], qpvs[1].pk, 2023, 777.0, None, None, False),  # newer than every public value
            (codes["DE-03"], qpvs[2].pk, 2019, None, None, None, True),  # a confidential private value
            (codes["DE-03"], data["france"].pk, 2021, 555.0, None, None, False),  # a private reference
            (codes["CS-02"], qpvs[3].pk, 2016, 666.0, None, None, False),  # older than every public value
        ]
        services.values_write(private, contract_id=contract.pk)
        services.values_write([(codes["CTX-01"], qpvs[0].pk, 2022, 1.0, None, None, False)], contract_id=other.pk)
        options: list[dict] = [
            {},
            {"period": 2019},
            {"period": 2020},
            {"indicator_codes": ["DE-03", "CS-02"]},
            {"min_gap_years": 3},
            {"min_gap_years": 2, "stable_threshold": 5.0},
            {"contract_id": contract.pk},
            {"contract_id": contract.pk, "period": 2021, "min_gap_years": 2},
            {"contract_id": other.pk, "indicator_codes": ["CTX-01"]},
            {"qpv_ids": [qpvs[1].pk, qpvs[4].pk], "min_gap_years": 2},
            {"qpv_ids": [qpvs[0].pk], "contract_id": contract.pk},
        ]
        for option in options:
            defaults = {"period": None, "indicator_codes": None, "contract_id": None, "min_gap_years": 0}
            with transaction.atomic():
                rows = _national_gaps_and_trends(**{**defaults, "stable_threshold": 0.0, **option}, strategy=strategy)
            assert rows == national_gaps_naive(**option), option
            if "qpv_ids" in option:
                assert rows and {row.territory_id for row in rows} == set(option["qpv_ids"]), option
        rows = _national_gaps_and_trends(
            period=None,
            indicator_codes=None,
            contract_id=contract.pk,
            min_gap_years=0,
            stable_threshold=0.0,
            strategy=strategy,
        )
        by_key = {(row.territory_id, row.indicator_id): row for row in rows}
        newest = by_key[(qpvs[1].pk, codes["DE-03"])]
        assert (newest.period, newest.value, newest.previous_period) == (2023, 777.0, 2021)
        same = by_key[(qpvs[0].pk, codes["CTX-01"])]
        assert (same.period, same.value, same.previous_period, same.previous_value) == (2021, 999.0, 2020, 888.0)

    def test_public_values_use_index_probes_on_postgresql_and_correlated_max_elsewhere(self, db, query_count):
        national_dataset(2)
        with query_count() as queries:
            national_gaps_and_trends()
        uses_lateral = any("LATERAL" in query["sql"] for query in queries.captured_queries)
        assert uses_lateral == (connection.vendor == "postgresql")

    @pytest.mark.parametrize("qpv_count", [2, 20])
    def test_constant_number_of_queries(self, db, qpv_count, query_count):
        national_dataset(qpv_count)
        with query_count() as queries:
            rows = national_gaps_and_trends(indicator_codes=["DE-03", "CTX-01"])
        assert len(queries) <= 8
        assert len(rows) == qpv_count * 2

    def test_empty(self, db):
        assert national_gaps_and_trends() == []
        assert national_gaps_naive() == []

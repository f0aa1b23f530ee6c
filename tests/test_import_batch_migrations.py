"""The data migrations that move ``territories.ImportBatch`` and ``observation.ValueBatch`` to ``core.ImportBatch``
(style.md §5.10: data migrations get a test). Rows made with the old models, as a deployment holds them, keep
their provenance after ``migrate``: same fields, same dates, the same batch behind every territory, link and value.
"""

from datetime import UTC, date, datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from contrat_ville.contracts.models import Contract
from contrat_ville.core.models import ImportBatch
from contrat_ville.observation.models import IndicatorValue
from contrat_ville.territories.models import Territory, TerritoryLink

BEFORE = [("observation", "0002_indicatorvalue_indexes"), ("territories", "0002_import_batch_in_core")]
IMPORTED_AT = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def before():
    """Observation and territories before the move; every other app as it is now (its models match its tables)."""
    return [node for node in latest() if node[0] not in {"observation", "territories"}] + BEFORE


@pytest.mark.django_db(transaction=True)
def test_old_batches_become_core_batches_and_keep_their_rows():
    old = migrate(before())
    old_territory = old.get_model("territories", "Territory")
    old_link = old.get_model("territories", "TerritoryLink")
    old_territory_batch = old.get_model("territories", "ImportBatch")
    old_value_batch = old.get_model("observation", "ValueBatch")
    old_value = old.get_model("observation", "IndicatorValue")
    old_indicator = old.get_model("observation", "Indicator")
    old_contract = old.get_model("contracts", "Contract")

    territory_batch = old_territory_batch.objects.create(
        importer="import_communes", source_file="v_commune_2026.csv", producer="Insee", vintage="2026", created_count=2
    )
    old_territory_batch.objects.filter(pk=territory_batch.pk).update(imported_at=IMPORTED_AT)
    epci = old_territory.objects.create(
        kind="epci", code="200099001", vintage="2026", name="CA", import_batch=territory_batch
    )
    commune = old_territory.objects.create(
        kind="commune", code="96001", vintage="2026", name="Sornac", import_batch=territory_batch
    )
    link = old_link.objects.create(parent=epci, child=commune, import_batch=territory_batch)
    contract = old_contract.objects.create(
        slug="val", name="Val", epci=epci, generation="2024", start_on=date(2024, 1, 1), end_on=date(2030, 12, 31)
    )
    indicator = old_indicator.objects.create(code="CS-02", label="Pauvreté", theme="contexte", unit="%")
    public = old_value_batch.objects.create(
        importer="insee_csv", source_file="filo.csv", producer="Insee", added_count=1
    )
    private = old_value_batch.objects.create(
        importer="long_csv", source_file="pre.csv", contract=contract, added_count=1, rejected_count=2, warnings=["w"]
    )
    old_value.objects.create(indicator=indicator, territory=commune, period=2021, value=12.0, batch=public)
    old_value.objects.create(
        indicator=indicator, territory=commune, period=2021, value=15.0, batch=private, contract=contract
    )

    migrate(latest())

    values = {value.value: value.batch for value in IndicatorValue.objects.select_related("batch")}
    assert (values[12.0].pk, values[15.0].pk) == (public.pk, private.pk)  # value batches keep their ids
    assert (values[12.0].importer, values[12.0].producer, values[12.0].created_count) == ("insee_csv", "Insee", 1)
    copied = values[15.0]
    assert (copied.rejected_count, copied.warnings, copied.scope) == (2, ["w"], Contract.objects.get(slug="val"))
    assert copied.scope_type == ContentType.objects.get_for_model(Contract)
    moved = Territory.objects.get(code="96001").import_batch
    assert moved is not None and moved.pk not in {public.pk, private.pk}
    assert (moved.importer, moved.source_file, moved.vintage, moved.imported_at) == (
        "import_communes",
        "v_commune_2026.csv",
        "2026",
        IMPORTED_AT,
    )
    assert TerritoryLink.objects.get(pk=link.pk).import_batch == moved
    assert ImportBatch.objects.count() == 3
    created = ImportBatch.objects.create(importer="import_epci", source_file="epci.xlsx")
    assert created.pk > max(public.pk, private.pk, moved.pk)  # the sequence follows the copied ids

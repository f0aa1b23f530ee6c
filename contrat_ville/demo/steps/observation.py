"""The demo's territorial observation: the indicator catalogue and six years of figures for every demo territory.

The files of ``demo.indicators`` (INSEE census and Filosofi files at the IRIS, Filosofi for communes and
intercommunalities, INSEE workbooks of the QPV, local partners' long CSVs, national references) are written into
the demo's temporary folder and imported one by one through ``observation.services.values_import``, exactly as an
observation officer would; the commune and intercommunality figures of the census are then computed by the
platform from the IRIS (``values_aggregate``: counts summed, rates as ratios of summed numerators and
denominators). The « programme de réussite éducative » files are private to the contract that carries them.

Idempotent: re-importing a file replaces its values (same indicator, territory and year) and the aggregation
replaces its earlier results; the provenance batches of the previous load, left without values, are removed, so
that a second load leaves the same rows.
"""

from __future__ import annotations

from django.db.models import Q

from contrat_ville.contracts.models import Contract
from contrat_ville.core.models import ImportBatch
from contrat_ville.core.services import fields_as_arguments
from contrat_ville.demo.context import DemoContext
from contrat_ville.demo.generator import COG_VINTAGE
from contrat_ville.demo.indicators import (
    FRANCE_CODE,
    FRANCE_NAME,
    FRANCE_POPULATION,
    LATEST_RP_YEAR,
    IndicatorFile,
    write_indicator_files,
)
from contrat_ville.observation.models import IndicatorValue
from contrat_ville.observation.services import AGGREGATION_IMPORTER, catalogue_load, values_aggregate, values_import
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import Territory

FOLDER = "indicateurs"
# Census figures of communes and intercommunalities are computed from the IRIS, then from the communes.
AGGREGATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (TerritoryKind.IRIS, (TerritoryKind.COMMUNE,)),
    (TerritoryKind.COMMUNE, (TerritoryKind.EPCI,)),
)


def france_upsert(context: DemoContext) -> Territory:
    """The national reference territory (no official file lists it): created once, kept up to date."""
    population = FRANCE_POPULATION[LATEST_RP_YEAR]
    france, created = Territory.objects.get_or_create(
        kind=TerritoryKind.FRANCE,
        code=FRANCE_CODE,
        vintage=COG_VINTAGE,
        defaults={"name": FRANCE_NAME, "population": population},
    )
    if not created and (france.name, france.population) != (FRANCE_NAME, population):
        france.name, france.population = FRANCE_NAME, population
        france.save(update_fields=["name", "population", "updated_at"])
    context.territories[(TerritoryKind.FRANCE, FRANCE_CODE)] = france
    return france


def _contract(context: DemoContext, slug: str | None) -> Contract | None:
    if slug is None:
        return None
    return context.contracts.get(slug) or Contract.objects.filter(slug=slug).first()


def _previous_batches(files: list[IndicatorFile]) -> set[int]:
    names = [item.path.name for item in files]
    batches = ImportBatch.objects.filter(Q(source_file__in=names) | Q(importer=AGGREGATION_IMPORTER))
    return set(batches.values_list("pk", flat=True))


def _prune(batch_ids: set[int]) -> None:
    """Delete the batches of an earlier load that no value points to any more (all replaced)."""
    if not batch_ids:
        return
    still_used = IndicatorValue.objects.filter(batch_id__in=batch_ids).values("batch_id")
    ImportBatch.objects.filter(pk__in=batch_ids).exclude(pk__in=still_used).delete()


def step_observation(context: DemoContext) -> None:
    count = catalogue_load()
    france_upsert(context)
    directory = context.directory / FOLDER
    directory.mkdir(exist_ok=True)
    files = write_indicator_files(directory, context.territory)
    previous = _previous_batches(files)
    added = replaced = rejected = 0
    skipped = []
    for item in files:
        contract = _contract(context, item.contract_slug)
        if item.contract_slug is not None and contract is None:
            skipped.append(item.path.name)
            continue
        batch = values_import(
            path_or_file=item.path, contract=contract, **fields_as_arguments(item, leave_out={"path", "contract_slug"})
        )
        added += batch.created_count
        replaced += batch.replaced_count
        rejected += batch.rejected_count
        for warning in batch.warnings:
            context.log(f"    ⚠ {item.path.name} : {warning}")
    aggregated = sum(values_aggregate(from_kind=from_kind, to_kinds=to_kinds) for from_kind, to_kinds in AGGREGATIONS)
    _prune(previous)
    context.log(
        f"  catalogue de {count} indicateurs ; {len(files) - len(skipped)} fichiers importés : {added} valeurs "
        f"ajoutées, {replaced} remplacées, {rejected} rejetées ; {aggregated} valeurs calculées par agrégation"
    )
    for name in skipped:
        context.log(f"    ⚠ {name} : contrat absent, fichier privé ignoré")

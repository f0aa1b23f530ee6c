"""Writes of the observation app: the indicator catalogue, value imports, the low-level writer, aggregation.

Every write is one transaction. A malformed file raises ``ImportFileError`` (the import kernel's, a
``BusinessRuleError`` whose French message names the file, the sheet, the line and the column of every fault found)
and writes nothing — not even its ``core.ImportBatch``. Re-importing a key (indicator, territory, period — and
contract for private values) replaces the stored value: the batch counts it as « replaced ». Private values carry
their ``contract`` (and their batch its scope); public ones have none.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Q

from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.imports.errors import ImportFileError
from contrat_ville.core.imports.record import OPEN_LICENCE, import_batch_new
from contrat_ville.core.imports.sources import source_of
from contrat_ville.core.models import ImportBatch
from contrat_ville.observation.catalogue import catalogue_rows
from contrat_ville.observation.computations import MISSING, Figure, aggregate, scale_for_unit
from contrat_ville.observation.enums import Aggregation
from contrat_ville.observation.importers import AGGREGATION_IMPORTER, FORMATS, run_import
from contrat_ville.observation.importers.base import without_gc
from contrat_ville.observation.importers.context import UNKNOWN_ERROR, UNKNOWN_SKIP
from contrat_ville.observation.importers.writer import StagedRow, ValueWriter
from contrat_ville.observation.models import Indicator, IndicatorValue, visible_condition
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import TerritoryLink

__all__ = [
    "AGGREGATION_IMPORTER",
    "FORMATS",
    "UNKNOWN_ERROR",
    "UNKNOWN_SKIP",
    "ImportFileError",
    "catalogue_load",
    "values_aggregate",
    "values_import",
    "values_write",
]

INSEE_PRODUCER = "Insee"
YEAR_RE = re.compile(r"^(19|20)\d\d$")

ValueRow = tuple[int, int, int, float | None, float | None, float | None, bool]


# --- Catalogue ----------------------------------------------------------------------------------------------


@transaction.atomic
def catalogue_load() -> int:
    """Create or update the indicators of ``catalogue.CATALOGUE`` (keyed on code); return how many it holds.

    Idempotent: running it again changes nothing; indicators added locally (other codes) are kept.
    """
    rows = catalogue_rows()
    existing = {indicator.code: indicator for indicator in Indicator.objects.filter(code__in=[c for c, _ in rows])}
    to_create: list[Indicator] = []
    for code, fields in rows:
        indicator = existing.get(code)
        if indicator is None:
            to_create.append(Indicator(code=code, **fields))
            continue
        changed = [name for name, value in fields.items() if getattr(indicator, name) != value]
        if changed:
            for name in changed:
                setattr(indicator, name, fields[name])
            indicator.save(update_fields=[*changed, "updated_at"])
    Indicator.objects.bulk_create(to_create)
    return len(rows)


# --- Values -------------------------------------------------------------------------------------------------


def values_write(
    rows: Iterable[ValueRow | Sequence[Any]],
    *,
    contract_id: int | None = None,
    batch: ImportBatch | None = None,
) -> tuple[int, int]:
    """The low-level bulk writer: rows of (indicator_id, territory_id, period, value, numerator, denominator,
    is_confidential); returns (added, replaced).

    Streams into a staging table (``COPY`` on PostgreSQL) through the one value writer, then replaces the
    values with the same key. A confidential row is stored without figures, whatever it carries. A key given
    twice, or an indicator or territory id that does not exist, raises ``BusinessRuleError`` and writes nothing.
    """
    with transaction.atomic(), without_gc():
        # The pipelined mode (PostgreSQL) tells this import's rows by their batch: only with a fresh one.
        fresh = batch is not None and batch.created_count == 0 and batch.replaced_count == 0
        writer = ValueWriter(
            contract_id=contract_id,
            batch_id=batch.pk if batch is not None else None,
            validate_ids=True,
            pipelined=fresh,
        )
        try:
            add = writer.add
            for line, row in enumerate(rows, start=1):
                indicator_id, territory_id, period, value, numerator, denominator, confidential = row
                if confidential:
                    add((line, indicator_id, territory_id, period, None, None, None, True))
                else:
                    add((line, indicator_id, territory_id, period, value, numerator, denominator, False))
            added, replaced = writer.finish()
        finally:
            writer.close()
        if batch is not None:
            batch.created_count += added
            batch.replaced_count += replaced
            batch.save(update_fields=["created_count", "replaced_count"])
    return added, replaced


def values_import(
    *,
    path_or_file: Any,
    fmt: str,
    territory_kind: str | None = None,
    mapping: str | None = None,
    contract: Any = None,
    user: Any = None,
    producer: str = "",
    licence: str = "",
    vintage: str = "",
    progress: Callable[[int], None] | None = None,
    territory_vintage: str | None = None,
    unknown_territories: str = UNKNOWN_ERROR,
    source_name: str | None = None,
) -> ImportBatch:
    """Import a value file and return its ``core.ImportBatch``: provenance and report (created — the values
    added —, replaced and rejected counts, warnings, ignored territories, columns and sheets not read).

    ``fmt``: ``long_csv``, ``long_xlsx``, ``insee_csv``, ``insee_xlsx`` (see ``importers``). ``territory_kind``:
    the kind of the codes (``iris``, ``qpv``, ``commune``…) when the file does not say it (long files: column
    ``type_territoire``; INSEE files: an ``IRIS`` column, or codes that name their kind). ``mapping``: an
    INSEE family of ``importers.mappings.MAPPINGS`` (default: the family matching the most columns).
    ``vintage``: the year of columns without one in their name (``POP_MUN``). ``contract``: the values are
    private to that contract. ``unknown_territories``: ``"error"`` (default: each unknown code is a fault of the
    file) or ``"skip"`` (their values are counted as rejected and their codes listed as ignored).
    ``progress`` is called with the cumulative number of values read, every 20 000 values and at the end.
    A refused file (faults collected, up to ``limits.MAX_ERRORS``) or an empty one writes nothing.
    """
    if fmt not in FORMATS:
        raise BusinessRuleError(f"Format « {fmt} » inconnu (formats : {', '.join(FORMATS)}).", field="fmt")
    vintage = (vintage or "").strip()
    period = int(vintage) if YEAR_RE.match(vintage) else None
    is_insee = fmt.startswith("insee")
    source = source_of(path_or_file, name=source_name)
    with transaction.atomic():
        batch = import_batch_new(
            importer=fmt,
            source_file=source.name,
            producer=producer or (INSEE_PRODUCER if is_insee else ""),
            licence=licence or (OPEN_LICENCE if is_insee else ""),
            vintage=vintage,
            by=user,
            scope=contract,
        )
        batch.save()
        periods = run_import(
            source=source,
            fmt=fmt,
            batch=batch,
            contract_id=contract.pk if contract is not None else None,
            territory_kind=territory_kind,
            mapping=mapping,
            territory_vintage=territory_vintage,
            period=period,
            unknown_territories=unknown_territories,
            progress=progress,
        )
        if not batch.vintage and periods:
            batch.vintage = str(max(periods))
        batch.save()
    return batch


# --- Aggregation --------------------------------------------------------------------------------------------


def _weights(from_kind: str, to_kind: str) -> dict[int, list[tuple[int, float]]]:
    """For each ``to_kind`` territory, its ``from_kind`` pieces and the share of each piece inside it.

    A link parent=to_kind, child=from_kind gives the share directly (the part of the child inside the
    parent). The territories app links QPVs the other way (parent IRIS, child QPV, share = part of the
    QPV's area inside the IRIS); the part of the IRIS inside the QPV is then share * area(QPV) / area(IRIS),
    an area-based estimate used only when both areas are known.
    """
    weights: dict[int, dict[int, float]] = defaultdict(dict)
    for parent_id, child_id, share in TerritoryLink.objects.filter(
        parent__kind=to_kind, child__kind=from_kind
    ).values_list("parent_id", "child_id", "share"):
        weights[parent_id][child_id] = float(share)
    for source_id, target_id, share, source_area, target_area in TerritoryLink.objects.filter(
        parent__kind=from_kind, child__kind=to_kind
    ).values_list("parent_id", "child_id", "share", "parent__area_ha", "child__area_ha"):
        if source_id in weights.get(target_id, {}) or not source_area or not target_area:
            continue
        weights[target_id][source_id] = min(1.0, float(share) * float(target_area) / float(source_area))
    return {target: list(pieces.items()) for target, pieces in weights.items() if pieces}


@transaction.atomic
def values_aggregate(
    *,
    indicator_codes: Sequence[str] | None = None,
    period: int | None = None,
    from_kind: str = TerritoryKind.IRIS,
    to_kinds: Sequence[str] = (TerritoryKind.QPV, TerritoryKind.COMMUNE),
    contract: Any = None,
) -> int:
    """Compute ``to_kinds`` values from their ``from_kind`` pieces through ``TerritoryLink`` shares.

    Counts are summed and rates recomputed as ratio of summed numerators and denominators
    (``computations.aggregate``); ``none`` indicators (medians…) are skipped. A confidential piece makes
    the parent confidential; a parent with a missing piece gets no value. Values imported from a file for
    the same key (same scope: public, or the contract's) are official figures and are never overwritten
    by an estimate; earlier aggregates are replaced. The values go in an ``ImportBatch`` with importer
    ``aggregation`` (private to ``contract`` when given, computed from its values and the public ones).
    Returns the number of values written.
    """
    indicators = Indicator.objects.exclude(aggregation=Aggregation.NONE)
    if indicator_codes is not None:
        indicators = indicators.filter(code__in=list(indicator_codes))
    methods = {indicator.pk: (indicator.aggregation, scale_for_unit(indicator.unit)) for indicator in indicators}
    if not methods:
        return 0
    contract_id = contract.pk if contract is not None else None
    scope = visible_condition(contract_id)
    values = IndicatorValue.objects.filter(scope, territory__kind=from_kind, indicator_id__in=list(methods))
    if period is not None:
        values = values.filter(period=period)
    figures: dict[tuple[int, int], dict[int, Figure]] = defaultdict(dict)
    private_rows: list[tuple[Any, ...]] = []
    for row in values.values_list(
        "territory_id", "indicator_id", "period", "value", "numerator", "denominator", "is_confidential", "contract_id"
    ):
        if row[7] is not None:
            private_rows.append(row)  # applied last: the contract's own value wins over the public one
            continue
        territory_id, indicator_id, year, value, numerator, denominator, confidential, _ = row
        figures[(indicator_id, year)][territory_id] = Figure(value, numerator, denominator, confidential)
    for territory_id, indicator_id, year, value, numerator, denominator, confidential, _ in private_rows:
        figures[(indicator_id, year)][territory_id] = Figure(value, numerator, denominator, confidential)
    if not figures:
        return 0
    batch = import_batch_new(
        importer=AGGREGATION_IMPORTER,
        source_file=f"agrégation {from_kind} → {', '.join(to_kinds)}",
        producer="calcul de la plateforme (estimation par agrégation)",
        vintage=str(period or ""),
        scope=contract,
    )
    batch.save()
    writer = ValueWriter(contract_id=contract_id, batch_id=batch.pk, pipelined=True)
    written = 0
    try:
        for to_kind in to_kinds:
            weights = _weights(from_kind, to_kind)
            if not weights:
                continue
            same_scope = Q(contract__isnull=True) if contract_id is None else Q(contract_id=contract_id)
            kept = IndicatorValue.objects.filter(
                same_scope, territory__kind=to_kind, indicator_id__in=list(methods)
            ).exclude(batch__importer=AGGREGATION_IMPORTER)
            if period is not None:
                kept = kept.filter(period=period)
            official = set(kept.values_list("indicator_id", "period", "territory_id"))
            for (indicator_id, year), pieces in figures.items():
                method, scale = methods[indicator_id]
                for target_id, parts in weights.items():
                    if (indicator_id, year, target_id) in official:
                        continue
                    if not any(piece_id in pieces for piece_id, _ in parts):
                        continue
                    result = aggregate(
                        ((pieces.get(piece_id, MISSING), share) for piece_id, share in parts),
                        method=method,
                        scale=scale,
                    )
                    if result.value is None and not result.is_confidential:
                        continue
                    staged: StagedRow = (
                        written + 1,
                        indicator_id,
                        target_id,
                        year,
                        result.value,
                        result.numerator,
                        result.denominator,
                        result.is_confidential,
                    )
                    writer.add(staged)
                    written += 1
        added, replaced = writer.finish()
    finally:
        writer.close()
    batch.created_count, batch.replaced_count = added, replaced
    batch.save(update_fields=["created_count", "replaced_count"])
    return added + replaced

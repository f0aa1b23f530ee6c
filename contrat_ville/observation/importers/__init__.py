"""Importers of indicator values: long CSV/XLSX and INSEE wide CSV/XLSX (see each module).

``run_import`` reads a file into the staging writer and returns what happened; ``services.values_import``
wraps it in one transaction with its ``ValueBatch``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.observation.importers.base import ImportStats, ValueImportError, list_codes, without_gc
from contrat_ville.observation.importers.context import UNKNOWN_ERROR, UNKNOWN_POLICIES, ImportContext
from contrat_ville.observation.importers.insee import import_insee_csv, import_insee_xlsx
from contrat_ville.observation.importers.long import SHEET_LINE_STRIDE, import_long_csv, import_long_xlsx
from contrat_ville.observation.importers.pipeline import make_writer
from contrat_ville.observation.importers.sources import open_binary, source_name
from contrat_ville.observation.models import Indicator
from contrat_ville.territories.models import Territory

FORMATS: dict[str, str] = {
    "long_csv": "fichier long CSV (indicateur ; territoire ; période ; valeur)",
    "long_xlsx": "fichier long Excel (indicateur ; territoire ; période ; valeur)",
    "insee_csv": "fichier Insee CSV (une ligne par territoire, une colonne par variable)",
    "insee_xlsx": "classeur Insee Excel (en-tête en ligne 6)",
}

__all__ = ["FORMATS", "ImportOutcome", "ValueImportError", "run_import"]


@dataclass
class ImportOutcome:
    added: int
    replaced: int
    stats: ImportStats
    periods: list[int] = field(default_factory=list)


def _duplicate_error(name: str, fmt: str, context: ImportContext) -> Callable[[int, int, int, int, int], Exception]:
    def build(indicator_id: int, territory_id: int, period: int, first: int, second: int) -> Exception:
        indicator = Indicator.objects.filter(pk=indicator_id).values_list("code", flat=True).first()
        territory = Territory.objects.filter(pk=territory_id).values_list("code", flat=True).first()
        sheet = context.sheet_names.get(second // SHEET_LINE_STRIDE)
        line = second % SHEET_LINE_STRIDE
        if first <= 0:  # found across chunks: the first line is no longer at hand
            first_where = "plus haut dans le fichier"
        else:
            first_sheet = context.sheet_names.get(first // SHEET_LINE_STRIDE)
            first_where = f"ligne {first % SHEET_LINE_STRIDE}"
            if first_sheet != sheet:
                first_where = f"feuille « {first_sheet} », {first_where}"
        column = "territoire" if fmt.startswith("long") else "code géographique"
        return ValueImportError(
            name,
            line,
            column,
            f"valeur en double pour l'indicateur « {indicator} », le territoire « {territory} » et l'année {period} "
            f"(déjà donnée {first_where})",
            sheet=sheet,
        )

    return build


def run_import(
    *,
    path_or_file: Any,
    fmt: str,
    contract_id: int | None,
    batch_id: int | None,
    territory_kind: str | None = None,
    mapping: str | None = None,
    territory_vintage: str | None = None,
    period: int | None = None,
    unknown_territories: str = UNKNOWN_ERROR,
    progress: Callable[[int], None] | None = None,
) -> ImportOutcome:
    """Read ``path_or_file`` and write its values; the caller owns the transaction. Raises ValueImportError."""
    if fmt not in FORMATS:
        raise BusinessRuleError(f"Format « {fmt} » inconnu (formats : {', '.join(FORMATS)}).")
    if unknown_territories not in UNKNOWN_POLICIES:
        raise BusinessRuleError(f"Règle « {unknown_territories} » inconnue pour les territoires inconnus.")
    name = source_name(path_or_file)
    writer = make_writer(contract_id=contract_id, batch_id=batch_id)
    context = ImportContext(
        writer=writer,
        territory_kind=territory_kind or None,
        territory_vintage=territory_vintage or None,
        period=period,
        unknown_territories=unknown_territories,
        progress=progress,
    )
    writer.duplicate_error = _duplicate_error(name, fmt, context)
    periods: list[int] = []
    try:
        with open_binary(path_or_file) as stream, without_gc():
            if fmt == "long_csv":
                import_long_csv(context, stream, name)
            elif fmt == "long_xlsx":
                import_long_xlsx(context, stream, name)
            elif fmt == "insee_csv":
                periods = import_insee_csv(context, stream, name, mapping=mapping)
            else:
                periods = import_insee_xlsx(context, stream, name, mapping=mapping)
        stats = context.stats
        if context.strict:
            context.raise_unknown()
        elif stats.unknown_territories:
            codes = list_codes(f"{code} ({kind})" for code, kind in stats.unknown_territories.items())
            stats.warnings.insert(0, f"{stats.rejected} valeur(s) ignorée(s) : territoire(s) inconnu(s) {codes}")
        added, replaced = writer.finish()
    finally:
        writer.close()
    if progress is not None:
        progress(context.stats.read)
    return ImportOutcome(added=added, replaced=replaced, stats=context.stats, periods=sorted(set(periods)))

"""Importers of indicator values: long CSV/XLSX and INSEE wide CSV/XLSX (see each module), on the import kernel.

``run_import`` reads a file into the value writer, filling its ``core.ImportBatch`` (the report);
``services.values_import`` wraps it in one transaction. Faults are collected (``core.imports``), then the whole
file is refused: nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable

from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.imports.errors import ImportFileError, Issues
from contrat_ville.core.imports.readers import open_workbook
from contrat_ville.core.imports.sources import Source
from contrat_ville.core.models import ImportBatch
from contrat_ville.observation.importers.base import without_gc
from contrat_ville.observation.importers.context import UNKNOWN_ERROR, UNKNOWN_POLICIES, ImportContext
from contrat_ville.observation.importers.insee import import_insee_csv, import_insee_xlsx
from contrat_ville.observation.importers.long import SHEET_LINE_STRIDE, import_long_csv, import_long_xlsx
from contrat_ville.observation.importers.writer import ValueWriter
from contrat_ville.observation.models import Indicator
from contrat_ville.territories.models import Territory

FORMATS: dict[str, str] = {
    "long_csv": "fichier long CSV (indicateur ; territoire ; période ; valeur)",
    "long_xlsx": "fichier long Excel (indicateur ; territoire ; période ; valeur)",
    "insee_csv": "fichier Insee CSV (une ligne par territoire, une colonne par variable)",
    "insee_xlsx": "classeur Insee Excel (en-tête en ligne 6)",
}

# Values computed by the platform (``services.values_aggregate``) carry a batch of this importer.
AGGREGATION_IMPORTER = "aggregation"
# Every importer of indicator values, for the lists of previous imports.
VALUE_IMPORTERS = (*FORMATS, AGGREGATION_IMPORTER)

__all__ = ["AGGREGATION_IMPORTER", "FORMATS", "VALUE_IMPORTERS", "ImportFileError", "run_import"]


def _duplicate_error(
    issues: Issues, fmt: str, context: ImportContext
) -> Callable[[int, int, int, int, int], Exception]:
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
        return issues.error(
            f"valeur en double pour l'indicateur « {indicator} », le territoire « {territory} » et l'année {period} "
            f"(déjà donnée {first_where})",
            line=line,
            column=column,
            sheet=sheet,
        )

    return build


def run_import(
    *,
    source: Source,
    fmt: str,
    batch: ImportBatch,
    contract_id: int | None,
    territory_kind: str | None = None,
    mapping: str | None = None,
    territory_vintage: str | None = None,
    period: int | None = None,
    unknown_territories: str = UNKNOWN_ERROR,
    progress: Callable[[int], None] | None = None,
) -> list[int]:
    """Read ``source`` and write its values under ``batch`` (saved); the caller owns the transaction.

    Fills the batch's counts and report; returns the periods read from the columns (INSEE files). Raises
    ``ImportFileError`` with every fault found (at most ``limits.MAX_ERRORS``).
    """
    if fmt not in FORMATS:
        raise BusinessRuleError(f"Format « {fmt} » inconnu (formats : {', '.join(FORMATS)}).")
    if unknown_territories not in UNKNOWN_POLICIES:
        raise BusinessRuleError(f"Règle « {unknown_territories} » inconnue pour les territoires inconnus.")
    issues = Issues(source.name)
    writer = ValueWriter(contract_id=contract_id, batch_id=batch.pk, pipelined=True)
    context = ImportContext(
        issues=issues,
        batch=batch,
        writer=writer,
        territory_kind=territory_kind or None,
        territory_vintage=territory_vintage or None,
        period=period,
        unknown_territories=unknown_territories,
        progress=progress,
    )
    writer.duplicate_error = _duplicate_error(issues, fmt, context)
    periods: list[int] = []
    try:
        with without_gc():
            if fmt == "long_csv":
                import_long_csv(context, source)
            elif fmt == "insee_csv":
                periods = import_insee_csv(context, source, mapping=mapping)
            else:
                with open_workbook(source) as workbook:
                    visible = [
                        sheet.title
                        for sheet in workbook.worksheets
                        if getattr(sheet, "sheet_state", "visible") == "visible"
                    ]
                    for sheet in workbook.worksheets:
                        if sheet.title not in visible:
                            batch.leave_sheet(sheet.title)
                    if fmt == "long_xlsx":
                        import_long_xlsx(context, workbook, visible)
                    else:
                        periods = import_insee_xlsx(context, workbook, visible, mapping=mapping)
        issues.refuse_if_any()
        batch.created_count, batch.replaced_count = writer.finish()
    finally:
        writer.close()
    if progress is not None:
        progress(context.read)
    return sorted(set(periods))

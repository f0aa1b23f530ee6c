"""The long format: one value per line — ``indicateur;territoire;periode;valeur[;numerateur;denominateur]``.

Separators ``;`` or ``,`` (or tab), UTF-8 with or without BOM, decimal comma or point; an optional
``type_territoire`` column names each line's territory kind, otherwise the import's kind applies. Secret
markers (``s``, ``ns``, ``nd``, ``c``) make a value confidential (stored without figures); an empty value is
stored as « not available », or computed from numerator and denominator when both are given.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from contrat_ville.core.imports.cells import not_a_number
from contrat_ville.core.imports.errors import column_label
from contrat_ville.core.imports.readers import read_delimited, read_sheet
from contrat_ville.core.imports.sources import Source
from contrat_ville.observation.computations import scale_for_unit
from contrat_ville.observation.importers.base import (
    CONFIDENTIAL_MARKERS,
    PERIOD_RANGE_HINT,
    Cell,
    cell_text,
    parse_number,
    parse_period,
    plain,
    territory_kind_of,
)
from contrat_ville.observation.importers.context import PROGRESS_EVERY, ImportContext
from contrat_ville.territories.enums import TerritoryKind

COLUMN_ALIASES = {
    "indicateur": "indicateur",
    "code_indicateur": "indicateur",
    "indicator": "indicateur",
    "territoire": "territoire",
    "code_territoire": "territoire",
    "code_geo": "territoire",
    "codgeo": "territoire",
    "territory": "territoire",
    "periode": "periode",
    "annee": "periode",
    "period": "periode",
    "year": "periode",
    "valeur": "valeur",
    "value": "valeur",
    "numerateur": "numerateur",
    "numerator": "numerateur",
    "denominateur": "denominateur",
    "denominator": "denominateur",
    "type_territoire": "type_territoire",
    "nature_territoire": "type_territoire",
    "territory_kind": "type_territoire",
}
REQUIRED = ("indicateur", "territoire", "periode", "valeur")


def _columns(context: ImportContext, header: Sequence[str], sheet: str | None, line: int) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        key = COLUMN_ALIASES.get(plain(name).replace(" ", "_"))
        if key and key not in positions:
            positions[key] = index
    missing = [name for name in REQUIRED if name not in positions]
    for name in missing:
        context.issues.add(
            f"colonne « {name} » absente de l'en-tête (colonnes attendues : "
            f"{', '.join(REQUIRED)}[, numerateur, denominateur, type_territoire])",
            line=line,
            column=name,
            sheet=sheet,
        )
    context.issues.refuse_if_any()
    read = set(positions.values())
    context.batch.leave_columns((name for index, name in enumerate(header) if index not in read), sheet=sheet or "")
    return positions


SECRET = object()  # a cell holding a secret marker
INVALID = object()  # a cell that is not a number (reported as a fault)


def number_or_secret(text: str) -> float | object | None:
    """A cell's number, ``None`` when empty, ``SECRET`` for a secret marker; ``ValueError`` otherwise.

    The fast path is ``float()`` itself; French decimals and thousands separators go through
    ``parse_number``. NaN and infinities are refused.
    """
    try:
        number = float(text)
    except ValueError:
        try:
            number = float(text.replace(",", ".", 1))  # « 27,4 »
        except ValueError:
            stripped = text.strip()
            if not stripped:
                return None
            if stripped.casefold() in CONFIDENTIAL_MARKERS:
                return SECRET
            number = parse_number(stripped)
    if number - number != 0:
        raise ValueError(text)
    return number


def _text_rows(rows: Iterator[tuple[int, Sequence[Cell]]]) -> Iterator[tuple[int, list[str]]]:
    """Spreadsheet cells as text (numbers round-trip exactly through ``repr``), so one loop reads both."""
    for line, cells in rows:
        yield line, [cell_text(cell) for cell in cells]


def import_rows(
    context: ImportContext,
    sheet: str | None,
    header: Sequence[str],
    rows: Iterator[tuple[int, Sequence[str]]],
    *,
    header_line: int = 1,
    letters: bool = False,
) -> None:
    """Stage every line of a long table (CSV, or a sheet through ``_text_rows``); faults go to the issues.

    The loop is the import's hot path (25 million lines for a national load): lookups are cached per
    distinct text (indicator, kind, period) and numbers go through ``float()`` first.
    """
    columns = _columns(context, header, sheet, header_line)
    i_indicator, i_territory, i_period, i_value = (columns[name] for name in REQUIRED)
    i_numerator = columns.get("numerateur")
    i_denominator = columns.get("denominateur")
    i_kind = columns.get("type_territoire")
    width = len(header)
    labels = [column_label(name, index if letters else None) for index, name in enumerate(header)]
    default_kind = context.territory_kind
    issues = context.issues
    if i_kind is None and default_kind is None:
        issues.fatal(
            "nature des territoires inconnue : ajoutez une colonne « type_territoire » ou précisez la nature "
            "(iris, qpv, commune, epci…)",
            line=header_line,
            column="type_territoire",
            sheet=sheet,
        )
    indicators = context.indicators
    indicator_cache: dict[str, tuple[int, float]] = {}
    kind_cache: dict[str, str] = {}
    period_cache: dict[str, int] = {}
    code_maps: dict[str, dict[str, int]] = {}
    default_codes = context.codes.of_kind(default_kind) if default_kind else {}
    offset = context.line_offset
    add = context.writer.add
    progress = context.progress
    every = PROGRESS_EVERY
    staged = 0  # a local counter: the loop runs 25 million times
    next_progress = every

    def fault(detail: str, line: int, index: int) -> None:
        issues.add(detail, line=line, column=labels[index], sheet=sheet)

    def number(cells: Sequence[str], index: int, line: int) -> float | object | None:
        try:
            return number_or_secret(cells[index])
        except ValueError:
            fault(not_a_number(cells[index]), line, index)
            return INVALID

    for line, cells in rows:
        if len(cells) < width:
            cells = [*cells, *([""] * (width - len(cells)))]
        indicator_text = cells[i_indicator]
        indicator = indicator_cache.get(indicator_text)
        if indicator is None:
            code = indicator_text.strip()
            if not code and not any(cell.strip() for cell in cells):
                continue
            found_indicator = indicators.get(code) or indicators.get(code.upper())
            if found_indicator is None:
                fault(
                    f"indicateur « {code} » absent du catalogue (chargez le catalogue ou vérifiez le code)",
                    line,
                    i_indicator,
                )
                continue
            indicator = indicator_cache[indicator_text] = (found_indicator.pk, scale_for_unit(found_indicator.unit))
        if i_kind is not None and cells[i_kind].strip():
            kind_text = cells[i_kind]
            kind = kind_cache.get(kind_text)
            if kind is None:
                found_kind = territory_kind_of(kind_text)
                if found_kind is None:
                    fault(
                        f"nature de territoire « {kind_text.strip()} » inconnue "
                        f"(attendu : {', '.join(kind.value for kind in TerritoryKind)})",
                        line,
                        i_kind,
                    )
                    continue
                kind = kind_cache[kind_text] = found_kind
            code_map = code_maps.get(kind)
            if code_map is None:
                code_map = code_maps[kind] = context.codes.of_kind(kind)
        elif default_kind is not None:
            kind, code_map = default_kind, default_codes
        else:
            fault("nature de territoire absente", line, i_kind or 0)
            continue
        territory_code = cells[i_territory]
        territory_id = code_map.get(territory_code)
        if territory_id is None:
            territory_code = territory_code.strip()
            territory_id = code_map.get(territory_code)
        if territory_id is None:
            if not territory_code:
                fault("code de territoire vide", line, i_territory)
            else:
                context.unknown(territory_code, kind, values=1, line=line, column=labels[i_territory], sheet=sheet)
            continue
        period_text = cells[i_period]
        period = period_cache.get(period_text)
        if period is None:
            try:
                period = period_cache[period_text] = parse_period(period_text)
            except ValueError:
                fault(f"année invalide « {period_text.strip()} » (attendu : {PERIOD_RANGE_HINT})", line, i_period)
                continue
        value = number(cells, i_value, line)
        numerator = number(cells, i_numerator, line) if i_numerator is not None else None
        denominator = number(cells, i_denominator, line) if i_denominator is not None else None
        if value is INVALID or numerator is INVALID or denominator is INVALID:
            continue
        if value is SECRET or numerator is SECRET or denominator is SECRET:
            add((offset + line, indicator[0], territory_id, period, None, None, None, True))
        else:
            if value is None and numerator is not None and denominator:
                value = indicator[1] * numerator / denominator  # type: ignore[operator]
            add((offset + line, indicator[0], territory_id, period, value, numerator, denominator, False))  # type: ignore[arg-type]
        staged += 1
        if staged >= next_progress:
            next_progress += every
            if progress is not None:
                progress(context.read + staged)
    context.read += staged


def import_long_csv(context: ImportContext, source: Source) -> None:
    with read_delimited(source, context.issues) as table:
        import_rows(context, None, table.header, table.rows)
        table.refuse_if_empty(context.issues)


def import_long_xlsx(context: ImportContext, workbook: Any, visible: list[str]) -> None:
    """Every visible sheet whose header (within its first rows) names the indicator column."""
    wanted = {alias.upper() for alias, key in COLUMN_ALIASES.items() if key == "indicateur"}
    found = False
    before = context.read + context.batch.rejected_count
    for index, name in enumerate(visible):
        table = read_sheet(workbook, name, find=wanted)
        if table is None:
            context.batch.leave_sheet(name)
            continue
        found = True
        context.sheet_names[index] = name
        context.line_offset = index * SHEET_LINE_STRIDE
        import_rows(context, name, table.header, _text_rows(table.rows), header_line=table.header_row, letters=True)
    context.line_offset = 0
    if not found:
        context.issues.fatal(
            "aucune feuille ne contient l'en-tête « indicateur ; territoire ; periode ; valeur »", column="indicateur"
        )
    context.issues.refuse_if_any()
    if context.read + context.batch.rejected_count == before:
        context.issues.fatal("le classeur ne contient aucune ligne de données après l'en-tête : rien n'a été importé")


SHEET_LINE_STRIDE = 10_000_000

"""INSEE wide files: one territory per line, one variable per column, read through a declared mapping.

CSV (``;``-separated, decimal comma or point, ``s``/``ns``/``nd`` markers; data-formats.md §2.4) and XLSX
workbooks (title block, French labels on row 5, variable codes on row 6, data from row 7; §3, §11). The
first column names the territory (``IRIS``, ``CODGEO``, ``CODEGEO``, ``QP``…); the variables become indicator
values through ``mappings.MAPPINGS`` and the vintage is read from the column names (``P21_POP`` → 2021).

An empty cell in these files means « secret or not available », never zero (§11): its value is stored as
confidential, like the explicit markers.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from typing import Any, cast

from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.imports.cells import not_a_number
from contrat_ville.core.imports.errors import column_label
from contrat_ville.core.imports.readers import read_delimited, read_sheet
from contrat_ville.core.imports.sources import Source
from contrat_ville.observation.importers.base import (
    IRIS_CODE_RE,
    SIREN_RE,
    Cell,
    cell_text,
    guess_kind,
    is_marker,
    list_codes,
    parse_number,
)
from contrat_ville.observation.importers.context import ImportContext
from contrat_ville.observation.importers.long import SHEET_LINE_STRIDE
from contrat_ville.observation.importers.mappings import MAPPINGS, BoundRule, Mapping, best_mapping, bind
from contrat_ville.territories.enums import TerritoryKind

CODE_COLUMNS = ("CODGEO", "IRIS", "CODEGEO", "CODE_IRIS", "QP", "CODE_QP", "CODE_QPV", "CODGEO_QP", "COM", "EPCI")
KIND_OF_CODE_COLUMN = {
    "IRIS": TerritoryKind.IRIS,
    "CODE_IRIS": TerritoryKind.IRIS,
    "QP": TerritoryKind.QPV,
    "CODE_QP": TerritoryKind.QPV,
    "CODE_QPV": TerritoryKind.QPV,
    "CODGEO_QP": TerritoryKind.QPV,
    "COM": TerritoryKind.COMMUNE,
    "EPCI": TerritoryKind.EPCI,
}


def mapping_named(name: str | None) -> Mapping | None:
    if name is None:
        return None
    mapping = MAPPINGS.get(name)
    if mapping is None:
        raise BusinessRuleError(
            f"Table de correspondance « {name} » inconnue (disponibles : {', '.join(sorted(MAPPINGS))})."
        )
    return mapping


INVALID = object()  # a cell that is not a number (reported as a fault)
Figures = tuple[float | None, float | None, float | None, bool]  # value, numerator, denominator, confidential


class WideReader:
    """Bind a header to a mapping once, then stage each line's values.

    With ``required`` (a CSV), a header without a code column or without mapped columns refuses the file; without
    it (a workbook's sheet), the sheet is not ``usable`` and the caller lists it as not read.
    """

    def __init__(
        self,
        context: ImportContext,
        sheet: str | None,
        header: Sequence[str],
        *,
        mapping: Mapping | None,
        header_line: int,
        required: bool = True,
    ) -> None:
        self.context = context
        self.sheet = sheet
        self.header = list(header)
        self.labels = [column_label(name, index if sheet else None) for index, name in enumerate(self.header)]
        issues = context.issues
        this_year = datetime.datetime.now(tz=datetime.UTC).year
        upper = [name.strip().upper() for name in header]
        self.code_index = next((upper.index(name) for name in CODE_COLUMNS if name in upper), None)
        self.rules: list[BoundRule] = []
        self.periods: list[int] = []
        if self.code_index is None:
            if required:
                issues.fatal(
                    f"colonne du code géographique absente (attendu : {', '.join(CODE_COLUMNS[:5])}…)",
                    line=header_line,
                    column=header[0] if header else "A",
                    sheet=sheet,
                )
            return
        if mapping is None:
            best = best_mapping(self.header, this_year=this_year)
            if best is None:
                if required:
                    issues.fatal(
                        "aucune colonne ne correspond à une table de correspondance connue "
                        f"({', '.join(sorted(MAPPINGS))})",
                        line=header_line,
                        sheet=sheet,
                    )
                return
            mapping, self.rules = best
        else:
            self.rules = bind(mapping, self.header, this_year=this_year)
            if not self.rules:
                if required:
                    expected = sorted({column for rule in mapping.rules for column in rule.columns})
                    issues.fatal(
                        f"aucune colonne ne correspond à la table « {mapping.name} » "
                        f"(colonnes attendues, {{yy}} = millésime sur 2 chiffres : {', '.join(expected[:12])}…)",
                        line=header_line,
                        sheet=sheet,
                    )
                return
        self.mapping = mapping
        code_column = upper[self.code_index]
        self.code_column = self.labels[self.code_index]
        self.kind = context.territory_kind or KIND_OF_CODE_COLUMN.get(code_column)
        missing_indicators: list[str] = []
        self.targets: list[tuple[BoundRule, int, int]] = []  # rule, indicator id, period
        for rule in self.rules:
            period = rule.period if rule.period is not None else context.period
            if period is None:
                issues.fatal(
                    "millésime absent du nom de la colonne : précisez le millésime des données (option --vintage)",
                    line=header_line,
                    column=rule.columns[0],
                    sheet=sheet,
                )
            indicator = context.indicators.get(rule.rule.indicator)
            if indicator is None:
                missing_indicators.append(rule.rule.indicator)
                continue
            self.targets.append((rule, indicator.pk, period))
            self.periods.append(period)
        if missing_indicators:
            issues.fatal(
                f"indicateur(s) {list_codes(sorted(set(missing_indicators)))} absent(s) du catalogue : "
                "chargez-le (commande load_indicator_catalogue)",
                line=header_line,
                column=self.rules[0].columns[0],
                sheet=sheet,
            )
        read = {self.code_index} | {
            index
            for bound in self.rules
            for index in (
                ([bound.value_index] if bound.value_index is not None else [])
                + [index for index, _ in bound.numerator]
                + [index for index, _ in bound.denominator]
            )
        }
        context.batch.leave_columns(
            (name for index, name in enumerate(self.header) if index not in read), sheet=sheet or ""
        )

    @property
    def usable(self) -> bool:
        return bool(self.rules)

    def _kind_of(self, code: str) -> str | None:
        if len(code) == 4 and code.isdigit():
            return TerritoryKind.COMMUNE  # a spreadsheet dropped the leading zero (01001 → 1001)
        kind = guess_kind(code)
        if kind is None:
            if SIREN_RE.match(code):
                kind = TerritoryKind.EPCI if code[0] == "2" else None
            if kind is None and IRIS_CODE_RE.match(code):
                kind = TerritoryKind.IRIS
        return kind

    def read(self, rows: Iterator[tuple[int, Sequence[Cell]]]) -> int:
        """Stage the lines' values; return how many lines were read."""
        context = self.context
        issues = context.issues
        sheet = self.sheet
        width = len(self.header)
        code_index = self.code_index
        assert code_index is not None
        offset = context.line_offset
        fixed_kind = self.kind
        code_maps: dict[str, dict[str, int]] = {}
        targets = self.targets
        per_line = len(targets)
        stage = context.stage
        lines = 0
        for line, cells in rows:
            if len(cells) < width:
                cells = [*cells, *([None] * (width - len(cells)))]
            code = cell_text(cells[code_index])
            if not code:
                if not any(cell_text(cell) for cell in cells):
                    continue
                issues.add("code géographique vide", line=line, column=self.code_column, sheet=sheet)
                continue
            lines += 1
            kind = fixed_kind or self._kind_of(code)
            if kind is None:
                issues.add(
                    f"nature du territoire « {code} » indéterminée : précisez-la (iris, qpv, commune, epci…)",
                    line=line,
                    column=self.code_column,
                    sheet=sheet,
                )
                continue
            if kind == TerritoryKind.COMMUNE and len(code) == 4 and code.isdigit():
                code = "0" + code  # a spreadsheet dropped the leading zero
            elif kind == TerritoryKind.IRIS and len(code) == 8 and code.isdigit():
                code = "0" + code
            code_map = code_maps.get(kind)
            if code_map is None:
                code_map = code_maps[kind] = context.codes.of_kind(kind)
            territory_id = code_map.get(code)
            if territory_id is None:
                context.unknown(code, kind, values=per_line, line=line, column=self.code_column, sheet=sheet)
                continue
            computed = [self._compute(bound, cells, line) for bound, _, _ in targets]
            if any(result is INVALID for result in computed):
                continue
            for (_, indicator_id, period), result in zip(targets, computed, strict=True):
                value, numerator, denominator, confidential = cast(Figures, result)
                stage((offset + line, indicator_id, territory_id, period, value, numerator, denominator, confidential))
        return lines

    def _cell(self, cells: Sequence[Cell], index: int, line: int) -> float | object | None:
        """A number, None for a secret or empty cell, INVALID (and a fault) for anything else."""
        cell = cells[index]
        if cell is None:
            return None
        if isinstance(cell, int | float) and not isinstance(cell, bool):
            return float(cell)
        text = str(cell).strip()
        if not text or is_marker(text):
            return None
        try:
            return parse_number(text)
        except ValueError:
            self.context.issues.add(not_a_number(text), line=line, column=self.labels[index], sheet=self.sheet)
            return INVALID

    def _compute(
        self, bound: BoundRule, cells: Sequence[Cell], line: int
    ) -> tuple[float | None, float | None, float | None, bool] | object:
        if bound.value_index is not None:
            number = self._cell(cells, bound.value_index, line)
            if number is INVALID:
                return INVALID
            return (None, None, None, True) if number is None else (number, None, None, False)
        numbers: list[list[float | object | None]] = [
            [self._cell(cells, index, line) for index, _ in bound.numerator],
            [self._cell(cells, index, line) for index, _ in bound.denominator],
        ]
        if any(number is INVALID for part in numbers for number in part):
            return INVALID
        if any(number is None for part in numbers for number in part):
            return None, None, None, True
        numerator = sum(sign * number for (_, sign), number in zip(bound.numerator, numbers[0], strict=True))  # type: ignore[operator, misc]
        denominator = sum(sign * number for (_, sign), number in zip(bound.denominator, numbers[1], strict=True))  # type: ignore[operator, misc]
        if denominator == 0:
            return None, float(numerator), float(denominator), False
        return bound.rule.scale * numerator / denominator, float(numerator), float(denominator), False


def import_insee_csv(context: ImportContext, source: Source, *, mapping: str | None) -> list[int]:
    with read_delimited(source, context.issues) as table:
        reader = WideReader(context, None, table.header, mapping=mapping_named(mapping), header_line=1)
        reader.read(table.rows)
        table.refuse_if_empty(context.issues)
    return reader.periods


def import_insee_xlsx(context: ImportContext, workbook: Any, visible: list[str], *, mapping: str | None) -> list[int]:
    """Every sheet whose header (row 6 in INSEE's layout) has a code column and mapped variables; the other sheets
    (``Sommaire``, ``Variables``, breakdowns no mapping reads) are listed in the report as not read."""
    periods: list[int] = []
    used = 0
    lines = 0
    chosen = mapping_named(mapping)
    for index, name in enumerate(visible):
        table = read_sheet(workbook, name, find=set(CODE_COLUMNS))
        if table is None:
            context.batch.leave_sheet(name)
            continue
        context.line_offset = index * SHEET_LINE_STRIDE
        reader = WideReader(context, name, table.header, mapping=chosen, header_line=table.header_row, required=False)
        if not reader.usable:
            context.batch.leave_sheet(name)
            continue
        used += 1
        context.sheet_names[index] = name
        lines += reader.read(table.rows)
        periods.extend(reader.periods)
    context.line_offset = 0
    if not used:
        context.issues.fatal(
            "aucune feuille n'a d'en-tête reconnu (code géographique CODGEO, IRIS ou QP, et variables d'une "
            f"table de correspondance connue : {', '.join(sorted(MAPPINGS))})",
            line=6,
            column="CODGEO",
        )
    context.issues.refuse_if_any()
    if not lines:
        context.issues.fatal("le classeur ne contient aucune ligne de données après l'en-tête : rien n'a été importé")
    return periods

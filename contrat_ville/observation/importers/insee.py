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
from typing import Any

from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.observation.importers.base import (
    IRIS_CODE_RE,
    SIREN_RE,
    Cell,
    Location,
    ValueImportError,
    cell_text,
    guess_kind,
    is_marker,
    list_codes,
    parse_number,
)
from contrat_ville.observation.importers.context import ImportContext
from contrat_ville.observation.importers.long import SHEET_LINE_STRIDE
from contrat_ville.observation.importers.mappings import MAPPINGS, BoundRule, Mapping, best_mapping, bind
from contrat_ville.observation.importers.sources import find_header, open_workbook, read_delimited, sheets
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


class WideReader:
    """Bind a header to a mapping once, then stage each line's values."""

    def __init__(
        self,
        context: ImportContext,
        location: Location,
        header: Sequence[str],
        *,
        mapping: Mapping | None,
        header_line: int,
        required: bool = True,
    ) -> None:
        self.context = context
        self.location = location
        self.header = list(header)
        this_year = datetime.datetime.now(tz=datetime.UTC).year
        upper = [name.strip().upper() for name in header]
        self.code_index = next((upper.index(name) for name in CODE_COLUMNS if name in upper), None)
        self.rules: list[BoundRule] = []
        if self.code_index is None:
            if required:
                raise location.error(
                    header_line,
                    header[0] if header else "A",
                    f"colonne du code géographique absente (attendu : {', '.join(CODE_COLUMNS[:5])}…)",
                )
            return
        if mapping is None:
            best = best_mapping(self.header, this_year=this_year)
            if best is None:
                if required:
                    raise location.error(
                        header_line,
                        "-",
                        "aucune colonne ne correspond à une table de correspondance connue "
                        f"({', '.join(sorted(MAPPINGS))})",
                    )
                return
            mapping, self.rules = best
        else:
            self.rules = bind(mapping, self.header, this_year=this_year)
            if not self.rules:
                if required:
                    expected = sorted({column for rule in mapping.rules for column in rule.columns})
                    raise location.error(
                        header_line,
                        "-",
                        f"aucune colonne ne correspond à la table « {mapping.name} » "
                        f"(colonnes attendues, {{yy}} = millésime sur 2 chiffres : {', '.join(expected[:12])}…)",
                    )
                return
        self.mapping = mapping
        code_column = upper[self.code_index]
        self.code_column = self.header[self.code_index]
        self.kind = context.territory_kind or KIND_OF_CODE_COLUMN.get(code_column)
        self.periods: list[int] = []
        missing_indicators: list[str] = []
        self.targets: list[tuple[BoundRule, int, int]] = []  # rule, indicator id, period
        for rule in self.rules:
            period = rule.period if rule.period is not None else context.period
            if period is None:
                raise location.error(
                    header_line,
                    rule.columns[0],
                    "millésime absent du nom de la colonne : précisez le millésime des données (option --vintage)",
                )
            indicator = context.indicators.get(rule.rule.indicator)
            if indicator is None:
                missing_indicators.append(rule.rule.indicator)
                continue
            self.targets.append((rule, indicator.pk, period))
            self.periods.append(period)
        if missing_indicators:
            raise location.error(
                header_line,
                self.rules[0].columns[0],
                f"indicateur(s) {list_codes(sorted(set(missing_indicators)))} absent(s) du catalogue : "
                "chargez-le (commande load_indicator_catalogue)",
            )

    @property
    def usable(self) -> bool:
        return bool(self.rules)

    def _kind_of(self, code: str, line: int) -> str:
        if len(code) == 4 and code.isdigit():
            return TerritoryKind.COMMUNE  # a spreadsheet dropped the leading zero (01001 → 1001)
        kind = guess_kind(code)
        if kind is None:
            if SIREN_RE.match(code):
                kind = TerritoryKind.EPCI if code[0] == "2" else None
            if kind is None and IRIS_CODE_RE.match(code):
                kind = TerritoryKind.IRIS
        if kind is None:
            raise self.location.error(
                line,
                self.code_column,
                f"nature du territoire « {code} » indéterminée : précisez-la (iris, qpv, commune, epci…)",
            )
        return kind

    def read(self, rows: Iterator[tuple[int, Sequence[Cell]]]) -> None:
        context = self.context
        location = self.location
        header = self.header
        width = len(header)
        code_index = self.code_index
        assert code_index is not None
        stats = context.stats
        strict = context.strict
        offset = context.line_offset
        fixed_kind = self.kind
        code_maps: dict[str, dict[str, int]] = {}
        targets = self.targets
        per_line = len(targets)
        stage = context.stage
        for line, cells in rows:
            if len(cells) < width:
                if not any(cell_text(cell) for cell in cells):
                    continue
                if location.sheet is None:
                    raise location.error(
                        line,
                        header[len(cells)],
                        f"{len(cells)} champs au lieu de {width} (ligne incomplète ou fichier tronqué)",
                    )
                cells = [*cells, *([None] * (width - len(cells)))]
            code = cell_text(cells[code_index])
            if not code:
                if not any(cell_text(cell) for cell in cells):
                    continue
                raise location.error(line, self.code_column, "code géographique vide")
            kind = fixed_kind or self._kind_of(code, line)
            if kind == TerritoryKind.COMMUNE and len(code) == 4 and code.isdigit():
                code = "0" + code  # a spreadsheet dropped the leading zero
            elif kind == TerritoryKind.IRIS and len(code) == 8 and code.isdigit():
                code = "0" + code
            code_map = code_maps.get(kind)
            if code_map is None:
                code_map = code_maps[kind] = context.codes.of_kind(kind)
            territory_id = code_map.get(code)
            if territory_id is None:
                enough = stats.unknown(code, kind, location, line, self.code_column)
                if strict and enough:
                    context.raise_unknown()
                context.reject(per_line)
                continue
            for bound, indicator_id, period in targets:
                value, numerator, denominator, confidential = self._compute(bound, cells, line)
                stage((offset + line, indicator_id, territory_id, period, value, numerator, denominator, confidential))

    def _cell(self, cells: Sequence[Cell], index: int, line: int) -> float | None:
        """A number, or None for a secret/empty cell."""
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
            raise self.location.error(line, self.header[index], f"nombre invalide « {text} »") from None

    def _compute(
        self, bound: BoundRule, cells: Sequence[Cell], line: int
    ) -> tuple[float | None, float | None, float | None, bool]:
        if bound.value_index is not None:
            number = self._cell(cells, bound.value_index, line)
            return (None, None, None, True) if number is None else (number, None, None, False)
        numerator = 0.0
        for index, sign in bound.numerator:
            number = self._cell(cells, index, line)
            if number is None:
                return None, None, None, True
            numerator += sign * number
        denominator = 0.0
        for index, sign in bound.denominator:
            number = self._cell(cells, index, line)
            if number is None:
                return None, None, None, True
            denominator += sign * number
        if denominator == 0:
            return None, numerator, denominator, False
        return bound.rule.scale * numerator / denominator, numerator, denominator, False


def import_insee_csv(context: ImportContext, stream: Any, name: str, *, mapping: str | None) -> list[int]:
    table = read_delimited(stream, name)
    reader = WideReader(context, table.location, table.header, mapping=mapping_named(mapping), header_line=1)
    reader.read(iter(table.rows))
    return reader.periods


def import_insee_xlsx(context: ImportContext, stream: Any, name: str, *, mapping: str | None) -> list[int]:
    """Every sheet whose header (row 6 in INSEE's layout) has a code column and mapped variables."""
    workbook = open_workbook(stream, name)
    periods: list[int] = []
    try:
        wanted = set(CODE_COLUMNS)
        used = 0
        for index, sheet in enumerate(sheets(workbook, name)):
            located = find_header(sheet, wanted)
            if located is None:
                continue
            header_line, header, rows = located
            context.line_offset = index * SHEET_LINE_STRIDE
            reader = WideReader(
                context,
                sheet.location,
                header,
                mapping=mapping_named(mapping),
                header_line=header_line,
                required=False,
            )
            if not reader.usable:
                continue
            used += 1
            context.sheet_names[index] = sheet.location.sheet or ""
            reader.read(rows)
            periods.extend(reader.periods)
        if not used:
            raise ValueImportError(
                name,
                6,
                "CODGEO",
                "aucune feuille n'a d'en-tête reconnu (code géographique CODGEO, IRIS ou QP, et variables d'une "
                f"table de correspondance connue : {', '.join(sorted(MAPPINGS))})",
            )
    finally:
        context.line_offset = 0
        workbook.close()
    return periods

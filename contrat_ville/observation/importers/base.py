"""What the value importers share: the French error naming file/line/column, cells, numbers, territory codes.

An import is one transaction: a faulty file raises ``ValueImportError`` (a ``BusinessRuleError``) and leaves
the database as it was, so that the operator fixes the file and runs the import again.
"""

from __future__ import annotations

import datetime
import gc
import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.observation.models import Indicator
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import Territory

NOTHING_IMPORTED = "Aucune valeur n'a été importée."

# Statistical secrecy markers of INSEE files (domain.md §7.3) and of partners' spreadsheets.
CONFIDENTIAL_MARKERS = frozenset({"s", "ns", "nd", "c", "nc", "secret", "so"})

PERIOD_MIN = 1950
MAX_LISTED = 10
MAX_WARNINGS = 200

Cell = str | float | int | None


class ValueImportError(BusinessRuleError):
    """A value file is malformed: the message names the file, the line (or sheet and row) and the column.

    Raised before anything is committed, hence the fixed ending « Aucune valeur n'a été importée. ».
    """

    def __init__(self, file: str, line: int | str, column: str, detail: str, *, sheet: str | None = None) -> None:
        self.file = file
        self.line = line
        self.column = column
        self.detail = detail
        self.sheet = sheet
        where = f"feuille « {sheet} », ligne {line}" if sheet else f"ligne {line}"
        super().__init__(f"{file}, {where}, colonne {column} : {detail}. {NOTHING_IMPORTED}")


@dataclass(frozen=True)
class Location:
    """Where a row comes from: the file, the sheet of a workbook (or None), the line."""

    file: str
    sheet: str | None = None

    def error(self, line: int | str, column: str, detail: str) -> ValueImportError:
        return ValueImportError(self.file, line, column, detail, sheet=self.sheet)

    def where(self, line: int | str) -> str:
        return f"feuille « {self.sheet} », ligne {line}" if self.sheet else f"ligne {line}"


@contextmanager
def without_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building millions of acyclic tuples: collections would
    otherwise scan every live object again and again (up to a third of the run time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def period_max() -> int:
    return datetime.datetime.now(tz=datetime.UTC).year + 1


def plain(text: str) -> str:
    """Lower case, no accents, no surrounding spaces: « Période » → « periode »."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lstrip("\ufeff"))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


_SPACES = re.compile(r"[\s\u00a0\u202f]")


def cell_text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def is_marker(text: str) -> bool:
    return text.casefold() in CONFIDENTIAL_MARKERS


def parse_number(cell: Cell) -> float:
    """A number written the French or the English way: « 1 234,5 », « 1234.5 », « -3 »; ``ValueError`` else."""
    if isinstance(cell, bool):
        raise ValueError(str(cell))
    if isinstance(cell, int | float):
        number = float(cell)
    else:
        try:
            number = float(cell)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            text = _SPACES.sub("", str(cell))
            if text.count(",") == 1 and "." not in text:
                text = text.replace(",", ".")
            elif text.count(",") >= 1 and text.count(".") == 1 and text.rfind(",") < text.rfind("."):
                text = text.replace(",", "")  # 1,234.5
            number = float(text)
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(str(cell))
    return number


def parse_period(cell: Cell) -> int:
    """A year (« 2021 », 2021.0); ``ValueError`` when not a whole number or out of range."""
    text = cell_text(cell) if not isinstance(cell, str) else cell.strip()
    if not text.isdigit():
        number = parse_number(text)
        if not number.is_integer():
            raise ValueError(text)
        text = str(int(number))
    period = int(text)
    if not PERIOD_MIN <= period <= period_max():
        raise ValueError(text)
    return period


PERIOD_RANGE_HINT = f"une année entre {PERIOD_MIN} et l'an prochain"

KIND_ALIASES: dict[str, str] = {
    **{plain(kind.value): kind.value for kind in TerritoryKind},
    **{plain(str(kind.label)): kind.value for kind in TerritoryKind},
    "fr": TerritoryKind.FRANCE,
    "pays": TerritoryKind.FRANCE,
    "reg": TerritoryKind.REGION,
    "dep": TerritoryKind.DEPARTEMENT,
    "com": TerritoryKind.COMMUNE,
    "uu": TerritoryKind.UNITE_URBAINE,
    "unite urbaine": TerritoryKind.UNITE_URBAINE,
    "qp": TerritoryKind.QPV,
    "quartier prioritaire": TerritoryKind.QPV,
    "ept": TerritoryKind.EPCI,
    "intercommunalite": TerritoryKind.EPCI,
}


def territory_kind_of(text: str) -> str | None:
    """The territory kind named by a file cell or an option (« QPV », « commune », « dep »…)."""
    return KIND_ALIASES.get(plain(text))


QPV_CODE_RE = re.compile(r"^Q[A-Z0-9]{7,8}$")
COMMUNE_CODE_RE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
IRIS_CODE_RE = re.compile(r"^(\d{5}|2[AB]\d{3})\d{4}$")
SIREN_RE = re.compile(r"^\d{9}$")


def guess_kind(code: str) -> str | None:
    """The kind a code unambiguously names: QPV (``QN…``/``QP…``), commune (5 characters). IRIS and EPCI
    codes both have 9 characters: they need the column name or an explicit kind."""
    if QPV_CODE_RE.match(code):
        return TerritoryKind.QPV
    if COMMUNE_CODE_RE.match(code):
        return TerritoryKind.COMMUNE
    return None


class TerritoryCodes:
    """Territory ids by (kind, code), loaded once per kind: the newest vintage wins (or the one asked for)."""

    def __init__(self, *, vintage: str | None = None) -> None:
        self.vintage = vintage
        self._by_kind: dict[str, dict[str, int]] = {}

    def of_kind(self, kind: str) -> dict[str, int]:
        codes = self._by_kind.get(kind)
        if codes is None:
            rows = Territory.objects.filter(kind=kind)
            if self.vintage:
                rows = rows.filter(vintage=self.vintage)
            codes = {}
            for code, _vintage, pk in sorted(
                rows.values_list("code", "vintage", "pk"), key=lambda row: (len(row[1]), row[1])
            ):
                codes[code] = pk  # newest vintage last, so it wins
            self._by_kind[kind] = codes
        return codes


def indicator_map(codes: Iterable[str] | None = None) -> dict[str, Indicator]:
    """Indicators by code, and by upper-case code, for a case-insensitive lookup."""
    queryset = Indicator.objects.all() if codes is None else Indicator.objects.filter(code__in=list(codes))
    found: dict[str, Indicator] = {}
    for indicator in queryset:
        found[indicator.code] = indicator
        found[indicator.code.upper()] = indicator
    return found


@dataclass
class ImportStats:
    """What a run noticed, copied onto the ValueBatch at the end."""

    rejected: int = 0
    read: int = 0
    warnings: list[str] = field(default_factory=list)
    unknown_territories: dict[str, str] = field(default_factory=dict)  # code → kind
    first_unknown: tuple[Location, int, str] | None = None  # where the first unknown code was met

    def warn(self, message: str) -> None:
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(message)

    def unknown(self, code: str, kind: str, location: Location, line: int, column: str) -> bool:
        """Note an unknown territory code; True when enough codes are listed to stop reading."""
        if self.first_unknown is None:
            self.first_unknown = (location, line, column)
        if code not in self.unknown_territories and len(self.unknown_territories) < MAX_LISTED:
            self.unknown_territories[code] = kind
        return len(self.unknown_territories) >= MAX_LISTED

    def unknown_error(self) -> ValueImportError | None:
        if self.first_unknown is None:
            return None
        location, line, column = self.first_unknown
        codes = list_codes(f"{code} ({kind})" for code, kind in self.unknown_territories.items())
        more = " (liste limitée aux premiers)" if len(self.unknown_territories) >= MAX_LISTED else ""
        return location.error(
            line,
            column,
            f"territoire(s) inconnu(s) : {codes}{more}. Importez d'abord ces territoires, vérifiez la nature "
            "choisie, ou demandez d'ignorer les territoires inconnus",
        )


def list_codes(codes: Iterable[str]) -> str:
    return ", ".join(f"« {code} »" for code in codes)

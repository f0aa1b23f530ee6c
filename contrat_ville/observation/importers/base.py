"""What the value importers share on top of the import kernel (``core.imports``): secrecy markers, years,
territory kinds and codes, the indicator catalogue.

Errors, the policy (collect, then refuse the whole file), readers and numbers come from the kernel: an import is one
transaction, and a refused file leaves the database as it was.
"""

from __future__ import annotations

import datetime
import gc
import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from contrat_ville.core.imports.cells import cell_text, parse_number
from contrat_ville.observation.models import Indicator
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import Territory

# Statistical secrecy markers of INSEE files (domain.md §7.3) and of partners' spreadsheets.
CONFIDENTIAL_MARKERS = frozenset({"s", "ns", "nd", "c", "nc", "secret", "so"})

PERIOD_MIN = 1950
Cell = str | float | int | None


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


def is_marker(text: str) -> bool:
    return text.casefold() in CONFIDENTIAL_MARKERS


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


def list_codes(codes: Iterable[str]) -> str:
    return ", ".join(f"« {code} »" for code in codes)

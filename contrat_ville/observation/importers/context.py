"""The state one import run shares between its readers: faults, batch (the report), policy, codes, writer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from contrat_ville.core.imports.errors import Issues
from contrat_ville.core.models import ImportBatch
from contrat_ville.observation.importers.base import TerritoryCodes, indicator_map
from contrat_ville.observation.importers.writer import StagedRow, Writer
from contrat_ville.observation.models import Indicator

UNKNOWN_ERROR = "error"
UNKNOWN_SKIP = "skip"
UNKNOWN_POLICIES = (UNKNOWN_ERROR, UNKNOWN_SKIP)
PROGRESS_EVERY = 20_000
UNKNOWN_HINT = (
    "Importez d'abord ces territoires, vérifiez la nature choisie, ou demandez d'ignorer les territoires inconnus "
    "(case « Ignorer les territoires inconnus », option --skip-unknown)"
)


@dataclass
class ImportContext:
    issues: Issues
    batch: ImportBatch
    writer: Writer
    territory_kind: str | None = None
    territory_vintage: str | None = None
    period: int | None = None  # for columns without a vintage in their name
    unknown_territories: str = UNKNOWN_ERROR
    progress: Callable[[int], None] | None = None
    read: int = 0  # values read (staged or rejected)
    indicators: dict[str, Indicator] = field(default_factory=indicator_map)
    codes: TerritoryCodes = field(init=False)
    line_offset: int = 0  # sheets of a workbook: line = offset + row
    sheet_names: dict[int, str] = field(default_factory=dict)  # sheet index → name
    unknown_codes: set[tuple[str, str]] = field(default_factory=set)
    _next_progress: int = PROGRESS_EVERY

    def __post_init__(self) -> None:
        self.codes = TerritoryCodes(vintage=self.territory_vintage)

    @property
    def strict(self) -> bool:
        return self.unknown_territories == UNKNOWN_ERROR

    def stage(self, row: StagedRow) -> None:
        self.writer.add(row)
        self.read += 1
        if self.progress is not None and self.read >= self._next_progress:
            self._next_progress += PROGRESS_EVERY
            self.progress(self.read)

    def unknown(self, code: str, kind: str, *, values: int, line: int, column: str, sheet: str | None) -> None:
        """A line of a territory the platform does not hold: a fault (once per code), or, when told to skip
        unknown territories, its ``values`` are rejected and the code listed in the report as ignored."""
        first = (code, kind) not in self.unknown_codes
        self.unknown_codes.add((code, kind))
        if self.strict:
            self.issues.hint = UNKNOWN_HINT
            if first:
                self.issues.add(f"territoire « {code} » ({kind}) inconnu", line=line, column=column, sheet=sheet)
            return
        if first:
            self.batch.ignore(f"{code} ({kind})")
        self.batch.rejected_count += values
        self.read += values

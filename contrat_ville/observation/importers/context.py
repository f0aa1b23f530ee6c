"""The state one import run shares between its readers: indicators, territory codes, policy, counts, writer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from contrat_ville.observation.importers.base import (
    ImportStats,
    TerritoryCodes,
    indicator_map,
)
from contrat_ville.observation.importers.writer import StagedRow, Writer
from contrat_ville.observation.models import Indicator

UNKNOWN_ERROR = "error"
UNKNOWN_SKIP = "skip"
UNKNOWN_POLICIES = (UNKNOWN_ERROR, UNKNOWN_SKIP)
PROGRESS_EVERY = 20_000


@dataclass
class ImportContext:
    writer: Writer
    territory_kind: str | None = None
    territory_vintage: str | None = None
    period: int | None = None  # for columns without a vintage in their name
    unknown_territories: str = UNKNOWN_ERROR
    progress: Callable[[int], None] | None = None
    stats: ImportStats = field(default_factory=ImportStats)
    indicators: dict[str, Indicator] = field(default_factory=indicator_map)
    codes: TerritoryCodes = field(init=False)
    line_offset: int = 0  # sheets of a workbook: line = offset + row
    sheet_names: dict[int, str] = field(default_factory=dict)  # sheet index → name
    _next_progress: int = PROGRESS_EVERY

    def __post_init__(self) -> None:
        self.codes = TerritoryCodes(vintage=self.territory_vintage)

    @property
    def strict(self) -> bool:
        return self.unknown_territories == UNKNOWN_ERROR

    def stage(self, row: StagedRow) -> None:
        self.writer.add(row)
        self.stats.read += 1
        if self.progress is not None and self.stats.read >= self._next_progress:
            self._next_progress += PROGRESS_EVERY
            self.progress(self.stats.read)

    def raise_unknown(self) -> None:
        error = self.stats.unknown_error()
        if error is not None:
            raise error

    def reject(self, count: int) -> None:
        self.stats.rejected += count
        self.stats.read += count

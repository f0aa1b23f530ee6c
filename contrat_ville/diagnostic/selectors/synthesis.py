"""The technical committee's synthesis (seed 004 phase 3.2): « Le comité technique synthétisera et mettra en
cohérence les propositions d'enjeux et d'orientations des trois groupes de travail »."""

from __future__ import annotations

from dataclasses import dataclass, field

from contrat_ville.contracts.models import Contract, Pillar
from contrat_ville.diagnostic.enums import StakeStatus
from contrat_ville.diagnostic.selectors.stakes import StakeRow, stake_list, stake_rows_of


@dataclass(frozen=True)
class StakeGroup:
    """An original stake and the stakes flagged as its duplicates (possibly from other pillars)."""

    row: StakeRow
    duplicates: list[StakeRow] = field(default_factory=list)


@dataclass(frozen=True)
class SynthesisColumn:
    """One pillar's stakes (one working group's proposals), duplicates grouped under their original."""

    pillar: Pillar
    groups: list[StakeGroup]

    @property
    def stake_count(self) -> int:
        return sum(1 + len(group.duplicates) for group in self.groups)

    @property
    def retained_count(self) -> int:
        return sum(
            1
            for group in self.groups
            for row in [group.row, *group.duplicates]
            if row.stake.status == StakeStatus.RETAINED
        )


def synthesis_columns(*, contract: Contract) -> list[SynthesisColumn]:
    """The contract's stakes by pillar, side by side, with status, COPIL validation, opinions, axes and droit commun.

    A duplicate is shown under its original (in the original's pillar). Fixed number of queries: pillars, stakes
    and their prefetches, validations, opinions.
    """
    pillars = list(Pillar.objects.filter(contract=contract).order_by("order", "pk"))
    rows = stake_rows_of(stake_list(contract=contract))
    by_id = {row.stake.pk: row for row in rows}
    duplicates: dict[int, list[StakeRow]] = {}
    for row in rows:
        original = row.stake.duplicate_of_id
        if original is not None and original in by_id:
            duplicates.setdefault(original, []).append(row)
    columns = []
    for pillar in pillars:
        groups = [
            StakeGroup(row=row, duplicates=duplicates.get(row.stake.pk, []))
            for row in rows
            if row.stake.pillar_id == pillar.pk
            and (row.stake.duplicate_of_id is None or row.stake.duplicate_of_id not in by_id)
        ]
        columns.append(SynthesisColumn(pillar=pillar, groups=groups))
    return columns

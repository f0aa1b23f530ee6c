"""How the registry's figures read (French numbers), for its pages."""

from __future__ import annotations

from dataclasses import dataclass

from contrat_ville.participation.enums import College, Sex
from contrat_ville.participation.models import Draw

NARROW_NO_BREAK_SPACE = "\u202f"


def euros(value: int | None) -> str:
    """« 6 500 € » (thousands grouped with a narrow no-break space, as French typography writes them), « — » when
    unknown."""
    if value is None:
        return "—"
    return f"{value:,}".replace(",", NARROW_NO_BREAK_SPACE) + "\u00a0€"


@dataclass(frozen=True)
class DrawResultRow:
    """A college's result as shown: seated members then substitutes, each « identifier (femme) » in rank order."""

    college: str
    seated: list[str]
    substitutes: list[str]


def draw_result_rows(draw: Draw) -> list[DrawResultRow]:
    sexes = dict(Sex.choices)
    colleges = dict(College.choices)
    rows = []
    for college, outcome in (draw.result.get("colleges") or {}).items():
        rows.append(
            DrawResultRow(
                college=colleges.get(college, college),
                seated=[f"{identifier} ({sexes.get(sex, sex)})" for identifier, sex in outcome.get("seated", [])],
                substitutes=[
                    f"{identifier} ({sexes.get(sex, sex)})" for identifier, sex in outcome.get("substitutes", [])
                ],
            )
        )
    return rows

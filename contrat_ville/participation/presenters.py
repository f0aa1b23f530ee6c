"""How the registry's figures read (French numbers), for its pages."""

from __future__ import annotations

from dataclasses import dataclass

from contrat_ville.participation.draws import QUOTA_FEATURES
from contrat_ville.participation.enums import AgeBand, College, Sex
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


def quota_rows(draw: Draw) -> list[str]:
    """Each quota of a draw in French: « collège des habitants — tranche d'âge « 18 à 25 ans » : de 2 à 4 sièges »."""
    colleges = dict(College.choices)
    age_bands = dict(AgeBand.choices)
    rows = []
    for quota in draw.quotas:
        value = age_bands.get(quota["value"], quota["value"]) if quota["feature"] == "age_band" else quota["value"]
        feature = QUOTA_FEATURES.get(quota["feature"], quota["feature"])
        rows.append(
            f"{colleges.get(quota['college'], quota['college'])} — {feature} « {value} » : "
            f"de {quota['minimum']} à {quota['maximum']} siège{'s' if quota['maximum'] > 1 else ''}"
        )
    return rows

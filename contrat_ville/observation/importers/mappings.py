"""Declared column-to-indicator mappings, one per known INSEE file family (data-formats.md §2.4, §3, §6).

Each rule names an indicator and the columns it is computed from. Column names are templates: ``{yy}``
stands for the 2-digit vintage (``P{yy}_POP`` matches ``P21_POP``; evolution files also carry ``P15_POP``,
``P10_POP``… and each vintage found becomes a period), ``{yyyy}`` for a 4-digit year. A name without a
placeholder takes its period from the import's ``vintage``.

- a *value* rule copies one column (``DISP_MED{yy}`` → CS-01);
- a *ratio* rule sums numerator and denominator columns (a leading ``-`` subtracts a column) and stores
  value = scale * numerator / denominator with the raw counts (``P{yy}_CHOM1564`` / ``P{yy}_ACT1564`` → DE-03).

A rule whose columns are not all in the file is skipped: one family covers the variants of a publication.
Column names are matched without regard to case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

YEAR_PATTERNS = {"{yy}": r"(?P<yy>\d{2})", "{yyyy}": r"(?P<yyyy>\d{4})"}


@dataclass(frozen=True)
class ColumnRule:
    indicator: str
    value: str | None = None
    numerator: tuple[str, ...] = ()
    denominator: tuple[str, ...] = ()
    scale: float = 100.0

    @property
    def columns(self) -> tuple[str, ...]:
        names = ((self.value,) if self.value else ()) + self.numerator + self.denominator
        return tuple(name.lstrip("-") for name in names)

    @property
    def is_ratio(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class Mapping:
    name: str
    label: str
    rules: tuple[ColumnRule, ...]
    code_columns: tuple[str, ...] = ("CODGEO", "IRIS", "CODEGEO", "QP", "CODE_QP", "CODE_QPV", "COM")
    description: str = ""
    kinds: tuple[str, ...] = field(default_factory=tuple)


def ratio(indicator: str, numerator: str | tuple[str, ...], denominator: str | tuple[str, ...], scale: float = 100.0):
    return ColumnRule(
        indicator=indicator,
        numerator=(numerator,) if isinstance(numerator, str) else numerator,
        denominator=(denominator,) if isinstance(denominator, str) else denominator,
        scale=scale,
    )


def value(indicator: str, column: str) -> ColumnRule:
    return ColumnRule(indicator=indicator, value=column)


UNDER_25 = ("P{yy}_POP0002", "P{yy}_POP0305", "P{yy}_POP0610", "P{yy}_POP1117", "P{yy}_POP1824")
OVER_60 = ("P{yy}_POP6074", "P{yy}_POP75P")

MAPPINGS: dict[str, Mapping] = {
    mapping.name: mapping
    for mapping in (
        Mapping(
            name="rp_population",
            label="Recensement, base infracommunale « Évolution et structure de la population »",
            rules=(
                value("CTX-01", "P{yy}_POP"),
                ratio("CTX-02", UNDER_25, "P{yy}_POP"),
                ratio("CTX-03", "P{yy}_POP0019", OVER_60, scale=1.0),
                ratio("CTX-06", OVER_60, "P{yy}_POP"),
                ratio("CTX-04", "P{yy}_POP_ETR", "P{yy}_POP"),
            ),
        ),
        Mapping(
            name="rp_activite",
            label="Recensement, base infracommunale « Activité des résidents »",
            rules=(
                ratio("DE-01", "P{yy}_ACTOCC1564", "P{yy}_POP1564"),
                ratio("DE-01F", "P{yy}_FACTOCC1564", "P{yy}_F1564"),
                ratio("DE-01H", "P{yy}_HACTOCC1564", "P{yy}_H1564"),
                ratio("DE-02", "P{yy}_FACT1564", "P{yy}_F1564"),
                ratio("DE-03", "P{yy}_CHOM1564", "P{yy}_ACT1564"),
                ratio("DE-03F", "P{yy}_FCHOM1564", "P{yy}_FACT1564"),
                ratio("DE-03H", "P{yy}_HCHOM1564", "P{yy}_HACT1564"),
                ratio("DE-04", "P{yy}_CHOM1524", "P{yy}_ACT1524"),
                ratio(
                    "DE-08",
                    ("P{yy}_SAL15P_CDD", "P{yy}_SAL15P_INTERIM", "P{yy}_SAL15P_EMPAID", "P{yy}_SAL15P_APPR"),
                    "P{yy}_SAL15P",
                ),
                ratio("DE-09", ("C{yy}_ACTOCC1564_CS5", "C{yy}_ACTOCC1564_CS6"), "C{yy}_ACTOCC1564"),
            ),
        ),
        Mapping(
            name="rp_diplomes",
            label="Recensement, base infracommunale « Diplômes - Formation »",
            rules=(
                ratio("CS-09", "P{yy}_NSCOL15P_DIPLMIN", "P{yy}_NSCOL15P"),
                ratio("CS-10", ("P{yy}_SCOL1517", "P{yy}_SCOL1824"), ("P{yy}_POP1517", "P{yy}_POP1824")),
            ),
        ),
        Mapping(
            name="rp_logement",
            label="Recensement, base infracommunale « Logement »",
            rules=(
                ratio("CV-01", "P{yy}_RP_LOCHLMV", "P{yy}_RP"),
                ratio("CV-05", ("P{yy}_RP", "-P{yy}_RP_VOIT1P"), "P{yy}_RP"),
            ),
        ),
        Mapping(
            name="rp_familles",
            label="Recensement, base infracommunale « Couples - Familles - Ménages »",
            rules=(ratio("CTX-05", "C{yy}_FAMMONO", "C{yy}_FAM"),),
        ),
        Mapping(
            name="filosofi_disp",
            label="Filosofi, revenus disponibles à l'IRIS ou au quartier prioritaire (DISP)",
            rules=(
                value("CS-01", "DISP_MED{yy}"),
                value("CS-02", "DISP_TP60{yy}"),
                value("CS-03", "DISP_RD{yy}"),
                value("CS-04", "DISP_PPSOC{yy}"),
            ),
        ),
        Mapping(
            name="filosofi_com",
            label="Filosofi, communes et EPCI (MED, TP60…)",
            rules=(
                value("CS-01", "MED{yy}"),
                value("CS-01", "Q2{yy}"),
                value("CS-02", "TP60{yy}"),
                value("CS-03", "RD{yy}"),
                value("CS-04", "PPSOC{yy}"),
            ),
        ),
        Mapping(
            name="qpv_indicateurs",
            label="Insee, données des quartiers prioritaires (noms de variables diffusés, sans millésime)",
            description="Les colonnes ne portent pas le millésime : précisez-le (option --vintage).",
            rules=(
                value("CTX-01", "POP_MUN"),
                value("CTX-04", "TX_TOT_ET"),
                value("CS-01", "DISP_Q2"),
                value("CS-02", "TP60"),
                value("CS-05", "PERCOU"),
                value("DE-01", "TX_TOT_EMPL"),
                value("DE-01F", "TX_F_EMPL"),
                value("DE-01H", "TX_H_EMPL"),
                value("DE-05", "ABC"),
            ),
        ),
    )
}


@dataclass(frozen=True)
class BoundRule:
    """A rule matched against a file's header for one vintage: column positions and the period."""

    rule: ColumnRule
    period: int | None
    value_index: int | None
    numerator: tuple[tuple[int, int], ...]  # (column index, sign)
    denominator: tuple[tuple[int, int], ...]
    columns: tuple[str, ...]  # the file's column names, for error messages


def _template_regex(template: str) -> re.Pattern[str]:
    pattern = re.escape(template.upper())
    for placeholder, group in YEAR_PATTERNS.items():
        pattern = pattern.replace(re.escape(placeholder.upper()), group)
    return re.compile(f"^{pattern}$")


def _year(match: re.Match[str], this_year: int) -> int | None:
    groups = match.groupdict()
    if groups.get("yyyy"):
        return int(groups["yyyy"])
    if groups.get("yy"):
        yy = int(groups["yy"])
        return 2000 + yy if 2000 + yy <= this_year + 1 else 1900 + yy
    return None


def bind(mapping: Mapping, header: list[str], *, this_year: int) -> list[BoundRule]:
    """The rules of ``mapping`` whose columns are all in ``header``, once per vintage found."""
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        positions.setdefault(name.strip().upper(), index)
    bound: list[BoundRule] = []
    taken: set[tuple[str, int | None]] = set()
    for rule in mapping.rules:
        templates = ((rule.value,) if rule.value else ()) + rule.numerator + rule.denominator
        first = templates[0].lstrip("-")
        periods: set[int | None] = set()
        first_regex = _template_regex(first)
        for name in positions:
            match = first_regex.match(name)
            if match:
                periods.add(_year(match, this_year))
        for period in sorted(periods, key=lambda item: item or 0):
            resolved: list[tuple[int, int, str]] = []
            for template in templates:
                sign = -1 if template.startswith("-") else 1
                name = _instantiate(template.lstrip("-"), period)
                if name not in positions:
                    break
                resolved.append((positions[name], sign, header[positions[name]].strip()))
            else:
                if (rule.indicator, period) in taken:
                    continue  # an earlier rule already gives this indicator for this vintage
                taken.add((rule.indicator, period))
                count_value = 1 if rule.value else 0
                count_numerator = len(rule.numerator)
                bound.append(
                    BoundRule(
                        rule=rule,
                        period=period,
                        value_index=resolved[0][0] if rule.value else None,
                        numerator=tuple((index, sign) for index, sign, _ in resolved[count_value:][:count_numerator]),
                        denominator=tuple(
                            (index, sign) for index, sign, _ in resolved[count_value + count_numerator :]
                        ),
                        columns=tuple(name for _, _, name in resolved),
                    )
                )
    return bound


def _instantiate(template: str, period: int | None) -> str:
    name = template.upper()
    if period is not None:
        name = name.replace("{YY}", f"{period % 100:02d}").replace("{YYYY}", str(period))
    return name


def best_mapping(header: list[str], *, this_year: int) -> tuple[Mapping, list[BoundRule]] | None:
    """The family whose rules match the most columns of ``header`` (None when none matches)."""
    best: tuple[Mapping, list[BoundRule]] | None = None
    for mapping in MAPPINGS.values():
        bound = bind(mapping, header, this_year=this_year)
        if bound and (best is None or len(bound) > len(best[1])):
            best = (mapping, bound)
    return best

"""The demo's indicator files, written deterministically in the formats their real producers publish.

Nothing here touches the database: ``write_indicator_files`` writes, for the fictional territory of
``generator``, the files an observation officer would download or receive, and says how each one is imported
(``services.values_import`` format, producer, vintage, contract for private data):

- INSEE census « bases infracommunales » at the IRIS, one CSV per theme and year (``;``, decimal point,
  ``P{yy}_…``/``C{yy}_…`` columns, non-integer weighted counts) — data-formats.md §2.4;
- Filosofi at the IRIS (``BASE_TD_FILO_IRIS_{yyyy}_DISP.csv``: ``;``, **decimal comma**, ``DISP_MED{yy}``,
  ``DISP_TP60{yy}``…, IRIS of communes of 5 000 inhabitants or more only, ``s``/``nd`` markers on small IRIS)
  and for communes and intercommunalities (``cc_filosofi_{yyyy}_COM.csv`` / ``_EPCI.csv``, ``MED{yy}``,
  ``TP60{yy}``, poverty rate secret for small communes);
- an INSEE workbook of the QPV 2024 per census year (title block on rows 1-4, French labels on row 5,
  variable codes on row 6, one sheet per theme, the Filosofi sheet one year behind, the CAF coverage rate
  ``PERCOU`` without vintage in its name) — §3, §11;
- local partners' long CSVs (decimal comma): brevet results (DSDEN), jobseekers (France Travail), CAF and CPAM
  figures, and the children followed by each commune's « programme de réussite éducative » (private to the
  contract that carries it);
- the national references (France) as a long CSV.

Calibration (data-formats.md §8.3-8.4). A QPV's population differs from the rest of its commune by the published
gaps: unemployment (census) about 2.5 times the reference, poverty about 3 times (44 % against 15 %), median
« niveau de vie » about 14 000 € against 22 000 €, under-25s 39 % against 30 %, social housing 60-85 % of main
residences, brevet success about 10 points below the national rate; young people's unemployment is high (over
40 %) and women's unemployment above men's in the QPVs (the seed's story: « réduire le taux de chômage des
jeunes femmes »). Incivilities are not a statistical series: the demo leaves CV-06 to local entry. Trends are
slow (poverty +0.3 pt a year in the QPVs, employment +0.3 pt, unemployment -0.3 pt).

How the figures are built. Each QPV and the rest of each commune have a population « profile » (rates at the
first year, yearly drifts, a little deterministic noise). An IRIS is the mix of the QPV populations living in it
(its overlap with each QPV contour, capped) and of its commune's rest; census counts are the counts of each part,
added up, so that communes and the intercommunality — computed by the platform from the IRIS through
``values_aggregate`` — stay consistent with the IRIS. QPV figures are computed directly (INSEE computes them
from geolocated micro-data, not from IRIS sums).
"""

from __future__ import annotations

import csv
import math
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from shapely.geometry import Polygon

from contrat_ville.core.datafiles import load_record
from contrat_ville.demo.generator import (
    FICTION_NOTE,
    DemoTerritory,
    GeneratedCommune,
    GeneratedIris,
    GeneratedQpv,
    build_territory,
    write_sheet_table,
    write_title_block,
)

RANDOM_SEED = 96_0617
RP_YEARS: tuple[int, ...] = tuple(range(2017, 2023))  # census vintages (« RP 2017 » … « RP 2022 »)
FILOSOFI_YEARS: tuple[int, ...] = tuple(range(2016, 2022))  # Filosofi runs one year behind the census
PARTNER_YEARS: tuple[int, ...] = tuple(range(2019, 2025))  # brevet sessions, jobseekers at 31 December, PRE
LATEST_RP_YEAR = RP_YEARS[-1]  # populations of the generator are those of this census
FILOSOFI_MIN_COMMUNE_POPULATION = 5_000  # Filosofi IRIS cover communes of 5 000 inhabitants or more
POVERTY_MIN_COMMUNE_POPULATION = 2_000  # below, the commune's poverty rate is not published
MAX_QPV_SHARE_OF_IRIS = 0.92
MIN_OVERLAP = 0.01  # a QPV contour that only grazes an IRIS puts nobody in it
FRANCE_CODE = "FR"
FRANCE_NAME = "France"

INSEE = "Insee"
OPEN_LICENCE = "Licence Ouverte 2.0"

# --- calibration ---------------------------------------------------------------------------------------------
# The profiles (rate at the first year of the series, change per year), the national series, each QPV's offsets
# and the PRE figures are data, in ``data/indicators.yaml``.

Profile = dict[str, tuple[float, float]]


@dataclass(frozen=True)
class Calibration:
    qpv_profile: Profile
    town_profile: Profile
    rural_profile: Profile
    france_profile: Profile
    france_population: dict[int, int]
    france_median: dict[int, float]
    france_poverty: dict[int, float]
    france_brevet: dict[int, float]
    france_jobseekers: dict[int, int]
    qpv_offsets: dict[str, dict[str, float]]
    pre_children: dict[str, int]
    pre_carrier: dict[str, str]
    pre_contract: dict[str, str]
    towns: tuple[str, ...]


CALIBRATION = load_record(Calibration, "contrat_ville.demo", "data/indicators.yaml")
QPV_PROFILE = CALIBRATION.qpv_profile
TOWN_PROFILE = CALIBRATION.town_profile
RURAL_PROFILE = CALIBRATION.rural_profile
FRANCE_PROFILE = CALIBRATION.france_profile
FRANCE_POPULATION = CALIBRATION.france_population
FRANCE_MEDIAN = CALIBRATION.france_median
FRANCE_POVERTY = CALIBRATION.france_poverty
FRANCE_BREVET = CALIBRATION.france_brevet
FRANCE_JOBSEEKERS = CALIBRATION.france_jobseekers
QPV_OFFSETS = CALIBRATION.qpv_offsets
PRE_CHILDREN = CALIBRATION.pre_children  # children followed by the PRE in the first partner year (then +4 % a year)
PRE_CARRIER = CALIBRATION.pre_carrier  # the commune that carries each QPV's PRE
PRE_CONTRACT = CALIBRATION.pre_contract  # the contract that holds a commune's PRE figures (private data)
TOWNS = frozenset(CALIBRATION.towns)  # the others are rural communes (« Z » IRIS)


class Rates:
    """A profile with this territory's deterministic noise, read at a given year."""

    def __init__(self, profile: Profile, *, first_year: int, noise: dict[str, float] | None = None) -> None:
        self.profile = profile
        self.first_year = first_year
        self.noise = noise or {}

    def at(self, name: str, year: int) -> float:
        base, drift = self.profile[name]
        steps = year - self.first_year
        if name == "med":
            return base * (1 + self.noise.get(name, 0.0)) * (1 + drift) ** steps
        return base + self.noise.get(name, 0.0) + drift * steps


def _noise(rng: random.Random, names: Iterable[str], sigma: float) -> dict[str, float]:
    """Small additive noise for rates (relative for the median)."""
    result = {}
    for name in names:
        if name == "med":
            result[name] = rng.gauss(0, 0.03)
        elif name == "menage":
            result[name] = rng.gauss(0, 0.05)
        elif name in ("rd",):
            result[name] = rng.gauss(0, 0.1)
        else:
            result[name] = rng.gauss(0, sigma)
    return result


def _with_offsets(profile: Profile, offsets: dict[str, float]) -> Profile:
    return {name: (base + offsets.get(name, 0.0), drift) for name, (base, drift) in profile.items()}


# --- census counts of a population group ----------------------------------------------------------------------

Counts = dict[str, float]


def census_counts(rates: Rates, population: float, year: int) -> Counts:
    """The census variables (without their ``P{yy}_``/``C{yy}_`` prefix) of a group of ``population`` people."""

    def r(name: str) -> float:
        return min(max(rates.at(name, year), 0.0), 0.98)

    pop = population
    under25 = r("u25") * pop
    over60 = r("o60") * pop
    over65 = over60 * 0.78
    middle = pop - under25 - over60
    band_1117 = under25 * 7 / 25
    band_1824 = under25 * 7 / 25
    counts: Counts = {
        "POP": pop,
        "POP0002": under25 * 3 / 25,
        "POP0305": under25 * 3 / 25,
        "POP0610": under25 * 5 / 25,
        "POP1117": band_1117,
        "POP1824": band_1824,
        "POP2539": middle * 0.45,
        "POP4054": middle * 0.43,
        "POP5564": middle * 0.12 + over60 - over65,
        "POP6579": over65 * 0.74,
        "POP80P": over65 * 0.26,
        "POP0019": r("u20") * pop,
        "POP6074": over60 * 0.62,
        "POP75P": over60 * 0.38,
        "POP_ETR": r("etr") * pop,
        "POP_IMM": min(r("etr") * 1.25, 0.95) * pop,
    }
    counts["POP2064"] = pop - counts["POP0019"] - over65
    counts["POP65P"] = over65
    counts["POP_FR"] = pop - counts["POP_ETR"]
    # Activity.
    pop1564 = r("p1564") * pop
    women = r("f1564") * pop1564
    men = pop1564 - women
    active_women = r("act_f") * women
    active_men = r("act_h") * men
    unemployed_women = r("chom_f") * active_women
    unemployed_men = r("chom_h") * active_men
    pop1524 = r("p1524") * pop
    active1524 = r("act1524") * pop1524
    employed = active_women + active_men - unemployed_women - unemployed_men
    employees = employed * 0.86
    precarious = r("prec") * employees
    counts.update(
        {
            "POP1564": pop1564,
            "F1564": women,
            "H1564": men,
            "ACT1564": active_women + active_men,
            "FACT1564": active_women,
            "HACT1564": active_men,
            "CHOM1564": unemployed_women + unemployed_men,
            "FCHOM1564": unemployed_women,
            "HCHOM1564": unemployed_men,
            "ACTOCC1564": employed,
            "FACTOCC1564": active_women - unemployed_women,
            "HACTOCC1564": active_men - unemployed_men,
            "INACT1564": pop1564 - active_women - active_men,
            "POP1524": pop1524,
            "ACT1524": active1524,
            "CHOM1524": r("chom1524") * active1524,
            "SAL15P": employees,
            "SAL15P_CDD": precarious * 0.55,
            "SAL15P_INTERIM": precarious * 0.2,
            "SAL15P_EMPAID": precarious * 0.1,
            "SAL15P_APPR": precarious * 0.15,
            "C_ACTOCC1564": employed,
            "C_ACTOCC1564_CS5": r("cs5") * employed,
            "C_ACTOCC1564_CS6": r("cs6") * employed,
        }
    )
    # Education: 15-17 are three of the seven years of the 11-17 band.
    pop1517 = band_1117 * 3 / 7
    not_enrolled = r("nscol") * pop
    counts.update(
        {
            "POP1517": pop1517,
            "SCOL1517": pop1517 * 0.96,
            "SCOL1824": r("scol1824") * band_1824,
            "NSCOL15P": not_enrolled,
            "NSCOL15P_DIPLMIN": r("nodipl") * not_enrolled,
            "NSCOL15P_CAPBEP": (1 - r("nodipl")) * 0.38 * not_enrolled,
            "NSCOL15P_BAC": (1 - r("nodipl")) * 0.28 * not_enrolled,
            "NSCOL15P_SUP2": (1 - r("nodipl")) * 0.34 * not_enrolled,
        }
    )
    # Housing and households.
    households = pop / max(rates.at("menage", year), 1.2)
    dwellings = households / (1 - r("vac") - 0.01)
    social = r("hlm") * households
    owners = r("prop") * households
    without_car = r("novoit") * households
    families = households * (1 - r("seul") - 0.03) * 1.02
    single_parent = r("mono") * families
    counts.update(
        {
            "LOG": dwellings,
            "RP": households,
            "RSECOCC": dwellings * 0.01,
            "LOGVAC": dwellings * r("vac"),
            "RP_PROP": owners,
            "RP_LOC": households - owners - households * 0.02,
            "RP_LOCHLMV": social,
            "RP_GRAT": households * 0.02,
            "RP_VOIT1P": households - without_car,
            "C_MEN": households,
            "C_PMEN": pop * 0.985,
            "C_MENPSEUL": r("seul") * households,
            "C_MENFAM": households * (1 - r("seul") - 0.03),
            "C_FAM": families,
            "C_FAMMONO": single_parent,
            "C_COUPAENF": (families - single_parent) * 0.52,
            "C_COUPSENF": (families - single_parent) * 0.48,
        }
    )
    return counts


def _add(total: Counts, part: Counts) -> None:
    for name, value in part.items():
        total[name] = total.get(name, 0.0) + value


# Census files: (file stem, theme, variables). ``C_`` variables are written ``C{yy}_…``, the others ``P{yy}_…``.
CENSUS_THEMES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "base-ic-evol-struct-pop",
        "Population",
        (
            "POP", "POP0002", "POP0305", "POP0610", "POP1117", "POP1824", "POP2539", "POP4054", "POP5564",
            "POP6579", "POP80P", "POP0019", "POP2064", "POP65P", "POP6074", "POP75P", "POP_FR", "POP_ETR", "POP_IMM",
        ),
    ),
    (
        "base-ic-activite-residents",
        "Activité",
        (
            "POP1564", "H1564", "F1564", "ACT1564", "HACT1564", "FACT1564", "ACTOCC1564", "HACTOCC1564",
            "FACTOCC1564", "CHOM1564", "HCHOM1564", "FCHOM1564", "INACT1564", "POP1524", "ACT1524", "CHOM1524",
            "SAL15P", "SAL15P_CDD", "SAL15P_INTERIM", "SAL15P_EMPAID", "SAL15P_APPR", "C_ACTOCC1564",
            "C_ACTOCC1564_CS5", "C_ACTOCC1564_CS6",
        ),
    ),
    (
        "base-ic-diplomes-formation",
        "Diplômes",
        (
            "POP1517", "POP1824", "SCOL1517", "SCOL1824", "NSCOL15P", "NSCOL15P_DIPLMIN", "NSCOL15P_CAPBEP",
            "NSCOL15P_BAC", "NSCOL15P_SUP2",
        ),
    ),
    (
        "base-ic-logement",
        "Logement",
        ("LOG", "RP", "RSECOCC", "LOGVAC", "RP_PROP", "RP_LOC", "RP_LOCHLMV", "RP_GRAT", "RP_VOIT1P"),
    ),
    (
        "base-ic-couples-familles-menages",
        "Familles",
        ("C_MEN", "C_PMEN", "C_MENPSEUL", "C_MENFAM", "C_FAM", "C_FAMMONO", "C_COUPAENF", "C_COUPSENF"),
    ),
)  # fmt: skip

IRIS_ID_COLUMNS: tuple[str, ...] = ("IRIS", "REG", "DEP", "UU2020", "COM", "LIBCOM", "TRIRIS", "GRD_QUART")
IRIS_ID_COLUMNS += ("LIBIRIS", "TYP_IRIS", "MODIF_IRIS", "LAB_IRIS")


def census_column(name: str, year: int) -> str:
    yy = f"{year % 100:02d}"
    return f"C{yy}_{name[2:]}" if name.startswith("C_") else f"P{yy}_{name}"


# Labels of row 5 of the INSEE workbooks (a few; others repeat the code).
CENSUS_LABELS = {
    "POP": "Population",
    "POP_ETR": "Étrangers",
    "ACT1564": "Actifs 15-64 ans",
    "CHOM1564": "Chômeurs 15-64 ans",
    "ACTOCC1564": "Actifs occupés 15-64 ans",
    "RP": "Résidences principales",
    "RP_LOCHLMV": "Rés. princ. HLM louées vides",
    "C_FAMMONO": "Familles monoparentales",
}


# --- the demo's figures ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """A population group living in one territory: its profile and its size at the latest census."""

    rates: Rates
    population: float  # at LATEST_RP_YEAR
    growth: float  # yearly population change

    def population_at(self, year: int) -> float:
        return self.population * (1 + self.growth) ** (year - LATEST_RP_YEAR)


@dataclass
class DemoFigures:
    """Everything the files are written from: groups per IRIS, per QPV, per commune; France."""

    territory: DemoTerritory
    qpv_rates: dict[str, Rates]
    iris_groups: dict[str, list[Group]]  # IRIS code → its QPV parts then its rest
    commune_iris: dict[str, list[str]]  # commune code → IRIS codes
    qpv_overlaps: dict[str, dict[str, float]]  # QPV code → IRIS code → share of the QPV's area
    france: Rates

    def qpv_group(self, qpv: GeneratedQpv) -> Group:
        return Group(self.qpv_rates[qpv.spec.code], float(qpv.spec.population), -0.004)

    def iris_counts(self, code: str, year: int) -> Counts:
        total: Counts = {}
        for group in self.iris_groups[code]:
            _add(total, census_counts(group.rates, group.population_at(year), year))
        return total

    def commune_groups(self, commune_code: str) -> list[Group]:
        return [group for iris in self.commune_iris[commune_code] for group in self.iris_groups[iris]]

    def epci_groups(self, siren: str) -> list[Group]:
        return [
            group
            for commune in self.territory.communes
            if commune.epci.siren == siren
            for group in self.commune_groups(commune.spec.code)
        ]


def _overlaps(territory: DemoTerritory) -> dict[str, dict[str, float]]:
    """For each QPV, the share of its area in each IRIS of its host communes (Lambert-93 geometry)."""
    result: dict[str, dict[str, float]] = {}
    for qpv in territory.qpvs:
        contour = Polygon(qpv.ring_lambert93)
        shares: dict[str, float] = {}
        for commune_code in qpv.spec.communes:
            for iris in territory.commune(commune_code).iris:
                area = contour.intersection(Polygon(iris.ring)).area
                if area / contour.area >= MIN_OVERLAP:
                    shares[iris.code] = area / contour.area
        total = sum(shares.values()) or 1.0
        result[qpv.spec.code] = {code: share / total for code, share in shares.items()}
    return result


def build_figures(territory: DemoTerritory | None = None) -> DemoFigures:
    """The demo's populations and profiles, identical on every call (fixed seed)."""
    territory = territory or build_territory()
    rng = random.Random(RANDOM_SEED)
    first_year = min(RP_YEARS[0], FILOSOFI_YEARS[0])
    qpv_rates = {
        qpv.spec.code: Rates(
            _with_offsets(QPV_PROFILE, QPV_OFFSETS.get(qpv.spec.code, {})),
            first_year=first_year,
            noise=_noise(rng, QPV_PROFILE, 0.004),
        )
        for qpv in territory.qpvs
    }
    overlaps = _overlaps(territory)
    iris_groups: dict[str, list[Group]] = {}
    commune_iris: dict[str, list[str]] = {}
    for commune in territory.communes:
        profile = TOWN_PROFILE if commune.spec.code in TOWNS else RURAL_PROFILE
        commune_iris[commune.spec.code] = [iris.code for iris in commune.iris]
        for iris in commune.iris:
            groups: list[Group] = []
            in_qpvs = 0.0
            for qpv in territory.qpvs:
                share = overlaps[qpv.spec.code].get(iris.code, 0.0)
                if share:
                    people = share * qpv.spec.population
                    groups.append(Group(qpv_rates[qpv.spec.code], people, -0.004))
                    in_qpvs += people
            cap = MAX_QPV_SHARE_OF_IRIS * iris.population
            if in_qpvs > cap:  # the QPV contour takes in more people than the IRIS holds: scale its parts down
                groups = [Group(group.rates, group.population * cap / in_qpvs, group.growth) for group in groups]
                in_qpvs = cap
            rest_noise = _noise(rng, profile, 0.008)
            groups.append(
                Group(Rates(profile, first_year=first_year, noise=rest_noise), iris.population - in_qpvs, 0.005)
            )
            iris_groups[iris.code] = groups
    return DemoFigures(
        territory=territory,
        qpv_rates=qpv_rates,
        iris_groups=iris_groups,
        commune_iris=commune_iris,
        qpv_overlaps=overlaps,
        france=Rates(FRANCE_PROFILE, first_year=first_year),
    )


# --- Filosofi of a mix of groups --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Income:
    median: float
    poverty: float  # %
    interdecile: float
    benefits: float  # % of disposable income

    @property
    def d1(self) -> float:
        return self.median / math.sqrt(self.interdecile) * 0.93

    @property
    def d9(self) -> float:
        return self.d1 * self.interdecile


def income_of(groups: list[Group], year: int) -> Income:
    """Filosofi figures of a mix of groups (population-weighted; the median as a geometric mean)."""
    weights = [group.population_at(min(year, LATEST_RP_YEAR)) for group in groups]
    total = sum(weights) or 1.0
    log_median = sum(w * math.log(group.rates.at("med", year)) for w, group in zip(weights, groups, strict=True))
    poverty = sum(w * group.rates.at("tp60", year) for w, group in zip(weights, groups, strict=True)) / total
    interdecile = sum(w * group.rates.at("rd", year) for w, group in zip(weights, groups, strict=True)) / total
    # A mix of rich and poor groups is more unequal than each of them.
    medians = [group.rates.at("med", year) for group in groups]
    spread = max(medians) / min(medians)
    benefits = sum(w * group.rates.at("ppsoc", year) for w, group in zip(weights, groups, strict=True)) / total
    return Income(
        median=math.exp(log_median / total),
        poverty=100 * poverty,
        interdecile=interdecile * (1 + 0.12 * math.log(spread)),
        benefits=100 * benefits,
    )


def france_income(year: int) -> Income:
    france = Rates(FRANCE_PROFILE, first_year=FILOSOFI_YEARS[0])
    return Income(
        median=FRANCE_MEDIAN[year],
        poverty=FRANCE_POVERTY[year],
        interdecile=france.at("rd", year),
        benefits=100 * france.at("ppsoc", year),
    )


# --- writers ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorFile:
    """A written file and how the demo imports it (arguments of ``services.values_import``)."""

    path: Path
    fmt: str  # long_csv | insee_csv | insee_xlsx
    producer: str
    licence: str = ""
    vintage: str = ""
    territory_kind: str | None = None
    contract_slug: str | None = None  # private to that contract
    mapping: str | None = None


def _point(value: float, decimals: int = 6) -> str:
    """A number with a decimal point, trailing zeros dropped (census files)."""
    text = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def _comma(value: float, decimals: int = 1) -> str:
    """A number with a decimal comma (Filosofi, partners' spreadsheets)."""
    return f"{value:.{decimals}f}".replace(".", ",")


def _write_rows(path: Path, header: list[str], rows: Iterable[list[str]], *, bom: bool = False) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _iris_identity(iris: GeneratedIris, commune: GeneratedCommune, territory: DemoTerritory) -> list[str]:
    dep = territory.departement
    return [
        iris.code,
        dep.region,
        dep.code,
        "96701" if commune.spec.code in TOWNS else "96000",
        commune.spec.code,
        commune.spec.name,
        f"{dep.code}{commune.spec.code[2:]}{iris.number[:1]}" if iris.kind != "Z" else "ZZZZZZ",
        f"{commune.spec.code}{iris.number[:2]}",
        iris.name,
        iris.kind,
        "00",
        "1" if iris.kind != "A" else "2",
    ]


def write_census_iris(directory: Path, figures: DemoFigures) -> list[IndicatorFile]:
    """The five census « bases infracommunales » for each census year."""
    files = []
    territory = figures.territory
    for year in RP_YEARS:
        counts = {iris.code: figures.iris_counts(iris.code, year) for iris in territory.iris}
        for stem, _, variables in CENSUS_THEMES:
            header = [*IRIS_ID_COLUMNS, *(census_column(name, year) for name in variables)]
            rows = [
                [*_iris_identity(iris, commune, territory), *(_point(counts[iris.code][name]) for name in variables)]
                for commune in territory.communes
                for iris in commune.iris
            ]
            path = _write_rows(directory / f"{stem}-{year}.CSV", header, rows)
            files.append(IndicatorFile(path, "insee_csv", INSEE, OPEN_LICENCE, str(year)))
    return files


FILOSOFI_IRIS_COLUMNS = ("TP60", "Q1", "MED", "Q3", "EQ", "D1", "D9", "RD", "S80S20", "GI", "PPSOC")


def filosofi_values(income: Income) -> dict[str, float]:
    """The Filosofi « DISP » variables of an income profile (without prefix nor vintage)."""
    return {
        "TP60": round(income.poverty, 1),
        "Q1": round(income.median * 0.72),
        "MED": round(income.median),
        "Q3": round(income.median * 1.38),
        "EQ": round(income.median * 0.66, 1),
        "D1": round(income.d1),
        "D9": round(income.d9),
        "RD": round(income.interdecile, 1),
        "S80S20": round(income.interdecile * 1.25, 1),
        "GI": round(0.2 + income.interdecile / 40, 3),
        "PPSOC": round(income.benefits, 1),
    }


def _filosofi_cells(income: Income | None, *, secret: frozenset[str] = frozenset(), marker: str = "s") -> list[str]:
    if income is None:
        return [marker] * len(FILOSOFI_IRIS_COLUMNS)
    values = filosofi_values(income)
    decimals = {"GI": 3, "TP60": 1, "RD": 1, "S80S20": 1, "PPSOC": 1, "EQ": 1}
    return [
        marker if name in secret else _comma(values[name], decimals.get(name, 0)) for name in FILOSOFI_IRIS_COLUMNS
    ]


def write_filosofi(directory: Path, figures: DemoFigures) -> list[IndicatorFile]:
    """Filosofi at the IRIS (communes ≥ 5 000 inhabitants), and for communes and intercommunalities."""
    territory = figures.territory
    files = []
    # The smallest habitat IRIS of Montclar-en-Sorne: its interdecile ratio is never published, its poverty
    # rate not before 2018 (« nd »). Activity IRIS are too small for any figure (« s »).
    smallest = min(
        (iris for iris in territory.commune("96003").iris if iris.kind == "H"), key=lambda iris: iris.population
    )
    for year in FILOSOFI_YEARS:
        yy = f"{year % 100:02d}"
        rows = []
        for commune in territory.communes:
            if commune.spec.population < FILOSOFI_MIN_COMMUNE_POPULATION:
                continue
            for iris in commune.iris:
                if iris.kind == "A":
                    cells = _filosofi_cells(None)
                else:
                    secret = frozenset({"RD", "S80S20"}) | (frozenset({"TP60"}) if year < 2018 else frozenset())
                    cells = _filosofi_cells(
                        income_of(figures.iris_groups[iris.code], year),
                        secret=secret if iris.code == smallest.code else frozenset(),
                        marker="nd",
                    )
                rows.append([iris.code, iris.name, commune.spec.code, commune.spec.name, *cells])
        header = ["IRIS", "LIBIRIS", "COM", "LIBCOM", *(f"DISP_{name}{yy}" for name in FILOSOFI_IRIS_COLUMNS)]
        path = _write_rows(directory / f"BASE_TD_FILO_IRIS_{year}_DISP.csv", header, rows)
        files.append(IndicatorFile(path, "insee_csv", INSEE, OPEN_LICENCE, str(year)))

        commune_rows = []
        for commune in territory.communes:
            income = income_of(figures.commune_groups(commune.spec.code), year)
            households = commune.spec.population / 2.2
            small = commune.spec.population < POVERTY_MIN_COMMUNE_POPULATION
            commune_rows.append(
                [
                    commune.spec.code,
                    commune.spec.name,
                    _comma(households, 0),
                    _comma(commune.spec.population * 0.985, 0),
                    _comma(income.median, 0),
                    "s" if small else _comma(income.poverty),
                    "s" if small else _comma(income.d1, 0),
                    "s" if small else _comma(income.d9, 0),
                    "s" if small else _comma(income.interdecile),
                    _comma(income.benefits),
                ]
            )
        header = ["CODGEO", "LIBGEO", *(f"{name}{yy}" for name in ("NBMENFISC", "NBPERSMENFISC", "MED", "TP60"))]
        header += [f"{name}{yy}" for name in ("D1", "D9", "RD", "PPSOC")]
        path = _write_rows(directory / f"cc_filosofi_{year}_COM.csv", header, commune_rows)
        files.append(IndicatorFile(path, "insee_csv", INSEE, OPEN_LICENCE, str(year)))
        epci_rows = []
        for epci in territory.epcis:
            income = income_of(figures.epci_groups(epci.siren), year)
            epci_rows.append(
                [
                    epci.siren,
                    epci.name,
                    _comma(epci.population / 2.2, 0),
                    _comma(epci.population * 0.985, 0),
                    _comma(income.median, 0),
                    _comma(income.poverty),
                    _comma(income.d1, 0),
                    _comma(income.d9, 0),
                    _comma(income.interdecile),
                    _comma(income.benefits),
                ]
            )
        path = _write_rows(directory / f"cc_filosofi_{year}_EPCI.csv", header, epci_rows)
        files.append(IndicatorFile(path, "insee_csv", INSEE, OPEN_LICENCE, str(year)))
    return files


def _title_block(sheet: Any, title: str, year: int) -> None:
    write_title_block(
        sheet,
        (
            title,
            "Quartiers prioritaires de la politique de la ville 2024 — France métropolitaine",
            f"Mise en ligne le 28/08/{year + 3}    Géographie au 01/01/2024",
            f"@Insee Source(s) : Insee, recensement de la population {year}, Filosofi ; Cnaf — {FICTION_NOTE}",
        ),
    )


def write_qpv_workbooks(directory: Path, figures: DemoFigures) -> list[IndicatorFile]:
    """One INSEE workbook of QPV data per census year: census themes, Filosofi (a year behind), CAF coverage."""
    territory = figures.territory
    files = []
    for year in RP_YEARS:
        workbook = Workbook()
        first = workbook.active
        assert first is not None
        workbook.remove(first)
        counts: dict[str, Counts] = {}
        for qpv in territory.qpvs:
            group = figures.qpv_group(qpv)
            counts[qpv.spec.code] = census_counts(group.rates, group.population_at(year), year)
        identity = [("CODGEO", "Code du quartier"), ("LIBGEO", "Libellé du quartier"), ("LIST_COM", "Communes")]
        for _, theme, variables in CENSUS_THEMES:
            sheet = workbook.create_sheet(theme)
            _title_block(sheet, f"{theme} des habitants des quartiers prioritaires en {year}", year)
            columns = identity + [
                (census_column(name, year), CENSUS_LABELS.get(name, census_column(name, year))) for name in variables
            ]
            rows = [
                [qpv.spec.code, qpv.spec.name, "".join(qpv.spec.communes)]
                + [round(counts[qpv.spec.code][name], 4) for name in variables]
                for qpv in territory.qpvs
            ]
            write_sheet_table(sheet, columns, rows)
        income_year = year - 1
        sheet = workbook.create_sheet("Revenus")
        _title_block(sheet, f"Revenus, pauvreté et niveau de vie en {income_year}", year)
        yy = f"{income_year % 100:02d}"
        columns = identity + [(f"DISP_{name}{yy}", f"DISP_{name}{yy}") for name in FILOSOFI_IRIS_COLUMNS]
        rows = []
        for qpv in territory.qpvs:
            values = filosofi_values(income_of([figures.qpv_group(qpv)], income_year))
            cells: list[Any] = [values[name] for name in FILOSOFI_IRIS_COLUMNS]
            if qpv.spec.code == "QN09601M" and income_year < 2018:  # too few households: interdecile ratio secret
                cells[FILOSOFI_IRIS_COLUMNS.index("RD")] = None
                cells[FILOSOFI_IRIS_COLUMNS.index("S80S20")] = None
            rows.append([qpv.spec.code, qpv.spec.name, "".join(qpv.spec.communes), *cells])
        write_sheet_table(sheet, columns, rows)
        sheet = workbook.create_sheet("Prestations")
        _title_block(sheet, f"Couverture de la population par la CAF en {year}", year)
        columns = [*identity, ("PERCOU", "Part de la population couverte par la CAF (%)")]
        rows = [
            [
                qpv.spec.code,
                qpv.spec.name,
                "".join(qpv.spec.communes),
                round(100 * figures.qpv_rates[qpv.spec.code].at("caf", year), 1),
            ]
            for qpv in territory.qpvs
        ]
        write_sheet_table(sheet, columns, rows)
        documentation = workbook.create_sheet("Documentation")
        documentation.append([f"Données des quartiers prioritaires 2024 — millésime {year} ({FICTION_NOTE})."])
        documentation.append(["Les cellules vides sont couvertes par le secret statistique."])
        path = directory / f"qpv2024_donnees_{year}.xlsx"
        workbook.save(path)
        files.append(IndicatorFile(path, "insee_xlsx", INSEE, OPEN_LICENCE, str(year)))
    return files


LONG_HEADER = ["indicateur", "type_territoire", "code_territoire", "annee", "valeur", "numerateur", "denominateur"]


def _long_row(
    code: str, kind: str, territory: str, year: int, value: float | None, numerator: float | None = None,
    denominator: float | None = None, *, decimals: int = 1,
) -> list[str]:  # fmt: skip
    return [
        code,
        kind,
        territory,
        str(year),
        "" if value is None else _comma(value, decimals),
        "" if numerator is None else _comma(numerator, 0),
        "" if denominator is None else _comma(denominator, 0),
    ]


@dataclass(frozen=True)
class Place:
    """A territory for the partners' files: its kind, code and population groups."""

    kind: str
    code: str
    groups: list[Group]


def _places(figures: DemoFigures) -> list[Place]:
    territory = figures.territory
    places = [Place("qpv", qpv.spec.code, [figures.qpv_group(qpv)]) for qpv in territory.qpvs]
    places += [
        Place("commune", commune.spec.code, figures.commune_groups(commune.spec.code))
        for commune in territory.communes
    ]
    places += [Place("epci", epci.siren, figures.epci_groups(epci.siren)) for epci in territory.epcis]
    return places


Weight = Callable[[Group, float, int], float]


def _people(_group: Group, people: float, _year: int) -> float:
    return people


def _jobseekers(group: Group, people: float, year: int) -> float:
    return people * group.rates.at("defm", year)


def _caf_recipients(group: Group, people: float, year: int) -> float:
    return people * group.rates.at("caf", year) / 2.6  # about 2.6 people covered per recipient


def _mix(groups: list[Group], year: int, weight: Weight, rate: str) -> tuple[float, float]:
    """(numerator, denominator) of a rate over groups: the sums of weight * rate and of weight."""
    denominator = 0.0
    numerator = 0.0
    for group in groups:
        w = weight(group, group.population_at(min(year, LATEST_RP_YEAR)), year)
        denominator += w
        numerator += w * group.rates.at(rate, year)
    return numerator, denominator


def _brevet_rows(places: list[Place]) -> list[list[str]]:
    rows = []
    for year in PARTNER_YEARS:
        national = FRANCE_BREVET[year] / 100
        for place in places:
            if place.kind == "commune" and place.code not in TOWNS:
                continue  # no collège: pupils are counted where they sit the exam
            present = 0
            admitted = 0.0
            for group in place.groups:
                candidates = round(group.population_at(min(year, LATEST_RP_YEAR)) * 0.0125)
                present += candidates
                admitted += candidates * min(0.99, national + group.rates.at("brevet_gap", year))
            passed = round(admitted)
            rows.append(_long_row("CS-08", place.kind, place.code, year, 100 * passed / present, passed, present))
        rows.append(
            _long_row("CS-08", "france", FRANCE_CODE, year, FRANCE_BREVET[year], round(national * 850_000), 850_000)
        )
    return rows


def _jobseeker_rows(places: list[Place], france: Rates) -> list[list[str]]:
    rows = []
    for year in PARTNER_YEARS:
        # The national cycle (Covid in 2020) applies everywhere; the local level follows each profile.
        cycle = FRANCE_JOBSEEKERS[year] / FRANCE_JOBSEEKERS[PARTNER_YEARS[0]]
        for place in places:
            count, _ = _mix(place.groups, year, _people, "defm")
            total = round(count * cycle)
            young, weight = _mix(place.groups, year, _jobseekers, "defm_jeunes")
            long_term, _ = _mix(place.groups, year, _jobseekers, "defm_ld")
            rows.append(_long_row("DE-05", place.kind, place.code, year, total, decimals=0))
            rows.append(_long_row("DE-06", place.kind, place.code, year, None, round(young / weight * total), total))
            rows.append(
                _long_row("DE-07", place.kind, place.code, year, None, round(long_term / weight * total), total)
            )
        total = FRANCE_JOBSEEKERS[year]
        young_count = round(total * france.at("defm_jeunes", year))
        long_count = round(total * france.at("defm_ld", year))
        rows.append(_long_row("DE-05", "france", FRANCE_CODE, year, total, decimals=0))
        rows.append(_long_row("DE-06", "france", FRANCE_CODE, year, None, young_count, total))
        rows.append(_long_row("DE-07", "france", FRANCE_CODE, year, None, long_count, total))
    return rows


SOCIAL_RATES: tuple[tuple[str, str, Weight], ...] = (
    ("CS-05", "caf", _people),
    ("CS-06", "dep_caf", _caf_recipients),
    ("CS-07", "c2s", _people),
)


def _social_rows(places: list[Place], france: Rates) -> list[list[str]]:
    rows = []
    for year in RP_YEARS:
        for place in places:
            for code, rate, weight in SOCIAL_RATES:
                if code == "CS-05" and place.kind == "qpv":
                    continue  # the QPV figure comes from the INSEE workbook (PERCOU)
                numerator, denominator = _mix(place.groups, year, weight, rate)
                rows.append(_long_row(code, place.kind, place.code, year, None, numerator, denominator))
        population = FRANCE_POPULATION[year]
        recipients = population * france.at("caf", year) / 2.6
        for code, rate, base in (("CS-05", "caf", population), ("CS-06", "dep_caf", recipients)):
            rows.append(_long_row(code, "france", FRANCE_CODE, year, None, base * france.at(rate, year), base))
        covered = population * france.at("c2s", year)
        rows.append(_long_row("CS-07", "france", FRANCE_CODE, year, None, covered, population))
    return rows


def write_partner_files(directory: Path, figures: DemoFigures) -> list[IndicatorFile]:
    """Local partners' long CSVs: DSDEN (brevet), France Travail (jobseekers), CAF/CPAM, PRE (private)."""
    places = _places(figures)
    files = [
        IndicatorFile(
            _write_rows(
                directory / "dnb_resultats_val-de-sorne_2019-2024.csv", LONG_HEADER, _brevet_rows(places), bom=True
            ),
            "long_csv",
            "DSDEN du Val-de-Sorne (Éducation nationale)",
            OPEN_LICENCE,
        ),
        IndicatorFile(
            _write_rows(
                directory / "demandeurs_emploi_abc_val-de-sorne.csv",
                LONG_HEADER,
                _jobseeker_rows(places, figures.france),
            ),
            "long_csv",
            "France Travail Val-de-Sorne (STMT)",
            OPEN_LICENCE,
        ),
        IndicatorFile(
            _write_rows(
                directory / "caf_cpam_val-de-sorne_2017-2022.csv", LONG_HEADER, _social_rows(places, figures.france)
            ),
            "long_csv",
            "CAF et CPAM du Val-de-Sorne",
            OPEN_LICENCE,
        ),
    ]
    for commune_code, slug in PRE_CONTRACT.items():
        carried = [code for code, carrier in PRE_CARRIER.items() if carrier == commune_code]
        rows = []
        for year in PARTNER_YEARS:
            counts = {code: round(PRE_CHILDREN[code] * 1.04 ** (year - PARTNER_YEARS[0])) for code in carried}
            rows += [_long_row("CS-13", "qpv", code, year, count, decimals=0) for code, count in counts.items()]
            rows.append(_long_row("CS-13", "commune", commune_code, year, sum(counts.values()), decimals=0))
        name = figures.territory.commune(commune_code).spec.name
        files.append(
            IndicatorFile(
                _write_rows(directory / f"pre_enfants_suivis_{commune_code}.csv", LONG_HEADER, rows),
                "long_csv",
                f"Programme de réussite éducative de {name}",
                "données privées du contrat",
                contract_slug=slug,
            )
        )
    return files


# Indicators of the census mappings, as (numerator variables, denominator variables, scale): used for France,
# whose figures are written as values (the platform has no national census file to import).
CENSUS_INDICATORS: dict[str, tuple[tuple[str, ...], tuple[str, ...], float]] = {
    "CTX-02": (("POP0002", "POP0305", "POP0610", "POP1117", "POP1824"), ("POP",), 100.0),
    "CTX-03": (("POP0019",), ("POP6074", "POP75P"), 1.0),
    "CTX-04": (("POP_ETR",), ("POP",), 100.0),
    "CTX-05": (("C_FAMMONO",), ("C_FAM",), 100.0),
    "CTX-06": (("POP6074", "POP75P"), ("POP",), 100.0),
    "DE-01": (("ACTOCC1564",), ("POP1564",), 100.0),
    "DE-01F": (("FACTOCC1564",), ("F1564",), 100.0),
    "DE-01H": (("HACTOCC1564",), ("H1564",), 100.0),
    "DE-02": (("FACT1564",), ("F1564",), 100.0),
    "DE-03": (("CHOM1564",), ("ACT1564",), 100.0),
    "DE-03F": (("FCHOM1564",), ("FACT1564",), 100.0),
    "DE-03H": (("HCHOM1564",), ("HACT1564",), 100.0),
    "DE-04": (("CHOM1524",), ("ACT1524",), 100.0),
    "DE-08": (("SAL15P_CDD", "SAL15P_INTERIM", "SAL15P_EMPAID", "SAL15P_APPR"), ("SAL15P",), 100.0),
    "DE-09": (("C_ACTOCC1564_CS5", "C_ACTOCC1564_CS6"), ("C_ACTOCC1564",), 100.0),
    "CS-09": (("NSCOL15P_DIPLMIN",), ("NSCOL15P",), 100.0),
    "CS-10": (("SCOL1517", "SCOL1824"), ("POP1517", "POP1824"), 100.0),
    "CV-01": (("RP_LOCHLMV",), ("RP",), 100.0),
}


def census_indicator(code: str, counts: Counts) -> tuple[float, float, float]:
    """(value, numerator, denominator) of a census indicator from counts (CV-05 is households without a car)."""
    if code == "CV-05":
        numerator, denominator, scale = counts["RP"] - counts["RP_VOIT1P"], counts["RP"], 100.0
    else:
        numerator_names, denominator_names, scale = CENSUS_INDICATORS[code]
        numerator = sum(counts[name] for name in numerator_names)
        denominator = sum(counts[name] for name in denominator_names)
    return scale * numerator / denominator, numerator, denominator


def write_france(directory: Path, figures: DemoFigures) -> list[IndicatorFile]:
    """The national references: census and Filosofi figures for France, as a long CSV."""
    rows = []
    for year in RP_YEARS:
        counts = census_counts(figures.france, FRANCE_POPULATION[year], year)
        rows.append(_long_row("CTX-01", "france", FRANCE_CODE, year, FRANCE_POPULATION[year], decimals=0))
        for code in [*CENSUS_INDICATORS, "CV-05"]:
            value, numerator, denominator = census_indicator(code, counts)
            rows.append(_long_row(code, "france", FRANCE_CODE, year, value, numerator, denominator, decimals=2))
    for year in FILOSOFI_YEARS:
        income = france_income(year)
        rows.append(_long_row("CS-01", "france", FRANCE_CODE, year, income.median, decimals=0))
        rows.append(_long_row("CS-02", "france", FRANCE_CODE, year, income.poverty))
        rows.append(_long_row("CS-03", "france", FRANCE_CODE, year, income.interdecile))
        rows.append(_long_row("CS-04", "france", FRANCE_CODE, year, income.benefits))
    path = _write_rows(directory / "references_france_insee.csv", LONG_HEADER, rows)
    return [IndicatorFile(path, "long_csv", "Insee (références nationales)", OPEN_LICENCE)]


def write_indicator_files(directory: Path, territory: DemoTerritory | None = None) -> list[IndicatorFile]:
    """Write every indicator file of the demo into ``directory``; return them in import order."""
    figures = build_figures(territory)
    return [
        *write_census_iris(directory, figures),
        *write_filosofi(directory, figures),
        *write_qpv_workbooks(directory, figures),
        *write_partner_files(directory, figures),
        *write_france(directory, figures),
    ]

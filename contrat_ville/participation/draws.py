"""The random draw of a conseil citoyen's seats (issue 11 §3; loi 2014-173 art. 7, 2014 version: residents drawn by
lot « dans le respect de la parité entre les femmes et les hommes »), written so that anyone can redo it.

Pure computation, no database: the same published inputs give the same result on any machine, any database and any
Python ≥ 3.11. Algorithm ``cv-tirage-1``:

1. **Ranking.** Each candidate of the pool gets the key ``SHA-256(seed + "\\n" + identifier)`` (UTF-8, hexadecimal);
   candidates are ranked by that key. The seed is public and chosen so that nobody controls it (the published result
   of a public lottery, with its date); the pool's order does not matter.
2. **Selection with parity, per college.** Within a college, women and men are each taken in rank order and the
   seats are filled by alternation: the best-ranked candidate of the college first, then the best-ranked of the other
   sex, and so on, as many women as men; an odd last seat goes to the best-ranked candidate left, whatever their
   sex. A pool with too few women or men for parity (or too few people) is refused, in French, whatever the seed.
3. **Substitutes (liste complémentaire).** The rest of the college's candidates, by alternation from the best-ranked
   of them, up to the number asked: a member who leaves is replaced by the first substitute of the same sex, so
   parity holds.

The result carries a fingerprint (SHA-256 of its canonical JSON), to be shown with the published draw;
``manage.py verify_draw FILE`` recomputes it from the published inputs.

Algorithm ``cv-tirage-2``, for draws with **quotas** beyond sex (an age band, a neighbourhood: at least *m*, at most
*M* seats of a college), keeps step 1 and replaces step 2:

2'. **The best-ranked valid panel.** Among all the sets of seats that respect parity (as many women as men, the odd
    seat to either) and every quota of the college, the one chosen is the first in ranking order: candidates are
    taken in rank order, and each is seated if and only if the seats can still be completed validly with candidates
    ranked after them (an exhaustive search, pruned by counting). The seated members are listed in rank order. When no
    set respects every rule, the draw is refused in French, whatever the seed. Step 3 is unchanged: substitutes are
    used in order, skipping one whose seating would break a quota.

Why not the ``sortition-algorithms`` package (PyPI, evaluated for issue 11 §3): its recommended algorithms (maximin,
leximin, nash) draw from a distribution computed by floating-point solvers (HiGHS, cvxpy), whose output may change
with the solver's version or the machine, so a resident could not redo the draw; its ``legacy`` algorithm is
reproducible only through Python's process-wide ``random.seed``, shared with every other request of the process; and
it installs 40 packages (506 MB with numpy, scipy, cvxpy, gspread, google-auth) for councils of a few dozen seats.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.participation.enums import College, Sex

ALGORITHM = "cv-tirage-1"
ALGORITHM_WITH_QUOTAS = "cv-tirage-2"
ALGORITHMS = (ALGORITHM, ALGORITHM_WITH_QUOTAS)
COLLEGE_LABELS = {college.value: college.label for college in College}
# The characteristics a quota may bear on, beyond sex, with their French names.
QUOTA_FEATURES = {"age_band": "tranche d'âge", "neighbourhood": "quartier"}
# Beyond this many steps the search gives up (in French) rather than hold a web request: quotas that need it are
# contradictory in all but name. Councils of a few dozen seats stay far below it.
SEARCH_LIMIT = 200_000


@dataclass(frozen=True)
class Candidate:
    """A pooled person, anonymised: an identifier that says nothing of them, their sex, college and source list."""

    identifier: str
    sex: str
    college: str = College.RESIDENTS
    source: str = ""
    age_band: str = ""
    neighbourhood: str = ""

    def feature(self, name: str) -> str:
        return self.age_band if name == "age_band" else self.neighbourhood


@dataclass(frozen=True)
class Quota:
    """At least ``minimum`` and at most ``maximum`` of a college's seats for candidates whose ``feature`` (age band or
    neighbourhood) is ``value``."""

    college: str
    feature: str
    value: str
    minimum: int = 0
    maximum: int = 0

    def admits(self, candidate: Candidate) -> bool:
        return candidate.feature(self.feature) == self.value

    def as_dict(self) -> dict[str, Any]:
        return {
            "college": self.college,
            "feature": self.feature,
            "value": self.value,
            "minimum": self.minimum,
            "maximum": self.maximum,
        }

    def describe(self, value_label: str | None = None) -> str:
        return f"{QUOTA_FEATURES.get(self.feature, self.feature)} « {value_label or self.value} »"


@dataclass(frozen=True)
class DrawInputs:
    """Everything a draw depends on, as published: the seed, the seats per college, the number of substitutes per
    college, the pool and, with ``cv-tirage-2``, the quotas."""

    seed: str
    seats: Mapping[str, int]
    pool: tuple[Candidate, ...]
    substitutes: int = 0
    algorithm: str = ALGORITHM
    quotas: tuple[Quota, ...] = ()


@dataclass(frozen=True)
class CollegeResult:
    college: str
    seated: tuple[Candidate, ...]
    substitutes: tuple[Candidate, ...]


@dataclass(frozen=True)
class DrawResult:
    algorithm: str
    colleges: tuple[CollegeResult, ...]

    def as_dict(self) -> dict[str, Any]:
        """The result as published: per college, the identifiers of the seated members and of the substitutes, in
        order, with their sex."""
        return {
            "algorithm": self.algorithm,
            "colleges": {
                result.college: {
                    "seated": [[candidate.identifier, candidate.sex] for candidate in result.seated],
                    "substitutes": [[candidate.identifier, candidate.sex] for candidate in result.substitutes],
                }
                for result in self.colleges
            },
        }

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the result's canonical JSON (sorted keys, no spaces)."""
        canonical = json.dumps(self.as_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def rank_key(seed: str, identifier: str) -> str:
    """The ranking key of one candidate: SHA-256 of the seed, a newline and the identifier (UTF-8), in hexadecimal."""
    return hashlib.sha256(f"{seed}\n{identifier}".encode()).hexdigest()


def ranked(seed: str, candidates: Iterable[Candidate]) -> list[Candidate]:
    """``candidates`` in the order of their keys (the pool's own order plays no part)."""
    return sorted(candidates, key=lambda candidate: rank_key(seed, candidate.identifier))


def _check_inputs(inputs: DrawInputs) -> None:
    if inputs.algorithm not in ALGORITHMS:
        raise BusinessRuleError(
            f"Algorithme de tirage inconnu : « {inputs.algorithm} » (attendu : {' ou '.join(ALGORITHMS)})."
        )
    if inputs.quotas and inputs.algorithm != ALGORITHM_WITH_QUOTAS:
        raise BusinessRuleError(f"Les quotas demandent l'algorithme {ALGORITHM_WITH_QUOTAS}.")
    if not inputs.seed.strip():
        raise BusinessRuleError("Indiquez la graine publique du tirage (par exemple le résultat d'un tirage public).")
    seen: set[str] = set()
    for candidate in inputs.pool:
        if not candidate.identifier.strip():
            raise BusinessRuleError("Chaque personne du vivier a un identifiant anonyme.")
        if candidate.identifier in seen:
            raise BusinessRuleError(f"L'identifiant « {candidate.identifier} » figure deux fois dans le vivier.")
        seen.add(candidate.identifier)
        if candidate.sex not in Sex.values:
            raise BusinessRuleError(f"Sexe inconnu pour « {candidate.identifier} » : « {candidate.sex} ».")
        if candidate.college not in College.values:
            raise BusinessRuleError(f"Collège inconnu pour « {candidate.identifier} » : « {candidate.college} ».")
    for college, seats in inputs.seats.items():
        if college not in College.values:
            raise BusinessRuleError(f"Collège inconnu : « {college} ».")
        if seats < 0:
            raise BusinessRuleError("Le nombre de sièges ne peut pas être négatif.")
    if inputs.substitutes < 0:
        raise BusinessRuleError("Le nombre de suppléants ne peut pas être négatif.")
    for quota in inputs.quotas:
        check_quota(quota, inputs.seats.get(quota.college, 0))


def check_quota(quota: Quota, seats: int) -> None:
    """Refuse, in French, a quota that names no value, has its bounds upside down or asks more than the seats."""
    if quota.college not in College.values:
        raise BusinessRuleError(f"Collège inconnu : « {quota.college} ».")
    if quota.feature not in QUOTA_FEATURES:
        raise BusinessRuleError(f"Un quota porte sur la tranche d'âge ou le quartier, pas sur « {quota.feature} ».")
    if not quota.value.strip():
        raise BusinessRuleError(f"Le quota de {QUOTA_FEATURES[quota.feature]} doit nommer une valeur.")
    if quota.minimum < 0 or quota.maximum < quota.minimum:
        raise BusinessRuleError(
            f"Quota {quota.describe()} : le maximum ({quota.maximum}) doit être au moins égal au minimum "
            f"({quota.minimum}), qui ne peut pas être négatif."
        )
    if quota.minimum > seats:
        label = COLLEGE_LABELS[quota.college]
        raise BusinessRuleError(
            f"Quota {quota.describe()} : {quota.minimum} siège(s) au moins, mais le {label} n'en compte que {seats}."
        )


def _alternation(women: list[Candidate], men: list[Candidate], first: str) -> list[Candidate]:
    """Women and men interleaved, ``first`` sex first, then what is left of the longer list."""
    order: list[Candidate] = []
    queues = {Sex.FEMALE.value: list(women), Sex.MALE.value: list(men)}
    turn = first
    while queues[Sex.FEMALE] or queues[Sex.MALE]:
        if not queues[turn]:
            turn = Sex.MALE.value if turn == Sex.FEMALE.value else Sex.FEMALE.value
        order.append(queues[turn].pop(0))
        turn = Sex.MALE.value if turn == Sex.FEMALE.value else Sex.FEMALE.value
    return order


def _parity_possible(ranking: list[Candidate], seats: int, label: str) -> None:
    """Refuse, in French, a college's pool too small for its seats or for parity."""
    pairs = seats // 2
    women = sum(1 for candidate in ranking if candidate.sex == Sex.FEMALE)
    men = sum(1 for candidate in ranking if candidate.sex == Sex.MALE)
    if len(ranking) < seats:
        raise BusinessRuleError(f"Le vivier du {label} compte {len(ranking)} personne(s) pour {seats} siège(s).")
    if women < pairs or men < pairs:
        raise BusinessRuleError(
            f"Le vivier du {label} ne permet pas la parité : {seats} siège(s) demandent au moins {pairs} femme(s) "
            f"et {pairs} homme(s) ; il compte {women} femme(s) et {men} homme(s)."
        )


def _college_result(
    college: str, ranking: list[Candidate], seated: list[Candidate], substitutes: int
) -> CollegeResult:
    """The college's seats and its first ``substitutes`` substitutes: the candidates left, in ranking order,
    alternating the sexes from the best-ranked one."""
    rest = [candidate for candidate in ranking if candidate not in seated]
    reserve = (
        _alternation(
            [candidate for candidate in rest if candidate.sex == Sex.FEMALE],
            [candidate for candidate in rest if candidate.sex == Sex.MALE],
            rest[0].sex,
        )
        if rest
        else []
    )
    return CollegeResult(college=college, seated=tuple(seated), substitutes=tuple(reserve[:substitutes]))


def _draw_college(seed: str, college: str, seats: int, pool: list[Candidate], substitutes: int) -> CollegeResult:
    ranking = ranked(seed, pool)
    women = [candidate for candidate in ranking if candidate.sex == Sex.FEMALE]
    men = [candidate for candidate in ranking if candidate.sex == Sex.MALE]
    pairs = seats // 2
    _parity_possible(ranking, seats, COLLEGE_LABELS[college])
    seated = _alternation(women[:pairs], men[:pairs], ranking[0].sex) if pairs else []
    if seats % 2:
        # the odd seat: the best-ranked candidate left, whatever their sex
        seated.append(next(candidate for candidate in ranking if candidate not in seated))
    return _college_result(college, ranking, seated, substitutes)


class _PanelSearch:
    """Step 2' of ``cv-tirage-2``: the first valid set of seats in ranking order (see the module's documentation)."""

    def __init__(self, ranking: list[Candidate], seats: int, quotas: list[Quota], label: str) -> None:
        self.ranking, self.seats, self.quotas, self.label = ranking, seats, quotas, label
        self.pairs = seats // 2
        self.cap = self.pairs + seats % 2  # women (or men) may hold the odd seat
        size = len(ranking)
        # suffix[i][k]: candidates from rank i on that count for the k-th constraint (women, men, then each quota).
        tests = [lambda c: c.sex == Sex.FEMALE, lambda c: c.sex == Sex.MALE] + [quota.admits for quota in quotas]
        self.tests = tests
        self.suffix = [[0] * len(tests) for _ in range(size + 1)]
        for index in range(size - 1, -1, -1):
            for k, test in enumerate(tests):
                self.suffix[index][k] = self.suffix[index + 1][k] + (1 if test(ranking[index]) else 0)
        self.minimums = [self.pairs, self.pairs] + [quota.minimum for quota in quotas]
        self.maximums = [self.cap, self.cap] + [quota.maximum for quota in quotas]
        self.steps = 0

    def run(self) -> list[Candidate] | None:
        chosen: list[Candidate] = []
        counts = [0] * len(self.tests)
        return chosen if self._extend(0, chosen, counts) else None

    def _completable(self, index: int, chosen_count: int, counts: list[int]) -> bool:
        left = self.seats - chosen_count
        if len(self.ranking) - index < left:
            return False
        deficits_by_feature: dict[str, int] = {}
        for k, minimum in enumerate(self.minimums):
            deficit = max(0, minimum - counts[k])
            if deficit > left or self.suffix[index][k] < deficit:
                return False
            if k >= 2:
                feature = self.quotas[k - 2].feature
                deficits_by_feature[feature] = deficits_by_feature.get(feature, 0) + deficit
        sex_deficit = max(0, self.minimums[0] - counts[0]) + max(0, self.minimums[1] - counts[1])
        return sex_deficit <= left and all(total <= left for total in deficits_by_feature.values())

    def _extend(self, index: int, chosen: list[Candidate], counts: list[int]) -> bool:
        self.steps += 1
        if self.steps > SEARCH_LIMIT:
            raise BusinessRuleError(
                f"Les quotas du {self.label} sont trop nombreux ou trop serrés pour que le tirage soit calculé : "
                "élargissez les fourchettes ou retirez un quota."
            )
        if len(chosen) == self.seats:
            return all(counts[k] >= minimum for k, minimum in enumerate(self.minimums))
        if not self._completable(index, len(chosen), counts):
            return False
        candidate = self.ranking[index]
        hits = [k for k, test in enumerate(self.tests) if test(candidate)]
        if all(counts[k] < self.maximums[k] for k in hits):
            for k in hits:
                counts[k] += 1
            chosen.append(candidate)
            if self._extend(index + 1, chosen, counts):
                return True
            chosen.pop()
            for k in hits:
                counts[k] -= 1
        return self._extend(index + 1, chosen, counts)


def _quota_shortfall(pool: list[Candidate], quotas: list[Quota], seats: int) -> str:
    """Why no panel is valid, when counting alone tells it (« au moins 3 en 18 à 25 ans ; le vivier en compte 1 »)."""
    for quota in quotas:
        available = sum(1 for candidate in pool if quota.admits(candidate))
        if available < quota.minimum:
            return f" : {quota.describe()} demande au moins {quota.minimum} siège(s), le vivier en compte {available}"
    for feature, name in QUOTA_FEATURES.items():
        total = sum(quota.minimum for quota in quotas if quota.feature == feature)
        if total > seats:
            return f" : les minimums par {name} font {total} siège(s) pour {seats}"
    return ""


def _draw_college_with_quotas(
    seed: str, college: str, seats: int, pool: list[Candidate], substitutes: int, quotas: list[Quota]
) -> CollegeResult:
    ranking = ranked(seed, pool)
    label = COLLEGE_LABELS[college]
    _parity_possible(ranking, seats, label)
    seated = _PanelSearch(ranking, seats, quotas, label).run()
    if seated is None:
        raise BusinessRuleError(
            f"Le vivier du {label} ne permet pas de respecter à la fois la parité et les quotas"
            f"{_quota_shortfall(ranking, quotas, seats)}."
        )
    return _college_result(college, ranking, seated, substitutes)


def draw_run(inputs: DrawInputs) -> DrawResult:
    """The draw of ``inputs``: per college with seats, the seated members and the substitutes (see the module's
    documentation). Refused, in French, when an input is invalid or a college's pool cannot give parity (or, with
    ``cv-tirage-2``, the quotas)."""
    _check_inputs(inputs)
    results = []
    for college in College:
        seats = inputs.seats.get(college.value, 0)
        if not seats:
            continue
        pool = [candidate for candidate in inputs.pool if candidate.college == college.value]
        if inputs.algorithm == ALGORITHM_WITH_QUOTAS:
            quotas = [quota for quota in inputs.quotas if quota.college == college.value]
            results.append(
                _draw_college_with_quotas(inputs.seed, college.value, seats, pool, inputs.substitutes, quotas)
            )
        else:
            results.append(_draw_college(inputs.seed, college.value, seats, pool, inputs.substitutes))
    return DrawResult(algorithm=inputs.algorithm, colleges=tuple(results))


# --- replacements from the substitutes ---------------------------------------------------------------------


@dataclass(frozen=True)
class Replacement:
    leaving: str
    substitute: str


def seated_now(result: DrawResult, done: Iterable[Replacement]) -> dict[str, list[str]]:
    """Per college, who holds the draw's seats after the replacements ``done`` (in order): each substitute in the seat
    of the member they replaced."""
    seats: dict[str, list[str]] = {}
    for college in result.colleges:
        seated = [candidate.identifier for candidate in college.seated]
        for replacement in done:
            if replacement.leaving in seated:
                seated[seated.index(replacement.leaving)] = replacement.substitute
        seats[college.college] = seated
    return seats


def next_substitute(inputs: DrawInputs, result: DrawResult, *, leaving: str, done: Iterable[Replacement]) -> str:
    """Who replaces ``leaving``, a seated member (or one who replaced one) who leaves: the first substitute of their
    college's list, in order, of the same sex (parity holds), not called yet and — under ``cv-tirage-2`` — whose
    seating in place of the leaving member keeps every quota of the college. Refused in French when ``leaving`` is
    not seated or when the list has no one left who fits."""
    done = list(done)
    by_identifier = {candidate.identifier: candidate for candidate in inputs.pool}
    seats_now = seated_now(result, done)
    for college in result.colleges:
        seated = seats_now[college.college]
        if leaving in seated:
            break
    else:
        raise BusinessRuleError(f"« {leaving} » ne siège pas au titre de ce tirage.")
    called = {replacement.substitute for replacement in done}
    person = by_identifier[leaving]
    quotas = [quota for quota in inputs.quotas if quota.college == college.college]
    staying = [by_identifier[identifier] for identifier in seated if identifier != leaving]
    for substitute in college.substitutes:
        if substitute.identifier in called or substitute.sex != person.sex:
            continue
        panel = [*staying, substitute]
        if all(quota.minimum <= sum(quota.admits(c) for c in panel) <= quota.maximum for quota in quotas):
            return substitute.identifier
    sex = "femme" if person.sex == Sex.FEMALE else "homme"
    raise BusinessRuleError(
        f"La liste complémentaire du {COLLEGE_LABELS[college.college]} n'a plus de {sex} qui puisse remplacer "
        f"« {leaving} »{' en respectant les quotas' if quotas else ''} : un nouveau tirage est nécessaire."
    )


def result_from_dict(inputs: DrawInputs, data: Mapping[str, Any]) -> DrawResult:
    """A recorded result (``DrawResult.as_dict()``) read back against its inputs' pool."""
    by_identifier = {candidate.identifier: candidate for candidate in inputs.pool}
    return DrawResult(
        algorithm=str(data.get("algorithm", inputs.algorithm)),
        colleges=tuple(
            CollegeResult(
                college=college,
                seated=tuple(by_identifier[identifier] for identifier, _sex in outcome.get("seated", [])),
                substitutes=tuple(by_identifier[identifier] for identifier, _sex in outcome.get("substitutes", [])),
            )
            for college, outcome in dict(data.get("colleges", {})).items()
        ),
    )


# --- the published file ---------------------------------------------------------------------------------------


def inputs_from_dict(data: Mapping[str, Any]) -> DrawInputs:
    """The inputs of a published draw file (``verify_draw``): ``algorithm``, ``seed``, ``seats`` (college → number),
    ``substitutes``, ``pool`` (a list of ``{"identifier", "sex", "college", "source"}``, with ``age_band`` and
    ``neighbourhood`` under ``cv-tirage-2``) and ``quotas`` (a list of ``{"college", "feature", "value", "minimum",
    "maximum"}``)."""
    try:
        pool = tuple(
            Candidate(
                identifier=str(entry["identifier"]),
                sex=str(entry["sex"]),
                college=str(entry.get("college", College.RESIDENTS)),
                source=str(entry.get("source", "")),
                age_band=str(entry.get("age_band", "")),
                neighbourhood=str(entry.get("neighbourhood", "")),
            )
            for entry in data["pool"]
        )
        quotas = tuple(
            Quota(
                college=str(entry["college"]),
                feature=str(entry["feature"]),
                value=str(entry["value"]),
                minimum=int(entry.get("minimum", 0)),
                maximum=int(entry["maximum"]),
            )
            for entry in data.get("quotas", [])
        )
        return DrawInputs(
            seed=str(data["seed"]),
            seats={str(college): int(count) for college, count in dict(data["seats"]).items()},
            pool=pool,
            substitutes=int(data.get("substitutes", 0)),
            algorithm=str(data.get("algorithm", ALGORITHM)),
            quotas=quotas,
        )
    except (KeyError, TypeError, ValueError) as error:
        raise BusinessRuleError(f"Fichier de tirage incomplet ou mal formé ({error}).") from error


def candidate_as_dict(candidate: Candidate, *, with_features: bool) -> dict[str, str]:
    """A candidate as stored and published; the age band and neighbourhood only where quotas may use them, so that
    ``cv-tirage-1`` files keep their form."""
    entry = {
        "identifier": candidate.identifier,
        "sex": candidate.sex,
        "college": candidate.college,
        "source": candidate.source,
    }
    if with_features:
        entry |= {"age_band": candidate.age_band, "neighbourhood": candidate.neighbourhood}
    return entry


def published(inputs: DrawInputs, result: DrawResult) -> dict[str, Any]:
    """The file a draw is published as: its inputs, its result and the result's fingerprint."""
    with_quotas = inputs.algorithm == ALGORITHM_WITH_QUOTAS
    return {
        "algorithm": inputs.algorithm,
        "seed": inputs.seed,
        "seats": dict(inputs.seats),
        "substitutes": inputs.substitutes,
        **({"quotas": [quota.as_dict() for quota in inputs.quotas]} if with_quotas else {}),
        "pool": [candidate_as_dict(candidate, with_features=with_quotas) for candidate in inputs.pool],
        "result": result.as_dict(),
        "fingerprint": result.fingerprint,
    }


def verify(data: Mapping[str, Any]) -> tuple[bool, DrawResult]:
    """Redo the draw of a published file: whether its recorded result (and fingerprint) is the one its inputs give."""
    result = draw_run(inputs_from_dict(data))
    same = data.get("result") == result.as_dict() and data.get("fingerprint", result.fingerprint) == result.fingerprint
    return same, result

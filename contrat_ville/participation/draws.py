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
COLLEGE_LABELS = {college.value: college.label for college in College}


@dataclass(frozen=True)
class Candidate:
    """A pooled person, anonymised: an identifier that says nothing of them, their sex, college and source list."""

    identifier: str
    sex: str
    college: str = College.RESIDENTS
    source: str = ""


@dataclass(frozen=True)
class DrawInputs:
    """Everything a draw depends on, as published: the seed, the seats per college, the number of substitutes per
    college and the pool."""

    seed: str
    seats: Mapping[str, int]
    pool: tuple[Candidate, ...]
    substitutes: int = 0
    algorithm: str = ALGORITHM


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
    if inputs.algorithm != ALGORITHM:
        raise BusinessRuleError(f"Algorithme de tirage inconnu : « {inputs.algorithm} » (attendu : {ALGORITHM}).")
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


def _draw_college(seed: str, college: str, seats: int, pool: list[Candidate], substitutes: int) -> CollegeResult:
    ranking = ranked(seed, pool)
    women = [candidate for candidate in ranking if candidate.sex == Sex.FEMALE]
    men = [candidate for candidate in ranking if candidate.sex == Sex.MALE]
    pairs = seats // 2
    label = COLLEGE_LABELS[college]
    if len(ranking) < seats:
        raise BusinessRuleError(f"Le vivier du {label} compte {len(ranking)} personne(s) pour {seats} siège(s).")
    if len(women) < pairs or len(men) < pairs:
        raise BusinessRuleError(
            f"Le vivier du {label} ne permet pas la parité : {seats} siège(s) demandent au moins {pairs} femme(s) "
            f"et {pairs} homme(s) ; il compte {len(women)} femme(s) et {len(men)} homme(s)."
        )
    seated = _alternation(women[:pairs], men[:pairs], ranking[0].sex) if pairs else []
    rest = [candidate for candidate in ranking if candidate not in seated]
    if seats % 2:
        seated.append(rest.pop(0))  # the odd seat: the best-ranked candidate left, whatever their sex
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


def draw_run(inputs: DrawInputs) -> DrawResult:
    """The draw of ``inputs``: per college with seats, the seated members and the substitutes (see the module's
    documentation). Refused, in French, when an input is invalid or a college's pool cannot give parity."""
    _check_inputs(inputs)
    results = []
    for college in College:
        seats = inputs.seats.get(college.value, 0)
        if not seats:
            continue
        pool = [candidate for candidate in inputs.pool if candidate.college == college.value]
        results.append(_draw_college(inputs.seed, college.value, seats, pool, inputs.substitutes))
    return DrawResult(algorithm=inputs.algorithm, colleges=tuple(results))


# --- the published file ---------------------------------------------------------------------------------------


def inputs_from_dict(data: Mapping[str, Any]) -> DrawInputs:
    """The inputs of a published draw file (``verify_draw``): ``algorithm``, ``seed``, ``seats`` (college → number),
    ``substitutes`` and ``pool`` (a list of ``{"identifier", "sex", "college", "source"}``)."""
    try:
        pool = tuple(
            Candidate(
                identifier=str(entry["identifier"]),
                sex=str(entry["sex"]),
                college=str(entry.get("college", College.RESIDENTS)),
                source=str(entry.get("source", "")),
            )
            for entry in data["pool"]
        )
        return DrawInputs(
            seed=str(data["seed"]),
            seats={str(college): int(count) for college, count in dict(data["seats"]).items()},
            pool=pool,
            substitutes=int(data.get("substitutes", 0)),
            algorithm=str(data.get("algorithm", ALGORITHM)),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise BusinessRuleError(f"Fichier de tirage incomplet ou mal formé ({error}).") from error


def published(inputs: DrawInputs, result: DrawResult) -> dict[str, Any]:
    """The file a draw is published as: its inputs, its result and the result's fingerprint."""
    return {
        "algorithm": inputs.algorithm,
        "seed": inputs.seed,
        "seats": dict(inputs.seats),
        "substitutes": inputs.substitutes,
        "pool": [
            {"identifier": c.identifier, "sex": c.sex, "college": c.college, "source": c.source} for c in inputs.pool
        ],
        "result": result.as_dict(),
        "fingerprint": result.fingerprint,
    }


def verify(data: Mapping[str, Any]) -> tuple[bool, DrawResult]:
    """Redo the draw of a published file: whether its recorded result (and fingerprint) is the one its inputs give."""
    result = draw_run(inputs_from_dict(data))
    same = data.get("result") == result.as_dict() and data.get("fingerprint", result.fingerprint) == result.fingerprint
    return same, result

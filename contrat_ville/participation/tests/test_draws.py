"""The draw algorithm (issue 11 §3): reproducible from its public inputs, parity kept, refused when impossible."""

import json
import random
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.participation.draws import (
    ALGORITHM,
    Candidate,
    DrawInputs,
    draw_run,
    published,
    rank_key,
    verify,
)

SEED = "Tirage public du 14/03/2026 : 5 12 23 34 45 — étoiles 3 9"


def pool(women: int, men: int, college: str = "residents", prefix: str = "H") -> tuple[Candidate, ...]:
    return tuple(
        Candidate(identifier=f"{prefix}-{sex[0]}{number:03d}", sex=sex, college=college, source="volontaires")
        for sex, count in (("female", women), ("male", men))
        for number in range(count)
    )


def inputs(candidates, seats=None, substitutes=2, seed=SEED):
    return DrawInputs(seed=seed, seats=seats or {"residents": 6}, pool=tuple(candidates), substitutes=substitutes)


def sexes(candidates):
    return [candidate.sex for candidate in candidates]


def test_ranking_key_is_sha256_of_seed_and_identifier():
    # Documented so that anyone redoes it by hand: sha256("<seed>\n<identifier>").
    assert rank_key("graine", "A1") == "6d18b6c4439cdc83bd9904aebd18fd22b02d864163ffa72017565a0a945d75f0"
    assert rank_key("graine", "A1") != rank_key("graine", "A2") != rank_key("autre", "A1")


def test_a_known_draw_stays_the_same():
    """Pinned: a change of the algorithm changes this result, and must come with a new ``ALGORITHM`` name so that
    published draws stay verifiable."""
    result = draw_run(inputs(pool(4, 4), seats={"residents": 4}, substitutes=2))
    [residents] = result.colleges
    assert [candidate.identifier for candidate in residents.seated] == ["H-m001", "H-f001", "H-m002", "H-f002"]
    assert [candidate.identifier for candidate in residents.substitutes] == ["H-f003", "H-m003"]
    assert result.fingerprint == "ccfeaea5493264c39a4c6d3d98da47d65685921a61ff6658c23854338a2eccd1"


def test_same_inputs_same_result_whatever_the_pool_order():
    candidates = list(pool(8, 9))
    first = draw_run(inputs(candidates))
    random.Random(4).shuffle(candidates)
    second = draw_run(inputs(candidates))
    assert first == second
    assert first.fingerprint == second.fingerprint
    assert draw_run(inputs(candidates, seed=SEED + " ")).fingerprint != first.fingerprint


def test_parity_by_alternation_and_substitutes():
    result = draw_run(inputs(pool(8, 9), substitutes=4))
    [residents] = result.colleges
    assert sexes(residents.seated).count("female") == sexes(residents.seated).count("male") == 3
    seated = sexes(residents.seated)
    assert all(seated[index] != seated[index + 1] for index in range(len(seated) - 1))  # alternation
    assert len(residents.substitutes) == 4
    assert not set(residents.seated) & set(residents.substitutes)


def test_an_odd_seat_goes_to_the_best_ranked_left():
    result = draw_run(inputs(pool(1, 6), seats={"residents": 3}))
    assert sexes(result.colleges[0].seated).count("female") == 1


def test_each_college_is_drawn_from_its_own_pool():
    candidates = pool(4, 4) + pool(3, 3, college="local_actors", prefix="A")
    result = draw_run(inputs(candidates, seats={"residents": 4, "local_actors": 2}))
    residents, actors = result.colleges
    assert {candidate.college for candidate in residents.seated} == {"residents"}
    assert {candidate.college for candidate in actors.seated} == {"local_actors"}


def test_a_pool_without_parity_is_refused_in_french():
    with pytest.raises(BusinessRuleError, match="ne permet pas la parité : 6 siège\\(s\\) demandent au moins 3 femme"):
        draw_run(inputs(pool(2, 10)))
    with pytest.raises(BusinessRuleError, match="compte 4 personne\\(s\\) pour 6 siège\\(s\\)"):
        draw_run(inputs(pool(2, 2)))


@pytest.mark.parametrize(
    ("candidates", "message"),
    [
        ((Candidate("X", "female"), Candidate("X", "male")), "figure deux fois"),
        ((Candidate("X", "autre"),), "Sexe inconnu"),
        ((Candidate(" ", "female"),), "identifiant anonyme"),
        ((Candidate("X", "female", college="élus"),), "Collège inconnu"),
    ],
)
def test_invalid_pools_are_refused(candidates, message):
    with pytest.raises(BusinessRuleError, match=message):
        draw_run(inputs(candidates, seats={"residents": 1}))


def test_an_empty_seed_or_unknown_algorithm_is_refused():
    with pytest.raises(BusinessRuleError, match="graine publique"):
        draw_run(inputs(pool(3, 3), seed="  "))
    with pytest.raises(BusinessRuleError, match="Algorithme de tirage inconnu"):
        draw_run(DrawInputs(seed=SEED, seats={"residents": 2}, pool=pool(3, 3), algorithm="v0"))


@settings(max_examples=150, deadline=None)
@given(
    women=st.integers(min_value=0, max_value=25),
    men=st.integers(min_value=0, max_value=25),
    seats=st.integers(min_value=0, max_value=20),
    substitutes=st.integers(min_value=0, max_value=10),
    seed=st.text(min_size=1, max_size=40).filter(str.strip),
)
def test_property_parity_or_refusal(women, men, seats, substitutes, seed):
    """Over random pools: either the draw is refused because parity (or the pool's size) cannot be met, or every
    seat is filled with as many women as men (one more of either for an odd number), nobody twice, and the same
    inputs give the same result."""
    draw = inputs(pool(women, men), seats={"residents": seats}, substitutes=substitutes, seed=seed)
    possible = women >= seats // 2 and men >= seats // 2 and women + men >= seats
    if not possible:
        with pytest.raises(BusinessRuleError):
            draw_run(draw)
        return
    result = draw_run(draw)
    if not seats:
        assert result.colleges == ()
        return
    [college] = result.colleges
    counted = sexes(college.seated)
    assert len(counted) == seats
    assert abs(counted.count("female") - counted.count("male")) <= seats % 2
    everyone = [candidate.identifier for candidate in college.seated + college.substitutes]
    assert len(everyone) == len(set(everyone))
    assert len(college.substitutes) == min(substitutes, women + men - seats)
    assert draw_run(draw) == result


def test_verify_draw_command(tmp_path):
    draw = inputs(
        pool(5, 5) + pool(2, 2, college="local_actors", prefix="A"), seats={"residents": 4, "local_actors": 2}
    )
    file = tmp_path / "tirage.json"
    file.write_text(json.dumps(published(draw, draw_run(draw)), ensure_ascii=False), encoding="utf-8")
    out = StringIO()
    call_command("verify_draw", str(file), stdout=out)
    assert "Tirage vérifié : même résultat" in out.getvalue()
    data = json.loads(file.read_text(encoding="utf-8"))
    assert data["algorithm"] == ALGORITHM
    assert verify(data)[0]
    seated = data["result"]["colleges"]["residents"]["seated"]
    seated[0], seated[1] = seated[1], seated[0]  # a tampered order
    file.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError, match="tirage NON vérifié"):
        call_command("verify_draw", str(file), stdout=StringIO())
    file.write_text("{", encoding="utf-8")
    with pytest.raises(CommandError, match="n'est pas un fichier JSON valide"):
        call_command("verify_draw", str(file))
    with pytest.raises(CommandError, match="Fichier illisible"):
        call_command("verify_draw", str(tmp_path / "absent.json"))
    file.write_text(json.dumps({"seed": "x"}), encoding="utf-8")
    with pytest.raises(CommandError, match="Fichier de tirage incomplet"):
        call_command("verify_draw", str(file))

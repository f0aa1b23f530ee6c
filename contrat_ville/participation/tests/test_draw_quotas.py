"""Draws with quotas beyond sex (``cv-tirage-2``, issue 11 §3) and the replacement of a leaving member from the
substitutes: the best-ranked valid panel (checked against brute force), refusals in French, the published file."""

from __future__ import annotations

import itertools
import json

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.participation.draws import (
    ALGORITHM_WITH_QUOTAS,
    Candidate,
    DrawInputs,
    Quota,
    Replacement,
    draw_run,
    next_substitute,
    published,
    ranked,
    verify,
)

SEED = "Tirage public du 14/03/2026 : 5 12 23 34 45 — étoiles 3 9"
BANDS = ("18_25", "26_39", "40_59", "60_plus")


def people(spec: str, prefix: str = "P") -> tuple[Candidate, ...]:
    """``"F18_25 M40_59 …"`` → candidates P-00, P-01… of that sex and age band, in the neighbourhood « Nord »."""
    return tuple(
        Candidate(
            identifier=f"{prefix}-{index:02d}",
            sex="female" if token[0] == "F" else "male",
            age_band=token[1:],
            neighbourhood="Nord" if index % 2 else "Sud",
        )
        for index, token in enumerate(spec.split())
    )


def with_quotas(candidates, seats, quotas, substitutes=0, seed=SEED) -> DrawInputs:
    return DrawInputs(
        seed=seed,
        seats={"residents": seats},
        pool=tuple(candidates),
        substitutes=substitutes,
        algorithm=ALGORITHM_WITH_QUOTAS,
        quotas=tuple(quotas),
    )


def young(minimum: int, maximum: int) -> Quota:
    return Quota(college="residents", feature="age_band", value="18_25", minimum=minimum, maximum=maximum)


def valid(panel, seats, quotas) -> bool:
    women = sum(candidate.sex == "female" for candidate in panel)
    men = len(panel) - women
    pairs = seats // 2
    return (
        len(panel) == seats
        and women >= pairs
        and men >= pairs
        and all(quota.minimum <= sum(quota.admits(c) for c in panel) <= quota.maximum for quota in quotas)
    )


def brute_force(draw: DrawInputs) -> list[Candidate] | None:
    """The first valid panel in ranking order: ``combinations`` yields index sets in lexicographic order."""
    ranking = ranked(draw.seed, draw.pool)
    seats = draw.seats["residents"]
    for indexes in itertools.combinations(range(len(ranking)), seats):
        panel = [ranking[index] for index in indexes]
        if valid(panel, seats, draw.quotas):
            return panel
    return None


def test_quotas_are_met_where_parity_alone_would_miss_them():
    # Twelve people, only two of them 18-25: the ranking alone seats one of them with this seed.
    candidates = people("F40_59 M40_59 F26_39 M26_39 F60_plus M60_plus F40_59 M40_59 F26_39 M26_39 F18_25 M18_25")
    plain = draw_run(DrawInputs(seed=SEED, seats={"residents": 4}, pool=candidates))
    assert sum(candidate.age_band == "18_25" for candidate in plain.colleges[0].seated) == 1
    draw = with_quotas(candidates, 4, [young(2, 2)], substitutes=3)
    [college] = draw_run(draw).colleges
    assert sum(candidate.age_band == "18_25" for candidate in college.seated) == 2
    assert valid(college.seated, 4, draw.quotas)
    assert list(college.seated) == brute_force(draw)
    assert len(college.substitutes) == 3


def test_a_known_stratified_draw_stays_the_same():
    """Pinned like cv-tirage-1: changing the rule needs a new algorithm name, so that published draws still verify."""
    candidates = people("F18_25 M18_25 F26_39 M26_39 F40_59 M40_59 F60_plus M60_plus F18_25 M26_39")
    result = draw_run(with_quotas(candidates, 4, [young(1, 1)], substitutes=2))
    assert [c.identifier for c in result.colleges[0].seated] == PINNED_SEATED
    assert result.fingerprint == PINNED_FINGERPRINT


PINNED_SEATED = ["P-06", "P-09", "P-02", "P-01"]
PINNED_FINGERPRINT = "5c4bfae7c4783cd6ef2fcb9df995b14ddcdd5d8c27d137fca5d897baf0e6b512"


def test_impossible_quotas_are_refused_in_french():
    candidates = people("F18_25 M40_59 F40_59 M40_59 F26_39 M26_39")
    with pytest.raises(
        BusinessRuleError, match="tranche d'âge « 18_25 » demande au moins 2 siège\\(s\\), le vivier en compte 1"
    ):
        draw_run(with_quotas(candidates, 4, [young(2, 3)]))
    # Two 18-25 women exist, but parity and « at most 1 woman aged 40-59 »… : no valid panel at all.
    candidates = people("F18_25 F18_25 M18_25 M18_25")
    with pytest.raises(BusinessRuleError, match="ne permet pas de respecter à la fois la parité et les quotas"):
        draw_run(with_quotas(candidates, 4, [young(0, 3)]))


@pytest.mark.parametrize(
    ("quota", "message"),
    [
        (Quota("residents", "age_band", "18_25", 3, 2), "le maximum \\(2\\) doit être au moins égal au minimum"),
        (Quota("residents", "age_band", "18_25", 5, 6), "5 siège\\(s\\) au moins, mais le collège des habitants"),
        (Quota("residents", "revenu", "bas", 0, 1), "tranche d'âge ou le quartier"),
        (Quota("residents", "neighbourhood", " ", 0, 1), "doit nommer une valeur"),
    ],
)
def test_malformed_quotas_are_refused(quota, message):
    with pytest.raises(BusinessRuleError, match=message):
        draw_run(with_quotas(people("F18_25 M18_25 F26_39 M26_39"), 4, [quota]))


def test_quotas_need_the_second_algorithm():
    draw = DrawInputs(seed=SEED, seats={"residents": 2}, pool=people("F18_25 M18_25"), quotas=(young(0, 1),))
    with pytest.raises(BusinessRuleError, match="cv-tirage-2"):
        draw_run(draw)


@settings(max_examples=120, deadline=None)
@given(
    spec=st.lists(st.tuples(st.sampled_from("FM"), st.sampled_from(BANDS)), min_size=0, max_size=11),
    seats=st.integers(min_value=1, max_value=6),
    bounds=st.lists(
        st.tuples(st.sampled_from(BANDS), st.integers(0, 3), st.integers(0, 4)),
        min_size=0,
        max_size=3,
        unique_by=lambda b: b[0],
    ),
    by_neighbourhood=st.tuples(st.integers(0, 3), st.integers(0, 6)),
    seed=st.text(min_size=1, max_size=20).filter(str.strip),
)
def test_property_the_best_ranked_valid_panel_or_a_refusal(spec, seats, bounds, by_neighbourhood, seed):
    """Over random pools and quotas: the draw seats exactly the first valid panel in ranking order that brute force
    finds, or refuses when brute force finds none; the same inputs give the same result and the file verifies."""
    candidates = people(" ".join(f"{sex}{band}" for sex, band in spec))
    quotas = [
        Quota("residents", "age_band", band, minimum, maximum)
        for band, minimum, maximum in bounds
        if minimum <= maximum and minimum <= seats
    ]
    low, high = by_neighbourhood
    if low <= high and low <= seats:
        quotas.append(Quota("residents", "neighbourhood", "Nord", low, high))
    draw = with_quotas(candidates, seats, quotas, substitutes=2, seed=seed)
    expected = brute_force(draw)
    event("refusé" if expected is None else "tiré")
    if expected is None:
        with pytest.raises(BusinessRuleError):
            draw_run(draw)
        return
    result = draw_run(draw)
    assert list(result.colleges[0].seated) == expected
    assert draw_run(draw) == result
    assert verify(json.loads(json.dumps(published(draw, result))))[0]


def test_the_published_file_carries_quotas_and_features_and_verifies():
    candidates = people("F18_25 M18_25 F26_39 M26_39 F40_59 M40_59")
    draw = with_quotas(candidates, 2, [young(1, 2)])
    data = json.loads(json.dumps(published(draw, draw_run(draw))))
    assert data["algorithm"] == "cv-tirage-2"
    assert data["quotas"] == [
        {"college": "residents", "feature": "age_band", "value": "18_25", "minimum": 1, "maximum": 2}
    ]
    assert data["pool"][0]["age_band"] == "18_25"
    assert verify(data)[0]
    data["quotas"][0]["minimum"] = 0  # other inputs, another result: not verified
    data["quotas"][0]["maximum"] = 0
    assert not verify(data)[0]


def test_a_leaving_member_is_replaced_by_the_first_substitute_of_the_same_sex_who_keeps_the_quotas():
    candidates = people("F18_25 M18_25 F26_39 M26_39 F40_59 M40_59 F18_25 M60_plus F26_39 M18_25")
    draw = with_quotas(candidates, 4, [young(1, 2)], substitutes=6)
    result = draw_run(draw)
    [college] = result.colleges
    leaving = college.seated[0]
    chosen = next_substitute(draw, result, leaving=leaving.identifier, done=[])
    substitute = next(c for c in college.substitutes if c.identifier == chosen)
    assert substitute.sex == leaving.sex
    staying = [c for c in college.seated if c != leaving]
    assert valid([*staying, substitute], 4, draw.quotas)
    # Those before it in the list were of the other sex or would break a quota.
    for earlier in college.substitutes[: college.substitutes.index(substitute)]:
        assert earlier.sex != leaving.sex or not valid([*staying, earlier], 4, draw.quotas)
    # The substitute now sits: they may leave in turn, and a called substitute is not called twice.
    done = [Replacement(leaving=leaving.identifier, substitute=chosen)]
    second = next_substitute(draw, result, leaving=chosen, done=done)
    assert second != chosen
    with pytest.raises(BusinessRuleError, match="ne siège pas"):
        next_substitute(draw, result, leaving=leaving.identifier, done=done)


def test_an_exhausted_list_asks_for_a_new_draw():
    candidates = people("F26_39 M26_39 F40_59 M40_59")
    draw = with_quotas(candidates, 2, [], substitutes=2)
    result = draw_run(draw)
    [college] = result.colleges
    woman = next(c for c in college.seated if c.sex == "female")
    first = next_substitute(draw, result, leaving=woman.identifier, done=[])
    done = [Replacement(leaving=woman.identifier, substitute=first)]
    with pytest.raises(BusinessRuleError, match=r"n'a plus de femme .* un nouveau tirage est nécessaire"):
        next_substitute(draw, result, leaving=first, done=done)

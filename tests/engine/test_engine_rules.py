"""The rules of docs/engine.md §1–§9, case by case."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from engine_cases import ALICE, BOB, T0, at, holding

from mutual.engine import (
    BreachReported,
    DeceptionConfirmed,
    Params,
    Rated,
    ReadinessChanged,
    RepairRound,
    Trust,
    apply,
    classify,
    decay,
    gate,
    new_bond,
    responsiveness,
    scar_at,
    stake,
    trust,
    trust_delta,
)

# ---------------------------------------------------------------------------------------
# §1 Stake


@pytest.mark.parametrize(
    ("depth", "factual", "emotional"),
    [(0, 0.3, 0.45), (1, 0.5, 0.75), (2, 0.8, 1.2), (3, 1.2, 1.8), (4, 1.6, 2.4)],
    ids=["surface", "personal", "meaningful", "tender", "core"],
)
def test_stake_table(depth: int, factual: float, emotional: float) -> None:
    assert stake(depth, emotional=False) == pytest.approx(factual)
    assert stake(depth, emotional=True) == pytest.approx(emotional)


def test_stake_follows_the_parameters() -> None:
    params = Params(stake_by_depth=(1.0, 2.0, 3.0, 4.0, 5.0), emotional_factor=2.0)
    assert stake(2, emotional=True, params=params) == 6.0


# ---------------------------------------------------------------------------------------
# §2 Responsiveness


@pytest.mark.parametrize(
    ("ratings", "q", "outcome"),
    [
        ((7, 7, 7), 1.0, "honored"),
        ((6, 6, 6), 0.8333, "honored"),
        ((5, 5, 4), 0.6111, "honored"),
        ((5, 4, 4), 0.5556, "missed"),
        ((4, 4, 4), 0.5, "missed"),
        ((3, 3, 3), 0.3333, "missed"),
        ((3, 3, 2), 0.2778, "dishonored"),
        ((2, 2, 1), 0.1111, "dishonored"),
        ((1, 1, 1), 0.0, "dishonored"),
    ],
    ids=lambda v: "-".join(map(str, v)) if isinstance(v, tuple) else None,
)
def test_responsiveness_table(ratings: tuple[int, int, int], q: float, outcome: str) -> None:
    got = responsiveness(*ratings)
    assert got == pytest.approx(q, abs=5e-5)
    assert classify(got) == outcome


@pytest.mark.parametrize(
    ("q", "outcome"),
    [(0.6, "honored"), (0.5999, "missed"), (0.3001, "missed"), (0.3, "dishonored")],
)
def test_thresholds_belong_to_honored_and_dishonored(q: float, outcome: str) -> None:
    assert classify(q) == outcome


# ---------------------------------------------------------------------------------------
# §3 Trust


@pytest.mark.parametrize(
    ("alpha", "beta", "expected", "lower"),
    [
        (1, 1, 0.5, 0.2),
        (2, 1, 0.6667, 0.4472),
        (1, 2, 0.3333, 0.1056),
        (3, 1, 0.75, 0.5848),
        (4, 4, 0.5, 0.3501),
        (5, 2, 0.7143, 0.5776),
        (10, 2, 0.8333, 0.7514),
        (20, 3, 0.8696, 0.8154),
    ],
)
def test_lower_bound_table(alpha: float, beta: float, expected: float, lower: float) -> None:
    view = trust(holding(alpha, beta), ALICE, T0)
    assert view.expected == pytest.approx(expected, abs=5e-5)
    assert view.lower == pytest.approx(lower, abs=5e-5)
    assert view.effective == view.expected
    assert view.effective_lower == view.lower


def test_dishonor_emotional_depth2_q01() -> None:
    w = stake(2, emotional=True)
    gain, loss = trust_delta(0.1, w)
    assert gain == 0.0
    assert loss == pytest.approx(1.6)
    before = trust(holding(8.2, 1.8), ALICE, T0)
    after = trust(holding(8.2, 1.8 + loss), ALICE, T0)
    assert before.expected == pytest.approx(0.82)
    assert before.lower == pytest.approx(0.7276, abs=5e-5)
    assert after.expected == pytest.approx(0.7069, abs=5e-5)
    assert after.lower == pytest.approx(0.5983, abs=5e-5)


#: (id, before α, before β, depth, emotional, costly, ratings, q, Δα, Δβ, E after, L after)
TRUST_UPDATES = [
    ("honor_factual_depth0_q1", 1, 1, 0, False, False, (7, 7, 7), 1.0, 0.3, 0, 0.5652, 0.29),
    (
        "honor_factual_depth1_q0611",
        *(1, 1, 1, False, False, (5, 5, 4), 0.6111, 0.1111, 0, 0.5263, 0.2349),
    ),
    ("honor_emotional_depth3_q1", 1, 1, 3, True, False, (7, 7, 7), 1.0, 1.8, 0, 0.7368, 0.5628),
    (
        "honor_emotional_depth2_q0944",
        *(4, 1.5, 2, True, False, (7, 7, 6), 0.9444, 1.0667, 0, 0.7716, 0.6453),
    ),
    (
        "honor_costly_emotional_depth2_q0944",
        *(4, 1.5, 2, True, True, (7, 7, 6), 0.9444, 1.6, 0, 0.7887, 0.6717),
    ),
    ("missed_factual_depth2_q05", 4, 1.5, 2, False, False, (4, 4, 4), 0.5, 0, 0.2, 0.7018, 0.5482),
    ("dishonor_factual_depth1_q0", 1, 1, 1, False, False, (1, 1, 1), 0.0, 0, 1.0, 0.3333, 0.1056),
    (
        "dishonor_emotional_depth2_q0111",
        *(8.2, 1.8, 2, True, False, (1, 2, 2), 0.1111, 0, 1.5111, 0.7124, 0.6042),
    ),
    (
        "dishonor_emotional_depth3_q0111",
        *(6, 2, 3, True, False, (2, 2, 1), 0.1111, 0, 2.2667, 0.5844, 0.4558),
    ),
]


@pytest.mark.parametrize(
    (
        "alpha",
        "beta",
        "depth",
        "emotional",
        "costly",
        "ratings",
        "q",
        "d_alpha",
        "d_beta",
        "e",
        "lower",
    ),
    [row[1:] for row in TRUST_UPDATES],
    ids=[row[0] for row in TRUST_UPDATES],
)
def test_trust_update_table(
    alpha: float,
    beta: float,
    depth: int,
    emotional: bool,
    costly: bool,
    ratings: tuple[int, int, int],
    q: float,
    d_alpha: float,
    d_beta: float,
    e: float,
    lower: float,
) -> None:
    """Alice rates Bob's response to her revelation; only her trust in Bob moves."""
    state = holding(alpha, beta)
    rated = Rated(T0, ALICE, depth, "hurts", emotional, *ratings, costly=costly)
    after = apply(state, rated)
    assert responsiveness(*ratings) == pytest.approx(q, abs=5e-5)
    assert after.a.trust.alpha == pytest.approx(alpha + d_alpha, abs=5e-5)
    assert after.a.trust.beta == pytest.approx(beta + d_beta, abs=5e-5)
    view = trust(after, ALICE, T0)
    assert view.expected == pytest.approx(e, abs=5e-5)
    assert view.lower == pytest.approx(lower, abs=5e-5)
    assert after.b == state.b


def test_honored_response_adds_honored_exposure_and_cell() -> None:
    after = apply(new_bond(), Rated(T0, ALICE, 2, "dreams", True, 7, 7, 6))
    assert after.a.honored == pytest.approx(1.2 * 17 / 18)
    assert after.a.cells == {(2, "dreams")}


@pytest.mark.parametrize("ratings", [(4, 4, 4), (1, 1, 1)], ids=["missed", "dishonored"])
def test_only_honored_responses_count_as_honored_exposure(ratings: tuple[int, int, int]) -> None:
    after = apply(new_bond(), Rated(T0, ALICE, 2, "dreams", True, *ratings))
    assert after.a.honored == 0.0
    assert after.a.cells == frozenset()


def test_dishonor_at_exactly_the_threshold_adds_nothing() -> None:
    assert trust_delta(0.3, 1.0) == (0.0, 0.0)


# ---------------------------------------------------------------------------------------
# §4 Strain


def test_strain_costly_honor() -> None:
    w = stake(2, emotional=True)
    q = responsiveness(7, 7, 6)
    easy, _ = trust_delta(q, w, costly=False)
    costly, _ = trust_delta(q, w, costly=True)
    assert easy == pytest.approx(1.0667, abs=5e-5)
    assert costly == pytest.approx(1.6)
    assert costly == pytest.approx(1.5 * easy)


@pytest.mark.parametrize("q", [0.5, 0.0], ids=["missed", "dishonored"])
def test_strain_never_weighs_a_missed_or_dishonored_response(q: float) -> None:
    assert trust_delta(q, 1.2, costly=True) == trust_delta(q, 1.2, costly=False)


# ---------------------------------------------------------------------------------------
# §5 Asymmetry


def test_asymmetry_full_strength() -> None:
    w = stake(2, emotional=False)
    honor = trust_delta(1.0, w)
    dishonor = trust_delta(0.0, w)
    assert honor == pytest.approx((0.8, 0.0))
    assert dishonor == pytest.approx((0.0, 1.6))
    prior = trust(holding(1, 1), ALICE, T0).expected
    up = trust(holding(1 + honor[0], 1), ALICE, T0).expected
    down = trust(holding(1, 1 + dishonor[1]), ALICE, T0).expected
    assert up - prior == pytest.approx(0.1429, abs=5e-5)
    assert down - prior == pytest.approx(-0.2222, abs=5e-5)


# ---------------------------------------------------------------------------------------
# §6 Breach


def test_breach_steps_back() -> None:
    state = holding(6, 1.5, open_depth=3)
    state = apply(state, ReadinessChanged(T0, ALICE, True))
    state = apply(state, ReadinessChanged(T0, BOB, True))
    before = trust(state, ALICE, T0)
    assert (before.expected, round(before.lower, 4)) == (0.8, 0.6892)
    after = apply(state, BreachReported(T0, ALICE, depth=3, emotional=True))
    view = trust(after, ALICE, T0)
    assert (view.alpha, view.beta) == pytest.approx((6.0, 10.5))
    assert view.expected == pytest.approx(0.3636, abs=5e-5)
    assert view.lower == pytest.approx(0.2625, abs=5e-5)
    assert after.open_depth == 2
    assert not after.a.ready
    assert not after.b.ready
    assert after.b.trust == state.b.trust


def test_breach_at_surface() -> None:
    after = apply(holding(6, 1.5), BreachReported(T0, ALICE, depth=1))
    assert trust(after, ALICE, T0).expected == pytest.approx(0.6)
    assert after.open_depth == 0


# ---------------------------------------------------------------------------------------
# §7 Deception scar


@pytest.mark.parametrize(
    ("days", "sigma", "effective"),
    [(0, 0.2, 0.6), (182.5, 0.1414, 0.6439), (365, 0.1, 0.675), (730, 0.05, 0.7125)],
)
def test_scar_halves_yearly(days: float, sigma: float, effective: float) -> None:
    scarred = apply(holding(6, 2), DeceptionConfirmed(T0, ALICE))
    scar = scar_at(scarred.a.trust, at(days))
    assert scar == pytest.approx(sigma, abs=5e-5)
    # Evidence held still for the example: E stays 0.75, only the scar fades.
    assert 0.75 * (1 - scar) == pytest.approx(effective, abs=5e-5)


def test_scar_reads_in_the_trust_view() -> None:
    scarred = apply(holding(6, 2), DeceptionConfirmed(T0, ALICE))
    view = trust(scarred, ALICE, T0)
    assert view.scar == pytest.approx(0.2)
    assert view.effective == pytest.approx(0.6)
    assert view.effective_lower == pytest.approx(view.lower * 0.8)
    assert trust(scarred, BOB, T0).scar == 0.0


def test_scar_twice() -> None:
    once = apply(holding(6, 2), DeceptionConfirmed(T0, ALICE))
    twice = apply(once, DeceptionConfirmed(at(days=365), ALICE))
    assert twice.a.trust.scar == pytest.approx(0.28)
    assert scar_at(twice.a.trust, at(days=365)) == pytest.approx(0.28)
    assert scar_at(twice.a.trust, at(days=730)) == pytest.approx(0.14)


def test_scar_closes_gate() -> None:
    state = holding(8, 2, open_depth=2)
    state = replace(
        state,
        a=replace(state.a, cells=frozenset({(2, "values")}), ready=True),
        b=replace(state.b, trust=Trust(8, 2, T0), cells=frozenset({(2, "needs")})),
    )
    assert gate(state, T0).reasons == ("ready_b",)
    scarred = apply(state, DeceptionConfirmed(T0, ALICE))
    assert trust(scarred, ALICE, T0).effective_lower == pytest.approx(0.5618, abs=5e-5)
    assert gate(scarred, T0).reasons == ("trust_a", "ready_b")
    both_ready = apply(scarred, ReadinessChanged(T0, BOB, True))
    assert both_ready.open_depth == 2
    assert gate(both_ready, T0).reasons == ("trust_a",)


def test_scar_without_a_date_does_not_fade() -> None:
    assert scar_at(Trust(scar=0.2), at(days=365)) == 0.2


# ---------------------------------------------------------------------------------------
# §8 Repair


def test_repair_both_understood() -> None:
    after = apply(new_bond(), RepairRound(T0, understood_a=6, understood_b=5))
    assert (after.a.trust.alpha, after.b.trust.alpha) == (1.5, 1.5)
    assert trust(after, ALICE, T0).expected == pytest.approx(0.6)
    assert trust(after, BOB, T0).expected == pytest.approx(0.6)


def test_repair_costly() -> None:
    after = apply(new_bond(), RepairRound(T0, understood_a=6, understood_b=5, costly_by_b=True))
    assert after.a.trust.alpha == 1.75
    assert after.b.trust.alpha == 1.5
    assert trust(after, ALICE, T0).expected == pytest.approx(0.6364, abs=5e-5)
    mirrored = apply(new_bond(), RepairRound(T0, 6, 5, costly_by_a=True))
    assert (mirrored.a.trust.alpha, mirrored.b.trust.alpha) == (1.5, 1.75)


@pytest.mark.parametrize(("understood_a", "understood_b"), [(6, 4), (4, 6), (1, 1)])
def test_repair_one_not_understood(understood_a: int, understood_b: int) -> None:
    state = new_bond()
    after = apply(state, RepairRound(T0, understood_a, understood_b))
    assert (after.a, after.b) == (state.a, state.b)


# ---------------------------------------------------------------------------------------
# §9 Forgetting


@pytest.mark.parametrize(
    ("weeks", "alpha", "beta", "expected", "lower"),
    [
        (0, 9, 3, 0.75, 0.6499),
        (13, 6.6569, 2.4142, 0.7339, 0.6166),
        (26, 5, 2, 0.7143, 0.5776),
        (52, 3, 1.5, 0.6667, 0.4863),
        (104, 1.5, 1.125, 0.5714, 0.3147),
    ],
)
def test_forget_26_weeks(
    weeks: int, alpha: float, beta: float, expected: float, lower: float
) -> None:
    when = T0 + timedelta(weeks=weeks)
    faded = decay(Trust(9, 3, T0), when)
    assert faded.alpha == pytest.approx(alpha, abs=5e-5)
    assert faded.beta == pytest.approx(beta, abs=5e-5)
    assert faded.as_of == when
    view = trust(holding(9, 3), ALICE, when)
    assert view.expected == pytest.approx(expected, abs=5e-5)
    assert view.lower == pytest.approx(lower, abs=5e-5)


def test_forgetting_never_runs_backwards() -> None:
    t = Trust(9, 3, at(days=10))
    assert decay(t, at(days=5)) == t


def test_forgetting_starts_from_the_first_evidence() -> None:
    fresh = Trust(2, 1)
    assert decay(fresh, T0) == Trust(2, 1, T0)


def test_evidence_is_decayed_before_new_evidence_is_added() -> None:
    state = holding(9, 3)
    later = apply(state, Rated(T0 + timedelta(weeks=26), ALICE, 0, "joys", False, 7, 7, 7))
    assert later.a.trust.alpha == pytest.approx(5.3)
    assert later.a.trust.beta == pytest.approx(2.0)


def test_forgetting_moves_toward_a_researchers_prior() -> None:
    params = Params(prior_alpha=2.0, prior_beta=2.0)
    assert new_bond(params).a.trust == Trust(2.0, 2.0, rest_alpha=2.0, rest_beta=2.0)
    start = Trust(6.0, 2.0, T0, rest_alpha=2.0, rest_beta=2.0)
    faded = decay(start, T0 + timedelta(weeks=26), params)
    assert (faded.alpha, faded.beta) == (4.0, 2.0)

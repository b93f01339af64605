"""Every range the formulas assume is enforced by ``Params`` (docs/engine.md §17), and
within those ranges the rules keep their promises, whatever the numbers."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from engine_cases import ALICE, PROPERTY, T0, event_lists, holding
from hypothesis import given
from hypothesis import strategies as st

from mutual.engine import (
    DEFAULT_PARAMS,
    Event,
    Params,
    Rated,
    Revealed,
    apply,
    classify,
    fold,
    mutual_index,
    responsiveness,
    trust,
)

unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@st.composite
def valid_params(draw: st.DrawFn) -> Params:
    """Any parameters the formulas allow."""
    d, o, h = sorted(draw(st.lists(unit, min_size=3, max_size=3)))
    d = max(d, 0.01)
    o = max(o, d)
    h = max(h, o + 0.01)
    if h > 1.0:
        d, o, h = 0.3, 0.5, 0.6
    stakes = sorted(draw(st.lists(st.floats(0.05, 5.0), min_size=5, max_size=5)))
    thresholds = sorted(draw(st.lists(st.floats(0.0, 0.95), min_size=4, max_size=4)))
    return Params(
        stake_by_depth=tuple(stakes),
        emotional_factor=draw(st.floats(1.0, 3.0)),
        honored_at=h,
        dishonored_at=d,
        honor_origin=o,
        missed_weight=draw(st.floats(0.0, 2.0)),
        receiver_gain=draw(st.floats(0.0, 2.0)),
        strain_weight=draw(st.floats(1.0, 3.0)),
        loss_factor=draw(st.floats(1.0, 5.0)),
        breach_factor=draw(st.floats(0.0, 10.0)),
        scar=draw(st.floats(0.0, 0.9)),
        evidence_half_life=timedelta(days=draw(st.floats(1.0, 1000.0))),
        impression_span=draw(st.floats(0.0, 50.0)),
        present_half_life=timedelta(days=draw(st.floats(1.0, 1000.0))),
        prior_alpha=draw(st.floats(0.1, 5.0)),
        prior_beta=draw(st.floats(0.1, 5.0)),
        gate_thresholds=(0.0, *thresholds),
        index_scale=draw(st.floats(0.1, 100.0)),
        closeness_scale=draw(st.floats(0.1, 100.0)),
    )


@PROPERTY
@given(params=valid_params(), total=st.integers(3, 21), depth=st.integers(0, 4))
def test_every_outcome_moves_trust_its_own_way(params: Params, total: int, depth: int) -> None:
    """An honor never lowers trust, a miss or a dishonor never raises it."""
    scores = (min(7, max(1, total - 2 * (total // 3))), total // 3, total // 3)
    scores = (scores[0], max(1, scores[1]), max(1, scores[2]))
    state = holding(3.0, 2.0)
    before = trust(state, ALICE, T0, params).expected
    rated = Rated(T0, ALICE, depth, "hurts", False, *scores)
    after = trust(apply(state, rated, params), ALICE, T0, params).expected
    outcome = classify(responsiveness(*scores), params)
    if outcome == "honored":
        assert after >= before
    else:
        assert after <= before
        if outcome == "missed" and params.missed_weight > 1e-6:
            assert after < before


@PROPERTY
@given(params=valid_params(), events=event_lists(max_size=25))
def test_the_index_stays_in_its_range_for_any_valid_parameters(
    params: Params, events: list[Event]
) -> None:
    state = fold(events, params)
    when = state.as_of or T0
    index = mutual_index(state, when, params)
    assert 0.0 <= index < 100.0
    for side in ("a", "b"):
        view = trust(state, side, when, params)  # type: ignore[arg-type]
        assert 0.0 < view.expected < 1.0


@PROPERTY
@given(params=valid_params())
def test_being_confided_in_never_lowers_the_receivers_trust(params: Params) -> None:
    state = holding(2.0, 2.0, holder="b")
    after = apply(state, Revealed(T0, ALICE, 3, "fears", True), params)
    assert trust(after, "b", T0, params).expected >= trust(state, "b", T0, params).expected


def test_an_honored_reply_raises_trust_when_honored_at_is_low() -> None:
    """The first model hard-coded 0.5: ``honored_at = 0.4`` made honors lower trust."""
    params = Params(honored_at=0.4, honor_origin=0.35, dishonored_at=0.3)
    state = holding(1.0, 1.0)
    rated = Rated(T0, ALICE, 1, "joys", False, 4, 4, 3)  # q = 0.4444: honored
    assert classify(responsiveness(4, 4, 3), params) == "honored"
    assert trust(apply(state, rated, params), ALICE, T0, params).expected > 0.5


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"stake_by_depth": (0.3, 0.5, 0.0, 1.2, 1.6)}, "every stake must be positive"),
        ({"stake_by_depth": (0.3, 0.5, 0.8, 0.7, 1.6)}, "deeper stake"),
        ({"emotional_factor": 0.9}, "emotional_factor must be at least 1"),
        ({"honor_origin": 0.6}, "honor_origin < honored_at"),
        ({"honor_origin": 0.2}, "dishonored_at ≤ honor_origin"),
        ({"missed_weight": -0.1}, "missed_weight must be at least 0"),
        ({"receiver_gain": -1.0}, "receiver_gain must be at least 0"),
        ({"impression_span": -0.5}, "impression_span must be at least 0"),
        ({"strain_weight": 0.5}, "strain_weight must be at least 1"),
        ({"loss_factor": 0.5}, "loss_factor must be at least 1"),
        ({"scar": 1.0}, "scar must lie between 0 and below 1"),
        ({"scar_half_life": timedelta(0)}, "scar_half_life must be a positive"),
        ({"present_half_life": timedelta(days=-1)}, "present_half_life must be a positive"),
        ({"attunement_window": timedelta(0)}, "attunement_window must be a positive"),
        ({"sitting_gap": timedelta(0)}, "sitting_gap must be a positive"),
        ({"core_span": timedelta(hours=-1)}, "core_span must not be negative"),
        ({"gate_thresholds": (0.0, 0.3, 0.45, 0.6, 1.0)}, "gate threshold must lie"),
        ({"gate_thresholds": (0.0, 0.5, 0.45, 0.6, 0.75)}, "deeper gate threshold"),
        ({"core_depth": 0}, "core_depth must be one of the depths 1–4"),
        ({"core_sittings": 0}, "core_sittings must be at least 1"),
        ({"closeness_partner": -0.1}, "closeness_partner must be at least 0"),
        ({"closeness_reciprocity": -0.1}, "closeness_reciprocity must be at least 0"),
        ({"index_scale": 0.0}, "index_scale must be positive"),
        ({"closeness_scale": -1.0}, "closeness_scale must be positive"),
        ({"balance_threshold": 1.5}, "balance_threshold must lie between 0 and 1"),
        ({"balance_min_revelations": -1}, "balance_min_revelations must not be negative"),
        ({"breadth_min_depth": 5}, "breadth_min_depth must be one of the depths 0–4"),
        ({"index_step": 0}, "index_step must be a whole number"),
    ],
)
def test_params_outside_their_ranges_are_refused(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        replace(DEFAULT_PARAMS, **change)


def test_expectations_start_a_bond_but_forgetting_returns_to_the_first_impression() -> None:
    from mutual.engine import new_bond

    wary = new_bond(expect_a=(1.0, 3.0))
    assert trust(wary, ALICE, T0).expected == 0.25
    assert trust(wary, "b", T0).expected == 0.5
    # The first rating (Δα = 0.3 · (0.6111 − 0.5)/0.5) is the whole of the first
    # impression: ten years on, trust rests there, not at the wary start.
    later = apply(wary, Rated(T0, ALICE, 0, "joys", False, 5, 5, 4))
    assert later.a.trust.rest_alpha == pytest.approx(1.0 + 0.3 * 0.1111 / 0.5, abs=1e-4)
    far = T0 + timedelta(days=3650)
    assert trust(later, ALICE, far).expected == pytest.approx(1.0667 / 2.0667, abs=1e-3)
    with pytest.raises(ValueError, match="expectation"):
        new_bond(expect_b=(0.0, 1.0))

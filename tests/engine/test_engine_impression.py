"""The first impression (docs/engine.md §9): what forgetting returns trust to forms in a
bond's first exchanges and then settles, so an early breach outlasts a late one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from engine_cases import ALICE, PROPERTY, T0, at, event_lists
from hypothesis import given
from hypothesis import strategies as st
from test_engine_params import valid_params

from mutual.engine import (
    BreachReported,
    Event,
    Params,
    Rated,
    Revealed,
    decay,
    fold,
    new_bond,
    shared_trust,
    trust,
)


def _honors(first_day: int, days: int) -> list[Event]:
    """One honored factual depth-2 revelation of Alice's a day (``w = 0.8``, ``Δα = 0.8``)."""
    events: list[Event] = []
    for day in range(first_day, first_day + days):
        events += [
            Revealed(at(day), ALICE, 2, "values"),
            Rated(at(day), ALICE, 2, "values", False, 7, 7, 7),
        ]
    return events


EARLY = [*_honors(0, 2), BreachReported(at(2), ALICE, 2, False), *_honors(3, 18)]
LATE = [*_honors(0, 20), BreachReported(at(20), ALICE, 2, False)]


@pytest.mark.parametrize(
    ("span", "early", "late"),
    [
        pytest.param(4.0, (7.7705, 3.8571, 0.7519), (7.7705, 1.8, 0.7768), id="impression"),
        pytest.param(0.0, (1.0, 1.0, 0.7647), (1.0, 1.0, 0.755), id="no_impression"),
    ],
)
def test_first_impression_lasts(
    span: float, early: tuple[float, float, float], late: tuple[float, float, float]
) -> None:
    """The same breach (``β += 4``) and the same twenty honors, the breach on the third
    day or after the twentieth; trust read at one shared moment, day 120."""
    params = Params(impression_span=span)
    for events, (rest_alpha, rest_beta, expected) in ((EARLY, early), (LATE, late)):
        state = fold(events, params)
        assert state.a.trust.seen == pytest.approx(16.0)  # a report is not seen
        assert state.a.trust.rest_alpha == pytest.approx(rest_alpha, abs=5e-5)
        assert state.a.trust.rest_beta == pytest.approx(rest_beta, abs=5e-5)
        assert trust(state, ALICE, at(120), params).expected == pytest.approx(expected, abs=5e-5)


def test_the_first_evidence_is_the_whole_first_impression() -> None:
    state = fold([Revealed(T0, ALICE, 0, "joys"), Rated(T0, ALICE, 0, "joys", False, 7, 7, 7)])
    t = state.a.trust
    assert (t.rest_alpha, t.rest_beta, t.seen) == pytest.approx((1.3, 1.0, 0.3))
    # The next piece of evidence is taken in by c/(c + seen) = 4/4.3.
    state = fold([Rated(T0, ALICE, 0, "joys", False, 7, 7, 7)], initial=state)
    assert state.a.trust.rest_alpha == pytest.approx(1.3 + 0.3 * 4.0 / 4.3)
    assert state.b.trust.rest_alpha == pytest.approx(1.0 + 0.2 * 0.3)  # Bob was confided in


def test_a_breach_in_the_impression_stays_out_of_the_shared_index() -> None:
    """What a report put into the impression is the reporter's alone (DESIGN §3)."""
    reported = fold([BreachReported(T0, ALICE, 2, False), *_honors(1, 3)])
    assert reported.a.trust.reported_rest == pytest.approx(4.0)
    far = T0 + timedelta(days=3650)
    plain = fold(_honors(1, 3))
    assert reported.a.trust.seen == plain.a.trust.seen  # a report is not evidence seen
    for when in (at(3), far):
        assert shared_trust(reported, ALICE, when) == pytest.approx(
            shared_trust(plain, ALICE, when), rel=1e-12
        )
    assert trust(reported, ALICE, far).expected < 0.4


@PROPERTY
@given(params=valid_params(), events=event_lists(), later=st.floats(0.0, 5000.0))
def test_forgetting_returns_to_the_impression_and_never_past_it(
    params: Params, events: list[Event], later: float
) -> None:
    state = fold(events, params)
    when = (state.as_of or T0) + timedelta(days=later)
    for side in (state.a, state.b):
        t = side.trust
        assert t.rest_alpha <= t.alpha * (1 + 1e-12)
        assert t.rest_beta <= t.beta * (1 + 1e-12)
        assert t.reported_rest <= t.reported * (1 + 1e-12) + 1e-12
        faded = decay(t, when, params)
        assert t.rest_alpha * (1 - 1e-12) <= faded.alpha <= max(t.alpha, t.rest_alpha) * (1 + 1e-12)
        assert t.rest_beta * (1 - 1e-12) <= faded.beta <= max(t.beta, t.rest_beta) * (1 + 1e-12)
    if params.impression_span == 0.0:
        fresh = new_bond(params)
        assert state.a.trust.rest_alpha == fresh.a.trust.rest_alpha
        assert state.b.trust.rest_beta == fresh.b.trust.rest_beta

"""Properties of the model that hold for every history, checked by Hypothesis."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest
from engine_cases import ALICE, BOB, PROPERTY, T0, at, event_lists, sides
from hypothesis import event, given
from hypothesis import strategies as st

from mutual.engine import (
    MAX_DEPTH,
    THEMES,
    BondState,
    BreachReported,
    CheckedIn,
    DeceptionConfirmed,
    Event,
    Params,
    Rated,
    ReadinessChanged,
    RepairRound,
    Revealed,
    SafetyModeLeft,
    Side,
    SideState,
    SteppedBack,
    Trust,
    WeaponizationReported,
    apply,
    attunement,
    balance,
    decay,
    event_from_dict,
    event_to_dict,
    fold,
    gate,
    honored_depths,
    mutual_index,
    mutual_vulnerability,
    new_bond,
    other,
    stake,
    state_from_dict,
    state_to_dict,
    trust,
    trust_delta,
)

#: Honored exposure is zero or at least that of one honored surface fact (0.3 · 11/18).
honored_exposures = st.one_of(st.just(0.0), st.floats(min_value=0.18, max_value=1e6))


def _mirror(e: Event) -> Event:
    """The same event with Alice and Bob exchanged."""
    match e:
        case Revealed() | Rated() | BreachReported():
            return replace(e, author=other(e.author))
        case DeceptionConfirmed() | WeaponizationReported():
            return replace(e, reporter=other(e.reporter))
        case SafetyModeLeft() | ReadinessChanged() | SteppedBack():
            return replace(e, side=other(e.side))
        case RepairRound():
            return replace(
                e,
                understood_a=e.understood_b,
                understood_b=e.understood_a,
                costly_by_a=e.costly_by_b,
                costly_by_b=e.costly_by_a,
            )
        case CheckedIn():
            return replace(e, guesser=other(e.guesser))
    raise AssertionError(e)


# ---------------------------------------------------------------------------------------
# Trust


@PROPERTY
@given(events=event_lists(), later=st.floats(min_value=0.0, max_value=2000.0))
def test_trust_stays_strictly_inside_0_and_1(events: list[Event], later: float) -> None:
    state = fold(events)
    when = (state.as_of or T0) + timedelta(days=later)
    for holder in (ALICE, BOB):
        view = trust(state, holder, when)
        assert view.alpha >= 1.0
        assert view.beta >= 1.0
        for value in (view.expected, view.lower, view.effective, view.effective_lower):
            assert 0.0 < value < 1.0
        assert view.effective <= view.expected
        assert 0.0 <= view.scar < 1.0


@PROPERTY
@given(
    alpha=st.floats(min_value=1.0, max_value=60.0),
    beta=st.floats(min_value=1.0, max_value=60.0),
    depth=st.integers(min_value=0, max_value=MAX_DEPTH),
    emotional=st.booleans(),
    strength=st.floats(min_value=0.2, max_value=1.0),
)
def test_at_equal_stake_a_dishonor_moves_trust_more_than_an_honor(
    alpha: float, beta: float, depth: int, emotional: bool, strength: float
) -> None:
    """Equal stake and equal strength: a dishonor adds twice the evidence, and from trust
    that is at least even it moves the expected value further (docs/engine.md §5)."""
    w = stake(depth, emotional)
    gain, _ = trust_delta(0.5 + 0.5 * strength, w)
    _, loss = trust_delta(0.3 - 0.3 * strength, w)
    assert loss == pytest.approx(2.0 * gain)
    high, low = max(alpha, beta), min(alpha, beta)  # trust at least even: α ≥ β
    before = high / (high + low)
    up = (high + gain) / (high + gain + low) - before
    down = before - high / (high + low + loss)
    assert down > up > 0.0


@PROPERTY
@given(events=event_lists(max_size=25), depth=st.integers(0, MAX_DEPTH), emotional=st.booleans())
def test_a_full_dishonor_outweighs_a_full_honor_whenever_trust_is_even_or_better(
    events: list[Event], depth: int, emotional: bool
) -> None:
    state = fold(events)
    when = state.as_of or T0
    before = trust(state, ALICE, when)
    if before.alpha < before.beta:
        event("trust below even")
        return
    honored = apply(state, Rated(when, ALICE, depth, "joys", emotional, 7, 7, 7))
    dishonored = apply(state, Rated(when, ALICE, depth, "joys", emotional, 1, 1, 1))
    up = trust(honored, ALICE, when).expected - before.expected
    down = before.expected - trust(dishonored, ALICE, when).expected
    assert down > up > 0.0


@PROPERTY
@given(
    alpha=st.floats(min_value=1.0, max_value=500.0),
    beta=st.floats(min_value=1.0, max_value=500.0),
    first=st.floats(min_value=0.0, max_value=3000.0),
    second=st.floats(min_value=0.0, max_value=3000.0),
)
def test_forgetting_never_adds_evidence(
    alpha: float, beta: float, first: float, second: float
) -> None:
    t = Trust(alpha, beta, T0)
    sooner = decay(t, at(days=first))
    later = decay(t, at(days=first + second))
    assert 1.0 <= later.alpha <= sooner.alpha <= alpha
    assert 1.0 <= later.beta <= sooner.beta <= beta
    # Decaying in two steps forgets as much as decaying at once.
    assert decay(sooner, at(days=first + second)).alpha == pytest.approx(later.alpha)


@PROPERTY
@given(events=event_lists(), gap=st.floats(min_value=0.0, max_value=1000.0))
def test_the_passing_of_time_alone_never_raises_trust_evidence(
    events: list[Event], gap: float
) -> None:
    state = fold(events)
    when = state.as_of or T0
    for holder in (ALICE, BOB):
        now = trust(state, holder, when)
        then = trust(state, holder, when + timedelta(days=gap))
        assert then.alpha <= now.alpha
        assert then.beta <= now.beta


# ---------------------------------------------------------------------------------------
# Mutual index, balance, attunement


@PROPERTY
@given(events=event_lists())
def test_index_is_zero_exactly_when_one_side_has_no_honored_exposure(
    events: list[Event],
) -> None:
    state = fold(events)
    for side in (ALICE, BOB):
        honored_any = any(
            isinstance(e, Rated)
            and e.author == side
            and (e.understood + e.validated + e.cared) >= 14
            for e in events
        )
        assert (state.side(side).honored > 0.0) is honored_any
    when = state.as_of or T0
    guarded = state.a.honored == 0.0 or state.b.honored == 0.0
    index = mutual_index(state, when)
    if guarded:
        assert index == 0.0
    assert 0.0 <= index < 100.0


@PROPERTY
@given(events=event_lists())
def test_the_model_is_symmetric_between_the_two_persons(events: list[Event]) -> None:
    state = fold(events)
    mirrored = fold([_mirror(e) for e in events])
    when = state.as_of or T0
    assert mutual_index(mirrored, when) == mutual_index(state, when)
    assert (mirrored.a, mirrored.b) == (state.b, state.a)
    assert mirrored.open_depth == state.open_depth
    swap = {"trust_a": "trust_b", "trust_b": "trust_a", "ready_a": "ready_b", "ready_b": "ready_a"}
    assert sorted(gate(mirrored, when).reasons) == sorted(
        swap.get(r, r) for r in gate(state, when).reasons
    )


@PROPERTY
@given(h_a=honored_exposures, h_b=honored_exposures)
def test_index_is_symmetric(h_a: float, h_b: float) -> None:
    """At full trust (the prior's mean is 0.5 here, so present exposure is ``H/2``)."""
    one = BondState(a=SideState(honored=h_a), b=SideState(honored=h_b))
    two = BondState(a=SideState(honored=h_b), b=SideState(honored=h_a))
    assert mutual_vulnerability(one, T0) == mutual_vulnerability(two, T0)
    assert mutual_index(one, T0) == mutual_index(two, T0)
    assert (mutual_index(one, T0) == 0.0) is (h_a == 0.0 or h_b == 0.0)
    low = min(h_a, h_b) / 2
    assert low * (1 - 1e-12) <= mutual_vulnerability(one, T0) <= 2 * low * (1 + 1e-12)
    assert 0.0 <= mutual_index(one, T0) < 100.0


@PROPERTY
@given(events=event_lists())
def test_no_one_in_safety_mode_gets_the_balance_reflection(events: list[Event]) -> None:
    state = fold(events)
    result = balance(state)
    assert 0.0 <= result.ratio <= 1.0
    if result.reflect:
        assert result.more_exposed is not None
        assert not state.side(result.more_exposed).safety


@PROPERTY
@given(events=event_lists(), guesser=sides)
def test_attunement_is_a_mean_accuracy(events: list[Event], guesser: Side) -> None:
    state = fold(events)
    value = attunement(state, guesser, state.as_of or T0)
    assert value is None or 0.0 <= value <= 1.0


# ---------------------------------------------------------------------------------------
# The gate


@st.composite
def lived_histories(draw: st.DrawFn) -> list[Event]:
    """A history that reaches deeper levels: each step is an event that fits the bond as
    it stands (answers at most one depth beyond the open one, mostly warm replies,
    readiness, sometimes a step back, a repair, a breach or a deception)."""
    rng = draw(st.randoms(use_true_random=False))
    state = new_bond()
    events: list[Event] = []
    elapsed = 0.0
    for _ in range(draw(st.integers(min_value=1, max_value=80))):
        elapsed += rng.choice([0.0, 0.01, 0.5, 1.0, 3.0])
        when = at(days=elapsed)
        side: Side = rng.choice([ALICE, BOB])
        depth = rng.randint(0, min(MAX_DEPTH, state.open_depth + 1))
        kind = rng.randrange(20)
        e: Event
        if kind < 11:
            low = 5 if kind < 9 else 1
            understood, validated, cared = (rng.randint(low, 7) for _ in range(3))
            theme = rng.choice(THEMES)
            emotional, costly = rng.random() < 0.5, rng.random() < 0.3
            e = Rated(when, side, depth, theme, emotional, understood, validated, cared, costly)
        elif kind < 16:
            e = ReadinessChanged(when, side, kind < 15)
        elif kind == 16:
            e = SteppedBack(when, side)
        elif kind == 17:
            e = RepairRound(when, rng.randint(1, 7), rng.randint(1, 7), rng.random() < 0.5)
        elif kind == 18:
            e = BreachReported(when, side, depth, emotional=rng.random() < 0.5)
        else:
            e = DeceptionConfirmed(when, side)
        events.append(e)
        state = apply(state, e)
    return events


def _ready_at_the_moment(before: BondState, e: Event, side: Side) -> bool:
    if isinstance(e, ReadinessChanged) and e.side == side:
        return e.ready
    return before.side(side).ready


@PROPERTY
@given(events=lived_histories())
def test_gate_never_opens_without_both_consents_and_both_lower_bounds(
    events: list[Event],
) -> None:
    params = Params()
    state = new_bond()
    for e in events:
        after = apply(state, e)
        assert after.open_depth <= state.open_depth + 1
        if after.open_depth > state.open_depth:
            event(f"opened depth {after.open_depth}")  # shown by --hypothesis-show-statistics
            d = state.open_depth
            theta = params.gate_thresholds[d + 1]
            for side in (ALICE, BOB):
                assert _ready_at_the_moment(state, e, side)
                assert trust(after, side, e.at).effective_lower >= theta - 1e-12
                assert d in honored_depths(after.side(side))
            if d + 1 == params.core_depth:
                assert len(after.evidence_days) >= params.core_distinct_days
            assert not after.a.ready
            assert not after.b.ready
        state = after


@PROPERTY
@given(events=lived_histories(), side=sides)
def test_stepping_back_is_always_allowed(events: list[Event], side: Side) -> None:
    state = fold(events)
    when = state.as_of or T0
    after = apply(state, SteppedBack(when, side))
    assert after.open_depth == max(0, state.open_depth - 1)
    assert not after.a.ready
    assert not after.b.ready
    assert (after.a.trust, after.b.trust) == (state.a.trust, state.b.trust)


# ---------------------------------------------------------------------------------------
# The fold and snapshots


@PROPERTY
@given(events=event_lists(), cut=st.integers(min_value=0, max_value=40))
def test_folding_is_deterministic(events: list[Event], cut: int) -> None:
    whole = fold(events)
    assert fold(events) == whole
    assert fold(iter(events)) == whole
    assert fold(events[cut:], initial=fold(events[:cut])) == whole
    assert whole.events == len(events)


@PROPERTY
@given(events=lived_histories())
def test_snapshot_serialization_round_trips_exactly(events: list[Event]) -> None:
    state = fold(events)
    data = json.loads(json.dumps(state_to_dict(state)))
    again = state_from_dict(data)
    assert again == state
    assert state_to_dict(again) == state_to_dict(state)


@PROPERTY
@given(events=event_lists(max_size=10))
def test_event_serialization_round_trips_exactly(events: list[Event]) -> None:
    for e in events:
        assert event_from_dict(json.loads(json.dumps(event_to_dict(e)))) == e


@PROPERTY
@given(events=event_lists())
def test_replaying_stored_events_rebuilds_every_snapshot(events: list[Event]) -> None:
    """What the web stores (event and snapshot, both as JSON) replays to the same state."""
    stored_events = [json.dumps(event_to_dict(e)) for e in events]
    state = new_bond()
    for e in events:
        state = apply(state, e)
    replayed = fold(event_from_dict(json.loads(s)) for s in stored_events)
    assert replayed == state_from_dict(json.loads(json.dumps(state_to_dict(state))))

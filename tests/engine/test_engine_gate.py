"""The depth gate of docs/engine.md §10, case by case."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from engine_cases import ALICE, BOB, FIRST_EVENINGS, T0, at

from mutual.engine import (
    MAX_DEPTH,
    REASONS,
    BondState,
    BreachReported,
    Event,
    Params,
    Rated,
    ReadinessChanged,
    Revealed,
    SideState,
    SteppedBack,
    Trust,
    apply,
    beta_ppf,
    can_answer,
    core_time_holds,
    fold,
    gate,
    honored_depths,
    lower_bound_reaches,
    new_bond,
    trust,
)


def test_reasons_are_the_documented_codes() -> None:
    assert REASONS == (
        "deepest",
        "reciprocity",
        "distinct_days",
        "trust_a",
        "trust_b",
        "ready_a",
        "ready_b",
    )


def test_gate_on_a_new_bond_lists_every_unmet_condition() -> None:
    status = gate(new_bond(), T0)
    assert status.open_depth == 0
    assert status.next_depth == 1
    assert status.threshold == 0.30
    assert not status.can_open
    assert status.reasons == ("reciprocity", "trust_a", "trust_b", "ready_a", "ready_b")


@pytest.mark.parametrize(
    ("depth", "theta", "alpha"),
    [(1, 0.30, 1.3368), (2, 0.45, 2.0156), (3, 0.60, 3.1507), (4, 0.75, 5.5945)],
)
def test_gate_evidence_needed(depth: int, theta: float, alpha: float) -> None:
    assert Params().gate_thresholds[depth] == theta
    needed = math.log(0.2) / math.log(theta)
    assert needed == pytest.approx(alpha, abs=5e-5)
    # L of Beta(α, 1) is 0.2^(1/α): exactly θ at the needed α.
    assert beta_ppf(0.2, needed, 1.0) == pytest.approx(theta, abs=1e-12)
    state = BondState(a=SideState(trust=Trust(needed * 1.001, 1.0, T0)))
    assert lower_bound_reaches(state, ALICE, theta, T0)
    state = BondState(a=SideState(trust=Trust(needed * 0.999, 1.0, T0)))
    assert not lower_bound_reaches(state, ALICE, theta, T0)


def test_gate_opens_depth1() -> None:
    state = new_bond()
    for event, alice, bob, open_depth, reasons in FIRST_EVENINGS:
        state = apply(state, event)
        for holder, (expected, lower) in ((ALICE, alice), (BOB, bob)):
            view = trust(state, holder, event.at)
            assert view.expected == pytest.approx(expected, abs=5e-5), event
            assert view.lower == pytest.approx(lower, abs=5e-5), event
        assert state.open_depth == open_depth, event
        assert gate(state, event.at).reasons == reasons, event
    assert not state.a.ready
    assert not state.b.ready


def _at_tender_depth() -> BondState:
    strong = Trust(12.0, 1.5, T0)
    return BondState(a=SideState(trust=strong), b=SideState(trust=strong), open_depth=3, as_of=T0)


def _tender_evidence(when: datetime, side: str = ALICE) -> list[Event]:
    return [
        Revealed(when, side, 3, "fears", True),  # type: ignore[arg-type]
        Rated(when, side, 3, "fears", True, 7, 7, 7),  # type: ignore[arg-type]
    ]


def test_gate_core_48_hours() -> None:
    first_evening: list[Event] = [
        *_tender_evidence(at(0, 1), ALICE),
        *_tender_evidence(at(0, 3), BOB),
        ReadinessChanged(at(0, 5), ALICE, True),
        ReadinessChanged(at(0, 6), BOB, True),
    ]
    state = fold(first_evening, initial=_at_tender_depth())
    assert trust(_at_tender_depth(), ALICE, T0).lower == pytest.approx(0.8273, abs=5e-5)
    assert state.open_depth == 3
    assert gate(state, at(0, 6)).reasons == ("distinct_days",)
    assert gate(state, at(0, 6)).threshold == 0.75
    # The next evening is a second sitting, but only 24 hours after the first evidence.
    state = fold(_tender_evidence(at(1, 0), BOB), initial=state)
    assert (state.core_sittings, state.open_depth) == (2, 3)
    assert gate(state, at(1, 0)).reasons == ("distinct_days",)
    # 48 hours after the first evidence, honored evidence again: the core opens.
    state = fold(_tender_evidence(at(2, 1), BOB), initial=state)
    assert state.core_last - state.core_first == timedelta(hours=48)  # type: ignore[operator]
    assert state.open_depth == 4
    status = gate(state, at(2, 1))
    assert status.reasons == ("deepest",)
    assert status.next_depth is None
    assert status.threshold is None
    assert not status.can_open


def test_one_late_sitting_across_midnight_is_not_two_days() -> None:
    """22:00 to 00:30 UTC is one sitting of two and a half hours, not two days."""
    late = datetime(2026, 3, 2, 22, 0, tzinfo=UTC)
    events = [
        *_tender_evidence(late, ALICE),
        *_tender_evidence(late + timedelta(hours=1), BOB),
        *_tender_evidence(late + timedelta(hours=2, minutes=30), ALICE),
        ReadinessChanged(late + timedelta(hours=2, minutes=31), ALICE, True),
        ReadinessChanged(late + timedelta(hours=2, minutes=32), BOB, True),
    ]
    state = fold(events, initial=_at_tender_depth())
    assert state.core_sittings == 1
    assert state.open_depth == 3
    assert gate(state, events[-1].at).reasons == ("distinct_days",)


def test_one_sitting_of_two_days_is_not_enough() -> None:
    """Evidence every hour for 49 hours spans the time but is a single sitting."""
    events: list[Event] = []
    for hour in range(50):
        events += _tender_evidence(T0 + timedelta(hours=hour), ALICE if hour % 2 else BOB)
    state = fold(events, initial=_at_tender_depth())
    assert state.core_last - state.core_first >= timedelta(hours=48)  # type: ignore[operator]
    assert state.core_sittings == 1
    assert not core_time_holds(state)
    assert core_time_holds(state, Params(core_sittings=1))


def test_a_step_back_clears_the_core_evidence() -> None:
    state = fold(
        [*_tender_evidence(at(0)), *_tender_evidence(at(2, 1), BOB)],
        initial=_at_tender_depth(),
    )
    assert core_time_holds(state)
    for step in (SteppedBack(at(3), ALICE), BreachReported(at(3), BOB, 1)):
        after = apply(state, step)
        assert (after.core_first, after.core_last, after.core_sittings) == (None, None, 0)
        assert not core_time_holds(after)


def test_the_core_rule_does_not_depend_on_time_zones() -> None:
    """The same instants, written in New York time, give the very same state."""
    new_york = timezone(timedelta(hours=-5))
    moments = [at(0), at(0, 30), at(2, 1)]
    utc = fold([e for m in moments for e in _tender_evidence(m)], initial=_at_tender_depth())
    local = fold(
        [e for m in moments for e in _tender_evidence(m.astimezone(new_york))],
        initial=_at_tender_depth(),
    )
    assert (local.core_first, local.core_last, local.core_sittings) == (
        utc.core_first,
        utc.core_last,
        utc.core_sittings,
    )
    assert core_time_holds(local)
    assert core_time_holds(utc)


def _ready_but_for(side: str) -> BondState:
    strong = Trust(12.0, 1.5, T0)
    a = SideState(trust=strong, cells=frozenset({(1, "joys")}), ready=side != ALICE)
    b = SideState(trust=strong, cells=frozenset({(1, "values")}), ready=side != BOB)
    return BondState(a=a, b=b, open_depth=1, as_of=T0)


def test_gate_consent() -> None:
    state = _ready_but_for(BOB)
    assert gate(state, T0).reasons == ("ready_b",)
    # However long Alice waits alone, the gate stays shut; Bob's yes opens it.
    for minute in range(1, 5):
        state = apply(state, ReadinessChanged(at(0, minute), ALICE, True))
        assert state.open_depth == 1
    state = apply(state, ReadinessChanged(at(0, 5), BOB, True))
    assert state.open_depth == 2


def test_gate_consent_withdrawn() -> None:
    state = apply(_ready_but_for(BOB), ReadinessChanged(T0, ALICE, False))
    assert gate(state, T0).reasons == ("ready_a", "ready_b")
    assert apply(state, ReadinessChanged(T0, BOB, True)).open_depth == 1


def test_gate_needs_reciprocity_at_the_open_depth() -> None:
    state = _ready_but_for(BOB)
    state = replace(state, b=replace(state.b, cells=frozenset({(0, "values"), (2, "joys")})))
    assert honored_depths(state.b) == {0, 2}
    assert gate(state, T0).reasons == ("reciprocity", "ready_b")


@pytest.mark.parametrize(("side", "depth"), [(ALICE, 2), (BOB, 2), (ALICE, 0), (BOB, 4)])
def test_step_back_alone(side: str, depth: int) -> None:
    state = replace(_ready_but_for(""), open_depth=depth)
    after = apply(state, SteppedBack(T0, side))  # type: ignore[arg-type]
    assert after.open_depth == max(0, depth - 1)
    assert not after.a.ready
    assert not after.b.ready
    assert (after.a.trust, after.b.trust) == (state.a.trust, state.b.trust)


@pytest.mark.parametrize(
    ("depth", "allowed"), [(0, True), (1, True), (2, True), (3, False), (4, False), (-1, False)]
)
def test_can_answer_open_depth(depth: int, allowed: bool) -> None:
    assert can_answer(BondState(open_depth=2), depth) is allowed


def test_gate_switched_off() -> None:
    params = Params(gate_enabled=False)
    state = new_bond(params)
    assert gate(state, T0, params).reasons == ("ready_a", "ready_b")
    state = fold(
        [ReadinessChanged(T0, ALICE, True), ReadinessChanged(T0, BOB, True)],
        params,
        initial=state,
    )
    assert state.open_depth == 1
    for depth in range(2, MAX_DEPTH + 1):
        state = fold(
            [ReadinessChanged(T0, ALICE, True), ReadinessChanged(T0, BOB, True)],
            params,
            initial=state,
        )
        assert state.open_depth == depth
    assert gate(state, T0, params).reasons == ("deepest",)


def test_unreachable_threshold_is_never_reached() -> None:
    scarred = BondState(a=SideState(trust=Trust(500.0, 1.0, T0, scar=0.5, scar_at=T0)))
    assert not lower_bound_reaches(scarred, ALICE, 0.5, T0)
    assert lower_bound_reaches(scarred, ALICE, 0.49, T0)


def test_a_rating_after_a_step_back_still_counts() -> None:
    state = fold(
        [
            Revealed(at(0, 0), ALICE, 3, "fears", True),
            SteppedBack(at(0, 1), BOB),
            Rated(at(0, 2), ALICE, 3, "fears", True, 7, 7, 7),
        ],
        initial=_at_tender_depth(),
    )
    assert state.open_depth == 2
    assert (3, "fears") in state.a.cells
    assert not can_answer(state, 3)

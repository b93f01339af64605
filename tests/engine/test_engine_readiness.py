"""Readiness is each person's own (docs/engine.md §10, "Private trust acts only through its
owner"): a person may say "ready" only while their own conditions hold, and the gate both
persons see names nothing but whose word is missing."""

from __future__ import annotations

from dataclasses import replace

import pytest
from engine_cases import ALICE, BOB, T0, at

from mutual.engine import (
    OWN_REASONS,
    BondState,
    BreachReported,
    DeceptionConfirmed,
    Params,
    ReadinessChanged,
    SideState,
    SteppedBack,
    Trust,
    apply,
    gate,
    index_shown,
    is_ready,
    lapsed,
    readiness,
    shared_gate,
)

STRONG = Trust(8.0, 2.0, T0)


def _open_at_two(*, alice_ready: bool = False, bob_ready: bool = False) -> BondState:
    """Depth 2 open; both honored there and trusting enough for depth 3 (θ = 0.60)."""
    a = SideState(trust=STRONG, cells=frozenset({(2, "values")}), ready=alice_ready)
    b = SideState(trust=STRONG, cells=frozenset({(2, "needs")}), ready=bob_ready)
    return BondState(a=a, b=b, open_depth=2, as_of=T0)


def test_own_reasons_are_the_documented_codes() -> None:
    assert OWN_REASONS == ("deepest", "honored", "distinct_days", "trust")


def test_readiness_own_conditions() -> None:
    state = _open_at_two()
    assert readiness(state, ALICE, T0) == ()
    assert readiness(state, BOB, T0) == ()
    # Alice's own sharing at depth 2 never felt honored: only her word is held back.
    unheard = replace(state, a=replace(state.a, cells=frozenset({(1, "values")})))
    assert readiness(unheard, ALICE, T0) == ("honored",)
    assert readiness(unheard, BOB, T0) == ()
    # Bob's trust is low: his alone.
    wary = replace(state, b=replace(state.b, trust=Trust(2.0, 6.0, T0)))
    assert readiness(wary, BOB, T0) == ("trust",)
    assert readiness(wary, ALICE, T0) == ()


def test_readiness_at_the_core_needs_48_hours_in_two_sittings() -> None:
    state = replace(_open_at_two(), open_depth=3)
    state = replace(
        state,
        a=replace(state.a, trust=Trust(12.0, 1.5, T0), cells=frozenset({(3, "fears")})),
        b=replace(state.b, trust=Trust(12.0, 1.5, T0), cells=frozenset({(3, "hurts")})),
    )
    assert readiness(state, ALICE, T0) == ("distinct_days",)
    one_day = replace(state, core_first=at(0), core_last=at(1), core_sittings=2)
    assert readiness(one_day, ALICE, T0) == ("distinct_days",)
    two_days = replace(state, core_first=at(0), core_last=at(2), core_sittings=2)
    assert readiness(two_days, ALICE, T0) == ()


def test_readiness_at_the_deepest_and_without_the_gate() -> None:
    deepest = replace(_open_at_two(), open_depth=4)
    assert readiness(deepest, ALICE, T0) == ("deepest",)
    ungated = replace(_open_at_two(), a=SideState())
    assert readiness(ungated, ALICE, T0, Params(gate_enabled=False)) == ()


def test_shared_gate_names_only_missing_words() -> None:
    state = _open_at_two(alice_ready=True)
    status = shared_gate(state, T0)
    assert status.reasons == ("ready_b",)
    assert status.next_depth == 3
    assert status.threshold == 0.60
    assert not status.can_open
    # Bob's trust collapses: the shared gate still only says he has not said yes.
    wary = replace(state, b=replace(state.b, trust=Trust(2.0, 6.0, T0)))
    assert shared_gate(wary, T0).reasons == ("ready_b",)
    assert set(gate(wary, T0).reasons) >= {"trust_b"}  # the engine's full view knows


def test_shared_gate_at_the_deepest() -> None:
    status = shared_gate(replace(_open_at_two(), open_depth=4), T0)
    assert status.reasons == ("deepest",)
    assert status.next_depth is None
    assert status.threshold is None


def test_report_looks_like_not_said() -> None:
    """A ready word that a private event undoes counts as not given, exactly like a
    free "I would rather wait"."""
    ready = _open_at_two(alice_ready=True)
    assert is_ready(ready, ALICE, T0)
    scarred = ready
    for _ in range(3):
        scarred = apply(scarred, DeceptionConfirmed(T0, ALICE))
    assert readiness(scarred, ALICE, T0) == ("trust",)
    assert not is_ready(scarred, ALICE, T0)
    assert lapsed(scarred, T0) == (ALICE,)
    waited = apply(ready, ReadinessChanged(T0, ALICE, False))
    assert shared_gate(scarred, T0) == shared_gate(waited, T0)


def test_breach_and_step_back_look_alike() -> None:
    ready = _open_at_two(alice_ready=True, bob_ready=False)
    reported = apply(ready, BreachReported(T0, ALICE, 2, True))
    stepped = apply(ready, SteppedBack(T0, ALICE))
    assert reported.open_depth == stepped.open_depth == 1
    assert shared_gate(reported, T0) == shared_gate(stepped, T0)
    assert lapsed(reported, T0) == lapsed(stepped, T0) == ()


def test_lapsed_lists_only_ready_sides() -> None:
    wary = replace(_open_at_two(), b=replace(_open_at_two().b, trust=Trust(2.0, 6.0, T0)))
    assert lapsed(wary, T0) == ()
    assert lapsed(replace(wary, b=replace(wary.b, ready=True)), T0) == (BOB,)


@pytest.mark.parametrize(
    ("index", "shown"),
    [(0.0, 0), (2.4, 0), (2.6, 5), (41.0, 40), (43.0, 45), (99.0, 100), (100.0, 100)],
)
def test_index_shown_in_steps(index: float, shown: int) -> None:
    assert index_shown(index) == shown


def test_index_step_must_be_whole_and_positive() -> None:
    with pytest.raises(ValueError, match="index_step"):
        Params(index_step=0)
    assert index_shown(42.0, Params(index_step=10)) == 40

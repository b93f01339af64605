"""The fold, snapshots and bad input of docs/engine.md §16–§17."""

from __future__ import annotations

import json
from dataclasses import FrozenInstanceError, replace
from datetime import datetime
from typing import Any

import pytest
from engine_cases import ALICE, BOB, FIRST_EVENINGS, T0, at

from mutual.engine import (
    EVENT_TYPES,
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
    SteppedBack,
    WeaponizationReported,
    apply,
    beta_cdf,
    beta_ppf,
    event_from_dict,
    event_to_dict,
    feeling_point,
    fold,
    new_bond,
    state_from_dict,
    state_to_dict,
)

#: One of every kind of event, as the web app would store them.
EVERY_KIND: list[Event] = [
    Revealed(at(0), ALICE, 0, "joys", emotional=True),
    Rated(at(0, 5), ALICE, 0, "joys", True, 7, 6, 7, costly=True),
    BreachReported(at(1), BOB, 1, emotional=False),
    DeceptionConfirmed(at(2), BOB),
    WeaponizationReported(at(3), ALICE),
    SafetyModeLeft(at(4), ALICE),
    ReadinessChanged(at(5), BOB, True),
    SteppedBack(at(6), ALICE),
    RepairRound(at(7), 6, 5, costly_by_a=True),
    CheckedIn(at(8), BOB, 0.75),
]


def test_every_kind_of_event_is_listed() -> None:
    assert {type(e) for e in EVERY_KIND} == set(EVENT_TYPES)


def test_fold_replays_snapshots() -> None:
    events = [event for event, *_ in FIRST_EVENINGS]
    snapshots = []
    state = new_bond()
    for event in events:
        state = apply(state, event)
        snapshots.append(state)
    assert fold(events) == snapshots[-1]
    assert fold(events) == fold(events)
    for n, snapshot in enumerate(snapshots, start=1):
        assert fold(events[:n]) == snapshot
        assert fold(events[n:], initial=snapshot) == snapshots[-1]
    assert snapshots[-1].events == len(events)
    assert snapshots[-1].as_of == events[-1].at


def test_state_keeps_the_latest_time_when_events_arrive_out_of_order() -> None:
    state = fold([CheckedIn(at(5), ALICE, 0.5), CheckedIn(at(2), BOB, 0.5)])
    assert state.as_of == at(5)


def test_snapshot_round_trip() -> None:
    state = fold([*EVERY_KIND, Rated(at(9), BOB, 3, "fears", True, 7, 7, 7)])
    state = replace(state, core_first=at(9), core_last=at(11), core_sittings=2)
    data = state_to_dict(state)
    assert data["version"] == 3
    again = state_from_dict(json.loads(json.dumps(data)))
    assert again == state
    assert state_to_dict(again) == data


def test_new_bond_round_trips() -> None:
    assert state_from_dict(json.loads(json.dumps(state_to_dict(BondState())))) == BondState()


@pytest.mark.parametrize("event", EVERY_KIND, ids=lambda e: type(e).__name__)
def test_event_round_trip(event: Any) -> None:
    data = json.loads(json.dumps(event_to_dict(event)))
    assert data["kind"] == type(event).__name__
    assert event_from_dict(data) == event


# ---------------------------------------------------------------------------------------
# §17 Bad input


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Revealed(T0, ALICE, 5, "joys"), "depth must lie in 0–4"),
        (lambda: Revealed(T0, ALICE, -1, "joys"), "depth must lie in 0–4"),
        (lambda: Revealed(T0, ALICE, 0, "gossip"), "unknown theme 'gossip'"),
        (lambda: Revealed(T0, "c", 0, "joys"), "side must be 'a' or 'b'"),  # type: ignore[arg-type]
        (lambda: Revealed(datetime(2026, 3, 2), ALICE, 0, "joys"), "timezone-aware"),
        (lambda: Rated(T0, ALICE, 0, "joys", False, 0, 4, 4), "scale of 1–7"),
        (lambda: Rated(T0, ALICE, 0, "joys", False, 4, 4, 8), "scale of 1–7"),
        (lambda: Rated(T0, ALICE, 0, "dread", False, 4, 4, 4), "unknown theme"),
        (lambda: RepairRound(T0, 8, 5), "scale of 1–7"),
        (lambda: CheckedIn(T0, BOB, 1.5), "accuracy lies in 0–1"),
        (lambda: feeling_point("serene"), "unknown feeling 'serene'"),
        (lambda: feeling_point("calm", 4), "intensity must be 1, 2 or 3"),
        (lambda: beta_ppf(0.0, 2.0, 2.0), "strictly between 0 and 1"),
        (lambda: beta_ppf(0.5, 0.0, 2.0), "must be positive"),
        (lambda: beta_cdf(0.5, 2.0, -1.0), "must be positive"),
        (lambda: Params(stake_by_depth=(0.3, 0.5)), "one value per depth"),
        (lambda: Params(honored_at=0.2), "dishonored_at ≤ honor_origin < honored_at"),
        (lambda: Params(honored_at=0.4), "honor_origin < honored_at"),
        (lambda: Params(dishonored_at=0.0), "0 < dishonored_at"),
        (lambda: Params(lower_bound_quantile=1.0), "strictly between 0 and 1"),
        (lambda: Params(prior_alpha=0.0), "prior must be positive"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(make: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "Gossiped", "at": T0.isoformat()}, "unknown event kind 'Gossiped'"),
        ({"at": T0.isoformat()}, "unknown event kind None"),
        ({"kind": "SteppedBack", "side": "a"}, "needs its time under 'at'"),
        ({"kind": "SteppedBack", "at": T0.isoformat()}, "not a valid SteppedBack event"),
        (
            {"kind": "SteppedBack", "at": T0.isoformat(), "side": "a", "mood": "low"},
            "not a valid SteppedBack event",
        ),
        ({"kind": "SteppedBack", "at": T0.isoformat(), "side": "z"}, "side must be 'a' or 'b'"),
    ],
)
def test_bad_event_dictionaries_are_refused(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        event_from_dict(data)


def test_bad_snapshots_are_refused() -> None:
    data = state_to_dict(BondState())
    with pytest.raises(ValueError, match="unknown snapshot version 4"):
        state_from_dict({**data, "version": 4})
    for earlier in (1, 2):
        with pytest.raises(ValueError, match=rf"snapshot version {earlier} .*rebuild"):
            state_from_dict({**data, "version": earlier})
    with pytest.raises(ValueError, match="lacks the field 'open_depth'"):
        state_from_dict({k: v for k, v in data.items() if k != "open_depth"})
    side = {k: v for k, v in data["a"].items() if k != "honored"}
    with pytest.raises(ValueError, match="lacks the field 'honored'"):
        state_from_dict({**data, "a": side})


def test_bad_input_changes_nothing() -> None:
    state = fold(EVERY_KIND)
    before = state_to_dict(state)
    with pytest.raises(ValueError, match="depth"):
        state = apply(state, Revealed(at(9), ALICE, 7, "joys"))
    with pytest.raises(TypeError, match="not an event"):
        state = apply(state, "Alice told Bob everything")  # type: ignore[arg-type]
    assert state_to_dict(state) == before
    with pytest.raises(FrozenInstanceError):
        state.open_depth = 4  # type: ignore[misc]

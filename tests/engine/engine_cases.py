"""Shared helpers for the engine's tests: the personas, times as data, and Hypothesis
strategies that build any event and any bond state."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from mutual.engine import (
    MAX_DEPTH,
    THEMES,
    BondState,
    BreachReported,
    CheckedIn,
    DeceptionConfirmed,
    Event,
    Rated,
    ReadinessChanged,
    RepairRound,
    Revealed,
    SafetyModeLeft,
    Side,
    SteppedBack,
    Trust,
    WeaponizationReported,
    new_bond,
)

#: The two persons of the bond under test.
ALICE: Side = "a"
BOB: Side = "b"

#: Monday 2 March 2026, 19:00 UTC: the first evening of every worked case.
T0 = datetime(2026, 3, 2, 19, 0, tzinfo=UTC)

#: Hypothesis without deadlines: these tests assert behaviour, never timing.
PROPERTY = settings(deadline=None, max_examples=100, suppress_health_check=[HealthCheck.too_slow])


def at(days: float = 0, minutes: float = 0) -> datetime:
    """A time ``days`` and ``minutes`` after :data:`T0`."""
    return T0 + timedelta(days=days, minutes=minutes)


def holding(
    alpha: float,
    beta: float,
    *,
    holder: Side = ALICE,
    open_depth: int = 0,
    when: datetime = T0,
) -> BondState:
    """A bond in which ``holder`` trusts the partner with Beta(alpha, beta) as of ``when``."""
    state = replace(new_bond(), open_depth=open_depth, as_of=when)
    side = replace(state.side(holder), trust=Trust(alpha, beta, when))
    return replace(state, a=side) if holder == ALICE else replace(state, b=side)


# ---------------------------------------------------------------------------------------
# Hypothesis strategies

sides = st.sampled_from([ALICE, BOB])
depths = st.integers(min_value=0, max_value=MAX_DEPTH)
themes = st.sampled_from(THEMES)
scores = st.integers(min_value=1, max_value=7)


#: Any one event, at :data:`T0`; histories move it to its own time.
any_event: st.SearchStrategy[Event] = st.one_of(
    st.builds(Revealed, st.just(T0), sides, depths, themes, st.booleans()),
    st.builds(
        Rated,
        st.just(T0),
        sides,
        depths,
        themes,
        st.booleans(),
        scores,
        scores,
        scores,
        st.booleans(),
    ),
    st.builds(BreachReported, st.just(T0), sides, depths, st.booleans()),
    st.builds(DeceptionConfirmed, st.just(T0), sides),
    st.builds(WeaponizationReported, st.just(T0), sides),
    st.builds(SafetyModeLeft, st.just(T0), sides),
    st.builds(ReadinessChanged, st.just(T0), sides, st.booleans()),
    st.builds(SteppedBack, st.just(T0), sides),
    st.builds(RepairRound, st.just(T0), scores, scores, st.booleans(), st.booleans()),
    st.builds(
        CheckedIn, st.just(T0), sides, st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
    ),
)


@st.composite
def event_lists(draw: st.DrawFn, max_size: int = 40) -> list[Event]:
    """A history of events at non-decreasing times over a few months."""
    drawn = draw(
        st.lists(
            st.tuples(st.floats(min_value=0.0, max_value=20.0, allow_nan=False), any_event),
            max_size=max_size,
        )
    )
    events: list[Event] = []
    elapsed = 0.0
    for gap, event in drawn:
        elapsed += gap
        events.append(replace(event, at=at(days=elapsed)))
    return events


#: Alice and Bob's first two evenings (docs/engine.md, case gate_opens_depth1).
FIRST_EVENINGS: list[
    tuple[Event, tuple[float, float], tuple[float, float], int, tuple[str, ...]]
] = [
    (
        ReadinessChanged(at(0, 0), ALICE, True),
        *((0.5, 0.2), (0.5, 0.2), 0, ("reciprocity", "trust_a", "trust_b", "ready_b")),
    ),
    (
        Revealed(at(0, 1), ALICE, 0, "joys"),
        *((0.5, 0.2), (0.5146, 0.2191), 0, ("reciprocity", "trust_a", "trust_b", "ready_b")),
    ),
    (
        Rated(at(0, 2), ALICE, 0, "joys", False, 7, 7, 6),
        *((0.5588, 0.2807), (0.5146, 0.2191), 0, ("reciprocity", "trust_a", "trust_b", "ready_b")),
    ),
    (
        Revealed(at(0, 3), BOB, 0, "memories"),
        *((0.5702, 0.2973), (0.5146, 0.2191), 0, ("reciprocity", "trust_a", "trust_b", "ready_b")),
    ),
    (
        Rated(at(0, 4), BOB, 0, "memories", False, 7, 7, 7),
        *((0.5702, 0.2973), (0.5763, 0.3062), 0, ("trust_a", "ready_b")),
    ),
    (
        Revealed(at(1, 0), ALICE, 0, "values"),
        *((0.5702, 0.2973), (0.5868, 0.3219), 0, ("trust_a", "ready_b")),
    ),
    (
        Rated(at(1, 1), ALICE, 0, "values", False, 7, 7, 7),
        *((0.6193, 0.3718), (0.5868, 0.3219), 0, ("ready_b",)),
    ),
    (
        Revealed(at(1, 2), BOB, 0, "joys"),
        *((0.6278, 0.3851), (0.5868, 0.3219), 0, ("ready_b",)),
    ),
    (
        Rated(at(1, 3), BOB, 0, "joys", False, 6, 6, 6),
        *((0.6278, 0.3851), (0.6183, 0.3703), 0, ("ready_b",)),
    ),
    (
        ReadinessChanged(at(1, 4), BOB, True),
        *(
            (0.6278, 0.3851),
            (0.6183, 0.3703),
            1,
            ("reciprocity", "trust_a", "trust_b", "ready_a", "ready_b"),
        ),
    ),
]

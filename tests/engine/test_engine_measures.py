"""The measures of docs/engine.md §11–§15: index, breadth, balance, attunement, safety."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from engine_cases import ALICE, BOB, T0, at

from mutual.engine import (
    FEELINGS,
    BondState,
    BreachReported,
    CheckedIn,
    Event,
    Rated,
    ReadinessChanged,
    Revealed,
    SafetyModeLeft,
    SideState,
    SteppedBack,
    Trust,
    WeaponizationReported,
    apply,
    attunement,
    balance,
    breadth,
    checkin_accuracy,
    closeness,
    effective_trust,
    feeling_point,
    fold,
    honored_exposure,
    mutual_cells,
    mutual_index,
    mutual_vulnerability,
    nudges_allowed,
    other,
    present_exposure,
    shared_trust,
    trust,
)


def _present(
    h_a: float, trust_a: tuple[float, float], h_b: float, trust_b: tuple[float, float]
) -> BondState:
    """Honored exposure and trust of both, as of :data:`T0`."""
    return BondState(
        a=SideState(trust=Trust(*trust_a, T0), honored=h_a, present_as_of=T0),
        b=SideState(trust=Trust(*trust_b, T0), honored=h_b, present_as_of=T0),
    )


@pytest.mark.parametrize(
    ("h_a", "trust_a", "h_b", "trust_b", "x_a", "x_b", "m", "index"),
    [
        (0, (9, 1), 5, (9, 1), 0, 4.5, 0, 0),
        (10, (9, 1), 10, (9, 1), 9, 9, 9, 47.37),
        (10, (9, 1), 10, (1, 1), 9, 5, 6.4286, 39.13),
        (10, (9, 1), 10, (1, 9), 9, 1, 1.8, 15.25),
        (20, (9, 1), 20, (9, 1), 18, 18, 18, 64.29),
        (40, (19, 1), 40, (19, 1), 38, 38, 38, 79.17),
        (80, (19, 1), 80, (19, 1), 76, 76, 76, 88.37),
    ],
)
def test_index_table(
    h_a: float,
    trust_a: tuple[float, float],
    h_b: float,
    trust_b: tuple[float, float],
    x_a: float,
    x_b: float,
    m: float,
    index: float,
) -> None:
    state = _present(h_a, trust_a, h_b, trust_b)
    assert present_exposure(state, ALICE, T0) == pytest.approx(x_a, abs=5e-5)
    assert present_exposure(state, BOB, T0) == pytest.approx(x_b, abs=5e-5)
    assert mutual_vulnerability(state, T0) == pytest.approx(m, abs=5e-5)
    assert mutual_index(state, T0) == pytest.approx(index, abs=5e-3)
    mirrored = _present(h_b, trust_b, h_a, trust_a)
    assert mutual_index(mirrored, T0) == mutual_index(state, T0)


@pytest.mark.parametrize(
    ("weeks", "h", "trust", "m", "index"),
    [
        (0, 20.0, 0.9, 18.0, 64.29),
        (8, 10.0, 0.8818, 8.8185, 46.86),
        (26, 2.1022, 0.8333, 1.7519, 14.91),
        (52, 0.221, 0.75, 0.1657, 1.63),
    ],
)
def test_index_fades_in_silence(weeks: int, h: float, trust: float, m: float, index: float) -> None:
    state = _present(20, (9, 1), 20, (9, 1))
    when = T0 + timedelta(weeks=weeks)
    assert honored_exposure(state, ALICE, when) == pytest.approx(h, abs=5e-5)
    assert effective_trust(state, ALICE, when) == pytest.approx(trust, abs=5e-5)
    assert mutual_vulnerability(state, when) == pytest.approx(m, abs=5e-5)
    assert mutual_index(state, when) == pytest.approx(index, abs=5e-3)


def test_index_of_an_open_and_a_guarded_person_is_zero() -> None:
    """Alice tells a great deal and is honored; Bob tells nothing: no intimacy yet."""
    events = [Rated(at(day), ALICE, 2, "hurts", True, 7, 7, 7) for day in range(10)]
    state = fold(events)
    assert state.a.honored > 10.0
    assert mutual_index(state, at(9)) == 0.0
    state = apply(state, Rated(at(11), BOB, 0, "joys", False, 5, 5, 4))
    assert mutual_index(state, at(11)) > 0.0


def test_a_breach_report_never_moves_the_shared_index() -> None:
    """A report is the reporter's alone (DESIGN §3): the index reads trust without it,
    so a breach and a plain step back leave the same index. Hurtful replies do show."""
    history: list[Event] = []
    for day in range(20):
        side = ALICE if day % 2 == 0 else BOB
        history.append(Rated(at(day), side, 2, "hurts", True, 7, 6, 7))
    before = fold(history)
    breach = apply(before, BreachReported(at(20), ALICE, 2, True))
    step = apply(before, SteppedBack(at(20), ALICE))
    assert trust(breach, ALICE, at(20)).expected < trust(step, ALICE, at(20)).expected
    assert mutual_index(breach, at(20)) == mutual_index(step, at(20))
    assert shared_trust(breach, ALICE, at(30)) == pytest.approx(shared_trust(step, ALICE, at(30)))
    hurt = fold(
        [Rated(at(20 + k), ALICE, 2, "hurts", True, 1, 2, 1) for k in range(3)], initial=before
    )
    assert mutual_index(hurt, at(23)) < 0.9 * mutual_index(before, at(23))


def test_closeness_table() -> None:
    """Closeness is each person's own: own disclosure and how it was answered, the
    partner's disclosure, and reciprocity within one sitting."""
    state = fold([Revealed(T0, ALICE, 2, "hurts", True)])
    # Bob was trusted with an emotional depth-2 revelation (w = 1.2): K = 0.3 · 1.2.
    assert state.b.closeness == pytest.approx(0.36)
    assert closeness(state, BOB, T0) == pytest.approx(100 * 0.36 / 10.36)
    # Alice felt answered well (q = 1): K = 1.2 · (0.2 + 1.0 · 0.5) = 0.84.
    state = apply(state, Rated(T0, ALICE, 2, "hurts", True, 7, 7, 7))
    assert state.a.closeness == pytest.approx(0.84)
    # Bob answers in kind an hour later, within the sitting: both gain 0.2 · w = 0.24.
    state = apply(state, Revealed(at(minutes=60), BOB, 2, "hurts", True))
    assert state.b.closeness == pytest.approx(0.36 + 0.24, abs=1e-3)  # an hour of fading
    assert state.a.closeness == pytest.approx(0.84 + 0.36 + 0.24, abs=1e-3)
    # A dishonored reply lowers closeness, never below zero.
    lonely = fold([Rated(T0, ALICE, 0, "joys", False, 1, 1, 1)])
    assert lonely.a.closeness == 0.0
    assert closeness(lonely, ALICE, T0) == 0.0


def test_breadth_example() -> None:
    alice = SideState(cells=frozenset({(2, "dreams"), (3, "fears"), (1, "joys"), (2, "values")}))
    bob = SideState(
        cells=frozenset({(2, "dreams"), (2, "fears"), (1, "joys"), (2, "values"), (3, "values")})
    )
    state = BondState(a=alice, b=bob)
    assert mutual_cells(state) == {(2, "dreams"), (1, "joys"), (2, "values")}
    assert breadth(state) == 2


def test_breadth_counts_honored_exchanges_only() -> None:
    events = [
        Rated(T0, ALICE, 2, "dreams", False, 7, 7, 7),
        Rated(T0, BOB, 2, "dreams", False, 4, 4, 4),
    ]
    assert breadth(fold(events)) == 0
    assert breadth(fold([*events, Rated(T0, BOB, 2, "dreams", False, 6, 6, 6)])) == 1


def _exposed(v_a: float, n_a: int, v_b: float, n_b: int, *, safety: bool = False) -> BondState:
    return BondState(
        a=SideState(exposure=v_a, revelations=n_a, safety=safety),
        b=SideState(exposure=v_b, revelations=n_b),
    )


@pytest.mark.parametrize(
    ("state", "ratio", "more", "reflect"),
    [
        pytest.param(_exposed(6.0, 7, 1.5, 3), 0.25, ALICE, True, id="balance_uneven_reflects"),
        pytest.param(
            _exposed(6.0, 6, 1.5, 3), 0.25, ALICE, False, id="balance_too_few_revelations"
        ),
        pytest.param(
            _exposed(6.0, 7, 1.5, 3, safety=True), 0.25, ALICE, False, id="balance_in_safety_mode"
        ),
        pytest.param(_exposed(3.0, 5, 3.0, 5), 1.0, None, False, id="balance_even"),
        pytest.param(_exposed(0.0, 0, 0.0, 0), 1.0, None, False, id="balance_nothing_told"),
    ],
)
def test_balance_reflection(
    state: BondState, ratio: float, more: str | None, reflect: bool
) -> None:
    result = balance(state)
    assert result.ratio == pytest.approx(ratio)
    assert result.more_exposed == more
    assert result.reflect is reflect


def test_balance_reflection_goes_to_the_more_exposed_person_alone() -> None:
    """Bob has told far more; he alone is offered the reflection, built from real events."""
    events = [Revealed(at(day), BOB, 2, "hurts", True) for day in range(9)]
    events.append(Revealed(at(9), ALICE, 0, "joys"))
    state = fold(events)
    assert state.b.exposure == pytest.approx(9 * 1.2)
    result = balance(state)
    assert result.more_exposed == BOB
    assert result.reflect
    assert result.ratio == pytest.approx(0.3 / 10.8)


@pytest.mark.parametrize(
    ("guess", "actual", "accuracy"),
    [
        (("happy", 3), ("happy", 3), 1.0),
        (("happy", 3), ("content", 3), 0.8049),
        (("calm", 3), ("relaxed", 3), 0.8049),
        (("anxious", 2), ("anxious", 3), 0.8333),
        (("anxious", 1), ("calm", 1), 0.6731),
        (("excited", 3), ("sad", 3), 0.0761),
        (("happy", 3), ("sad", 3), 0.0),
        (("alert", 3), ("sleepy", 3), 0.0),
    ],
    ids=lambda v: f"{v[0]}{v[1]}" if isinstance(v, tuple) else None,
)
def test_checkin_accuracy_table(
    guess: tuple[str, int], actual: tuple[str, int], accuracy: float
) -> None:
    got = checkin_accuracy(feeling_point(*guess), feeling_point(*actual))
    assert got == pytest.approx(accuracy, abs=5e-5)


def test_feelings_sit_on_the_circle() -> None:
    assert len(FEELINGS) == 16
    for x, y in FEELINGS.values():
        assert x * x + y * y == pytest.approx(1.0)


def test_attunement_14_days() -> None:
    guesses = [(0, 0.8), (5, 1.0), (13, 0.6), (15, 0.9)]
    state = fold(CheckedIn(at(day), ALICE, accuracy) for day, accuracy in guesses)
    assert attunement(state, ALICE, at(15)) == pytest.approx(0.8333, abs=5e-5)
    assert attunement(state, ALICE, at(30)) is None
    assert attunement(state, BOB, at(15)) is None
    # The snapshot keeps only what the window needs.
    assert len(state.a.guesses) == 3


def test_attunement_ignores_guesses_after_the_moment_asked() -> None:
    state = fold([CheckedIn(at(0), ALICE, 0.4), CheckedIn(at(2), ALICE, 1.0)])
    assert attunement(state, ALICE, at(1)) == pytest.approx(0.4)


def test_safety_mode_changes_no_score() -> None:
    history: list[Event] = [
        ReadinessChanged(at(0), BOB, True),
        Revealed(at(0), ALICE, 0, "joys"),
        Rated(at(0), ALICE, 0, "joys", False, 7, 6, 7),
        Revealed(at(1), BOB, 0, "memories"),
        Rated(at(1), BOB, 0, "memories", False, 3, 2, 2),
        CheckedIn(at(1), ALICE, 0.7),
    ]
    before = fold(history)
    after = apply(before, WeaponizationReported(at(2), ALICE))
    assert after.a == replace(before.a, safety=True)
    assert after.b == before.b
    assert (after.open_depth, after.core_first) == (before.open_depth, before.core_first)
    assert not nudges_allowed(after, ALICE)
    assert nudges_allowed(after, BOB)
    left = apply(after, SafetyModeLeft(at(3), ALICE))
    assert left.a == before.a
    assert nudges_allowed(left, ALICE)


def test_other_is_the_partner() -> None:
    assert (other(ALICE), other(BOB)) == (BOB, ALICE)

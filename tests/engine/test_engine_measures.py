"""The measures of docs/engine.md §11–§15: index, breadth, balance, attunement, safety."""

from __future__ import annotations

from dataclasses import replace

import pytest
from engine_cases import ALICE, BOB, T0, at

from mutual.engine import (
    FEELINGS,
    BondState,
    CheckedIn,
    Event,
    Rated,
    ReadinessChanged,
    Revealed,
    SafetyModeLeft,
    SideState,
    WeaponizationReported,
    apply,
    attunement,
    balance,
    breadth,
    checkin_accuracy,
    feeling_point,
    fold,
    mutual_cells,
    mutual_index,
    mutual_vulnerability,
    nudges_allowed,
    other,
)


def _honored(h_a: float, h_b: float) -> BondState:
    return BondState(a=SideState(honored=h_a), b=SideState(honored=h_b))


@pytest.mark.parametrize(
    ("h_a", "h_b", "m", "index"),
    [
        (0, 5, 0, 0),
        (2, 2, 2, 32.97),
        (1, 4, 1.6, 27.39),
        (2, 8, 3.2, 47.27),
        (5, 5, 5, 63.21),
        (10, 10, 10, 86.47),
        (20, 20, 20, 98.17),
    ],
)
def test_index_table(h_a: float, h_b: float, m: float, index: float) -> None:
    state = _honored(h_a, h_b)
    assert mutual_vulnerability(state) == pytest.approx(m)
    assert mutual_index(state) == pytest.approx(index, abs=5e-3)
    mirrored = _honored(h_b, h_a)
    assert mutual_index(mirrored) == mutual_index(state)


def test_index_of_an_open_and_a_guarded_person_is_zero() -> None:
    """Alice tells a great deal and is honored; Bob tells nothing: no intimacy yet."""
    events = [Rated(at(day), ALICE, 2, "hurts", True, 7, 7, 7) for day in range(10)]
    state = fold(events)
    assert state.a.honored == pytest.approx(12.0)
    assert mutual_index(state) == 0.0
    state = apply(state, Rated(at(11), BOB, 0, "joys", False, 5, 5, 4))
    assert mutual_index(state) > 0.0


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
    assert (after.open_depth, after.evidence_days) == (before.open_depth, before.evidence_days)
    assert not nudges_allowed(after, ALICE)
    assert nudges_allowed(after, BOB)
    left = apply(after, SafetyModeLeft(at(3), ALICE))
    assert left.a == before.a
    assert nudges_allowed(left, ALICE)


def test_other_is_the_partner() -> None:
    assert (other(ALICE), other(BOB)) == (BOB, ALICE)

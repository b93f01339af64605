"""Measures of a bond, read from its state: mutual vulnerability and the index both see,
the onion's cells and breadth, the balance of exposure, attunement and the accuracy of
one check-in's guess. See docs/engine.md."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from .fading import fade
from .params import DEFAULT_PARAMS, Params
from .rules import shared_trust
from .state import BondState
from .vocabulary import Side


def honored_exposure(
    state: BondState, side: Side, at: datetime, params: Params = DEFAULT_PARAMS
) -> float:
    """``H`` of ``side`` as of ``at``: honored exposure, faded without renewal."""
    return fade(state.side(side), at, params).honored


def present_exposure(
    state: BondState, side: Side, at: datetime, params: Params = DEFAULT_PARAMS
) -> float:
    """``X = H · T``: ``side``'s honored exposure weighed by their present trust (as the
    shared index may read it: :func:`shared_trust`)."""
    return honored_exposure(state, side, at, params) * shared_trust(state, side, at, params)


def mutual_vulnerability(state: BondState, at: datetime, params: Params = DEFAULT_PARAMS) -> float:
    """``M``: the harmonic mean of both present exposures, zero when either is zero."""
    x_a = present_exposure(state, "a", at, params)
    x_b = present_exposure(state, "b", at, params)
    if x_a <= 0.0 or x_b <= 0.0:
        return 0.0
    return 2.0 * x_a * x_b / (x_a + x_b)


def mutual_index(state: BondState, at: datetime, params: Params = DEFAULT_PARAMS) -> float:
    """The intimacy index shown to both, 0–100: ``100 · M / (M + 10)``."""
    m = mutual_vulnerability(state, at, params)
    return 100.0 * m / (m + params.index_scale)


def closeness(state: BondState, side: Side, at: datetime, params: Params = DEFAULT_PARAMS) -> float:
    """``side``'s own closeness, 0–100: ``100 · K / (K + 10)``. Private to ``side``: it
    reads their own ratings."""
    k = fade(state.side(side), at, params).closeness
    return 100.0 * k / (k + params.closeness_scale)


def index_shown(index: float, params: Params = DEFAULT_PARAMS) -> int:
    """The index as both persons see it: rounded to steps of ``index_step`` (5).

    The shared number moves in coarse steps, and the product shows it as of the end of
    the previous day (docs/engine.md §11), so neither can solve it for one of the other's
    private ratings."""
    step = params.index_step
    return int(step * round(index / step))


def mutual_cells(state: BondState) -> frozenset[tuple[int, str]]:
    """(depth, theme) cells of the onion where both have been honored."""
    return state.a.cells & state.b.cells


def breadth(state: BondState, params: Params = DEFAULT_PARAMS) -> int:
    """Themes with a mutual, honored exchange at depth 2 or deeper."""
    return len({theme for depth, theme in mutual_cells(state) if depth >= params.breadth_min_depth})


@dataclass(frozen=True, slots=True)
class Balance:
    """Balance of raw exposure, and who (if anyone) gets the private reflection."""

    ratio: float
    more_exposed: Side | None
    reflect: bool


def balance(state: BondState, params: Params = DEFAULT_PARAMS) -> Balance:
    """``B = min(V_a, V_b) / max(V_a, V_b)``; below the threshold after enough
    revelations, the more exposed person alone is offered a gentle reflection."""
    v_a, v_b = state.a.exposure, state.b.exposure
    high = max(v_a, v_b)
    if high == 0.0:
        return Balance(1.0, None, False)
    ratio = min(v_a, v_b) / high
    more: Side | None = None if v_a == v_b else ("a" if v_a > v_b else "b")
    total = state.a.revelations + state.b.revelations
    reflect = (
        more is not None
        and ratio < params.balance_threshold
        and total >= params.balance_min_revelations
        and not state.side(more).safety
    )
    return Balance(ratio, more, reflect)


def attunement(
    state: BondState, guesser: Side, at: datetime, params: Params = DEFAULT_PARAMS
) -> float | None:
    """Mean accuracy of ``guesser``'s guesses over the window ending at ``at``."""
    recent = [
        acc
        for t, acc in state.side(guesser).guesses
        if t <= at and at - t < (params.attunement_window)
    ]
    return sum(recent) / len(recent) if recent else None


def checkin_accuracy(guess: tuple[float, float], actual: tuple[float, float]) -> float:
    """``1 − distance / 2`` between two points of the valence–arousal disc."""
    distance = math.hypot(guess[0] - actual[0], guess[1] - actual[1])
    return max(0.0, 1.0 - distance / 2.0)

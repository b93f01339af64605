"""The state of many dyads as arrays, and the measures read from it.

The vectorised simulator updates these arrays directly; the scalar simulator keeps a
:class:`mutual.engine.BondState` per dyad and copies it in here, so the two can be
compared field by field and measured by the same code.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from mutual.engine import MAX_DEPTH, BondState, Params

from .plan import SIM_THEMES, Timeline

#: Bits per depth in a cell mask: bit ``8·depth + theme`` is set when honored there.
THEME_BITS = 8


@dataclass(slots=True)
class SimState:
    """Per-dyad state. Per-side arrays have shape (2, n): row 0 is a, row 1 is b."""

    # What the engine keeps (one BondState per dyad).
    alpha: np.ndarray
    beta: np.ndarray
    as_of: np.ndarray  # event index of the last trust update, -1 for none
    scar: np.ndarray
    scar_at: np.ndarray  # event index of the last confirmed deception, -1 for none
    reported: np.ndarray  # the part of β that breach reports added, as of ``as_of``
    rest_alpha: np.ndarray  # the first impression forgetting returns to …
    rest_beta: np.ndarray
    seen: np.ndarray  # … evidence seen in all (how settled it is) …
    reported_rest: np.ndarray  # … and the part of ``rest_beta`` reports put there
    exposure: np.ndarray
    honored: np.ndarray
    closeness: np.ndarray
    present_as_of: np.ndarray  # event index honored/closeness were faded to, -1 for none
    last_revealed: np.ndarray  # event index of the latest revelation, -1 for none
    revelations: np.ndarray
    cells: np.ndarray  # bit masks of honored (depth, theme) cells
    ready: np.ndarray
    open_depth: np.ndarray  # (n,)
    core_first: np.ndarray  # (n,) event index of the first core evidence, -1 for none
    core_last: np.ndarray  # (n,) event index of the last core evidence, -1 for none
    core_sittings: np.ndarray  # (n,) separate sittings of core evidence
    # What the simulated people remember.
    last_depth: np.ndarray  # depth of the latest revelation, -1 for none
    last_emotional: np.ndarray
    dishonored_run: np.ndarray  # dishonored responses in a row
    # What the measures of a run need.
    deepest: np.ndarray  # deepest revelation so far, -1 for none
    first_breach: np.ndarray  # event of the first breach of this side, -1 for none
    honored_at_breach: np.ndarray  # honored exposure at that breach
    deepest_at_breach: np.ndarray  # deepest revelation up to that breach
    max_open_depth: np.ndarray  # (n,)
    reached: np.ndarray  # (MAX_DEPTH + 1, n): first event ending at that open depth
    breadth_at: np.ndarray  # (n,) first event ending with three mutual themes, -1
    outer_at_tender: np.ndarray  # (n,) themes honored at depth 0–1 by the first Tender

    @classmethod
    def new(
        cls,
        n: int,
        params: Params,
        expect_alpha: np.ndarray | None = None,
        expect_beta: np.ndarray | None = None,
    ) -> SimState:
        def side(value: float | int | bool, dtype: type) -> np.ndarray:
            return np.full((2, n), value, dtype=dtype)

        def one(value: int) -> np.ndarray:
            return np.full(n, value, dtype=np.int64)

        alpha = side(params.prior_alpha, np.float64) if expect_alpha is None else expect_alpha
        beta = side(params.prior_beta, np.float64) if expect_beta is None else expect_beta
        return cls(
            alpha=np.array(alpha, dtype=np.float64),
            beta=np.array(beta, dtype=np.float64),
            as_of=side(-1, np.int64),
            scar=side(0.0, np.float64),
            scar_at=side(-1, np.int64),
            reported=side(0.0, np.float64),
            rest_alpha=side(params.prior_alpha, np.float64),
            rest_beta=side(params.prior_beta, np.float64),
            seen=side(0.0, np.float64),
            reported_rest=side(0.0, np.float64),
            exposure=side(0.0, np.float64),
            honored=side(0.0, np.float64),
            closeness=side(0.0, np.float64),
            present_as_of=side(-1, np.int64),
            last_revealed=side(-1, np.int64),
            revelations=side(0, np.int64),
            cells=side(0, np.int64),
            ready=side(False, np.bool_),
            open_depth=one(0),
            core_first=one(-1),
            core_last=one(-1),
            core_sittings=one(0),
            last_depth=side(-1, np.int64),
            last_emotional=side(False, np.bool_),
            dishonored_run=side(0, np.int64),
            deepest=side(-1, np.int64),
            first_breach=side(-1, np.int64),
            honored_at_breach=side(0.0, np.float64),
            deepest_at_breach=side(-1, np.int64),
            max_open_depth=one(0),
            reached=np.full((MAX_DEPTH + 1, n), -1, dtype=np.int64),
            breadth_at=one(-1),
            outer_at_tender=one(-1),
        )

    @property
    def dyads(self) -> int:
        return int(self.open_depth.shape[0])

    def copy_bond(self, i: int, bond: BondState, index_of: dict[object, int]) -> None:
        """Write the engine's state of dyad ``i`` into the arrays."""
        for s, side in enumerate((bond.a, bond.b)):
            t = side.trust
            self.alpha[s, i] = t.alpha
            self.beta[s, i] = t.beta
            self.as_of[s, i] = -1 if t.as_of is None else index_of[t.as_of]
            self.scar[s, i] = t.scar
            self.scar_at[s, i] = -1 if t.scar_at is None else index_of[t.scar_at]
            self.reported[s, i] = t.reported
            self.rest_alpha[s, i] = t.rest_alpha
            self.rest_beta[s, i] = t.rest_beta
            self.seen[s, i] = t.seen
            self.reported_rest[s, i] = t.reported_rest
            self.exposure[s, i] = side.exposure
            self.honored[s, i] = side.honored
            self.closeness[s, i] = side.closeness
            self.present_as_of[s, i] = index_of.get(side.present_as_of, -1)
            self.last_revealed[s, i] = index_of.get(side.last_revealed, -1)
            self.revelations[s, i] = side.revelations
            mask = 0
            for depth, theme in side.cells:
                mask |= 1 << (THEME_BITS * depth + SIM_THEMES.index(theme))
            self.cells[s, i] = mask
            self.ready[s, i] = side.ready
        self.open_depth[i] = bond.open_depth
        self.core_first[i] = index_of.get(bond.core_first, -1)
        self.core_last[i] = index_of.get(bond.core_last, -1)
        self.core_sittings[i] = bond.core_sittings

    def record(self, t: int) -> None:
        """Note the deepest open depth and first times, at the end of event ``t``."""
        np.maximum(self.max_open_depth, self.open_depth, out=self.max_open_depth)
        for depth in range(1, MAX_DEPTH + 1):
            row = self.reached[depth]
            row[(row < 0) & (self.open_depth >= depth)] = t
        waiting = self.breadth_at < 0
        if waiting.any():  # once every dyad shares three themes, nothing is left to note
            themes = mutual_themes(self.cells, 0)
            self.breadth_at[waiting & (themes >= 3)] = t
        tender = (self.outer_at_tender < 0) & (np.max(self.deepest, axis=0) >= 3)
        if tender.any():
            either = self.cells[0, tender] | self.cells[1, tender]
            outer = (either | (either >> THEME_BITS)) & 0xFF
            self.outer_at_tender[tender] = np.bitwise_count(outer)

    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in fields(self))


def mutual_themes(cells: np.ndarray, min_depth: int) -> np.ndarray:
    """Themes in which both sides were honored at the same depth ≥ ``min_depth``."""
    both = cells[0] & cells[1]
    themes = np.zeros_like(both)
    for depth in range(min_depth, MAX_DEPTH + 1):
        themes |= (both >> (THEME_BITS * depth)) & 0xFF
    counts: np.ndarray = np.bitwise_count(themes).astype(np.int64)
    return counts


def decayed(
    state: SimState, t: int, timeline: Timeline, params: Params, rows: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """``α`` and ``β`` of both sides as of event ``t`` (the engine's ``decay``)."""
    pick = slice(None) if rows is None else (slice(None), rows)
    factor = np.where(state.as_of[pick] < 0, 1.0, timeline.evidence[t - state.as_of[pick]])
    ra, rb = state.rest_alpha[pick], state.rest_beta[pick]
    a = ra + (state.alpha[pick] - ra) * factor
    b = rb + (state.beta[pick] - rb) * factor
    return a, b


def scar_now(scar: np.ndarray, scar_at: np.ndarray, t: int, timeline: Timeline) -> np.ndarray:
    """The scar as of event ``t`` (the engine's ``scar_at``)."""
    return np.where(scar == 0.0, 0.0, scar * timeline.scars[t - scar_at])


def faded(values: np.ndarray, as_of: np.ndarray, t: int, timeline: Timeline) -> np.ndarray:
    """Honored exposure or closeness as of event ``t`` (the engine's ``fade``)."""
    return values * np.where(as_of < 0, 1.0, timeline.present[t - as_of])


@dataclass(frozen=True, slots=True)
class Measures:
    """Per-dyad measures at one moment."""

    trust: np.ndarray  # (2, n): effective expected trust of a in b, and of b in a
    open_depth: np.ndarray
    mutual_index: np.ndarray
    breadth: np.ndarray
    #: (2, n): honored exposure of each side as of the moment (faded), and closeness 0–100.
    honored: np.ndarray
    closeness: np.ndarray
    #: (n,): mutual vulnerability ``M`` beneath the index.
    mutual: np.ndarray


def measure(state: SimState, t: int, timeline: Timeline, params: Params) -> Measures:
    """The measures the engine's ``trust``, ``mutual_index``, ``closeness`` and
    ``breadth`` give, as of event ``t``."""
    a, b = decayed(state, t, timeline, params)
    sigma = scar_now(state.scar, state.scar_at, t, timeline)
    effective = a / (a + b) * (1.0 - sigma)
    factor = np.where(state.as_of < 0, 1.0, timeline.evidence[t - state.as_of])
    rr = state.reported_rest
    shared = a / (a + (b - (rr + (state.reported - rr) * factor)))
    h = faded(state.honored, state.present_as_of, t, timeline)
    x = h * shared
    x_a, x_b = x[0], x[1]
    guarded = (x_a <= 0.0) | (x_b <= 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        m = np.where(guarded, 0.0, 2.0 * x_a * x_b / np.where(guarded, 1.0, x_a + x_b))
    k = faded(state.closeness, state.present_as_of, t, timeline)
    return Measures(
        trust=effective,
        open_depth=state.open_depth.copy(),
        mutual_index=100.0 * m / (m + params.index_scale),
        breadth=mutual_themes(state.cells, params.breadth_min_depth),
        honored=h,
        closeness=100.0 * k / (k + params.closeness_scale),
        mutual=m,
    )

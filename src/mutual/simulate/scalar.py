"""The scalar simulator: every dyad driven event by event through ``mutual.engine.apply``.

It is slow on purpose: it is the reference the vectorised simulator is checked against.
It reads the same :class:`~mutual.simulate.plan.Plan` and takes the same decisions.
"""

from __future__ import annotations

from collections.abc import Callable

from mutual.engine import (
    MAX_DEPTH,
    BondState,
    BreachReported,
    CheckedIn,
    DeceptionConfirmed,
    Event,
    Params,
    Rated,
    ReadinessChanged,
    Revealed,
    Side,
    SteppedBack,
    apply,
    classify,
    effective_trust,
    new_bond,
    responsiveness,
)

from .plan import SIM_THEMES, Plan, Timeline, chances
from .state import SimState

SIDE_NAMES: tuple[Side, Side] = ("a", "b")


class ScalarDyad:
    """One dyad of a chunk, with the memory its simulated people keep."""

    def __init__(self, plan: Plan, column: int, state: SimState, params: Params) -> None:
        self.plan = plan
        self.i = column
        self.s = state
        self.params = params
        self.bond: BondState = new_bond(
            params,
            (float(plan.expect_alpha[0, column]), float(plan.expect_beta[0, column])),
            (float(plan.expect_alpha[1, column]), float(plan.expect_beta[1, column])),
        )
        #: Every engine event applied, in order (kept only when asked for).
        self.log: list[Event] | None = None

    def _apply(self, event: Event) -> None:
        self.bond = apply(self.bond, event, self.params)
        if self.log is not None:
            self.log.append(event)

    def step(self, t: int, timeline: Timeline) -> None:
        """Event ``t`` of the run for this dyad (docs/simulate.md, "One event of a run")."""
        plan, i, s = self.plan, self.i, self.s
        at = timeline.times[t]
        r = int(plan.turn[t])
        # Each person decides on the trust they hold as the event begins.
        lean = [
            float(
                chances(
                    effective_trust(self.bond, SIDE_NAMES[v], at, self.params),
                    1.0,
                    float(plan.anxiety[v, i]),
                    float(plan.avoidance[v, i]),
                )
            )
            for v in (0, 1)
        ]
        if float(plan.reveal_u[t, i]) < float(plan.reveal_base[t]) * lean[r]:
            depth = min(self.bond.open_depth, int(plan.max_depth[t, r]))
            if not float(plan.bold_u[t, i]) < float(plan.bold_base[t]) * lean[r]:
                depth = max(depth - 1, 0)
            emotional = bool(plan.emotional[t, i])
            theme = SIM_THEMES[int(plan.theme[t, i])]
            self._apply(Revealed(at, SIDE_NAMES[r], depth, theme, emotional))
            u, v, c = (int(x) for x in plan.ratings[t, :, i])
            costly = bool(plan.costly[t, i])
            self._apply(Rated(at, SIDE_NAMES[r], depth, theme, emotional, u, v, c, costly))
            outcome = classify(responsiveness(u, v, c), self.params)
            s.dishonored_run[r, i] = s.dishonored_run[r, i] + 1 if outcome == "dishonored" else 0
            s.last_depth[r, i] = depth
            s.last_emotional[r, i] = emotional
            s.deepest[r, i] = max(int(s.deepest[r, i]), depth)
        for v in (0, 1):
            if plan.breach[t, v, i] and s.last_depth[v, i] >= 0:
                if s.first_breach[v, i] < 0:
                    s.first_breach[v, i] = t
                    s.honored_at_breach[v, i] = self.bond.side(SIDE_NAMES[v]).honored
                    s.deepest_at_breach[v, i] = s.deepest[v, i]
                fixed = int(plan.breach_depth[t, v])
                depth = fixed if fixed >= 0 else int(s.last_depth[v, i])
                emotional = False if fixed >= 0 else bool(s.last_emotional[v, i])
                self._apply(BreachReported(at, SIDE_NAMES[v], depth, emotional))
                if plan.deceive[t, v, i]:
                    self._apply(DeceptionConfirmed(at, SIDE_NAMES[v]))
        for side in (0, 1):
            limit = int(plan.step_back_after[t, side])
            if 0 < limit <= s.dishonored_run[side, i] and self.bond.open_depth > 0:
                self._apply(SteppedBack(at, SIDE_NAMES[side]))
                s.dishonored_run[side, i] = 0
        for side in (0, 1):
            name = SIDE_NAMES[side]
            chance = float(plan.ready_base[t, side]) * lean[side]
            if (
                float(plan.ready_u[t, side, i]) < chance
                and not self.bond.side(name).ready
                and self.bond.open_depth < MAX_DEPTH
            ):
                self._apply(ReadinessChanged(at, name, True))
        for side in (0, 1):
            if plan.checkin[t, side, i]:
                accuracy = float(plan.accuracy[t, side, i])
                self._apply(CheckedIn(at, SIDE_NAMES[side], accuracy))


class Chunk:
    """One chunk of dyads, each driven through the engine."""

    def __init__(
        self, plan: Plan, timeline: Timeline, params: Params, keep_log: bool = False
    ) -> None:
        self.plan = plan
        self.timeline = timeline
        self.state = SimState.new(plan.dyads, params, plan.expect_alpha, plan.expect_beta)
        self.dyads = [ScalarDyad(plan, i, self.state, params) for i in range(plan.dyads)]
        if keep_log:
            for dyad in self.dyads:
                dyad.log = []

    def run(self, progress: Callable[[int], None] | None = None) -> SimState:
        """Every event of the run for every dyad; ``progress(t)`` after each event."""
        index_of: dict[object, int] = {at: t for t, at in enumerate(self.timeline.times)}
        for t in range(self.plan.events):
            for dyad in self.dyads:
                dyad.step(t, self.timeline)
                self.state.copy_bond(dyad.i, dyad.bond, index_of)
            self.state.record(t)
            if progress is not None:
                progress(t)
        return self.state

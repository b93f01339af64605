"""Running a scenario over many dyads with either simulator, and summarising the run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from mutual.engine import DEFAULT_PARAMS, Params

from . import scalar, vector
from .plan import Plan, Timeline, chunk_size, draw_plans
from .scenario import Scenario
from .state import Measures, SimState, measure

Engine = Literal["scalar", "vector"]
ENGINES: tuple[Engine, ...] = ("vector", "scalar")
#: The per-event series a run can record, each a mean over dyads.
SERIES = (
    "trust_a_to_b",
    "trust_b_to_a",
    "open_depth",
    "mutual_index",
    "breadth",
    "honored_a",
    "honored_b",
    "closeness_a",
    "closeness_b",
)
#: Events marked in the history: the share of dyads with a first breach (of either side)
#: and with a depth opening at each event.
MARKS = ("breaches", "openings")


@dataclass(slots=True)
class Run:
    """The outcome of a simulated run."""

    scenario: str
    dyads: int
    events: int
    seed: int
    engine: Engine
    gate: bool
    #: Final state of every dyad (chunks joined in order); empty when not kept.
    state: SimState
    #: Measures of every dyad at the last event.
    measures: Measures
    #: Mean accuracy of each side's check-in guesses over the window (NaN: none).
    attunement: np.ndarray
    #: Per-event means over dyads of :data:`SERIES` (and ``NAME_sd``, their standard
    #: deviations), and the shares of :data:`MARKS`, when recorded.
    history: dict[str, np.ndarray] = field(default_factory=dict)
    #: Hours between two events (the plot's x-axis is in days).
    hours_between: float = 24.0

    def final(self) -> dict[str, float | None]:
        """Means over dyads at the last event."""
        m = self.measures
        out: dict[str, float | None] = {
            "trust_a_to_b": float(np.mean(m.trust[0])),
            "trust_b_to_a": float(np.mean(m.trust[1])),
            "open_depth": float(np.mean(m.open_depth)),
            "mutual_index": float(np.mean(m.mutual_index)),
            "breadth": float(np.mean(m.breadth)),
            "closeness_a": float(np.mean(m.closeness[0])),
            "closeness_b": float(np.mean(m.closeness[1])),
        }
        for s, name in enumerate(("attunement_a", "attunement_b")):
            known = self.attunement[s][~np.isnan(self.attunement[s])]
            out[name] = float(np.mean(known)) if known.size else None
        return out

    def summary(self) -> dict[str, Any]:
        """What ``mutual simulate --json`` prints."""
        return {
            "scenario": self.scenario,
            "dyads": self.dyads,
            "events": self.events,
            "seed": self.seed,
            "engine": self.engine,
            "gate": self.gate,
            "final": self.final(),
        }


def _attunement(plan: Plan, timeline: Timeline, params: Params) -> np.ndarray:
    """The engine's ``attunement`` at the last event, from the plan's check-ins."""
    events = plan.events
    last = timeline.times[events - 1]
    total = np.zeros((2, plan.dyads))
    count = np.zeros((2, plan.dyads), dtype=np.int64)
    for t in range(events):
        if last - timeline.times[t] < params.attunement_window:
            took = plan.checkin[t]
            total = total + np.where(took, plan.accuracy[t], 0.0)
            count += took
    with np.errstate(invalid="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def _history(
    sums: dict[str, np.ndarray],
    squares: dict[str, np.ndarray],
    marks: dict[str, np.ndarray],
    dyads: int,
) -> dict[str, np.ndarray]:
    """Means and standard deviations over dyads, and the shares of dyads with a mark."""
    out: dict[str, np.ndarray] = {}
    for name, total in sums.items():
        mean = total / dyads
        out[name] = mean
        out[f"{name}_sd"] = np.sqrt(np.maximum(squares[name] / dyads - mean * mean, 0.0))
    for name, count in marks.items():
        out[name] = count / dyads
    return out


def _join(parts: list[SimState]) -> SimState:
    if len(parts) == 1:
        return parts[0]
    joined: dict[str, np.ndarray] = {}
    for name in parts[0].field_names():
        arrays = [getattr(p, name) for p in parts]
        joined[name] = np.concatenate(arrays, axis=arrays[0].ndim - 1)
    return SimState(**joined)


def simulate(
    scenario: Scenario,
    *,
    dyads: int,
    events: int | None = None,
    seed: int = 0,
    engine: Engine = "vector",
    params: Params = DEFAULT_PARAMS,
    history: bool = False,
    keep_state: bool = True,
    progress: Callable[[float], None] | None = None,
) -> Run:
    """Simulate ``dyads`` bonds of ``scenario`` for ``events`` events each.

    The same seed gives the same run with either engine. ``progress`` receives the
    fraction done after each event of each chunk. With ``keep_state=False`` only the
    measures are kept (about 60 bytes a dyad instead of 350), for very large runs.
    """
    if dyads < 1:
        raise ValueError("a run needs at least one dyad")
    events = scenario.events if events is None else events
    if events < 1:
        raise ValueError("a run needs at least one event")
    timeline = Timeline.build(events, scenario.schedule.gap_seconds(), params)
    chunks = -(-dyads // chunk_size(events))
    parts: list[SimState] = []
    measured: list[Measures] = []
    tunes: list[np.ndarray] = []
    sums = {name: np.zeros(events) for name in SERIES} if history else {}
    squares = {name: np.zeros(events) for name in SERIES} if history else {}
    marks = {name: np.zeros(events) for name in MARKS} if history else {}
    for k, plan in enumerate(draw_plans(scenario, dyads, events, seed)):
        runner = (
            vector.Chunk(plan, timeline, params)
            if engine == "vector"
            else scalar.Chunk(plan, timeline, params)
        )
        state = runner.state

        depth_before = state.open_depth.copy()

        def after(
            t: int, k: int = k, state: SimState = state, before: np.ndarray = depth_before
        ) -> None:
            """Add this chunk's sums to the series, and say how far the run is."""
            if history:
                marks["breaches"][t] += np.count_nonzero((state.first_breach == t).any(axis=0))
                marks["openings"][t] += np.count_nonzero(state.open_depth > before)
                before[:] = state.open_depth
                m = measure(state, t, timeline, params)
                values = (
                    m.trust[0],
                    m.trust[1],
                    m.open_depth,
                    m.mutual_index,
                    m.breadth,
                    m.honored[0],
                    m.honored[1],
                    m.closeness[0],
                    m.closeness[1],
                )
                for name, value in zip(SERIES, values, strict=True):
                    sums[name][t] += np.sum(value)
                    squares[name][t] += np.sum(np.square(value, dtype=np.float64))
            if progress is not None:
                progress((k * events + t + 1) / (chunks * events))

        part = runner.run(after if (history or progress) else None)
        measured.append(measure(part, events - 1, timeline, params))
        if keep_state:
            parts.append(part)
        tunes.append(_attunement(plan, timeline, params))
    return Run(
        scenario=scenario.name,
        dyads=dyads,
        events=events,
        seed=seed,
        engine=engine,
        gate=params.gate_enabled,
        state=_join(parts) if keep_state else SimState.new(0, params),
        measures=Measures(
            trust=np.concatenate([m.trust for m in measured], axis=1),
            open_depth=np.concatenate([m.open_depth for m in measured]),
            mutual_index=np.concatenate([m.mutual_index for m in measured]),
            breadth=np.concatenate([m.breadth for m in measured]),
            honored=np.concatenate([m.honored for m in measured], axis=1),
            closeness=np.concatenate([m.closeness for m in measured], axis=1),
            mutual=np.concatenate([m.mutual for m in measured]),
        ),
        attunement=np.concatenate(tunes, axis=1),
        history=_history(sums, squares, marks, dyads),
        hours_between=scenario.schedule.hours_between,
    )

"""The plan of a run: every random draw made once, as arrays, before anything is simulated.

Both simulators read the same plan, so for one seed they see the same world. All
randomness comes from ``numpy.random.default_rng(seed)`` (two streams it spawns, one of
uniform and one of normal draws), drawn chunk by chunk over dyads (:func:`chunk_size`
dyads at a time, shape dyads × events × k). What a draw decides
does not depend on the state of the bond (whether someone reveals, the ratings a
response earns, a breach), so it is settled here; what depends on the state (the depth
of a revelation, whether to step back) is decided by the simulators from the plan.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from mutual.engine import THEMES, Params

from .scenario import Scenario

#: At most this many dyads per chunk of draws …
CHUNK = 8192
#: … and at most this many dyad-events, to bound the memory a chunk takes.
CHUNK_EVENTS = 1 << 20


def chunk_size(events: int) -> int:
    """Dyads per chunk for runs of ``events`` events: a power of two, 16 to 8192.

    It depends on the number of events alone, so a dyad's draws depend only on the seed,
    the number of events and its position, never on how many dyads the run has.
    """
    size = CHUNK
    while size > 16 and size * events > CHUNK_EVENTS:
        size //= 2
    return size


#: Themes the simulated partners write on (the opt-in one is left out).
SIM_THEMES: tuple[str, ...] = tuple(t for t in THEMES if t != "desire")
#: Uniform draws per dyad and event, and normal ones.
K_UNIFORM = 13
K_NORMAL = 5
_U_REVEAL, _U_BOLD, _U_EMOTIONAL, _U_COSTLY, _U_THEME = 0, 1, 2, 3, 4
_U_BREACH, _U_DECEIVE, _U_READY, _U_CHECKIN = 5, 7, 9, 11  # each one per side
_Z_RATING, _Z_ACCURACY = 0, 3  # three ratings; one accuracy per side
#: Spread of a check-in guess's accuracy around the person's mean accuracy.
ACCURACY_SPREAD = 0.15
#: The moment the simulated bonds begin (midnight UTC, so event days are clear).
START = datetime(2026, 1, 5, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Timeline:
    """Times of the events of a run and the forgetting factors between them.

    ``evidence[k]``, ``scars[k]`` and ``present[k]`` are the factors the engine applies
    after ``k`` events' time: computed here with the same Python arithmetic as the
    engine's ``_halvings`` so both simulators use bit-identical numbers. ``span[k]``,
    ``separate[k]`` and ``within[k]`` are the engine's comparisons of ``k`` events' time
    with the core's span and the sitting gap.
    """

    times: tuple[datetime, ...]
    evidence: np.ndarray  # length events + 1
    scars: np.ndarray
    present: np.ndarray
    span: np.ndarray  # k events' time reaches core_span
    separate: np.ndarray  # k events' time is more than the sitting gap
    within: np.ndarray  # k events' time is at most the sitting gap

    @classmethod
    def build(cls, events: int, gap_seconds: int, params: Params) -> Timeline:
        gap = timedelta(seconds=gap_seconds)
        times = tuple(START + gap * t for t in range(events))
        ev_hl = params.evidence_half_life.total_seconds()
        scar_hl = params.scar_half_life.total_seconds()
        present_hl = params.present_half_life.total_seconds()
        evidence = [1.0]
        scars = [1.0]
        present = [1.0]
        for k in range(1, events + 1):
            elapsed = (gap * k).total_seconds()
            evidence.append(0.5 ** (elapsed / ev_hl))
            scars.append(0.5 ** (elapsed / scar_hl))
            present.append(0.5 ** (elapsed / present_hl))
        spans = [gap * k for k in range(events + 1)]
        return cls(
            times,
            np.array(evidence),
            np.array(scars),
            np.array(present),
            np.array([d >= params.core_span for d in spans]),
            np.array([d > params.sitting_gap for d in spans]),
            np.array([d <= params.sitting_gap for d in spans]),
        )


@dataclass(frozen=True, slots=True)
class Plan:
    """The draws of one chunk of dyads, decoded. Arrays are laid out events × dyads."""

    first: int  # index of the chunk's first dyad in the run
    turn: np.ndarray  # (T,) who reveals at each event: 0 for a, 1 for b
    # Draws for the choices that follow a person's own state (:func:`chances`): the
    # simulators compare them with the chance each person's trust gives.
    reveal_u: np.ndarray  # (T, n) float32, each row contiguous
    bold_u: np.ndarray  # (T, n) float32
    ready_u: np.ndarray  # (T, 2, n) float32
    reveal_base: np.ndarray  # (T,) the revealer's ``reveal`` setting
    bold_base: np.ndarray  # (T,) the revealer's ``boldness``
    ready_base: np.ndarray  # (T, 2) each side's ``readiness``
    # Each simulated person's own traits, drawn once: (2, n) float64.
    anxiety: np.ndarray
    avoidance: np.ndarray
    expect_alpha: np.ndarray
    expect_beta: np.ndarray
    breach_depth: np.ndarray  # (T, 2) depth betrayed when side v is breached, -1: latest
    emotional: np.ndarray  # (T, n) bool
    costly: np.ndarray  # (T, n) bool
    theme: np.ndarray  # (T, n) int8 index into SIM_THEMES
    ratings: np.ndarray  # (T, 3, n) int8, 1–7
    rating_sum: np.ndarray  # (T, n) int16
    breach: np.ndarray  # (T, 2, n) bool: breach[t, v] breaches side v's confidence
    deceive: np.ndarray  # (T, 2, n) bool: that breach is denied, then confirmed
    checkin: np.ndarray  # (T, 2, n) bool
    accuracy: np.ndarray  # (T, 2, n) float64
    max_depth: np.ndarray  # (T, 2) int64
    step_back_after: np.ndarray  # (T, 2) int64

    @property
    def dyads(self) -> int:
        return int(self.reveal_u.shape[1])

    @property
    def events(self) -> int:
        return int(self.reveal_u.shape[0])


def chances(
    trust: np.ndarray | float,
    base: np.ndarray | float,
    anxiety: np.ndarray | float,
    avoidance: np.ndarray | float,
) -> np.ndarray | float:
    """The chance a person reveals, goes to the open depth, or says "ready".

    ``comfort = min(1, 2T)``: trust below even holds a person back. Anxiety pushes on
    despite doubt (``lean = comfort + anxiety · (1 − comfort)``), avoidance holds back
    whatever the trust (``× (1 − avoidance)``). The same arithmetic serves a float (the
    scalar simulator) and arrays (the vectorised one), so both decide alike."""
    comfort = np.minimum(1.0, 2.0 * trust)
    lean = comfort + anxiety * (1.0 - comfort)
    return base * ((1.0 - avoidance) * lean)


def turns(scenario: Scenario, events: int) -> np.ndarray:
    """Whose turn to reveal it is at each event (0: a, 1: b)."""
    t = np.arange(events)
    if scenario.schedule.turns == "alternate":
        return (t % 2).astype(np.int64)
    block = scenario.schedule.block or max(1, (events + 1) // 2)
    return ((t // block) % 2).astype(np.int64)


def _per_event(scenario: Scenario, events: int, key: str) -> np.ndarray:
    """A behaviour setting of each side at each event, shape (T, 2)."""
    return np.array(
        [[getattr(scenario.a.at(t), key), getattr(scenario.b.at(t), key)] for t in range(events)]
    )


#: Dyads per block of draws: a block is drawn and laid out while it is in the cache.
_BLOCK = 64


def _draw(
    rng: np.random.Generator, n: int, events: int, k: int, normal: bool = False
) -> np.ndarray:
    """``n`` dyads' draws laid out events × k × dyads: the stream is read in the order
    of one array of shape dyads × events × k (the same numbers), block by block of
    dyads, each block transposed while it is still in the cache."""
    out = np.empty((events, k, n), dtype=np.float32)
    for i in range(0, n, _BLOCK):
        m = min(_BLOCK, n - i)
        if normal:
            block = rng.standard_normal((m, events, k), dtype=np.float32)
        else:
            block = rng.random((m, events, k), dtype=np.float32)
        out[:, :, i : i + m] = block.transpose(1, 2, 0)
    return out


def draw_plans(scenario: Scenario, dyads: int, events: int, seed: int) -> Iterator[Plan]:
    """The plans of a run, one chunk of dyads after another, from one generator."""
    # Uniform and normal draws come from two streams spawned by one generator, so that
    # dyad i's draws sit at the same place of each stream whatever the number of dyads.
    uniform_rng, normal_rng, trait_rng = np.random.default_rng(seed).spawn(3)
    turn = turns(scenario, events)
    when = np.arange(events)
    keys = (
        "reveal",
        "boldness",
        "emotional",
        "readiness",
        "response_mean",
        "response_spread",
        "costly",
        "breach_rate",
        "deception",
        "checkin",
        "checkin_accuracy",
        "max_depth",
        "step_back_after",
        "breach_depth",
    )
    setting = {key: _per_event(scenario, events, key) for key in keys}
    traits = [scenario.a.now, scenario.b.now]
    trait = {
        key: np.array([getattr(b, key) for b in traits], dtype=np.float64)[:, None]
        for key in (
            "anxiety",
            "anxiety_spread",
            "avoidance",
            "avoidance_spread",
            "expectation",
            "expectation_weight",
        )
    }
    own = {k: v[when, turn] for k, v in setting.items()}  # the revealer's, shape (T,)
    partner = {k: v[when, 1 - turn] for k, v in setting.items()}  # the responder's
    max_depth = setting["max_depth"].astype(np.int64)
    if scenario.schedule.depth == "shallow":
        max_depth = np.zeros_like(max_depth)
    scheduled = np.zeros((events, 2), dtype=bool)  # scheduled[t, v]: v is breached at t
    for v, breacher in ((0, scenario.b), (1, scenario.a)):
        for t in breacher.breaches:
            if t < events:
                scheduled[t, v] = True
    n_themes = len(SIM_THEMES)
    size = chunk_size(events)

    for first in range(0, dyads, size):
        n = min(size, dyads - first)
        # Laid out events × kind × dyads, so every decision below reads whole rows.
        ut = _draw(uniform_rng, n, events, K_UNIFORM)
        zn = _draw(normal_rng, n, events, K_NORMAL, normal=True)
        zt = trait_rng.standard_normal((n, 4)).T  # anxiety a, b; avoidance a, b
        anxiety = np.clip(trait["anxiety"] + trait["anxiety_spread"] * zt[0:2], 0.0, 1.0)
        avoidance = np.clip(trait["avoidance"] + trait["avoidance_spread"] * zt[2:4], 0.0, 1.0)
        weight = trait["expectation_weight"]
        expect_alpha = np.broadcast_to(trait["expectation"] * weight, (2, n)).copy()
        expect_beta = np.broadcast_to((1.0 - trait["expectation"]) * weight, (2, n)).copy()

        def per_side(k: int, values: np.ndarray, ut: np.ndarray = ut) -> np.ndarray:
            """Decisions of both sides: ``values[t, v]`` is side v's chance at t."""
            below: np.ndarray = ut[:, k : k + 2] < values[:, :, None]
            return below

        # Ratings, themes and accuracies are computed in single precision: both
        # simulators read the same results, so only speed depends on it.
        mean = partner["response_mean"].astype(np.float32)[:, None, None]
        spread = partner["response_spread"].astype(np.float32)[:, None, None]
        raw = spread * zn[:, _Z_RATING : _Z_RATING + 3]
        raw += mean
        np.rint(raw, out=raw)
        np.maximum(raw, np.float32(1.0), out=raw)
        np.minimum(raw, np.float32(7.0), out=raw)
        ratings = raw.astype(np.int8)  # (T, 3, n)
        rating_sum = ratings[:, 0].astype(np.int16)
        rating_sum += ratings[:, 1]
        rating_sum += ratings[:, 2]
        theme = np.minimum(
            (ut[:, _U_THEME] * np.float32(n_themes)).astype(np.int8), np.int8(n_themes - 1)
        )
        accuracy = np.float32(ACCURACY_SPREAD) * zn[:, _Z_ACCURACY : _Z_ACCURACY + 2]
        accuracy += setting["checkin_accuracy"].astype(np.float32)[:, :, None]
        np.clip(accuracy, np.float32(0.0), np.float32(1.0), out=accuracy)
        # Breaches of side v are the partner's doing: the rate and deception of 1 − v.
        breach = per_side(_U_BREACH, setting["breach_rate"][:, ::-1]) | scheduled[:, :, None]
        yield Plan(
            first=first,
            turn=turn,
            reveal_u=ut[:, _U_REVEAL],
            bold_u=ut[:, _U_BOLD],
            ready_u=ut[:, _U_READY : _U_READY + 2],
            reveal_base=own["reveal"].astype(np.float64),
            bold_base=own["boldness"].astype(np.float64),
            ready_base=setting["readiness"].astype(np.float64),
            anxiety=anxiety,
            avoidance=avoidance,
            expect_alpha=expect_alpha,
            expect_beta=expect_beta,
            # Side v is breached by the partner: the partner's choice of depth.
            breach_depth=np.ascontiguousarray(setting["breach_depth"][:, ::-1], dtype=np.int64),
            emotional=ut[:, _U_EMOTIONAL] < own["emotional"][:, None],
            costly=ut[:, _U_COSTLY] < partner["costly"][:, None],
            theme=theme,
            ratings=ratings,
            rating_sum=rating_sum,
            breach=breach,
            deceive=per_side(_U_DECEIVE, setting["deception"][:, ::-1]),
            checkin=per_side(_U_CHECKIN, setting["checkin"]),
            accuracy=accuracy.astype(np.float64),
            max_depth=max_depth,
            step_back_after=setting["step_back_after"].astype(np.int64),
        )

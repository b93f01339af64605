"""The model checked against published findings, by simulation.

Each target runs the same people under two conditions that differ in one respect, with
the same seed (so both conditions see the same draws), and compares a measure in the
expected direction. docs/validation.md describes every target, its source and how it
is measured.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import numpy as np

from mutual.engine import (
    DEFAULT_PARAMS,
    BondState,
    Params,
    Rated,
    apply,
    new_bond,
    trust,
)

from . import scalar
from .plan import SIM_THEMES, Timeline, draw_plans
from .run import Run, simulate
from .scenario import Behaviour, Person, Scenario, load_preset

#: Defaults of ``mutual simulate --validate``.
VALIDATE_DYADS = 1000
VALIDATE_SEED = 20261126


@dataclass(frozen=True, slots=True)
class Check:
    """One validation target and what the simulation measured."""

    target: str
    source: str
    expected: str
    measured: str
    passed: bool
    numbers: dict[str, float]

    def as_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "source": self.source,
            "expected": self.expected,
            "measured": self.measured,
            "passed": self.passed,
            "numbers": self.numbers,
        }


# ---------------------------------------------------------------------------------------
# Helpers


def _both(scenario: Scenario, **changes: Any) -> Scenario:
    """``scenario`` with the same change to both people's behaviour."""
    a = replace(scenario.a, now=replace(scenario.a.now, **changes))
    b = replace(scenario.b, now=replace(scenario.b.now, **changes))
    return replace(scenario, a=a, b=b)


def _one(scenario: Scenario, side: str, **changes: Any) -> Scenario:
    """``scenario`` with a change to one person's behaviour (``side`` is "a" or "b")."""
    person: Person = getattr(scenario, side)
    changed = replace(person, now=replace(person.now, **changes))
    return replace(scenario, a=changed) if side == "a" else replace(scenario, b=changed)


def _mutual_vulnerability(run: Run) -> float:
    """Mean ``M`` over dyads: the index before it is squeezed into 0–100."""
    h = run.state.honored
    guarded = (h[0] <= 0.0) | (h[1] <= 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        m = np.where(guarded, 0.0, 2.0 * h[0] * h[1] / (h[0] + h[1]))
    return float(np.mean(m))


def _fmt(value: float) -> str:
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"


class _Context:
    def __init__(self, dyads: int, seed: int) -> None:
        self.dyads = dyads
        self.seed = seed

    def run(
        self, scenario: Scenario, events: int, params: Params = DEFAULT_PARAMS, **kw: Any
    ) -> Run:
        return simulate(
            scenario, dyads=self.dyads, events=events, seed=self.seed, params=params, **kw
        )

    def greater(
        self,
        target: str,
        source: str,
        expected: str,
        labels: tuple[str, str],
        values: tuple[float, float],
        unit: str,
        extra: str = "",
    ) -> Check:
        high, low = values
        measured = f"{unit}: {labels[0]} {_fmt(high)} vs {labels[1]} {_fmt(low)}{extra}"
        numbers = {labels[0]: high, labels[1]: low}
        return Check(target, source, expected, measured, bool(high > low), numbers)


# ---------------------------------------------------------------------------------------
# Targets

SECURE_SHORT = 40  # events: long enough to go deep, short of the index's ceiling


def laurenceau_own(ctx: _Context) -> Check:
    base = load_preset("secure")
    more = ctx.run(_one(base, "a", reveal=0.9), SECURE_SHORT)
    less = ctx.run(_one(base, "a", reveal=0.3), SECURE_SHORT)
    return ctx.greater(
        "Intimacy rises with one's own disclosure",
        "Laurenceau, Barrett & Pietromonaco 1998",
        "M higher when a discloses more",
        ("a reveals 90%", "30%"),
        (_mutual_vulnerability(more), _mutual_vulnerability(less)),
        "mean M",
    )


def laurenceau_partner(ctx: _Context) -> Check:
    base = load_preset("secure")
    more = ctx.run(_one(base, "b", reveal=0.9), SECURE_SHORT)
    less = ctx.run(_one(base, "b", reveal=0.3), SECURE_SHORT)
    return ctx.greater(
        "Intimacy rises with the partner's disclosure",
        "Laurenceau, Barrett & Pietromonaco 1998",
        "M higher when b discloses more",
        ("b reveals 90%", "30%"),
        (_mutual_vulnerability(more), _mutual_vulnerability(less)),
        "mean M",
    )


def laurenceau_responsiveness(ctx: _Context) -> Check:
    base = load_preset("secure")
    warm = ctx.run(_one(base, "b", response_mean=6.0), SECURE_SHORT)
    cool = ctx.run(_one(base, "b", response_mean=4.5), SECURE_SHORT)
    trust_warm = float(np.mean(warm.measures.trust[0]))
    trust_cool = float(np.mean(cool.measures.trust[0]))
    check = ctx.greater(
        "Intimacy rises with perceived responsiveness",
        "Laurenceau, Barrett & Pietromonaco 1998",
        "M and a's trust higher when b responds better",
        ("b rated 6.0", "4.5"),
        (_mutual_vulnerability(warm), _mutual_vulnerability(cool)),
        "mean M",
        f"; a's trust {trust_warm:.3f} vs {trust_cool:.3f}",
    )
    numbers = {**check.numbers, "trust warm": trust_warm, "trust cool": trust_cool}
    return replace(check, passed=check.passed and trust_warm > trust_cool, numbers=numbers)


def laurenceau_emotional(ctx: _Context) -> Check:
    # Depth is held equal: the gate is off, both are always ready and always reveal at
    # depth 2, so both conditions have the very same depths event by event.
    base = _both(load_preset("secure"), max_depth=2, boldness=1.0, readiness=1.0)
    params = replace(DEFAULT_PARAMS, gate_enabled=False)
    emotional = ctx.run(_both(base, emotional=1.0), SECURE_SHORT, params)
    factual = ctx.run(_both(base, emotional=0.0), SECURE_SHORT, params)
    same_depths = bool(np.array_equal(emotional.state.deepest, factual.state.deepest))
    check = ctx.greater(
        "Emotional disclosure beats factual at equal depth",
        "Laurenceau, Barrett & Pietromonaco 1998",
        "M higher for emotional than factual revelations",
        ("emotional", "factual"),
        (_mutual_vulnerability(emotional), _mutual_vulnerability(factual)),
        "mean M at depth ≤ 2",
    )
    return replace(check, passed=check.passed and same_depths)


def aron(ctx: _Context) -> Check:
    base = load_preset("secure")
    events = 36  # the 36 questions
    escalating = ctx.run(replace(base, schedule=replace(base.schedule, depth="escalating")), events)
    shallow = ctx.run(replace(base, schedule=replace(base.schedule, depth="shallow")), events)
    index_e = float(np.mean(escalating.measures.mutual_index))
    index_s = float(np.mean(shallow.measures.mutual_index))
    check = ctx.greater(
        "Escalating reciprocal disclosure beats small talk",
        "Aron et al. 1997",
        "M higher after escalating than after shallow, same length",
        ("escalating", "shallow"),
        (_mutual_vulnerability(escalating), _mutual_vulnerability(shallow)),
        "mean M",
        f"; index {index_e:.1f} vs {index_s:.1f}",
    )
    return replace(check, passed=check.passed and index_e > index_s)


def sprecher(ctx: _Context) -> Check:
    base = _both(load_preset("secure"), reveal=1.0)
    events = 40
    turns = ctx.run(replace(base, schedule=replace(base.schedule, turns="alternate")), events)
    blocks = ctx.run(
        replace(base, schedule=replace(base.schedule, turns="blocks", block=0)), events
    )
    same_total = bool(np.array_equal(turns.state.revelations, blocks.state.revelations))
    check = ctx.greater(
        "Turn-taking beats one-way blocks",
        "Sprecher et al. 2013",
        "M higher when turns alternate, same number of revelations",
        ("turn-taking", "two blocks"),
        (_mutual_vulnerability(turns), _mutual_vulnerability(blocks)),
        "mean M",
        f"; {int(turns.state.revelations[:, 0].sum())} revelations in both",
    )
    return replace(check, passed=check.passed and same_total)


def altman_breadth(ctx: _Context) -> Check:
    scenario = load_preset("secure")
    gated = ctx.run(scenario, 120)
    ungated = ctx.run(scenario, 120, replace(DEFAULT_PARAMS, gate_enabled=False))

    def outer(run: Run) -> tuple[float, int]:
        seen = run.state.outer_at_tender >= 0
        return float(np.mean(run.state.outer_at_tender[seen])), int(seen.sum())

    (with_gate, n_g), (without, n_o) = outer(gated), outer(ungated)
    return ctx.greater(
        "Breadth grows before depth",
        "Altman & Taylor 1973",
        "more themes shared at depth 0–1 before the first Tender revelation",
        ("gate", "no gate"),
        (with_gate, without),
        "themes at the outer layers",
        f" ({n_g} and {n_o} dyads went Tender)",
    )


def altman_depenetration(ctx: _Context) -> Check:
    base = _one(load_preset("secure"), "a", step_back_after=2)
    costly = Behaviour(**{**_behaviour_dict(base.b.now), "response_mean": 2.0, "costly": 0.0})
    hurt = replace(base, b=replace(base.b, later=costly, later_from=40))
    run = ctx.run(hurt, 120, history=True)
    calm = ctx.run(base, 120)
    peak = float(run.history["open_depth"][39])
    final = float(np.mean(run.state.open_depth))
    control = float(np.mean(calm.state.open_depth))
    return Check(
        "Under sustained costs the open depth falls back",
        "Altman & Taylor 1973",
        "open depth at the end below its level when the costs began",
        f"mean open depth: {peak:.2f} at event 40, {final:.2f} at the end "
        f"(without costs {control:.2f})",
        final < peak and final < control,
        {"when costs began": peak, "end": final, "end without costs": control},
    )


def _behaviour_dict(b: Behaviour) -> dict[str, Any]:
    return {name: getattr(b, name) for name in b.__slots__}


def _asymmetry(bonds: list[BondState], at: datetime) -> tuple[float, float]:
    """Mean |ΔE| of a's trust after one honor (q = 1) and one dishonor (q = 0)."""
    ups: list[float] = []
    downs: list[float] = []
    for bond in bonds:
        before = trust(bond, "a", at).expected
        for scores, out in (((7, 7, 7), ups), ((1, 1, 1), downs)):
            event = Rated(at, "a", bond.open_depth, SIM_THEMES[0], False, *scores)
            out.append(abs(trust(apply(bond, event), "a", at).expected - before))
    return float(np.mean(ups)), float(np.mean(downs))


def slovic(ctx: _Context) -> Check:
    """One extreme honor and one extreme dishonor of the same stake, from the same states."""
    scenario = load_preset("secure")
    events = 20
    dyads = min(ctx.dyads, 200)
    timeline = Timeline.build(events + 1, scenario.schedule.gap_seconds(), DEFAULT_PARAMS)
    plan = next(draw_plans(scenario, dyads, events, ctx.seed))
    chunk = scalar.Chunk(plan, timeline, DEFAULT_PARAMS)
    chunk.run()
    at = timeline.times[events]
    up, down = _asymmetry([d.bond for d in chunk.dyads], at)
    new_up, new_down = _asymmetry([new_bond()], at)
    return Check(
        "One dishonor moves trust more than one honor",
        "Slovic 1993",
        "|ΔE| of a dishonor (q = 0) above an honor (q = 1) of the same stake",
        f"|ΔE| after {events} events: {down:.3f} vs {up:.3f}; "
        f"in a new bond: {new_down:.3f} vs {new_up:.3f}",
        down > up and new_down > new_up,
        {"dishonor": down, "honor": up, "new dishonor": new_down, "new honor": new_up},
    )


def wieselquist(ctx: _Context) -> Check:
    base = load_preset("secure")
    costly = ctx.run(_one(base, "b", costly=0.8), 60, history=True)
    plain = ctx.run(_one(base, "b", costly=0.0), 60, history=True)
    t_costly = float(costly.history["trust_a_to_b"][9])
    t_plain = float(plain.history["trust_a_to_b"][9])
    d_costly = float(costly.history["open_depth"][19])
    d_plain = float(plain.history["open_depth"][19])
    return Check(
        "Costly honored responses raise trust faster and lead deeper",
        "Wieselquist et al. 1999",
        "a's trust (event 10) and open depth (event 20) higher when b's care is costly",
        f"trust {t_costly:.3f} vs {t_plain:.3f}; depth {d_costly:.2f} vs {d_plain:.2f} "
        "(costly 80% vs never)",
        t_costly > t_plain and d_costly > d_plain,
        {
            "trust costly": t_costly,
            "trust plain": t_plain,
            "depth costly": d_costly,
            "depth plain": d_plain,
        },
    )


def lount(ctx: _Context) -> Check:
    early_s, late_s = load_preset("early-breach"), load_preset("late-breach")
    early_at, late_at = early_s.b.breaches[0], late_s.b.breaches[0]
    after = 30
    early = ctx.run(early_s, early_at + after + 1, history=True)
    late = ctx.run(late_s, late_at + after + 1, history=True)
    e = float(early.history["trust_a_to_b"][early_at + after])
    la = float(late.history["trust_a_to_b"][late_at + after])
    return ctx.greater(
        "An early breach leaves trust lower than a late one",
        "Lount et al. 2008",
        f"a's trust {after} events after a breach: late above early",
        (f"late (event {late_at})", f"early (event {early_at})"),
        (la, e),
        f"a's trust {after} events on",
    )


def schweitzer(ctx: _Context) -> Check:
    base = replace(load_preset("secure"))
    base = replace(base, b=replace(base.b, breaches=(40,)))
    honest = ctx.run(_one(base, "b", deception=0.0), 100)
    lying = ctx.run(_one(base, "b", deception=1.0), 100)
    return ctx.greater(
        "A denied breach scars trust beyond the breach itself",
        "Schweitzer, Hershey & Bradlow 2006",
        "a's trust at the end higher after an admitted breach than a denied one",
        ("admitted", "denied"),
        (float(np.mean(honest.measures.trust[0])), float(np.mean(lying.measures.trust[0]))),
        "a's trust at event 100",
    )


def _bomber(ctx: _Context, scenario: Scenario) -> tuple[Run, Run]:
    gated = ctx.run(scenario, scenario.events)
    open_ = ctx.run(scenario, scenario.events, replace(DEFAULT_PARAMS, gate_enabled=False))
    return gated, open_


def safety(ctx: _Context) -> Check:
    scenario = load_preset("love-bomber")
    gated, open_ = _bomber(ctx, scenario)
    depth_g = float(np.mean(gated.state.deepest_at_breach[0]))
    depth_o = float(np.mean(open_.state.deepest_at_breach[0]))
    h_g = float(np.mean(gated.state.honored_at_breach[0]))
    h_o = float(np.mean(open_.state.honored_at_breach[0]))
    return Check(
        "The gate limits what a love-bomber gets before the first breach",
        "Mutual's design (DESIGN §2); Freed et al. 2018",
        "a's deepest revelation and honored exposure lower with the gate",
        f"deepest {depth_g:.2f} vs {depth_o:.2f}; exposure {h_g:.2f} vs {h_o:.2f} "
        "(gate vs no gate)",
        depth_g < depth_o and h_g < h_o,
        {
            "deepest gate": depth_g,
            "deepest no gate": depth_o,
            "exposure gate": h_g,
            "exposure no gate": h_o,
        },
    )


def safety_long(ctx: _Context) -> Check:
    scenario = load_preset("love-bomber")
    shift = 20
    b = replace(
        scenario.b,
        later_from=scenario.b.later_from + shift,
        breaches=tuple(t + shift for t in scenario.b.breaches),
    )
    gated, open_ = _bomber(ctx, replace(scenario, b=b))
    depth_g = float(np.mean(gated.state.deepest_at_breach[0]))
    depth_o = float(np.mean(open_.state.deepest_at_breach[0]))
    h_g = float(np.mean(gated.state.honored_at_breach[0]))
    h_o = float(np.mean(open_.state.honored_at_breach[0]))
    return Check(
        "Against a patient love-bomber the gate still slows exposure",
        "Mutual's design (DESIGN §2)",
        "exposure before the first breach lower with the gate (depth may not be)",
        f"deepest {depth_g:.2f} vs {depth_o:.2f}; exposure {h_g:.2f} vs {h_o:.2f} "
        f"(bombing {scenario.b.later_from + shift} events)",
        h_g < h_o,
        {
            "deepest gate": depth_g,
            "deepest no gate": depth_o,
            "exposure gate": h_g,
            "exposure no gate": h_o,
        },
    )


TARGETS: tuple[Callable[[_Context], Check], ...] = (
    laurenceau_own,
    laurenceau_partner,
    laurenceau_responsiveness,
    laurenceau_emotional,
    aron,
    sprecher,
    altman_breadth,
    altman_depenetration,
    slovic,
    wieselquist,
    lount,
    schweitzer,
    safety,
    safety_long,
)


def validate(
    dyads: int = VALIDATE_DYADS,
    seed: int = VALIDATE_SEED,
    progress: Callable[[float], None] | None = None,
) -> list[Check]:
    """Every target, in order."""
    ctx = _Context(dyads, seed)
    checks = []
    for k, target in enumerate(TARGETS):
        checks.append(target(ctx))
        if progress is not None:
            progress((k + 1) / len(TARGETS))
    return checks

"""The definitional checks of the validation, which hold by a formula's construction,
and the design's safety claims (docs/validation.md)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import numpy as np

from mutual.engine import BondState, Params, Rated, apply, trust

from . import scalar
from .conditions import SECURE_SHORT, both, closeness, later, one
from .plan import SIM_THEMES, Timeline, draw_plans
from .run import Run
from .scenario import Scenario, load_preset
from .validate import Check, Context


def _closeness_by_disclosure(
    ctx: Context, discloser: str, title: str, claim: str, labels: tuple[str, str]
) -> Check:
    """a's closeness when ``discloser`` reveals 90 % against 30 % of the time."""
    base = load_preset("secure")
    more = ctx.run(one(base, discloser, reveal=0.9), SECURE_SHORT)
    less = ctx.run(one(base, discloser, reveal=0.3), SECURE_SHORT)
    return Check(
        title,
        "Laurenceau, Barrett & Pietromonaco 1998",
        "definitional",
        claim,
        (
            ctx.compare(
                "a's closeness", labels, more.measures.closeness[0], less.measures.closeness[0]
            ),
        ),
    )


def laurenceau_own(ctx: Context) -> Check:
    return _closeness_by_disclosure(
        ctx,
        "a",
        "Intimacy rises with one's own disclosure",
        "a's closeness higher when a discloses more (closeness counts own disclosure)",
        ("90 %", "30 %"),
    )


def laurenceau_partner(ctx: Context) -> Check:
    return _closeness_by_disclosure(
        ctx,
        "b",
        "Intimacy rises with the partner's disclosure",
        "a's closeness higher when b discloses more (closeness counts it)",
        ("b 90 %", "b 30 %"),
    )


def laurenceau_responsiveness(ctx: Context) -> Check:
    base = load_preset("secure")
    warm = ctx.run(one(base, "b", response_mean=6.0), SECURE_SHORT)
    cool = ctx.run(one(base, "b", response_mean=4.5), SECURE_SHORT)
    return Check(
        "Intimacy rises with perceived responsiveness",
        "Laurenceau, Barrett & Pietromonaco 1998",
        "definitional",
        "a's closeness and trust higher when b responds better",
        (
            ctx.compare(
                "a's closeness",
                ("b 6.0", "4.5"),
                warm.measures.closeness[0],
                cool.measures.closeness[0],
            ),
            ctx.compare(
                "a's trust", ("b 6.0", "4.5"), warm.measures.trust[0], cool.measures.trust[0]
            ),
        ),
    )


def laurenceau_emotional(ctx: Context) -> Check:
    # Depth is held equal: the gate is off, both are always ready and always reveal at
    # depth 2, so both conditions have the very same depths event by event.
    base = both(load_preset("secure"), max_depth=2, boldness=1.0, readiness=1.0)
    params = replace(ctx.params, gate_enabled=False)
    emotional = ctx.run(both(base, emotional=1.0), SECURE_SHORT, params)
    factual = ctx.run(both(base, emotional=0.0), SECURE_SHORT, params)
    return Check(
        "Emotional disclosure beats factual at equal depth",
        "Laurenceau, Barrett & Pietromonaco 1998",
        "definitional",
        "M higher for emotional revelations (the stake's factor 1.5)",
        (
            ctx.compare(
                "M", ("emotional", "factual"), emotional.measures.mutual, factual.measures.mutual
            ),
        ),
    )


def _asymmetry(
    bonds: list[BondState], at: datetime, params: Params
) -> tuple[np.ndarray, np.ndarray]:
    """|ΔE| of a's trust after one honor (q = 1) and one dishonor (q = 0), per bond."""
    ups: list[float] = []
    downs: list[float] = []
    for bond in bonds:
        before = trust(bond, "a", at, params).expected
        for scores, out in (((7, 7, 7), ups), ((1, 1, 1), downs)):
            event = Rated(at, "a", bond.open_depth, SIM_THEMES[0], False, *scores)
            out.append(abs(trust(apply(bond, event, params), "a", at, params).expected - before))
    return np.array(ups), np.array(downs)


def slovic(ctx: Context) -> Check:
    scenario = load_preset("secure")
    events = 20
    dyads = min(ctx.dyads, 200)
    timeline = Timeline.build(events + 1, scenario.schedule.gap_seconds(), ctx.params)
    plan = next(draw_plans(scenario, dyads, events, ctx.seed))
    chunk = scalar.Chunk(plan, timeline, ctx.params)
    chunk.run()
    at = timeline.times[events]
    up, down = _asymmetry([d.bond for d in chunk.dyads], at, ctx.params)
    return Check(
        "One dishonor moves trust more than one honor",
        "Slovic 1993",
        "definitional",
        "|ΔE| of a dishonor (q = 0) above an honor (q = 1) of the same stake (loss factor 2)",
        (ctx.compare("|ΔE|", ("dishonor", "honor"), down, up),),
        note=f"{dyads} bonds after {events} events",
    )


def wieselquist(ctx: Context) -> Check:
    base = load_preset("secure")
    costly = ctx.run(one(base, "b", costly=0.8), 10)
    plain = ctx.run(one(base, "b", costly=0.0), 10)
    return Check(
        "Costly honored responses raise trust faster",
        "Wieselquist et al. 1999",
        "definitional",
        "a's trust at event 10 higher when b's care is costly (strain weight 1.5)",
        (
            ctx.compare(
                "a's trust",
                ("costly 80 %", "never"),
                costly.measures.trust[0],
                plain.measures.trust[0],
            ),
        ),
    )


def schweitzer(ctx: Context) -> Check:
    base = load_preset("secure")
    base = replace(base, b=replace(base.b, breaches=(40,)))
    honest = ctx.run(one(base, "b", deception=0.0), 100)
    lying = ctx.run(one(base, "b", deception=1.0), 100)
    return Check(
        "A denied breach scars trust beyond the breach itself",
        "Schweitzer, Hershey & Bradlow 2006",
        "definitional",
        "a's trust at the end higher after an admitted breach than a denied one (the scar)",
        (
            ctx.compare(
                "a's trust",
                ("admitted", "denied"),
                honest.measures.trust[0],
                lying.measures.trust[0],
            ),
        ),
    )


def collins_miller(ctx: Context) -> Check:
    base = load_preset("secure")
    deep = ctx.run(one(base, "a", boldness=1.0, emotional=1.0), SECURE_SHORT)
    light = ctx.run(one(base, "a", boldness=0.3, emotional=0.0), SECURE_SHORT)
    return Check(
        "Those who disclose more intimately are trusted more",
        "Collins & Miller 1994",
        "definitional",
        "b's trust in a higher when a's revelations are deeper and emotional (receiver gain)",
        (
            ctx.compare(
                "b's trust", ("intimate", "light"), deep.measures.trust[1], light.measures.trust[1]
            ),
        ),
        published="disclosers liked more: a small effect across studies",
    )


def roberts_dunbar(ctx: Context) -> Check:
    base = load_preset("secure")
    silent = ctx.run(later(later(base, "a", 60, reveal=0.0), "b", 60, reveal=0.0), 120)
    kept = ctx.run(base, 120)
    return Check(
        "Closeness fades without contact",
        "Roberts & Dunbar 2015",
        "definitional",
        "closeness after 60 days of silence below that of a pair who kept sharing (fading)",
        (ctx.compare("closeness", ("kept sharing", "silent"), closeness(kept), closeness(silent)),),
    )


# ---------------------------------------------------------------------------------------
# Safety claims


def _bomber(ctx: Context, scenario: Scenario) -> tuple[Run, Run]:
    gated = ctx.run(scenario, scenario.events)
    open_ = ctx.run(scenario, scenario.events, replace(ctx.params, gate_enabled=False))
    return gated, open_


def _breached(run: Run) -> np.ndarray:
    mask: np.ndarray = run.state.first_breach[0] >= 0
    return mask


def safety(ctx: Context) -> Check:
    gated, open_ = _bomber(ctx, load_preset("love-bomber"))
    both = _breached(gated) & _breached(open_)
    return Check(
        "The gate limits what a love-bomber gets before the first breach",
        "Mutual's design (DESIGN §2); Freed et al. 2018",
        "safety",
        "a's deepest revelation and honored exposure at the first breach lower with the gate",
        (
            ctx.compare(
                "deepest depth",
                ("no gate", "gate"),
                open_.state.deepest_at_breach[0][both],
                gated.state.deepest_at_breach[0][both],
            ),
            ctx.compare(
                "honored exposure",
                ("no gate", "gate"),
                open_.state.honored_at_breach[0][both],
                gated.state.honored_at_breach[0][both],
            ),
        ),
    )


def safety_long(ctx: Context) -> Check:
    scenario = load_preset("love-bomber")
    shift = 20
    b = replace(
        scenario.b,
        later_from=scenario.b.later_from + shift,
        breaches=tuple(t + shift for t in scenario.b.breaches),
    )
    gated, open_ = _bomber(ctx, replace(scenario, b=b))
    both = _breached(gated) & _breached(open_)
    return Check(
        "Against a patient love-bomber the gate still slows exposure",
        "Mutual's design (DESIGN §2)",
        "safety",
        "honored exposure at the first breach lower with the gate (depth may not be)",
        (
            ctx.compare(
                "honored exposure",
                ("no gate", "gate"),
                open_.state.honored_at_breach[0][both],
                gated.state.honored_at_breach[0][both],
            ),
        ),
        note=f"bombing {scenario.b.later_from + shift} events",
    )

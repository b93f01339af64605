"""The rules: one event in, the next state out, in O(1). See docs/engine.md."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from .beta import beta_cdf, beta_ppf
from .events import (
    BreachReported,
    CheckedIn,
    DeceptionConfirmed,
    Event,
    Rated,
    ReadinessChanged,
    RepairRound,
    Revealed,
    SafetyModeLeft,
    SteppedBack,
    WeaponizationReported,
)
from .fading import decay, fade, impression_share, scar_at
from .params import DEFAULT_PARAMS, Params
from .state import BondState, SideState, Trust
from .vocabulary import MAX_DEPTH, SIDES, Outcome, Side, other

# ---------------------------------------------------------------------------------------
# Stake and responsiveness


def stake(depth: int, emotional: bool, params: Params = DEFAULT_PARAMS) -> float:
    """``w``: what a revelation at ``depth`` puts at stake."""
    w = params.stake_by_depth[depth]
    return w * params.emotional_factor if emotional else w


def responsiveness(understood: int, validated: int, cared: int) -> float:
    """``q``: the mean of the three 1–7 ratings, rescaled to 0–1."""
    return ((understood + validated + cared) / 3.0 - 1.0) / 6.0


def classify(q: float, params: Params = DEFAULT_PARAMS) -> Outcome:
    """Whether a response with responsiveness ``q`` honored, missed or dishonored."""
    if q >= params.honored_at:
        return "honored"
    if q <= params.dishonored_at:
        return "dishonored"
    return "missed"


def trust_delta(
    q: float, w: float, costly: bool = False, params: Params = DEFAULT_PARAMS
) -> tuple[float, float]:
    """``(Δα, Δβ)``: the evidence a response of responsiveness ``q`` adds to the
    revealer's trust, for a revelation of stake ``w``.

    Honored: ``Δα = w · (q − o)/(1 − o) · s`` with the origin ``o`` (0.5); missed (a
    turning away): ``Δβ = 0.25 · w``; dishonored: ``Δβ = 2 · w · (0.3 − q)/0.3``.
    """
    outcome = classify(q, params)
    if outcome == "honored":
        s = params.strain_weight if costly else 1.0
        origin = params.honor_origin
        return (w * (q - origin) / (1.0 - origin) * s, 0.0)
    if outcome == "dishonored":
        return (0.0, params.loss_factor * w * (params.dishonored_at - q) / params.dishonored_at)
    return (0.0, params.missed_weight * w)


# ---------------------------------------------------------------------------------------
# Applying one event


def _with_side(state: BondState, side: Side, new: SideState) -> BondState:
    return replace(state, a=new) if side == "a" else replace(state, b=new)


def _gain(trust: Trust, at: datetime, amount: float, params: Params) -> Trust:
    """Honoring evidence: ``α`` grows, and the first impression takes in its share."""
    t = decay(trust, at, params)
    taken = impression_share(t, params) * amount
    return replace(t, alpha=t.alpha + amount, rest_alpha=t.rest_alpha + taken, seen=t.seen + amount)


def _loss(trust: Trust, at: datetime, amount: float, params: Params) -> Trust:
    """Hurting evidence: ``β`` grows, and the first impression takes in its share."""
    t = decay(trust, at, params)
    taken = impression_share(t, params) * amount
    return replace(t, beta=t.beta + amount, rest_beta=t.rest_beta + taken, seen=t.seen + amount)


def _step_back(state: BondState) -> BondState:
    """One depth back (never below Surface): nobody is ready, and the evidence gathered
    for the core counts no more."""
    return replace(
        state,
        open_depth=max(0, state.open_depth - 1),
        a=replace(state.a, ready=False),
        b=replace(state.b, ready=False),
        core_first=None,
        core_last=None,
        core_sittings=0,
    )


def _core_evidence(state: BondState, at: datetime, params: Params) -> BondState:
    """Note honored evidence at the depth below the core, given at ``at``."""
    if state.core_first is None or state.core_last is None:
        return replace(state, core_first=at, core_last=at, core_sittings=1)
    separate = at - state.core_last > params.sitting_gap
    return replace(
        state,
        core_first=min(state.core_first, at),
        core_last=max(state.core_last, at),
        core_sittings=state.core_sittings + (1 if separate else 0),
    )


def core_time_holds(state: BondState, params: Params = DEFAULT_PARAMS) -> bool:
    """Honored evidence below the core spans ``core_span`` (48 h) of elapsed time, in at
    least ``core_sittings`` (2) separate sittings."""
    if state.core_first is None or state.core_last is None:
        return False
    return (
        state.core_last - state.core_first >= params.core_span
        and state.core_sittings >= params.core_sittings
    )


def _revealed(state: BondState, e: Revealed, params: Params) -> BondState:
    w = stake(e.depth, e.emotional, params)
    me = fade(state.side(e.author), e.at, params)
    partner = fade(state.side(other(e.author)), e.at, params)
    # Being trusted with a revelation raises the receiver's trust in the revealer a
    # little, and the receiver's closeness (the disclosure–liking effect).
    partner = replace(
        partner,
        trust=_gain(partner.trust, e.at, params.receiver_gain * w, params),
        closeness=partner.closeness + params.closeness_partner * w,
    )
    seen = partner.last_revealed
    if seen is not None and timedelta(0) <= e.at - seen <= params.sitting_gap:
        # Answering a partner's revelation with one's own in the same sitting.
        bonus = params.closeness_reciprocity * w
        me = replace(me, closeness=me.closeness + bonus)
        partner = replace(partner, closeness=partner.closeness + bonus)
    newer = me.last_revealed is None or e.at > me.last_revealed
    me = replace(
        me,
        exposure=me.exposure + w,
        revelations=me.revelations + 1,
        last_revealed=e.at if newer else me.last_revealed,
    )
    state = _with_side(state, e.author, me)
    return _with_side(state, other(e.author), partner)


def _rated(state: BondState, e: Rated, params: Params) -> BondState:
    me = fade(state.side(e.author), e.at, params)
    w = stake(e.depth, e.emotional, params)
    q = responsiveness(e.understood, e.validated, e.cared)
    outcome = classify(q, params)
    gain, loss = trust_delta(q, w, e.costly, params)
    felt = params.closeness_own + params.closeness_response * (q - params.honor_origin)
    me = replace(me, closeness=max(0.0, me.closeness + w * felt))
    if outcome == "honored":
        me = replace(
            me,
            trust=_gain(me.trust, e.at, gain, params),
            honored=me.honored + w * q,
            cells=me.cells | {(e.depth, e.theme)},
        )
        state = _with_side(state, e.author, me)
        if e.depth == params.core_depth - 1:
            state = _core_evidence(state, e.at, params)
        return state
    # Dishonored, or missed: a turning away, which erodes trust a little.
    me = replace(me, trust=_loss(me.trust, e.at, loss, params))
    return _with_side(state, e.author, me)


def _transition(state: BondState, event: Event, params: Params) -> BondState:
    match event:
        case Revealed():
            return _revealed(state, event, params)
        case Rated():
            return _rated(state, event, params)
        case BreachReported(at=at, author=author, depth=depth, emotional=emotional):
            me = state.side(author)
            amount = params.breach_factor * stake(depth, emotional, params)
            # Like a loss, but the report does not count as evidence seen: it must not
            # change how later, shared evidence forms the impression (DESIGN §3).
            t = decay(me.trust, at, params)
            share = impression_share(t, params)
            hurt = replace(
                t,
                beta=t.beta + amount,
                rest_beta=t.rest_beta + share * amount,
                reported=t.reported + amount,
                reported_rest=t.reported_rest + share * amount,
            )
            me = replace(me, trust=hurt)
            return _step_back(_with_side(state, author, me))
        case DeceptionConfirmed(at=at, reporter=reporter):
            me = state.side(reporter)
            remaining = (1.0 - scar_at(me.trust, at, params)) * (1.0 - params.scar)
            trust = replace(me.trust, scar=1.0 - remaining, scar_at=at)
            return _with_side(state, reporter, replace(me, trust=trust))
        case WeaponizationReported(reporter=reporter):
            return _with_side(state, reporter, replace(state.side(reporter), safety=True))
        case SafetyModeLeft(side=side):
            return _with_side(state, side, replace(state.side(side), safety=False))
        case ReadinessChanged(side=side, ready=ready):
            return _with_side(state, side, replace(state.side(side), ready=ready))
        case SteppedBack():
            return _step_back(state)
        case RepairRound(at=at):
            q_a = responsiveness(event.understood_a, event.understood_a, event.understood_a)
            q_b = responsiveness(event.understood_b, event.understood_b, event.understood_b)
            if q_a < params.honored_at or q_b < params.honored_at:
                return state
            # a's trust in b grows by b's restatement, so b's cost weighs it; and back.
            s_ab = params.strain_weight if event.costly_by_b else 1.0
            s_ba = params.strain_weight if event.costly_by_a else 1.0
            a = replace(state.a, trust=_gain(state.a.trust, at, params.repair_gain * s_ab, params))
            b = replace(state.b, trust=_gain(state.b.trust, at, params.repair_gain * s_ba, params))
            return replace(state, a=a, b=b)
        case CheckedIn(at=at, guesser=guesser, accuracy=accuracy):
            me = state.side(guesser)
            window = params.attunement_window
            kept = tuple(g for g in me.guesses if at - g[0] < window)
            return _with_side(state, guesser, replace(me, guesses=(*kept, (at, accuracy))))
    raise TypeError(f"not an event: {event!r}")


def _maybe_open(state: BondState, at: datetime, params: Params) -> BondState:
    """Open the next depth when every condition of the gate holds (docs/engine.md §10)."""
    # Consent comes first and costs nothing to check; trust is read only when both said yes.
    if state.a.ready and state.b.ready and gate(state, at, params).can_open:
        return replace(
            state,
            open_depth=state.open_depth + 1,
            a=replace(state.a, ready=False),
            b=replace(state.b, ready=False),
        )
    return state


def apply(state: BondState, event: Event, params: Params = DEFAULT_PARAMS) -> BondState:
    """The state after ``event``. O(1): no history is consulted."""
    state = _transition(state, event, params)
    as_of = event.at if state.as_of is None or event.at > state.as_of else state.as_of
    state = replace(state, as_of=as_of, events=state.events + 1)
    return _maybe_open(state, event.at, params)


Expectation = tuple[float, float]


def new_bond(
    params: Params = DEFAULT_PARAMS,
    expect_a: Expectation | None = None,
    expect_b: Expectation | None = None,
) -> BondState:
    """The state of a bond before any event.

    Each person starts from their own expectation of the partner, ``Beta(α, β)``
    (``expect_a``, ``expect_b``); without one, from the prior of ``params``, which is
    also what forgetting returns trust to. An expectation is a starting point, not a
    resting point: as evidence fades, trust drifts from it toward the prior."""
    sides = []
    for expect in (expect_a, expect_b):
        alpha, beta = (params.prior_alpha, params.prior_beta) if expect is None else expect
        if not (alpha > 0 and beta > 0):
            raise ValueError("an expectation is a Beta(α, β) with α and β positive")
        start = Trust(
            alpha=float(alpha),
            beta=float(beta),
            rest_alpha=params.prior_alpha,
            rest_beta=params.prior_beta,
        )
        sides.append(SideState(trust=start))
    return BondState(a=sides[0], b=sides[1])


def fold(
    events: Iterable[Event],
    params: Params = DEFAULT_PARAMS,
    initial: BondState | None = None,
) -> BondState:
    """The state after every event in order, starting from ``initial`` (a new bond)."""
    state = new_bond(params) if initial is None else initial
    for event in events:
        state = apply(state, event, params)
    return state


# ---------------------------------------------------------------------------------------
# Reading the state


@dataclass(frozen=True, slots=True)
class TrustView:
    """One direction of trust as its holder sees it at a moment."""

    alpha: float
    beta: float
    #: Expected value ``E = α / (α + β)``.
    expected: float
    #: 20th percentile of the Beta distribution.
    lower: float
    #: The scar as of now, and ``E · (1 − σ)``.
    scar: float
    effective: float
    effective_lower: float


def trust(
    state: BondState, holder: Side, at: datetime, params: Params = DEFAULT_PARAMS
) -> TrustView:
    """``holder``'s trust in the partner as of ``at``. Shown only to ``holder``."""
    t = decay(state.side(holder).trust, at, params)
    expected = t.alpha / (t.alpha + t.beta)
    lower = beta_ppf(params.lower_bound_quantile, t.alpha, t.beta)
    sigma = scar_at(t, at, params)
    return TrustView(
        alpha=t.alpha,
        beta=t.beta,
        expected=expected,
        lower=lower,
        scar=sigma,
        effective=expected * (1.0 - sigma),
        effective_lower=lower * (1.0 - sigma),
    )


def effective_trust(
    state: BondState, holder: Side, at: datetime, params: Params = DEFAULT_PARAMS
) -> float:
    """``E · (1 − σ)`` of ``holder``'s trust as of ``at`` (``trust(…).effective``,
    without the lower bound's quantile)."""
    t = decay(state.side(holder).trust, at, params)
    return t.alpha / (t.alpha + t.beta) * (1.0 - scar_at(t, at, params))


def shared_trust(
    state: BondState, holder: Side, at: datetime, params: Params = DEFAULT_PARAMS
) -> float:
    """The trust the shared index reads: ``α / (α + β − reported)`` as of ``at``, without
    what private reports added (breaches, and the scar of a confirmed deception). A report
    must not show to the partner, not even through the index (DESIGN §3)."""
    t = decay(state.side(holder).trust, at, params)
    return t.alpha / (t.alpha + (t.beta - t.reported))


def lower_bound_reaches(
    state: BondState, holder: Side, threshold: float, at: datetime, params: Params = DEFAULT_PARAMS
) -> bool:
    """Whether ``holder``'s scarred lower bound is at least ``threshold``.

    Decided by the Beta CDF (``L ≥ θ`` exactly when ``P(X < θ) ≤ quantile``), which
    spares the quantile's inversion.
    """
    t = decay(state.side(holder).trust, at, params)
    sigma = scar_at(t, at, params)
    needed = threshold / (1.0 - sigma)
    if needed >= 1.0:
        return False
    return beta_cdf(needed, t.alpha, t.beta) <= params.lower_bound_quantile


GateReason = str
#: Why the gate is closed; the web turns each into words (docs/engine.md §10).
REASONS: tuple[GateReason, ...] = (
    "deepest",
    "reciprocity",
    "distinct_days",
    "trust_a",
    "trust_b",
    "ready_a",
    "ready_b",
)


@dataclass(frozen=True, slots=True)
class GateStatus:
    """The gate of a bond at a moment."""

    open_depth: int
    #: The depth that would open next, or ``None`` at the deepest.
    next_depth: int | None
    can_open: bool
    #: Every unmet condition, in the order of :data:`REASONS`.
    reasons: tuple[GateReason, ...]
    #: The lower bound of trust the next depth needs in both directions.
    threshold: float | None


def honored_depths(side: SideState) -> frozenset[int]:
    """The depths at which at least one of this person's revelations was honored."""
    return frozenset(depth for depth, _ in side.cells)


def gate(state: BondState, at: datetime, params: Params = DEFAULT_PARAMS) -> GateStatus:
    """Whether the next depth may open, and every reason it may not."""
    d = state.open_depth
    if d >= MAX_DEPTH:
        return GateStatus(d, None, False, ("deepest",), None)
    nxt = d + 1
    threshold = params.gate_thresholds[nxt]
    if not params.gate_enabled:
        # Without the gate, depths open on consent alone (the simulator's counterfactual).
        reasons: list[GateReason] = []
    else:
        reasons = []
        if d not in honored_depths(state.a) or d not in honored_depths(state.b):
            reasons.append("reciprocity")
        if nxt == params.core_depth and not core_time_holds(state, params):
            reasons.append("distinct_days")
        if not lower_bound_reaches(state, "a", threshold, at, params):
            reasons.append("trust_a")
        if not lower_bound_reaches(state, "b", threshold, at, params):
            reasons.append("trust_b")
    if not state.a.ready:
        reasons.append("ready_a")
    if not state.b.ready:
        reasons.append("ready_b")
    return GateStatus(d, nxt, not reasons, tuple(reasons), threshold)


#: Why a person may not say "ready" now (docs/engine.md §10): their own conditions, told
#: to them alone. ``deepest`` is shared; the others read only that person's own side.
OWN_REASONS: tuple[GateReason, ...] = ("deepest", "honored", "distinct_days", "trust")


def readiness(
    state: BondState, side: Side, at: datetime, params: Params = DEFAULT_PARAMS
) -> tuple[GateReason, ...]:
    """Every reason ``side`` may not say "ready" now, in the order of :data:`OWN_REASONS`.

    Only what belongs to ``side`` is read: their own honored sharing at the open depth,
    their own trust (with its scar) and, for the core, the days of honored evidence. A
    partner therefore meets a private report, a confirmed deception or a low rating only
    as "not said yet", which is also what a free choice not to go deeper looks like."""
    d = state.open_depth
    if d >= MAX_DEPTH:
        return ("deepest",)
    if not params.gate_enabled:
        return ()
    reasons: list[GateReason] = []
    if d not in honored_depths(state.side(side)):
        reasons.append("honored")
    if d + 1 == params.core_depth and not core_time_holds(state, params):
        reasons.append("distinct_days")
    if not lower_bound_reaches(state, side, params.gate_thresholds[d + 1], at, params):
        reasons.append("trust")
    return tuple(reasons)


def is_ready(state: BondState, side: Side, at: datetime, params: Params = DEFAULT_PARAMS) -> bool:
    """``side`` said "ready" and their own conditions still hold as of ``at``."""
    return state.side(side).ready and not readiness(state, side, at, params)


def lapsed(state: BondState, at: datetime, params: Params = DEFAULT_PARAMS) -> tuple[Side, ...]:
    """The sides whose "ready" stands although their own conditions no longer hold: the
    ledger withdraws it with a ``ReadinessChanged(ready=False)`` of their own."""
    return tuple(s for s in SIDES if state.side(s).ready and readiness(state, s, at, params))


def shared_gate(state: BondState, at: datetime, params: Params = DEFAULT_PARAMS) -> GateStatus:
    """The gate as both persons may see it: the open depth, and whose word is missing.

    A word counts only while its giver's own conditions hold (:func:`is_ready`), so the
    only reasons are ``deepest``, ``ready_a`` and ``ready_b``; trust, honored sharing and
    evidence days stay with :func:`readiness`, each person's own."""
    d = state.open_depth
    if d >= MAX_DEPTH:
        return GateStatus(d, None, False, ("deepest",), None)
    reasons = tuple(f"ready_{s}" for s in SIDES if not is_ready(state, s, at, params))
    return GateStatus(d, d + 1, not reasons, reasons, params.gate_thresholds[d + 1])


def can_answer(state: BondState, depth: int) -> bool:
    """No one answers a prompt deeper than the open depth."""
    return 0 <= depth <= state.open_depth


def nudges_allowed(state: BondState, side: Side) -> bool:
    """No one in safety mode is nudged to disclose."""
    return not state.side(side).safety

"""The vectorised simulator: the engine's rules on arrays, all dyads of a chunk at once.

Each event of a run is a short, fixed sequence of engine events for every dyad (see
docs/simulate.md, "One event of a run"). This module applies the same sequence with
the same arithmetic, in the same order, as ``mutual.engine.apply`` does one dyad at a
time, so the results are bit-identical to :mod:`mutual.simulate.scalar`.

The engine checks the depth gate after every event it applies. Here the gate is
evaluated only where its answer can differ from the last one: after the first engine
event of a dyad at a new time (forgetting moves the lower bounds), and after an event
that changed trust, honored cells or readiness. The trust condition uses the Beta CDF
(:mod:`mutual.simulate.betavec`), and only for dyads whose cheaper conditions hold.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from mutual.engine import MAX_DEPTH, Params

from .betavec import cdf_at_most
from .plan import Plan, Timeline, chances
from .state import THEME_BITS, SimState, scar_now


def _stake_table(params: Params) -> np.ndarray:
    """``w`` by (depth, emotional), computed as ``mutual.engine.stake`` does."""
    return np.array(
        [[w, w * params.emotional_factor] for w in params.stake_by_depth], dtype=np.float64
    )


class Chunk:
    """One chunk of dyads being simulated."""

    def __init__(self, plan: Plan, timeline: Timeline, params: Params) -> None:
        self.plan = plan
        self.timeline = timeline
        self.params = params
        self.state = SimState.new(plan.dyads, params, plan.expect_alpha, plan.expect_beta)
        #: Each person's lean toward opening up as the current event begins (2, n).
        self.lean = np.ones((2, plan.dyads))
        #: Forgetting factors and decayed ``α``, ``β`` of both sides as the event begins.
        empty = np.ones((2, plan.dyads))
        self.decayed: tuple[np.ndarray, np.ndarray, np.ndarray] = (empty, empty, empty)
        self.stakes = _stake_table(params)
        self.thresholds = np.array(params.gate_thresholds, dtype=np.float64)
        #: Dyads whose gate was evaluated at the current event and whose state has not
        #: changed since: their gate is known to be closed (had it opened, nobody would
        #: be ready any more), so another look would say the same.
        self.checked = np.zeros(plan.dyads, dtype=bool)

    # -- pieces of the engine's rules ---------------------------------------------------

    def _factor(self, side: int, rows: np.ndarray | slice, t: int) -> np.ndarray:
        as_of = self.state.as_of[side, rows]
        return np.where(as_of < 0, 1.0, self.timeline.evidence[t - as_of])

    def _both_reach(self, rows: np.ndarray, t: int) -> np.ndarray:
        """The engine's ``lower_bound_reaches`` for a and for b, both at once."""
        s, p = self.state, self.params
        theta = self.thresholds[s.open_depth[rows] + 1]
        as_of = s.as_of[:, rows]
        factor = np.where(as_of < 0, 1.0, self.timeline.evidence[t - as_of])
        ra, rb = s.rest_alpha[:, rows], s.rest_beta[:, rows]
        a = (ra + (s.alpha[:, rows] - ra) * factor).ravel()
        b = (rb + (s.beta[:, rows] - rb) * factor).ravel()
        sigma = scar_now(s.scar[:, rows], s.scar_at[:, rows], t, self.timeline)
        needed = (theta / (1.0 - sigma)).ravel()
        ok = needed < 1.0
        reaches = np.zeros(needed.shape[0], dtype=bool)
        if ok.any():
            reaches[ok] = cdf_at_most(needed[ok], a[ok], b[ok], p.lower_bound_quantile)
        return reaches[: rows.shape[0]] & reaches[rows.shape[0] :]

    def _gate(self, mask: np.ndarray, changed: bool, t: int) -> None:
        """The engine's ``_maybe_open`` for the dyads in ``mask`` that just had an event.

        ``changed`` says whether that event changed what the gate reads; if not, only
        dyads not yet looked at during this event need a look.
        """
        s, p = self.state, self.params
        need = mask if changed else mask & ~self.checked
        self.checked |= mask
        d = s.open_depth
        cand = need & s.ready[0] & s.ready[1] & (d < MAX_DEPTH)
        if not cand.any():
            return
        rows = np.flatnonzero(cand)
        if p.gate_enabled:
            depth = d[rows]
            shift = THEME_BITS * depth
            mutual = (((s.cells[0, rows] >> shift) & 0xFF) != 0) & (
                ((s.cells[1, rows] >> shift) & 0xFF) != 0
            )
            first = s.core_first[rows]
            core_time = (
                (first >= 0)
                & self.timeline.span[s.core_last[rows] - first]
                & (s.core_sittings[rows] >= p.core_sittings)
            )
            rows = rows[mutual & ((depth + 1 != p.core_depth) | core_time)]
            if rows.size:
                rows = rows[self._both_reach(rows, t)]
        s.open_depth[rows] += 1
        s.ready[:, rows] = False

    def _share(self, seen: np.ndarray) -> np.ndarray:
        """The engine's ``impression_share``: what the first impression takes in."""
        span = self.params.impression_span
        if span > 0.0:
            return span / (span + seen)
        return np.zeros_like(seen)

    def _absorb(self, side: int, rest: np.ndarray, amount: np.ndarray, where: np.ndarray) -> None:
        """Evidence ``amount`` given to ``side`` where ``where``: its impression ``rest``
        (a row of ``rest_alpha`` or ``rest_beta``) takes in its share, and it is seen."""
        seen = self.state.seen[side]
        taken = self._share(seen)
        taken *= amount
        np.add(rest, taken, out=rest, where=where)
        np.add(seen, amount, out=seen, where=where)

    def _fade_reported(self, side: int, factor: np.ndarray, where: np.ndarray) -> None:
        """What reports added to ``β``, faded like ``β`` toward its impression."""
        s = self.state
        rr, reported = s.reported_rest[side], s.reported[side]
        faded = reported - rr
        faded *= factor
        np.add(rr, faded, out=reported, where=where)

    def _step_back(self, rows: np.ndarray) -> None:
        s = self.state
        s.open_depth[rows] = np.maximum(0, s.open_depth[rows] - 1)
        s.ready[:, rows] = False
        s.core_first[rows] = -1
        s.core_last[rows] = -1
        s.core_sittings[rows] = 0
        self.checked[rows] = True  # nobody is ready now: the gate is closed

    # -- one event of the run -------------------------------------------------------------

    def _leanings(self, t: int) -> None:
        """Each person's lean as the event begins, from the trust they hold now."""
        s, plan = self.state, self.plan
        factor = np.where(s.as_of < 0, 1.0, self.timeline.evidence[t - s.as_of])
        a = s.rest_alpha + (s.alpha - s.rest_alpha) * factor
        b = s.rest_beta + (s.beta - s.rest_beta) * factor
        # Kept for this event's Revealed and Rated: neither side's trust changes before
        # them, so the decayed evidence is the same numbers the engine computes there.
        self.decayed = (factor, a, b)
        trust = a / (a + b)
        if s.scar.any():
            trust = trust * (1.0 - scar_now(s.scar, s.scar_at, t, self.timeline))
        self.lean = np.asarray(chances(trust, 1.0, plan.anxiety, plan.avoidance))

    def _reveal_and_rate(self, t: int) -> None:
        plan, s, p = self.plan, self.state, self.params
        r = int(plan.turn[t])
        lean = self.lean[r]
        rev = plan.reveal_u[t] < plan.reveal_base[t] * lean
        if not rev.any():
            return
        depth = np.minimum(s.open_depth, plan.max_depth[t, r])
        bold = plan.bold_u[t] < plan.bold_base[t] * lean
        depth = np.where(bold, depth, np.maximum(depth - 1, 0))
        emotional = plan.emotional[t]
        w = self.stakes[depth, emotional.astype(np.int64)]
        tl, o = self.timeline, 1 - r
        put = np.copyto
        # Revealed: both sides' present measures fade to now (the engine's ``fade``) …
        pao = s.present_as_of
        f = np.where(pao < 0, 1.0, tl.present[t - pao])
        np.multiply(s.honored, f, out=s.honored, where=rev)
        np.multiply(s.closeness, f, out=s.closeness, where=rev)
        put(pao, t, where=rev)
        # … the receiver's trust and closeness rise a little …
        factors, a_now, b_now = self.decayed
        given = p.receiver_gain * w
        np.add(a_now[o], given, out=s.alpha[o], where=rev)
        put(s.beta[o], b_now[o], where=rev)
        self._absorb(o, s.rest_alpha[o], given, rev)
        self._fade_reported(o, factors[o], rev)
        put(s.as_of[o], t, where=rev)
        k_o, k_r = s.closeness[o], s.closeness[r]
        np.add(k_o, p.closeness_partner * w, out=k_o, where=rev)
        # … with a bonus to both for answering the partner's revelation in one sitting.
        seen = s.last_revealed[o]
        answer = rev & (seen >= 0) & tl.within[t - seen]
        if answer.any():
            bonus = p.closeness_reciprocity * w
            np.add(k_r, bonus, out=k_r, where=answer)
            np.add(k_o, bonus, out=k_o, where=answer)
        np.add(s.exposure[r], w, out=s.exposure[r], where=rev)
        s.revelations[r] += rev
        put(s.last_revealed[r], t, where=rev)
        self._gate(rev, True, t)
        # Rated
        q = (plan.rating_sum[t] / 3.0 - 1.0) / 6.0
        honored = rev & (q >= p.honored_at)
        hurt = rev & ~honored  # dishonored, or missed: a turning away
        dishonored = hurt & (q <= p.dishonored_at)
        felt = w * (p.closeness_own + p.closeness_response * (q - p.honor_origin))
        felt += k_r
        np.maximum(felt, 0.0, out=k_r, where=rev)
        factor, a_dec, b_dec = factors[r], a_now[r], b_now[r]
        strain = np.where(plan.costly[t], p.strain_weight, 1.0)
        gain = w * (q - p.honor_origin) / (1.0 - p.honor_origin) * strain
        loss = p.missed_weight * w
        np.copyto(
            loss,
            p.loss_factor * w * (p.dishonored_at - q) / p.dishonored_at,
            where=dishonored,
        )
        alpha, beta = s.alpha[r], s.beta[r]
        put(alpha, a_dec, where=rev)
        np.add(alpha, gain, out=alpha, where=honored)
        put(beta, b_dec, where=rev)
        np.add(beta, loss, out=beta, where=hurt)
        self._absorb(r, s.rest_alpha[r], gain, honored)
        self._absorb(r, s.rest_beta[r], loss, hurt)
        self._fade_reported(r, factor, rev)
        put(s.as_of[r], t, where=rev)
        np.add(s.honored[r], w * q, out=s.honored[r], where=honored)
        bit = np.left_shift(1, THEME_BITS * depth + plan.theme[t])
        np.bitwise_or(s.cells[r], bit, out=s.cells[r], where=honored)
        core = honored & (depth == p.core_depth - 1)
        if core.any():
            first = core & (s.core_first < 0)
            later = core & ~first
            s.core_first[first] = t
            s.core_sittings[first] = 1
            s.core_sittings[later] += tl.separate[t - s.core_last[later]]
            s.core_last[core] = t
        run = s.dishonored_run[r]
        put(run, 0, where=rev & ~dishonored)
        np.add(run, 1, out=run, where=dishonored)
        put(s.last_depth[r], depth, where=rev)
        put(s.last_emotional[r], emotional, where=rev)
        np.maximum(s.deepest[r], depth, out=s.deepest[r], where=rev)
        self._gate(rev, True, t)

    def _breaches(self, t: int) -> None:
        plan, s, p = self.plan, self.state, self.params
        for v in (0, 1):
            hit = plan.breach[t, v] & (s.last_depth[v] >= 0)
            if not hit.any():
                continue
            rows = np.flatnonzero(hit)
            first = rows[s.first_breach[v, rows] < 0]
            s.first_breach[v, first] = t
            s.honored_at_breach[v, first] = s.honored[v, first]
            s.deepest_at_breach[v, first] = s.deepest[v, first]
            fixed = int(plan.breach_depth[t, v])
            if fixed >= 0:
                w = np.full(rows.shape[0], self.stakes[fixed, 0])
            else:
                w = self.stakes[s.last_depth[v, rows], s.last_emotional[v, rows].astype(np.int64)]
            factor = self._factor(v, rows, t)
            ra, rb, rr = s.rest_alpha[v, rows], s.rest_beta[v, rows], s.reported_rest[v, rows]
            a_dec = ra + (s.alpha[v, rows] - ra) * factor
            b_dec = rb + (s.beta[v, rows] - rb) * factor
            s.alpha[v, rows] = a_dec
            amount = p.breach_factor * w
            s.beta[v, rows] = b_dec + amount
            share = self._share(s.seen[v, rows])
            s.rest_beta[v, rows] = rb + share * amount
            s.reported[v, rows] = (rr + (s.reported[v, rows] - rr) * factor) + amount
            s.reported_rest[v, rows] = rr + share * amount
            s.as_of[v, rows] = t
            self._step_back(rows)
            lied = rows[plan.deceive[t, v, rows]]
            if lied.size:
                before = scar_now(s.scar[v, lied], s.scar_at[v, lied], t, self.timeline)
                remaining = (1.0 - before) * (1.0 - p.scar)
                s.scar[v, lied] = 1.0 - remaining
                s.scar_at[v, lied] = t

    def _steps_back(self, t: int) -> None:
        plan, s = self.plan, self.state
        for side in (0, 1):
            limit = int(plan.step_back_after[t, side])
            if limit <= 0:
                continue
            rows = np.flatnonzero((s.dishonored_run[side] >= limit) & (s.open_depth > 0))
            if rows.size:
                self._step_back(rows)
                s.dishonored_run[side, rows] = 0

    def _readiness_and_checkins(self, t: int) -> None:
        plan, s = self.plan, self.state
        for side in (0, 1):
            chance = plan.ready_base[t, side] * self.lean[side]
            says = (plan.ready_u[t, side] < chance) & ~s.ready[side] & (s.open_depth < MAX_DEPTH)
            if says.any():
                s.ready[side] |= says
                self._gate(says, True, t)
        for side in (0, 1):
            self._gate(plan.checkin[t, side], False, t)

    def run(self, progress: Callable[[int], None] | None = None) -> SimState:
        events = self.plan.events
        for t in range(events):
            self.checked[:] = False
            self._leanings(t)
            self._reveal_and_rate(t)
            self._breaches(t)
            self._steps_back(t)
            self._readiness_and_checkins(t)
            self.state.record(t)
            if progress is not None:
                progress(t)
        return self.state

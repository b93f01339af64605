"""Every number of the model, in one frozen object a researcher can change.

``Params`` refuses any value outside the range its formula assumes (docs/engine.md §17):
a model that accepts ``honored_at = 0.4`` and then lowers trust on an honored reply is
worse than one that says no.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import timedelta


def _positive(name: str, value: float) -> None:
    if not value > 0:
        raise ValueError(f"{name} must be positive, not {value!r}")


def _at_least(name: str, value: float, low: float) -> None:
    if not value >= low:
        raise ValueError(f"{name} must be at least {low:g}, not {value!r}")


def _unit(name: str, value: float, *, closed_top: bool = True) -> None:
    ok = 0.0 <= value <= 1.0 if closed_top else 0.0 <= value < 1.0
    if not ok:
        top = "1" if closed_top else "below 1"
        raise ValueError(f"{name} must lie between 0 and {top}, not {value!r}")


def _span(name: str, value: timedelta) -> None:
    if value <= timedelta(0):
        raise ValueError(f"{name} must be a positive length of time")


@dataclass(frozen=True, slots=True)
class Params:
    """The model's parameters. The defaults are those of docs/engine.md."""

    #: Stake ``w`` of a revelation by depth 0–4 (positive, never shallower-is-more).
    stake_by_depth: tuple[float, ...] = (0.3, 0.5, 0.8, 1.2, 1.6)
    #: Multiplier on the stake of an emotional revelation (at least 1).
    emotional_factor: float = 1.5
    #: ``q ≥ honored_at`` honors a revelation.
    honored_at: float = 0.6
    #: ``q ≤ dishonored_at`` dishonors it; between the two it is missed.
    dishonored_at: float = 0.3
    #: The responsiveness at which an honored reply would add nothing: an honor adds
    #: ``w · (q − honor_origin)/(1 − honor_origin) · s``. It lies at or above
    #: ``dishonored_at`` and below ``honored_at``, so every honor adds evidence.
    honor_origin: float = 0.5
    #: A missed reply (a turning away) adds ``missed_weight · w`` to ``β``.
    missed_weight: float = 0.25
    #: Being trusted with a revelation adds ``receiver_gain · w`` to the receiver's ``α``.
    receiver_gain: float = 0.2
    #: Strain weight ``s`` of a response its author marked as costly (at least 1).
    strain_weight: float = 1.5
    #: Trust asymmetry: losses weigh this much more than gains (at least 1).
    loss_factor: float = 2.0
    #: ``β += breach_factor · w`` for a confidence breach.
    breach_factor: float = 5.0
    #: A confirmed deception scars trust by this fraction (0 to below 1) …
    scar: float = 0.2
    #: … and the scar halves over this time.
    scar_half_life: timedelta = timedelta(days=365)
    #: ``α += repair_gain · s`` in both directions for a repair round.
    repair_gain: float = 0.5
    #: Evidence beyond the first impression halves over this time.
    evidence_half_life: timedelta = timedelta(weeks=26)
    #: How long the first impression stays open, in units of evidence: it takes in the
    #: share ``impression_span / (impression_span + seen)`` of each piece (0: never).
    impression_span: float = 4.0
    #: What forgetting returns trust to, in each direction (a person's own starting
    #: expectation is set apart, in ``new_bond``).
    prior_alpha: float = 1.0
    prior_beta: float = 1.0
    #: The lower bound ``L`` of trust is this quantile of the Beta distribution.
    lower_bound_quantile: float = 0.2
    #: Lower bound needed in both directions to open depth 1, 2, 3, 4 (index 0 unused).
    gate_thresholds: tuple[float, ...] = (0.0, 0.30, 0.45, 0.60, 0.75)
    #: Opening this depth needs honored evidence at the depth below that spans
    #: ``core_span`` of elapsed time, in at least ``core_sittings`` separate sittings.
    core_depth: int = 4
    core_span: timedelta = timedelta(hours=48)
    core_sittings: int = 2
    #: Two pieces of evidence further apart than this belong to separate sittings; a
    #: revelation this soon after the partner's answers it in the same sitting.
    sitting_gap: timedelta = timedelta(hours=2)
    #: Honored exposure and closeness halve over this time without renewal.
    present_half_life: timedelta = timedelta(weeks=8)
    #: Displayed index is ``100 · M / (M + index_scale)``: ``M = index_scale`` shows 50.
    index_scale: float = 10.0
    #: Both persons see the index rounded to steps of this size (privacy of ratings).
    index_step: int = 5
    #: Closeness of one person (docs/engine.md §12): own disclosure, felt responsiveness,
    #: the partner's disclosure and reciprocity within a sitting, each times ``w``.
    closeness_own: float = 0.2
    closeness_response: float = 1.0
    closeness_partner: float = 0.3
    closeness_reciprocity: float = 0.2
    #: Displayed closeness is ``100 · K / (K + closeness_scale)``.
    closeness_scale: float = 10.0
    #: Balance below this, after ``balance_min_revelations``, earns a private reflection.
    balance_threshold: float = 0.33
    balance_min_revelations: int = 10
    #: Attunement is the mean accuracy of check-in guesses over this window.
    attunement_window: timedelta = timedelta(days=14)
    #: The honored revelations that count towards breadth start at this depth.
    breadth_min_depth: int = 2
    #: Whether the depth gate is enforced (switching it off exists for the simulator only).
    gate_enabled: bool = True

    def __post_init__(self) -> None:
        if len(self.stake_by_depth) != 5 or len(self.gate_thresholds) != 5:
            raise ValueError("stake_by_depth and gate_thresholds need one value per depth 0–4")
        for w in self.stake_by_depth:
            _positive("every stake", w)
        if any(b < a for a, b in zip(self.stake_by_depth, self.stake_by_depth[1:], strict=False)):
            raise ValueError("a deeper stake must not be smaller than a shallower one")
        _at_least("emotional_factor", self.emotional_factor, 1.0)
        if not 0.0 < self.dishonored_at <= self.honor_origin < self.honored_at <= 1.0:
            raise ValueError("need 0 < dishonored_at ≤ honor_origin < honored_at ≤ 1")
        for name in (
            "missed_weight",
            "receiver_gain",
            "breach_factor",
            "repair_gain",
            "impression_span",
        ):
            _at_least(name, getattr(self, name), 0.0)
        _at_least("strain_weight", self.strain_weight, 1.0)
        _at_least("loss_factor", self.loss_factor, 1.0)
        _unit("scar", self.scar, closed_top=False)
        for span in ("scar_half_life", "evidence_half_life", "present_half_life"):
            _span(span, getattr(self, span))
        _span("attunement_window", self.attunement_window)
        _span("sitting_gap", self.sitting_gap)
        if self.core_span < timedelta(0):
            raise ValueError("core_span must not be negative")
        if not 0.0 < self.lower_bound_quantile < 1.0:
            raise ValueError("lower_bound_quantile must lie strictly between 0 and 1")
        if self.prior_alpha <= 0 or self.prior_beta <= 0:
            raise ValueError("the prior must be positive")
        thresholds = self.gate_thresholds[1:]
        for theta in thresholds:
            _unit("every gate threshold", theta, closed_top=False)
        if any(b < a for a, b in itertools.pairwise(thresholds)):
            raise ValueError("a deeper gate threshold must not be lower than a shallower one")
        if not 1 <= self.core_depth <= 4:
            raise ValueError("core_depth must be one of the depths 1–4")
        if self.core_sittings < 1:
            raise ValueError("core_sittings must be at least 1")
        for name in ("closeness_own", "closeness_response", "closeness_partner"):
            _at_least(name, getattr(self, name), 0.0)
        _at_least("closeness_reciprocity", self.closeness_reciprocity, 0.0)
        _positive("index_scale", self.index_scale)
        _positive("closeness_scale", self.closeness_scale)
        if self.index_step < 1:
            raise ValueError("index_step must be a whole number of at least 1")
        _unit("balance_threshold", self.balance_threshold)
        if self.balance_min_revelations < 0:
            raise ValueError("balance_min_revelations must not be negative")
        if not 0 <= self.breadth_min_depth <= 4:
            raise ValueError("breadth_min_depth must be one of the depths 0–4")


DEFAULT_PARAMS = Params()

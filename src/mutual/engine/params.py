"""Every number of the model, in one frozen object a researcher can change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True, slots=True)
class Params:
    """The model's parameters. The defaults are those of docs/engine.md."""

    #: Stake ``w`` of a revelation by depth 0–4.
    stake_by_depth: tuple[float, ...] = (0.3, 0.5, 0.8, 1.2, 1.6)
    #: Multiplier on the stake of an emotional revelation.
    emotional_factor: float = 1.5
    #: ``q ≥ honored_at`` honors a revelation.
    honored_at: float = 0.6
    #: ``q ≤ dishonored_at`` dishonors it; between the two it is missed.
    dishonored_at: float = 0.3
    #: Strain weight ``s`` of a response its author marked as costly.
    strain_weight: float = 1.5
    #: Trust asymmetry: losses weigh this much more than gains.
    loss_factor: float = 2.0
    #: ``β += breach_factor · w`` for a confidence breach.
    breach_factor: float = 5.0
    #: A confirmed deception scars trust by this fraction …
    scar: float = 0.2
    #: … and the scar halves over this time.
    scar_half_life: timedelta = timedelta(days=365)
    #: ``α += repair_gain · s`` in both directions for a repair round.
    repair_gain: float = 0.5
    #: Evidence ``α − 1`` and ``β − 1`` halves over this time.
    evidence_half_life: timedelta = timedelta(weeks=26)
    #: Prior of trust in each direction.
    prior_alpha: float = 1.0
    prior_beta: float = 1.0
    #: The lower bound ``L`` of trust is this quantile of the Beta distribution.
    lower_bound_quantile: float = 0.2
    #: Lower bound needed in both directions to open depth 1, 2, 3, 4 (index 0 unused).
    gate_thresholds: tuple[float, ...] = (0.0, 0.30, 0.45, 0.60, 0.75)
    #: Opening this depth needs evidence on at least ``core_distinct_days`` days.
    core_depth: int = 4
    core_distinct_days: int = 2
    #: Displayed index is ``100 · (1 − exp(−M / index_scale))``.
    index_scale: float = 5.0
    #: Both persons see the index rounded to steps of this size (privacy of ratings).
    index_step: int = 5
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
        if not 0.0 <= self.dishonored_at < self.honored_at <= 1.0:
            raise ValueError("need 0 ≤ dishonored_at < honored_at ≤ 1")
        if not 0.0 < self.lower_bound_quantile < 1.0:
            raise ValueError("lower_bound_quantile must lie strictly between 0 and 1")
        if self.prior_alpha <= 0 or self.prior_beta <= 0:
            raise ValueError("the prior must be positive")
        if self.index_step < 1:
            raise ValueError("index_step must be a whole number of at least 1")


DEFAULT_PARAMS = Params()

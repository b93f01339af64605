"""Time in the model: forgetting of trust's evidence, fading of the present measures,
and the healing of a scar. Each is a half-life, applied lazily from the moment the value
was last brought up to date (docs/engine.md §7, §9, §11)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from .params import DEFAULT_PARAMS, Params
from .state import SideState, Trust


def _halvings(since: datetime | None, at: datetime, half_life_seconds: float) -> float:
    if since is None:
        return 1.0
    elapsed = (at - since).total_seconds()
    if elapsed <= 0:
        return 1.0
    factor: float = 0.5 ** (elapsed / half_life_seconds)
    return factor


def decay(trust: Trust, at: datetime, params: Params = DEFAULT_PARAMS) -> Trust:
    """Trust as of ``at``: the evidence above the prior fades with its half-life.

    Forgetting never adds evidence: both ``α`` and ``β`` move toward the prior.
    """
    factor = _halvings(trust.as_of, at, params.evidence_half_life.total_seconds())
    alpha = params.prior_alpha + (trust.alpha - params.prior_alpha) * factor
    beta = params.prior_beta + (trust.beta - params.prior_beta) * factor
    as_of = at if trust.as_of is None or at > trust.as_of else trust.as_of
    return replace(trust, alpha=alpha, beta=beta, as_of=as_of, reported=trust.reported * factor)


def fade(side: SideState, at: datetime, params: Params = DEFAULT_PARAMS) -> SideState:
    """``side`` with its honored exposure and closeness faded to ``at`` (half-life
    ``present_half_life``); like forgetting, never backwards."""
    factor = _halvings(side.present_as_of, at, params.present_half_life.total_seconds())
    newer = side.present_as_of is None or at > side.present_as_of
    return replace(
        side,
        honored=side.honored * factor,
        closeness=side.closeness * factor,
        present_as_of=at if newer else side.present_as_of,
    )


def scar_at(trust: Trust, at: datetime, params: Params = DEFAULT_PARAMS) -> float:
    """The scar ``σ`` as of ``at``; it halves every ``scar_half_life``."""
    if trust.scar == 0.0:
        return 0.0
    return trust.scar * _halvings(trust.scar_at, at, params.scar_half_life.total_seconds())

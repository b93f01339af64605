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
    """Trust as of ``at``: the evidence beyond the first impression fades with its
    half-life, and ``α`` and ``β`` move toward the impression (``rest_alpha``,
    ``rest_beta``), never past it.
    """
    factor = _halvings(trust.as_of, at, params.evidence_half_life.total_seconds())
    alpha = trust.rest_alpha + (trust.alpha - trust.rest_alpha) * factor
    beta = trust.rest_beta + (trust.beta - trust.rest_beta) * factor
    reported = trust.reported_rest + (trust.reported - trust.reported_rest) * factor
    as_of = at if trust.as_of is None or at > trust.as_of else trust.as_of
    return replace(trust, alpha=alpha, beta=beta, as_of=as_of, reported=reported)


def impression_share(trust: Trust, params: Params = DEFAULT_PARAMS) -> float:
    """The share ``c/(c + seen)`` of new evidence the first impression takes in: all of
    the first, less and less as evidence gathers (``c`` is ``impression_span``; 0 keeps
    the impression at the prior)."""
    span = params.impression_span
    return span / (span + trust.seen) if span > 0.0 else 0.0


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

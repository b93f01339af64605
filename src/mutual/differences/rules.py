"""Which step a round of a difference is at: the one rule that services (may this be
written now?) and selectors (what does the page offer?) both ask."""

from __future__ import annotations

from .models import DifferenceRound, Perspective

#: Steps of a round, in order.
STEPS = ("perspective", "restatement", "rating", "outcome", "closed")


def step_of(round_: DifferenceRound, views: dict[str, Perspective]) -> str:
    """The step ``round_`` is at, given its perspectives by side."""
    if round_.closed_at is not None:
        return "closed"
    if len(views) < 2:
        return "perspective"
    if any(v.restatement_enc is None for v in views.values()):
        return "restatement"
    if any(v.felt_understood is None for v in views.values()):
        return "rating"
    return "outcome"

"""Every validation target, in the order the table prints them, and ``validate``."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from mutual.engine import DEFAULT_PARAMS, Params

from .definitional import (
    collins_miller,
    laurenceau_emotional,
    laurenceau_own,
    laurenceau_partner,
    laurenceau_responsiveness,
    roberts_dunbar,
    safety,
    safety_long,
    schweitzer,
    slovic,
    wieselquist,
)
from .findings import (
    altman_breadth,
    altman_depenetration,
    aron,
    downey_pace,
    downey_prophecy,
    gottman,
    lount,
    mikulincer,
    sprecher,
)
from .validate import VALIDATE_DYADS, VALIDATE_SEED, Check, Context, Target

TARGETS: tuple[Target, ...] = (
    aron,
    sprecher,
    altman_breadth,
    altman_depenetration,
    lount,
    gottman,
    downey_pace,
    downey_prophecy,
    mikulincer,
    laurenceau_own,
    laurenceau_partner,
    laurenceau_responsiveness,
    laurenceau_emotional,
    slovic,
    wieselquist,
    schweitzer,
    collins_miller,
    roberts_dunbar,
    safety,
    safety_long,
)


def validate(
    dyads: int = VALIDATE_DYADS,
    seed: int = VALIDATE_SEED,
    progress: Callable[[float], None] | None = None,
    params: Params = DEFAULT_PARAMS,
    targets: Sequence[Target] = TARGETS,
) -> list[Check]:
    """Every target, in order (findings, then definitional checks, then safety)."""
    ctx = Context(dyads, seed, params)
    checks = []
    for k, target in enumerate(targets):
        checks.append(target(ctx))
        if progress is not None:
            progress((k + 1) / len(targets))
    return checks

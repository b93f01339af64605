"""The bond's state: what the fold of all its events leaves behind, O(1) in size."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .vocabulary import Side


@dataclass(frozen=True, slots=True)
class Trust:
    """Trust of one side in the other: Beta(α, β) evidence as of ``as_of``, and a scar."""

    alpha: float = 1.0
    beta: float = 1.0
    as_of: datetime | None = None
    scar: float = 0.0
    scar_at: datetime | None = None
    #: The part of ``β`` that private reports added (confidence breaches), fading with
    #: it: the shared index leaves it out (docs/engine.md §11).
    reported: float = 0.0
    #: The first impression (docs/engine.md §9): the Beta(α, β) that forgetting returns
    #: to. It starts at the prior and takes in a share ``c/(c + seen)`` of each piece of
    #: evidence, so it forms in the first exchanges and then settles.
    rest_alpha: float = 1.0
    rest_beta: float = 1.0
    #: Evidence seen in all (``Δα + Δβ``, never fading): how settled the impression is.
    seen: float = 0.0
    #: The part of ``rest_beta`` that private reports put there.
    reported_rest: float = 0.0


@dataclass(frozen=True, slots=True)
class SideState:
    """Everything the model keeps about one person of the bond."""

    #: This person's trust in the partner.
    trust: Trust = field(default_factory=Trust)
    #: Raw exposure ``V = Σ w`` over this person's revelations (never fades).
    exposure: float = 0.0
    #: Honored exposure ``H``: ``w·q`` of each honored revelation, fading with
    #: ``present_half_life``, as of ``present_as_of``.
    honored: float = 0.0
    #: This person's closeness ``K`` (docs/engine.md §12), fading like ``H``.
    closeness: float = 0.0
    #: The moment ``honored`` and ``closeness`` were last brought up to date.
    present_as_of: datetime | None = None
    #: Time of this person's latest revelation (for reciprocity within a sitting).
    last_revealed: datetime | None = None
    #: Number of this person's revelations.
    revelations: int = 0
    #: (depth, theme) cells where this person's revelation was honored.
    cells: frozenset[tuple[int, str]] = frozenset()
    #: Said they are ready to go one depth deeper.
    ready: bool = False
    #: In safety mode.
    safety: bool = False
    #: Recent check-in guesses by this person: (time, accuracy), within the window.
    guesses: tuple[tuple[datetime, float], ...] = ()


@dataclass(frozen=True, slots=True)
class BondState:
    """The snapshot of a bond. Build it with :func:`mutual.engine.fold` or ``BondState()``."""

    a: SideState = field(default_factory=SideState)
    b: SideState = field(default_factory=SideState)
    open_depth: int = 0
    #: Honored evidence at the depth below the core: the first and the last moment, and
    #: the number of separate sittings it came in. A step back clears all three.
    core_first: datetime | None = None
    core_last: datetime | None = None
    core_sittings: int = 0
    #: Time of the latest event applied.
    as_of: datetime | None = None
    #: Number of events applied.
    events: int = 0

    def side(self, side: Side) -> SideState:
        return self.a if side == "a" else self.b

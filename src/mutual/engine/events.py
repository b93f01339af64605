"""The events the engine folds. Each is a frozen record of something that happened at ``at``.

Events carry the facts the rules need (depth, theme, ratings) and nothing else: no text,
no identifiers of people. The web layer stores them append-only and replays them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .vocabulary import MAX_DEPTH, THEMES, Side


def _check_side(side: str) -> None:
    if side not in ("a", "b"):
        raise ValueError(f"side must be 'a' or 'b', not {side!r}")


def _check_depth(depth: int) -> None:
    if not 0 <= depth <= MAX_DEPTH:
        raise ValueError(f"depth must lie in 0–{MAX_DEPTH}")


def _check_score(value: int) -> None:
    if not 1 <= value <= 7:
        raise ValueError("ratings lie on a scale of 1–7")


def _check_time(at: datetime) -> None:
    if at.tzinfo is None:
        raise ValueError("event times must be timezone-aware")


@dataclass(frozen=True, slots=True)
class Revealed:
    """``author`` revealed something at ``depth`` on ``theme``: raw exposure grows."""

    at: datetime
    author: Side
    depth: int
    theme: str
    emotional: bool = False

    def __post_init__(self) -> None:
        _check_time(self.at)
        _check_side(self.author)
        _check_depth(self.depth)
        if self.theme not in THEMES:
            raise ValueError(f"unknown theme {self.theme!r}")


@dataclass(frozen=True, slots=True)
class Rated:
    """``author`` privately rated the partner's response to one of their revelations."""

    at: datetime
    author: Side
    depth: int
    theme: str
    emotional: bool
    understood: int
    validated: int
    cared: int
    costly: bool = False

    def __post_init__(self) -> None:
        _check_time(self.at)
        _check_side(self.author)
        _check_depth(self.depth)
        if self.theme not in THEMES:
            raise ValueError(f"unknown theme {self.theme!r}")
        for score in (self.understood, self.validated, self.cared):
            _check_score(score)


@dataclass(frozen=True, slots=True)
class BreachReported:
    """``author`` privately reported that a revelation of theirs was used against them."""

    at: datetime
    author: Side
    depth: int
    emotional: bool = False

    def __post_init__(self) -> None:
        _check_time(self.at)
        _check_side(self.author)
        _check_depth(self.depth)


@dataclass(frozen=True, slots=True)
class DeceptionConfirmed:
    """``reporter`` confirmed a breach the partner had denied: trust is scarred."""

    at: datetime
    reporter: Side

    def __post_init__(self) -> None:
        _check_time(self.at)
        _check_side(self.reporter)


@dataclass(frozen=True, slots=True)
class WeaponizationReported:
    """``reporter`` reported threats, shaming or coercion: safety mode, scores untouched."""

    at: datetime
    reporter: Side

    def __post_init__(self) -> None:
        _check_time(self.at)
        _check_side(self.reporter)


@dataclass(frozen=True, slots=True)
class SafetyModeLeft:
    """``side`` chose to leave safety mode."""

    at: datetime
    side: Side

    def __post_init__(self) -> None:
        _check_time(self.at)
        _check_side(self.side)


@dataclass(frozen=True, slots=True)
class ReadinessChanged:
    """``side`` said whether they are ready to go one depth deeper."""

    at: datetime
    side: Side
    ready: bool

    def __post_init__(self) -> None:
        _check_time(self.at)
        _check_side(self.side)


@dataclass(frozen=True, slots=True)
class SteppedBack:
    """``side`` stepped the bond back one depth, alone."""

    at: datetime
    side: Side

    def __post_init__(self) -> None:
        _check_time(self.at)
        _check_side(self.side)


@dataclass(frozen=True, slots=True)
class RepairRound:
    """A round on a difference: how understood each felt by the other's restatement (1–7),
    and whether each restatement was costly to the one who wrote it."""

    at: datetime
    understood_a: int
    understood_b: int
    costly_by_a: bool = False
    costly_by_b: bool = False

    def __post_init__(self) -> None:
        _check_time(self.at)
        _check_score(self.understood_a)
        _check_score(self.understood_b)


@dataclass(frozen=True, slots=True)
class CheckedIn:
    """``guesser`` guessed the partner's feeling with this accuracy (0–1)."""

    at: datetime
    guesser: Side
    accuracy: float

    def __post_init__(self) -> None:
        _check_time(self.at)
        _check_side(self.guesser)
        if not 0.0 <= self.accuracy <= 1.0:
            raise ValueError("accuracy lies in 0–1")


Event = (
    Revealed
    | Rated
    | BreachReported
    | DeceptionConfirmed
    | WeaponizationReported
    | SafetyModeLeft
    | ReadinessChanged
    | SteppedBack
    | RepairRound
    | CheckedIn
)
EVENT_TYPES: tuple[type, ...] = (
    Revealed,
    Rated,
    BreachReported,
    DeceptionConfirmed,
    WeaponizationReported,
    SafetyModeLeft,
    ReadinessChanged,
    SteppedBack,
    RepairRound,
    CheckedIn,
)

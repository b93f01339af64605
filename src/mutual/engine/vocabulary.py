"""The words of the model: sides, depths, themes and feelings."""

from __future__ import annotations

import math
from typing import Literal

Side = Literal["a", "b"]
SIDES: tuple[Side, Side] = ("a", "b")


def other(side: Side) -> Side:
    """The partner of ``side``."""
    return "b" if side == "a" else "a"


DEPTHS: tuple[str, ...] = ("Surface", "Personal", "Meaningful", "Tender", "Core")
MAX_DEPTH = len(DEPTHS) - 1

THEMES: tuple[str, ...] = (
    "dreams",
    "hurts",
    "fears",
    "joys",
    "memories",
    "values",
    "needs",
    "desire",
)
#: Themes offered only to partners who opt in.
OPT_IN_THEMES: frozenset[str] = frozenset({"desire"})

Outcome = Literal["honored", "missed", "dishonored"]


def _point(angle_degrees: float) -> tuple[float, float]:
    radians = math.radians(angle_degrees)
    return (round(math.cos(radians), 12), round(math.sin(radians), 12))


#: Named feelings on the valence–arousal circle: (valence, arousal) on the unit circle,
#: valence along x (unpleasant → pleasant) and arousal along y (calm → activated).
FEELINGS: dict[str, tuple[float, float]] = {
    "excited": _point(67.5),
    "joyful": _point(45.0),
    "happy": _point(22.5),
    "content": _point(0.0),
    "grateful": _point(-22.5),
    "relaxed": _point(-45.0),
    "calm": _point(-67.5),
    "sleepy": _point(-90.0),
    "tired": _point(-112.5),
    "bored": _point(-135.0),
    "sad": _point(-157.5),
    "lonely": _point(180.0),
    "hurt": _point(157.5),
    "anxious": _point(135.0),
    "angry": _point(112.5),
    "alert": _point(90.0),
}
INTENSITIES: tuple[int, ...] = (1, 2, 3)


def feeling_point(feeling: str, intensity: int = 3) -> tuple[float, float]:
    """The point of a named feeling at an intensity of 1–3 (3 on the circle itself)."""
    if feeling not in FEELINGS:
        raise ValueError(f"unknown feeling {feeling!r}")
    if intensity not in INTENSITIES:
        raise ValueError("intensity must be 1, 2 or 3")
    x, y = FEELINGS[feeling]
    scale = intensity / INTENSITIES[-1]
    return (x * scale, y * scale)

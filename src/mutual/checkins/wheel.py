"""The feelings wheel: a few core feelings in the middle, the words around each, and how
close a guess of someone's feeling was.

Eight families, each named by its core feeling (happy is in *glad*, worried in *scared*),
hold 46 feelings in words people use. Whoever checks in picks one and says how strongly
(a little, quite, very). The families sit around a circle of pleasant to unpleasant and
lively to quiet, so each family has neighbours that shade into it (sad and tired, scared
and angry). The words are marked for translation and translated when read (:func:`label`).

How close a guess was (:func:`attunement`), from 0 to 1:

========================================  =====
the guess names …                         kin
========================================  =====
the very feeling                          1.0
another feeling of the same family        0.8
a feeling of a neighbouring family        0.55
another family on the same side           0.3
(pleasant for pleasant, hard for hard)
the other side                            0.0
========================================  =====

times 1, 0.92 or 0.84 as the guessed strength is 0, 1 or 2 steps off. docs/checkins-and-
differences.md has the reasons.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from django.utils.translation import gettext


def _(message: str) -> str:
    """Marks words for translation where they are defined (``makemessages`` finds them);
    they are translated where they are read, with the reader's language."""
    return message


INTENSITIES: tuple[int, ...] = (1, 2, 3)
INTENSITY_WORDS: dict[int, str] = {1: _("a little"), 2: _("quite"), 3: _("very")}


@dataclass(frozen=True)
class Family:
    """A core feeling and the words around it."""

    key: str
    #: The family's name on the form (its core feeling, or a phrase for it).
    label: str
    #: Pleasant (``True``) or hard to feel (``False``).
    pleasant: bool
    #: Where the family sits on the circle, in degrees (0 = pleasant, 90 = lively).
    angle: float
    #: Its feelings: the core one first, as (value, label).
    feelings: tuple[tuple[str, str], ...]


FAMILIES: tuple[Family, ...] = (
    Family(
        "glad", _("Glad"), True, 50.0,
        (("happy", _("Happy")), ("joyful", _("Joyful")), ("excited", _("Excited")),
         ("playful", _("Playful")), ("proud", _("Proud")), ("hopeful", _("Hopeful")),
         ("relieved", _("Relieved"))),
    ),
    Family(
        "loving", _("Loving"), True, 10.0,
        (("loving", _("Loving")), ("grateful", _("Grateful")), ("tender", _("Tender")),
         ("close", _("Close")), ("cared_for", _("Cared for")), ("trusting", _("Trusting"))),
    ),
    Family(
        "peaceful", _("At peace"), True, -35.0,
        (("calm", _("Calm")), ("content", _("Content")), ("relaxed", _("Relaxed")),
         ("safe", _("Safe")), ("settled", _("Settled"))),
    ),
    Family(
        "tired", _("Worn out"), False, -100.0,
        (("tired", _("Tired")), ("drained", _("Drained")), ("bored", _("Bored")),
         ("numb", _("Numb")), ("flat", _("Flat"))),
    ),
    Family(
        "sad", _("Sad"), False, -150.0,
        (("sad", _("Sad")), ("lonely", _("Lonely")), ("hurt", _("Hurt")),
         ("disappointed", _("Disappointed")), ("discouraged", _("Discouraged")),
         ("heartbroken", _("Heartbroken"))),
    ),
    Family(
        "ashamed", _("Ashamed"), False, 170.0,
        (("ashamed", _("Ashamed")), ("guilty", _("Guilty")), ("embarrassed", _("Embarrassed")),
         ("not_good_enough", _("Not good enough")), ("regretful", _("Regretful")),
         ("self_conscious", _("Self-conscious"))),
    ),
    Family(
        "scared", _("Scared"), False, 135.0,
        (("scared", _("Scared")), ("anxious", _("Anxious")), ("worried", _("Worried")),
         ("nervous", _("Nervous")), ("overwhelmed", _("Overwhelmed")), ("insecure", _("Insecure"))),
    ),
    Family(
        "angry", _("Angry"), False, 105.0,
        (("angry", _("Angry")), ("frustrated", _("Frustrated")), ("irritated", _("Irritated")),
         ("resentful", _("Resentful")), ("jealous", _("Jealous"))),
    ),
)  # fmt: skip

#: Families that shade into each other.
NEIGHBOURS: frozenset[frozenset[str]] = frozenset(
    frozenset(pair)
    for pair in (
        ("glad", "loving"),
        ("glad", "peaceful"),
        ("loving", "peaceful"),
        ("peaceful", "tired"),
        ("tired", "sad"),
        ("sad", "ashamed"),
        ("sad", "scared"),
        ("sad", "angry"),
        ("ashamed", "scared"),
        ("scared", "angry"),
    )
)

#: Feelings the first check-ins offered that are energy rather than feeling: still read
#: (old check-ins keep them), scored as the feeling they stand nearest, no longer offered.
LEGACY: dict[str, tuple[str, str]] = {
    "sleepy": (_("Sleepy"), "tired"),
    "alert": (_("Alert"), "excited"),
}

KIN_SAME = 1.0
KIN_FAMILY = 0.8
KIN_NEIGHBOUR = 0.55
KIN_SIDE = 0.3
#: What each step between the guessed and the felt strength takes off.
STRENGTH_STEP = 0.08


@cache
def _family_of() -> dict[str, Family]:
    return {value: family for family in FAMILIES for value, _ in family.feelings}


def offered() -> list[str]:
    """Every feeling the form offers, family by family."""
    return [value for family in FAMILIES for value, _ in family.feelings]


def is_feeling(name: str) -> bool:
    """A feeling a check-in may hold: one of the wheel or an older one still read."""
    return name in _family_of() or name in LEGACY


def _resolve(name: str) -> str:
    if name in LEGACY:
        return LEGACY[name][1]
    if name not in _family_of():
        raise ValueError(f"unknown feeling {name!r}")
    return name


def family_of(name: str) -> Family:
    """The family of a feeling (an older feeling's nearest)."""
    return _family_of()[_resolve(name)]


def label(name: str) -> str:
    """The feeling's words, as people read them ("Cared for")."""
    if name in LEGACY:
        return gettext(LEGACY[name][0])
    family = family_of(name)
    return gettext(dict(family.feelings)[name])


def words(name: str, intensity: int) -> str:
    """ "quite cared for": the strength and the feeling, in lower case."""
    return f"{gettext(INTENSITY_WORDS[intensity])} {label(name).lower()}"


def kin(guess: str, actual: str) -> float:
    """How near the guessed feeling is to the felt one, strength aside (0–1)."""
    g, a = _resolve(guess), _resolve(actual)
    if g == a:
        return KIN_SAME
    fg, fa = family_of(g), family_of(a)
    if fg.key == fa.key:
        return KIN_FAMILY
    if frozenset((fg.key, fa.key)) in NEIGHBOURS:
        return KIN_NEIGHBOUR
    if fg.pleasant == fa.pleasant:
        return KIN_SIDE
    return 0.0


def attunement(guess: str, guess_intensity: int, actual: str, actual_intensity: int) -> float:
    """How close a guess was to the feeling, strength included (0–1)."""
    for value in (guess_intensity, actual_intensity):
        if value not in INTENSITIES:
            raise ValueError("intensity must be 1, 2 or 3")
    steps = abs(guess_intensity - actual_intensity)
    return round(kin(guess, actual) * (1.0 - STRENGTH_STEP * steps), 6)


def point(name: str, intensity: int = 3) -> tuple[float, float]:
    """Where a feeling sits on the pleasant–lively circle, nearer the middle the milder
    it is: its family's angle, spread a little among the family's feelings."""
    if intensity not in INTENSITIES:
        raise ValueError("intensity must be 1, 2 or 3")
    resolved = _resolve(name)
    family = family_of(resolved)
    values = [value for value, _ in family.feelings]
    spread = 30.0 / max(len(values) - 1, 1)
    angle = family.angle - 15.0 + spread * values.index(resolved)
    scale = intensity / INTENSITIES[-1]
    radians = math.radians(angle)
    return (round(math.cos(radians) * scale, 6), round(math.sin(radians) * scale, 6))

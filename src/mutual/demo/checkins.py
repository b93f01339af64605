from __future__ import annotations

from datetime import datetime, timedelta

from mutual.bonds.models import Bond
from mutual.checkins.services import checkin_submit

#: Two weeks of check-ins: (Alice's feeling, intensity, her guess of Bob),
#: (Bob's feeling, intensity, his guess of Alice). Mostly close, twice far apart.
DEMO_DAYS: tuple[tuple[tuple[str, int, str], tuple[str, int, str]], ...] = (
    (("tired", 2, "calm"), ("anxious", 2, "tired")),
    (("content", 2, "content"), ("calm", 2, "happy")),
    (("worried", 3, "calm"), ("calm", 1, "content")),
    (("hopeful", 2, "content"), ("content", 3, "happy")),
    (("calm", 2, "relaxed"), ("relaxed", 2, "calm")),
    (("lonely", 2, "happy"), ("excited", 3, "tired")),
    (("cared_for", 2, "content"), ("content", 2, "grateful")),
    (("relaxed", 3, "calm"), ("calm", 2, "relaxed")),
    (("tired", 2, "tired"), ("tired", 3, "tired")),
    (("joyful", 3, "proud"), ("proud", 2, "joyful")),
    (("content", 2, "calm"), ("calm", 2, "content")),
    (("hurt", 1, "sad"), ("sad", 2, "calm")),
    (("happy", 2, "happy"), ("happy", 3, "happy")),
)


DEMO_NOTES = {
    2: ("A deadline at work, nothing between us.", ""),
    5: ("Missing my sister today.", "The concert tickets came!"),
    11: ("", "Long call with my father."),
}


def demo_seed(*, bond: Bond, now: datetime) -> None:
    """Two weeks of morning check-ins for the demo bond, and today's from Bob alone
    (sealed, waiting for Alice). Written through :func:`checkin_submit`."""
    alice, bob = bond.person_a, bond.person_b
    if alice is None or bob is None:
        return
    morning = now.replace(hour=7, minute=30, second=0, microsecond=0)
    for i, (a, b) in enumerate(DEMO_DAYS):
        day = morning - timedelta(days=len(DEMO_DAYS) - i)
        notes = DEMO_NOTES.get(i, ("", ""))
        for person, (feeling, intensity, guess), note, minutes in (
            (alice, a, notes[0], 0),
            (bob, b, notes[1], 25),
        ):
            checkin_submit(
                bond=bond,
                person=person,
                feeling=feeling,
                intensity=intensity,
                guess_feeling=guess,
                guess_intensity=2,
                note=note,
                at=day + timedelta(minutes=minutes),
            )
    if morning < now:
        checkin_submit(
            bond=bond,
            person=bob,
            feeling="content",
            intensity=2,
            guess_feeling="calm",
            guess_intensity=2,
            note="Slow start, good coffee.",
            at=morning,
        )

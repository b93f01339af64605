"""Check-ins: how each person feels, and a guess of how the other feels.

A check-in names one of the sixteen feelings of :data:`mutual.engine.FEELINGS` with an
intensity of 1–3, a guess of the partner's feeling (also with an intensity) and an
optional short note, sealed with the author's key. A bond has at most one open round;
everything in it stays sealed from the partner until both have checked in. At that
moment the round is revealed: each guess is scored by :func:`mutual.engine.checkin_accuracy`
and recorded as one :class:`mutual.engine.CheckedIn` event per guesser, through the ledger.

Every function takes keyword arguments only, and the time ``at`` is passed in.
``bond`` is a :class:`~mutual.bonds.models.Bond` the caller already fetched for the
person (``selectors.bond_get``); membership is checked again here.

Services (writes)
    ``checkin_submit(*, bond, person, feeling, intensity, guess_feeling,
    guess_intensity, note="", at) -> CheckInRound`` — check in, or change one's own
    sealed check-in while the partner has not checked in yet. Raises ``Invalid`` (bad
    input, nothing changes), ``Conflict`` (the bond is not active) or ``NotFound``.

Selectors (reads, visibility applied here)
    ``checkin_rounds(*, bond, viewer, limit=14) -> list[RoundView]`` — latest first.
    ``checkin_round_get(*, bond, id, viewer) -> RoundView`` — one round, or ``NotFound``.
    ``attunement_now(*, bond, viewer, at) -> AttunementNow`` — both directions, by the
    engine's rule over the last 14 days.
    ``attunement_history(*, bond, viewer) -> list[AttunementPoint]`` — one point per
    revealed round and direction, for the insights.
    ``feeling_choices() -> list[tuple[str, str]]`` — value and label of each feeling.

What the partner sees (DESIGN §3): nothing of a round before both checked in except that
the other has checked in; afterwards both feelings, guesses, notes and how close each
guess was — in words, never as a score.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from mutual import engine
from mutual.accounts.crypto import CryptoError
from mutual.accounts.models import Person

from . import ledger
from .errors import Conflict, Invalid, NotFound
from .models import Bond, CheckIn, CheckInRound
from .selectors import parted, side_of, with_people

NOTE_MAX = 280
#: A guess below this accuracy is far enough off to suggest asking about it.
ASK_BELOW = 0.5
INTENSITY_WORDS = {1: "a little", 2: "quite", 3: "very"}
#: Words for how close a guess was, from the closest down (accuracy at least …).
CLOSENESS = (
    (0.9, "right there"),
    (0.7, "close"),
    (ASK_BELOW, "some way apart"),
    (0.0, "far apart"),
)

__all__ = [
    "AttunementNow",
    "AttunementPoint",
    "CheckInView",
    "RoundView",
    "attunement_history",
    "attunement_now",
    "checkin_round_get",
    "checkin_rounds",
    "checkin_submit",
    "closeness",
    "feeling_choices",
    "feeling_groups",
]


def feeling_choices() -> list[tuple[str, str]]:
    """The feelings in their order around the circle, as (value, label)."""
    return [(name, name.capitalize()) for name in engine.FEELINGS]


#: The circle in four quarters, in its own order, to make sixteen choices easier to scan.
FEELING_GROUPS = ("Bright", "At ease", "Low", "Stirred up")


def feeling_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """The feelings in four groups of neighbours on the circle: (group, [(value, label)])."""
    choices = feeling_choices()
    size = len(choices) // len(FEELING_GROUPS)
    return [(name, choices[i * size : (i + 1) * size]) for i, name in enumerate(FEELING_GROUPS)]


def closeness(accuracy: float) -> str:
    """How close a guess was, in words."""
    for floor, words in CLOSENESS:
        if accuracy >= floor:
            return words
    return CLOSENESS[-1][1]


def _note_aad(checkin: CheckIn) -> str:
    return f"checkin:{checkin.id}:note"


def _clean_feeling(value: object, what: str) -> str:
    name = str(value or "").strip().lower()
    if name not in engine.FEELINGS:
        raise Invalid(f"Choose {what} from the list of feelings.")
    return name


def _clean_intensity(value: object, what: str) -> int:
    try:
        number = int(str(value))
    except ValueError:
        raise Invalid(f"Choose how strong {what} is: a little, quite or very.") from None
    if number not in engine.INTENSITIES:
        raise Invalid(f"Choose how strong {what} is: a little, quite or very.")
    return number


def _clean_note(value: object) -> str:
    note = str(value or "").strip()
    if len(note) > NOTE_MAX:
        raise Invalid(f"Keep the note to {NOTE_MAX} characters or fewer.")
    return note


def _require_active(bond: Bond) -> None:
    if bond.status != Bond.Status.ACTIVE:
        raise Conflict("Check-ins are possible while the bond is active.")


def _accuracy(guess: CheckIn, actual: CheckIn) -> float:
    return engine.checkin_accuracy(
        engine.feeling_point(guess.guess_feeling, guess.guess_intensity),
        engine.feeling_point(actual.feeling, actual.intensity),
    )


def checkin_submit(
    *,
    bond: Bond,
    person: Person,
    feeling: str,
    intensity: int,
    guess_feeling: str,
    guess_intensity: int,
    note: str = "",
    at: datetime,
) -> CheckInRound:
    """Check in to the bond's open round (opening one if there is none).

    While the partner has not checked in, calling again changes one's own sealed
    check-in. The second person's check-in reveals the round and records a
    ``CheckedIn`` event for each guesser.
    """
    side = side_of(bond=bond, person=person)
    feeling = _clean_feeling(feeling, "how you feel")
    intensity = _clean_intensity(intensity, "your feeling")
    guess_feeling = _clean_feeling(guess_feeling, "your guess")
    guess_intensity = _clean_intensity(guess_intensity, "the feeling you guess")
    note = _clean_note(note)
    with transaction.atomic():
        locked = ledger.lock(bond)
        _require_active(locked)
        round_ = CheckInRound.objects.filter(bond=locked, revealed_at__isnull=True).first()
        if round_ is None:
            round_ = CheckInRound.objects.create(bond=locked, opened_at=at)
        mine = CheckIn.objects.filter(round=round_, side=side).first()
        if mine is None:
            mine = CheckIn(id=uuid.uuid4(), round=round_, side=side, author=person)
        mine.author = person
        mine.feeling, mine.intensity = feeling, intensity
        mine.guess_feeling, mine.guess_intensity = guess_feeling, guess_intensity
        mine.note_enc = person.seal(note, _note_aad(mine)) if note else None
        mine.created_at = at
        mine.save()
        theirs = CheckIn.objects.filter(round=round_, side=engine.other(side)).first()
        if theirs is not None:
            _reveal(locked, round_, mine, theirs, at)
    bond.snapshot, bond.snapshot_seq = locked.snapshot, locked.snapshot_seq
    return round_


def _reveal(bond: Bond, round_: CheckInRound, mine: CheckIn, theirs: CheckIn, at: datetime) -> None:
    mine.accuracy = _accuracy(mine, theirs)
    theirs.accuracy = _accuracy(theirs, mine)
    CheckIn.objects.bulk_update([mine, theirs], ["accuracy"])
    round_.revealed_at = at
    round_.save(update_fields=["revealed_at"])
    by_side = {mine.side: mine, theirs.side: theirs}
    ledger.record(
        bond,
        [
            engine.CheckedIn(at=at, guesser=side, accuracy=by_side[side].accuracy or 0.0)
            for side in engine.SIDES
        ],
    )


# ---------------------------------------------------------------------------------------
# Selectors


@dataclass(frozen=True)
class CheckInView:
    """One person's check-in as the viewer may see it."""

    side: str
    name: str
    mine: bool
    feeling: str
    intensity: int
    guess_feeling: str
    guess_intensity: int
    note: str
    #: How close this person's guess of the other was (0–1), once revealed.
    accuracy: float | None
    created_at: datetime

    @property
    def feeling_words(self) -> str:
        return f"{INTENSITY_WORDS[self.intensity]} {self.feeling}"

    @property
    def guess_words(self) -> str:
        return f"{INTENSITY_WORDS[self.guess_intensity]} {self.guess_feeling}"

    @property
    def closeness(self) -> str | None:
        return None if self.accuracy is None else closeness(self.accuracy)


@dataclass(frozen=True)
class RoundView:
    """A check-in round seen by one of the two."""

    id: uuid.UUID
    opened_at: datetime
    revealed_at: datetime | None
    partner_name: str
    #: The viewer's own check-in, if they checked in.
    mine: CheckInView | None
    #: The partner's check-in, only once the round is revealed.
    theirs: CheckInView | None
    #: Whether the partner has checked in (true also while sealed).
    partner_checked_in: bool

    @property
    def revealed(self) -> bool:
        return self.revealed_at is not None

    @property
    def ask_about_it(self) -> bool:
        """The viewer's guess was far off: suggest a gentle conversation."""
        return (
            self.mine is not None
            and self.mine.accuracy is not None
            and self.mine.accuracy < ASK_BELOW
        )


def _partner_name(bond: Bond, side: str) -> str:
    partner = bond.person_b if side == "a" else bond.person_a
    return partner.name if partner is not None else "your partner"


def _view(checkin: CheckIn, viewer_side: str, bond: Bond) -> CheckInView:
    author = bond.person_a if checkin.side == "a" else bond.person_b
    note = ""
    if checkin.note_enc and author is not None:
        try:
            note = author.open(bytes(checkin.note_enc), _note_aad(checkin))
        except CryptoError:
            note = ""
    return CheckInView(
        side=checkin.side,
        name="You" if checkin.side == viewer_side else _partner_name(bond, viewer_side),
        mine=checkin.side == viewer_side,
        feeling=checkin.feeling,
        intensity=checkin.intensity,
        guess_feeling=checkin.guess_feeling,
        guess_intensity=checkin.guess_intensity,
        note=note,
        accuracy=checkin.accuracy,
        created_at=checkin.created_at,
    )


def _round_view(round_: CheckInRound, checkins: list[CheckIn], side: str, bond: Bond) -> RoundView:
    mine = next((c for c in checkins if c.side == side), None)
    theirs = next((c for c in checkins if c.side != side), None)
    revealed = round_.revealed_at is not None
    if parted(bond=bond):
        theirs = None  # after leaving, each sees only their own check-ins
    return RoundView(
        id=round_.id,
        opened_at=round_.opened_at,
        revealed_at=round_.revealed_at,
        partner_name=_partner_name(bond, side),
        mine=_view(mine, side, bond) if mine is not None else None,
        theirs=_view(theirs, side, bond) if theirs is not None and revealed else None,
        partner_checked_in=theirs is not None,
    )


def checkin_rounds(*, bond: Bond, viewer: Any, limit: int = 14) -> list[RoundView]:
    """The bond's latest check-in rounds, newest first, as ``viewer`` may see them."""
    side = side_of(bond=bond, person=viewer)
    bond = with_people(bond)
    rounds = list(
        CheckInRound.objects.filter(bond=bond)
        .order_by("-opened_at")
        .prefetch_related("checkins")[:limit]
    )
    return [_round_view(r, list(r.checkins.all()), side, bond) for r in rounds]


def checkin_round_get(*, bond: Bond, id: uuid.UUID | str, viewer: Any) -> RoundView:
    """One round of the bond as ``viewer`` may see it; ``NotFound`` otherwise."""
    side = side_of(bond=bond, person=viewer)
    bond = with_people(bond)
    try:
        round_ = CheckInRound.objects.prefetch_related("checkins").get(
            bond=bond, id=uuid.UUID(str(id))
        )
    except (CheckInRound.DoesNotExist, ValueError, TypeError, AttributeError):
        raise NotFound() from None
    return _round_view(round_, list(round_.checkins.all()), side, bond)


@dataclass(frozen=True)
class AttunementNow:
    """Attunement over the last two weeks, in both directions (0–1, or None)."""

    #: How well the viewer read the partner.
    mine: float | None
    #: How well the partner read the viewer.
    theirs: float | None

    @property
    def mine_words(self) -> str | None:
        return None if self.mine is None else closeness(self.mine)

    @property
    def theirs_words(self) -> str | None:
        return None if self.theirs is None else closeness(self.theirs)


def attunement_now(*, bond: Bond, viewer: Any, at: datetime) -> AttunementNow:
    """Both directions of attunement by the engine's rule, from the bond's snapshot."""
    side = side_of(bond=bond, person=viewer)
    state = ledger.state_of(bond)
    return AttunementNow(
        mine=engine.attunement(state, side, at, ledger.PARAMS),
        theirs=engine.attunement(state, engine.other(side), at, ledger.PARAMS),
    )


@dataclass(frozen=True)
class AttunementPoint:
    """Attunement in one direction just after one revealed round."""

    at: datetime
    #: "mine": the viewer's guesses of the partner; "theirs": the partner's of the viewer.
    direction: str
    #: The 14-day moving average of accuracy at ``at``.
    value: float


def attunement_history(*, bond: Bond, viewer: Any) -> list[AttunementPoint]:
    """Attunement in each direction after every revealed round, oldest first.

    One query; the moving average is the engine's :func:`~mutual.engine.attunement`
    applied to the guesses of each direction.
    """
    side = side_of(bond=bond, person=viewer)
    rows = (
        CheckIn.objects.filter(round__bond=bond, accuracy__isnull=False)
        .order_by("round__revealed_at")
        .values_list("side", "accuracy", "round__revealed_at")
    )
    guesses: dict[str, list[tuple[datetime, float]]] = {"a": [], "b": []}
    points: list[AttunementPoint] = []
    window = ledger.PARAMS.attunement_window
    for guesser, accuracy, revealed_at in rows:
        if revealed_at is None or accuracy is None or guesser not in engine.SIDES:
            continue
        kept = [g for g in guesses[guesser] if revealed_at - g[0] < window]
        kept.append((revealed_at, accuracy))
        guesses[guesser] = kept
        state = engine.BondState(
            a=engine.SideState(guesses=tuple(kept)) if guesser == "a" else engine.SideState(),
            b=engine.SideState(guesses=tuple(kept)) if guesser == "b" else engine.SideState(),
        )
        value = engine.attunement(state, "a" if guesser == "a" else "b", revealed_at, ledger.PARAMS)
        if value is not None:
            direction = "mine" if guesser == side else "theirs"
            points.append(AttunementPoint(at=revealed_at, direction=direction, value=value))
    return points


# ---------------------------------------------------------------------------------------
# The demo bond

#: Two weeks of check-ins: (Alice's feeling, intensity, her guess of Bob),
#: (Bob's feeling, intensity, his guess of Alice). Mostly close, twice far apart.
DEMO_DAYS: tuple[tuple[tuple[str, int, str], tuple[str, int, str]], ...] = (
    (("tired", 2, "calm"), ("anxious", 2, "tired")),
    (("content", 2, "content"), ("calm", 2, "happy")),
    (("anxious", 3, "calm"), ("calm", 1, "content")),
    (("happy", 2, "content"), ("content", 3, "happy")),
    (("calm", 2, "relaxed"), ("relaxed", 2, "calm")),
    (("lonely", 2, "happy"), ("excited", 3, "tired")),
    (("grateful", 2, "content"), ("content", 2, "grateful")),
    (("relaxed", 3, "calm"), ("calm", 2, "relaxed")),
    (("tired", 2, "tired"), ("tired", 3, "tired")),
    (("joyful", 3, "happy"), ("happy", 2, "joyful")),
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

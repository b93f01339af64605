"""Check-ins: how each person feels, and a guess of how the other feels.

A check-in names one of the feelings of the wheel (:mod:`mutual.checkins.wheel`) with an
intensity of 1–3, a guess of the partner's feeling (also with an intensity) and an
optional short note, sealed with the author's key. A bond has at most one open round;
everything in it stays sealed from the partner until both have checked in. At that
moment the round is revealed: each guess is scored by :func:`mutual.checkins.wheel.attunement`
and recorded as one :class:`mutual.engine.CheckedIn` event per guesser, through the ledger.

Every function takes keyword arguments only, and the time ``at`` is passed in.
``bond`` is a :class:`~mutual.bonds.models.Bond` the caller already fetched for the
person (``selectors.bond_get``); membership is checked again here.

Services (writes)
    ``checkin_submit(*, bond, person, feeling, intensity, guess_feeling,
    guess_intensity, note="", at) -> CheckInRound`` — check in, or change one's own
    sealed check-in while the partner has not checked in yet. Raises ``Invalid`` (bad
    input, nothing changes), ``Conflict`` (the bond is not active) or ``NotFound``.
    ``feeling_check(*, feeling, intensity) -> (feeling, intensity)`` — the first half
    alone, checked and stored nowhere (the page asks for the guess one step later).

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
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext, gettext_lazy

from mutual import engine, limits
from mutual.accounts.models import Person
from mutual.bonds import guards, ledger, signals
from mutual.bonds.errors import Invalid
from mutual.bonds.models import Bond
from mutual.bonds.selectors import side_of

from . import wheel
from .models import CheckIn, CheckInRound

#: A guess below this accuracy is far enough off to suggest asking about it.
ASK_BELOW = 0.5


def _clean_feeling(value: object, refusal: str, field: str) -> str:
    name = str(value or "").strip().lower()
    if not wheel.is_feeling(name):
        raise Invalid(refusal, field=field)
    return name


def _clean_intensity(value: object, refusal: str, field: str) -> int:
    try:
        number = int(str(value))
    except ValueError:
        raise Invalid(refusal, field=field) from None
    if number not in engine.INTENSITIES:
        raise Invalid(refusal, field=field)
    return number


def _clean_note(value: object) -> str:
    note = str(value or "").strip()
    if len(note) > limits.CHECKIN_NOTE:
        raise Invalid(
            gettext("Keep the note to %(limit)d characters or fewer.")
            % {"limit": limits.CHECKIN_NOTE},
            field="note",
        )
    return note


def feeling_check(*, feeling: str, intensity: object) -> tuple[str, int]:
    """One's own feeling and its intensity, cleaned, or ``Invalid`` naming the field: the
    first step of the check-in page, which stores nothing until the guess is made too."""
    return (
        _clean_feeling(
            feeling, gettext("Choose how you feel from the list of feelings."), "feeling"
        ),
        _clean_intensity(
            intensity,
            gettext("Choose how strong your feeling is: a little, quite or very."),
            "intensity",
        ),
    )


#: What a person is told when the bond is not active.
NOT_ACTIVE = gettext_lazy("Check-ins are possible while the bond is active.")


def _accuracy(guess: CheckIn, actual: CheckIn) -> float:
    return wheel.attunement(
        guess.guess_feeling, guess.guess_intensity, actual.feeling, actual.intensity
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
    feeling, intensity = feeling_check(feeling=feeling, intensity=intensity)
    guess_feeling = _clean_feeling(
        guess_feeling, gettext("Choose your guess from the list of feelings."), "guess_feeling"
    )
    guess_intensity = _clean_intensity(
        guess_intensity,
        gettext("Choose how strong the feeling you guess is: a little, quite or very."),
        "guess_intensity",
    )
    note = _clean_note(note)
    with transaction.atomic():
        locked = ledger.lock(bond)
        guards.require_active(locked, NOT_ACTIVE)
        round_ = CheckInRound.objects.filter(bond=locked, revealed_at__isnull=True).first()
        if round_ is None:
            round_ = CheckInRound.objects.create(bond=locked, opened_at=at)
        mine = CheckIn.objects.filter(round=round_, side=side).first()
        if mine is None:
            mine = CheckIn(id=uuid.uuid4(), round=round_, side=side, author=person)
        mine.author = person
        mine.feeling, mine.intensity = feeling, intensity
        mine.guess_feeling, mine.guess_intensity = guess_feeling, guess_intensity
        mine.note_enc = person.seal(note, mine.note_aad) if note else None
        mine.created_at = at
        mine.save()
        theirs = CheckIn.objects.filter(round=round_, side=engine.other(side)).first()
        if theirs is not None:
            _reveal(locked, round_, mine, theirs, at)
        else:
            signals.waits(
                bond=locked,
                side=engine.other(side),
                kind=signals.CHECKIN,
                key=f"checkin:{round_.id}",
                at=at,
            )
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

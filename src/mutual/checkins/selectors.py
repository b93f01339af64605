from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext

from mutual import engine
from mutual.accounts.crypto import CryptoError
from mutual.bonds import ledger
from mutual.bonds.errors import NotFound
from mutual.bonds.models import Bond
from mutual.bonds.selectors import parted, side_of, with_people
from mutual.web.joined import Part, Read

from . import wheel
from .models import CheckIn, CheckInRound

#: A guess below this accuracy is far enough off to suggest asking about it.
ASK_BELOW = 0.5


INTENSITY_WORDS = wheel.INTENSITY_WORDS


#: Words for how close a guess was, from the closest down (accuracy at least …).
CLOSENESS = (
    (0.9, "right there"),
    (0.7, "close"),
    (ASK_BELOW, "some way apart"),
    (0.0, "far apart"),
)


def feeling_choices() -> list[tuple[str, str]]:
    """The feelings the form offers, family by family, as (value, label)."""
    return [(value, wheel.label(value)) for value in wheel.offered()]


def feeling_groups() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """The wheel's families for the form: (key, name, [(value, label)])."""
    return [
        (
            family.key,
            gettext(family.label),
            [(value, wheel.label(value)) for value, _label in family.feelings],
        )
        for family in wheel.FAMILIES
    ]


def closeness(accuracy: float) -> str:
    """How close a guess was, in words."""
    for floor, words in CLOSENESS:
        if accuracy >= floor:
            return words
    return CLOSENESS[-1][1]


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
        return wheel.words(self.feeling, self.intensity)

    @property
    def guess_words(self) -> str:
        return wheel.words(self.guess_feeling, self.guess_intensity)

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
            note = author.open(bytes(checkin.note_enc), checkin.note_aad)
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
    if limit == 1:
        # The newest round alone (asked on every home page): written once (``web.joined``).
        rounds = [row["r"] for row in _NEWEST.many(bond.pk)]
        prefetch_related_objects(rounds, "checkins")
    else:
        rounds = list(
            CheckInRound.objects.filter(bond=bond)
            .order_by("-opened_at")
            .prefetch_related("checkins")[:limit]
        )
    return [_round_view(r, list(r.checkins.all()), side, bond) for r in rounds]


#: The newest check-in round of a bond.
_NEWEST = Read(Part(CheckInRound, "r"), by="bond", order="{r.opened_at} DESC", limit=1)


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


def checkin_waiting(*, bond: Bond, viewer: Any) -> RoundView | None:
    """The round the partner has checked in to and the viewer not, while the bond is
    active; ``None`` otherwise, and always for someone in safety mode (no nudges)."""
    side = side_of(bond=bond, person=viewer)
    if bond.status != Bond.Status.ACTIVE:
        return None
    rounds = checkin_rounds(bond=bond, viewer=viewer, limit=1)
    current = rounds[0] if rounds and not rounds[0].revealed else None
    if current is None or not current.partner_checked_in or current.mine is not None:
        return None
    return current if engine.nudges_allowed(ledger.state_of(bond), side) else None


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


@dataclass(frozen=True)
class CheckinsPage:
    """The check-in page: the latest rounds, the partner's name and attunement now."""

    rounds: list[RoundView]
    partner_name: str
    attunement: AttunementNow


def checkins_page(*, bond: Bond, viewer: Any, at: datetime, limit: int) -> CheckinsPage:
    side = side_of(bond=bond, person=viewer)
    return CheckinsPage(
        rounds=checkin_rounds(bond=bond, viewer=viewer, limit=limit),
        partner_name=_partner_name(bond, side),
        attunement=attunement_now(bond=bond, viewer=viewer, at=at),
    )

"""Differences: a topic the two see differently, worked through in rounds and revisited.

Either person raises a topic (sealed with the raiser's key, readable by both). Each round
has four steps:

1. **perspective** — each writes how they see it; sealed until both wrote;
2. **restatement** — each restates the other's perspective in their own words, and may
   mark it as costly (it took effort against their own interest);
3. **rating** — each says privately how understood they felt by the partner's
   restatement, 1–7. When both have, the round is recorded as a
   :class:`mutual.engine.RepairRound` through the ledger (the engine repairs trust only
   when both felt understood);
4. **outcome** — either records what came of it: understood each other, agreed, agree to
   differ, or revisit on a date. A revisit opens the next round when either starts it.

Every function takes keyword arguments only, and the time ``at`` is passed in. ``bond``
is a :class:`~mutual.bonds.models.Bond` the caller already fetched for the person
(``selectors.bond_get``); membership is checked again here.

Services (writes) — raise ``Invalid`` (bad input, nothing changes), ``Conflict`` (not
now: wrong step, bond not active) or ``NotFound``:
    ``difference_raise(*, bond, person, topic, at) -> Difference``
    ``perspective_write(*, bond, difference_id, person, body, at) -> Perspective``
    ``restatement_write(*, bond, difference_id, person, body, costly=False, at) -> Perspective``
    ``understood_rate(*, bond, difference_id, person, score, at) -> Perspective``
    ``outcome_record(*, bond, difference_id, person, outcome, revisit_on=None, at) -> Difference``
    (``outcome`` is ``"understood"``, ``"agreed"``, ``"differ"`` or ``"revisit"``)
    ``difference_revisit(*, bond, difference_id, person, at) -> DifferenceRound``

Selectors (reads, visibility applied here):
    ``differences_for(*, bond, viewer, at) -> list[DifferenceSummary]``
    ``differences_due(*, bond, viewer, at) -> list[DifferenceSummary]`` — topics whose
    revisit date has come (for the bond's home page)
    ``difference_get(*, bond, difference_id, viewer, at) -> DifferenceView``
    ``difference_timeline(*, bond, viewer) -> list[tuple[date, str]]`` — dates on which
    topics were raised (``"raised"``) and revisited (``"revisited"``), for the insights.

Who sees what: the topic, both; a perspective, its author, and the partner once both
wrote; a restatement, both once written; the costly mark and the felt-understood rating,
their author alone (the partner sees only that the other has rated).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction

from mutual import engine
from mutual.accounts.crypto import CryptoError
from mutual.accounts.models import Person

from . import ledger
from .errors import Conflict, Invalid, NotFound
from .models import Bond, Difference, DifferenceRound, Perspective
from .selectors import parted, side_of, with_people

TOPIC_MAX = 200
BODY_MAX = 4000
OUTCOMES = {
    "understood": Difference.Outcome.UNDERSTOOD,
    "agreed": Difference.Outcome.AGREED,
    "differ": Difference.Outcome.AGREE_TO_DIFFER,
    "revisit": Difference.Outcome.REVISIT,
}
#: Steps of a round, in order.
STEPS = ("perspective", "restatement", "rating", "outcome", "closed")

__all__ = [
    "OUTCOMES",
    "DifferenceSummary",
    "DifferenceView",
    "RoundView",
    "difference_get",
    "difference_raise",
    "difference_revisit",
    "difference_timeline",
    "differences_due",
    "differences_for",
    "outcome_record",
    "perspective_write",
    "restatement_write",
    "understood_rate",
]


def _topic_aad(difference: Difference) -> str:
    return f"difference:{difference.id}:topic"


def _body_aad(view: Perspective) -> str:
    return f"perspective:{view.id}:body"


def _restatement_aad(view: Perspective) -> str:
    return f"perspective:{view.id}:restatement"


def _clean_text(value: object, *, limit: int, empty: str) -> str:
    text = str(value or "").strip()
    if not text:
        raise Invalid(empty)
    if len(text) > limit:
        raise Invalid(f"Keep it to {limit} characters or fewer.")
    return text


def _require_active(bond: Bond) -> None:
    if bond.status != Bond.Status.ACTIVE:
        raise Conflict("Differences can be worked on while the bond is active.")


def _step(round_: DifferenceRound, views: dict[str, Perspective]) -> str:
    if round_.closed_at is not None:
        return "closed"
    if len(views) < 2:
        return "perspective"
    if any(v.restatement_enc is None for v in views.values()):
        return "restatement"
    if any(v.felt_understood is None for v in views.values()):
        return "rating"
    return "outcome"


def _load(bond: Bond, difference_id: Any) -> tuple[Difference, DifferenceRound]:
    """The difference (row locked by the caller's bond lock) and its latest round."""
    try:
        difference = Difference.objects.get(bond=bond, pk=uuid.UUID(str(difference_id)))
    except (Difference.DoesNotExist, ValueError, TypeError, AttributeError):
        raise NotFound() from None
    round_ = DifferenceRound.objects.filter(difference=difference).order_by("-number").first()
    if round_ is None:  # pragma: no cover - every difference is created with a round
        raise NotFound()
    return difference, round_


def _views(round_: DifferenceRound) -> dict[str, Perspective]:
    return {v.side: v for v in Perspective.objects.filter(round=round_)}


def difference_raise(*, bond: Bond, person: Person, topic: str, at: datetime) -> Difference:
    """Raise a topic; its first round opens at once."""
    side = side_of(bond=bond, person=person)
    topic = _clean_text(topic, limit=TOPIC_MAX, empty="Name the topic in a few words.")
    with transaction.atomic():
        locked = ledger.lock(bond)
        _require_active(locked)
        difference = Difference(
            id=uuid.uuid4(), bond=locked, raised_by=side, topic_author=person, created_at=at
        )
        difference.topic_enc = person.seal(topic, _topic_aad(difference))
        difference.save(force_insert=True)
        DifferenceRound.objects.create(difference=difference, number=1, opened_at=at)
    return difference


def perspective_write(
    *, bond: Bond, difference_id: Any, person: Person, body: str, at: datetime
) -> Perspective:
    """Write (or, while the partner has not written yet, rewrite) one's perspective."""
    side = side_of(bond=bond, person=person)
    body = _clean_text(body, limit=BODY_MAX, empty="Write how you see it.")
    with transaction.atomic():
        locked = ledger.lock(bond)
        _require_active(locked)
        _difference, round_ = _load(locked, difference_id)
        views = _views(round_)
        if _step(round_, views) != "perspective":
            raise Conflict("Both perspectives are already written in this round.")
        view = views.get(side) or Perspective(id=uuid.uuid4(), round=round_, side=side)
        view.author = person
        view.body_enc = person.seal(body, _body_aad(view))
        view.created_at = at
        view.save()
    return view


def restatement_write(
    *,
    bond: Bond,
    difference_id: Any,
    person: Person,
    body: str,
    costly: bool = False,
    at: datetime,
) -> Perspective:
    """Restate the partner's perspective in one's own words, once both have written.

    It can be rewritten until the partner has said how understood they felt by it.
    """
    side = side_of(bond=bond, person=person)
    body = _clean_text(body, limit=BODY_MAX, empty="Write their view in your own words.")
    with transaction.atomic():
        locked = ledger.lock(bond)
        _require_active(locked)
        _difference, round_ = _load(locked, difference_id)
        views = _views(round_)
        step = _step(round_, views)
        if step == "perspective":
            raise Conflict("Restating opens once you have both written your perspective.")
        partner_view = views[engine.other(side)]
        if step not in ("restatement", "rating") or partner_view.felt_understood is not None:
            raise Conflict("Your restatement has already been heard and rated.")
        view = views[side]
        view.restatement_enc = person.seal(body, _restatement_aad(view))
        view.restatement_costly = bool(costly)
        view.save(update_fields=["restatement_enc", "restatement_costly"])
    return view


def understood_rate(
    *, bond: Bond, difference_id: Any, person: Person, score: int, at: datetime
) -> Perspective:
    """Say privately (1–7) how understood one felt by the partner's restatement.

    The second rating of a round records a ``RepairRound`` event.
    """
    side = side_of(bond=bond, person=person)
    try:
        value = int(str(score))
    except ValueError:
        raise Invalid("Choose a number from 1 to 7.") from None
    if not 1 <= value <= 7:
        raise Invalid("Choose a number from 1 to 7.")
    with transaction.atomic():
        locked = ledger.lock(bond)
        _require_active(locked)
        _difference, round_ = _load(locked, difference_id)
        views = _views(round_)
        step = _step(round_, views)
        partner = engine.other(side)
        if step == "perspective" or views[partner].restatement_enc is None:
            raise Conflict("You can say how understood you felt once they restated your view.")
        view = views[side]
        if view.felt_understood is not None:
            raise Conflict("You have already said how understood you felt in this round.")
        view.felt_understood = value
        view.save(update_fields=["felt_understood"])
        if views[partner].felt_understood is not None:
            ledger.record(
                locked,
                [
                    engine.RepairRound(
                        at=at,
                        understood_a=views["a"].felt_understood or 1,
                        understood_b=views["b"].felt_understood or 1,
                        costly_by_a=views["a"].restatement_costly,
                        costly_by_b=views["b"].restatement_costly,
                    )
                ],
            )
    bond.snapshot, bond.snapshot_seq = locked.snapshot, locked.snapshot_seq
    return view


def outcome_record(
    *,
    bond: Bond,
    difference_id: Any,
    person: Person,
    outcome: str,
    revisit_on: date | None = None,
    at: datetime,
) -> Difference:
    """Record what came of the round; it closes. ``revisit`` needs a later date."""
    side_of(bond=bond, person=person)
    if outcome not in OUTCOMES:
        raise Invalid("Choose what came of it.")
    if outcome == "revisit":
        if revisit_on is None:
            raise Invalid("Choose a date to come back to it.")
        if revisit_on <= at.date():
            raise Invalid("Choose a date after today to come back to it.")
    else:
        revisit_on = None
    with transaction.atomic():
        locked = ledger.lock(bond)
        _require_active(locked)
        difference, round_ = _load(locked, difference_id)
        step = _step(round_, _views(round_))
        if step != "outcome":
            raise Conflict(
                "An outcome can be recorded once you have both said how understood you felt."
            )
        difference.outcome = OUTCOMES[outcome]
        difference.revisit_on = revisit_on
        difference.save(update_fields=["outcome", "revisit_on"])
        round_.closed_at = at
        round_.save(update_fields=["closed_at"])
    return difference


def difference_revisit(
    *, bond: Bond, difference_id: Any, person: Person, at: datetime
) -> DifferenceRound:
    """Open the next round of a difference whose latest round is closed."""
    side_of(bond=bond, person=person)
    with transaction.atomic():
        locked = ledger.lock(bond)
        _require_active(locked)
        difference, round_ = _load(locked, difference_id)
        if round_.closed_at is None:
            raise Conflict("This topic already has a round in progress.")
        new_round = DifferenceRound.objects.create(
            difference=difference, number=round_.number + 1, opened_at=at
        )
        difference.outcome = Difference.Outcome.OPEN
        difference.revisit_on = None
        difference.save(update_fields=["outcome", "revisit_on"])
    return new_round


# ---------------------------------------------------------------------------------------
# Selectors


@dataclass(frozen=True)
class RoundView:
    """One round of a difference as the viewer may see it."""

    number: int
    opened_at: datetime
    closed_at: datetime | None
    step: str
    #: The viewer's own perspective and restatement (of the partner's view).
    my_perspective: str | None
    my_restatement: str | None
    my_restatement_costly: bool
    #: How understood the viewer felt (their own rating; never the partner's).
    my_rating: int | None
    #: The partner's perspective once both wrote, and their restatement of the viewer's.
    their_perspective: str | None
    their_restatement: str | None
    partner_wrote: bool
    partner_restated: bool
    partner_rated: bool

    @property
    def can_write(self) -> bool:
        return self.step == "perspective"

    @property
    def can_restate(self) -> bool:
        return self.step in ("restatement", "rating") and not self.partner_rated

    @property
    def can_rate(self) -> bool:
        return self.their_restatement is not None and self.my_rating is None

    @property
    def can_decide(self) -> bool:
        return self.step == "outcome"


@dataclass(frozen=True)
class DifferenceSummary:
    id: uuid.UUID
    topic: str
    raised_by_me: bool
    raised_by_name: str
    created_at: datetime
    outcome: str
    outcome_label: str
    revisit_on: date | None
    due: bool
    rounds: int


@dataclass(frozen=True)
class DifferenceView:
    summary: DifferenceSummary
    partner_name: str
    rounds: list[RoundView]
    active: bool

    @property
    def current(self) -> RoundView:
        return self.rounds[-1]

    @property
    def can_revisit(self) -> bool:
        return self.active and self.current.closed_at is not None


def _open(person: Person | None, blob: Any, aad: str) -> str | None:
    if person is None or blob is None:
        return None
    try:
        return person.open(bytes(blob), aad)
    except CryptoError:
        return None


def _names(bond: Bond, side: str) -> tuple[str, Person | None]:
    partner = bond.person_b if side == "a" else bond.person_a
    return (partner.name if partner is not None else "your partner"), partner


def _summary(
    difference: Difference, side: str, bond: Bond, at: datetime, rounds: int
) -> DifferenceSummary:
    partner_name, _ = _names(bond, side)
    mine = difference.raised_by == side
    hidden = not mine and parted(bond=bond)
    topic = (
        None
        if hidden
        else _open(difference.topic_author, difference.topic_enc, _topic_aad(difference))
    )
    due = (
        difference.outcome == Difference.Outcome.REVISIT
        and difference.revisit_on is not None
        and difference.revisit_on <= at.date()
    )
    return DifferenceSummary(
        id=difference.id,
        topic=topic if topic is not None else "A topic that can no longer be shown",
        raised_by_me=mine,
        raised_by_name="You" if mine else partner_name,
        created_at=difference.created_at,
        outcome=difference.outcome,
        outcome_label=difference.get_outcome_display(),
        revisit_on=difference.revisit_on,
        due=due,
        rounds=rounds,
    )


def differences_for(*, bond: Bond, viewer: Any, at: datetime) -> list[DifferenceSummary]:
    """Every topic of the bond, newest first, as the viewer may see it."""
    side = side_of(bond=bond, person=viewer)
    bond = with_people(bond)
    rows = (
        Difference.objects.filter(bond=bond)
        .select_related("topic_author")
        .prefetch_related("rounds")
        .order_by("-created_at")
    )
    return [_summary(d, side, bond, at, len(d.rounds.all())) for d in rows]


def differences_due(*, bond: Bond, viewer: Any, at: datetime) -> list[DifferenceSummary]:
    """Topics the two said they would revisit and whose date has come, oldest date first."""
    side = side_of(bond=bond, person=viewer)
    bond = with_people(bond)
    rows = (
        Difference.objects.filter(
            bond=bond, outcome=Difference.Outcome.REVISIT, revisit_on__lte=at.date()
        )
        .select_related("topic_author")
        .prefetch_related("rounds")
        .order_by("revisit_on")
    )
    return [_summary(d, side, bond, at, len(d.rounds.all())) for d in rows]


def _round_view(round_: DifferenceRound, side: str, bond: Bond) -> RoundView:
    views = {v.side: v for v in round_.views.all()}
    other = engine.other(side)  # type: ignore[arg-type]
    mine, theirs = views.get(side), views.get(other)
    step = _step(round_, views)
    hidden = parted(bond=bond)  # after leaving, each sees only their own words
    me = bond.person_a if side == "a" else bond.person_b
    partner = bond.person_b if side == "a" else bond.person_a
    revealed = step != "perspective"
    return RoundView(
        number=round_.number,
        opened_at=round_.opened_at,
        closed_at=round_.closed_at,
        step=step,
        my_perspective=_open(me, mine.body_enc, _body_aad(mine)) if mine else None,
        my_restatement=_open(me, mine.restatement_enc, _restatement_aad(mine)) if mine else None,
        my_restatement_costly=bool(mine and mine.restatement_costly),
        my_rating=mine.felt_understood if mine else None,
        their_perspective=(
            _open(partner, theirs.body_enc, _body_aad(theirs))
            if theirs and revealed and not hidden
            else None
        ),
        their_restatement=(
            _open(partner, theirs.restatement_enc, _restatement_aad(theirs))
            if theirs and not hidden
            else None
        ),
        partner_wrote=theirs is not None,
        partner_restated=bool(theirs and theirs.restatement_enc is not None),
        partner_rated=bool(theirs and theirs.felt_understood is not None),
    )


def difference_get(*, bond: Bond, difference_id: Any, viewer: Any, at: datetime) -> DifferenceView:
    """One topic with all its rounds as the viewer may see it; ``NotFound`` otherwise."""
    side = side_of(bond=bond, person=viewer)
    bond = with_people(bond)
    try:
        difference = (
            Difference.objects.select_related("topic_author")
            .prefetch_related("rounds", "rounds__views")
            .get(bond=bond, pk=uuid.UUID(str(difference_id)))
        )
    except (Difference.DoesNotExist, ValueError, TypeError, AttributeError):
        raise NotFound() from None
    rounds = sorted(difference.rounds.all(), key=lambda r: r.number)
    partner_name, _ = _names(bond, side)
    return DifferenceView(
        summary=_summary(difference, side, bond, at, len(rounds)),
        partner_name=partner_name,
        rounds=[_round_view(r, side, bond) for r in rounds],
        active=bond.status == Bond.Status.ACTIVE,
    )


def difference_timeline(*, bond: Bond, viewer: Any) -> list[tuple[date, str]]:
    """When topics were raised and revisited, oldest first (two queries)."""
    side_of(bond=bond, person=viewer)
    raised = [
        (at.date(), "raised")
        for at in Difference.objects.filter(bond=bond).values_list("created_at", flat=True)
    ]
    revisited = [
        (at.date(), "revisited")
        for at in DifferenceRound.objects.filter(difference__bond=bond, number__gt=1).values_list(
            "opened_at", flat=True
        )
    ]
    return sorted(raised + revisited)


# ---------------------------------------------------------------------------------------
# The demo bond

DEMO_TOPIC = "Sunday mornings: slow time together or time to get things done"
DEMO_VIEWS = (
    "Sunday is the one morning nobody needs anything from me. When the list comes out "
    "early, I feel the week has followed us home.",
    "If the chores wait until Sunday evening I carry them all day. Getting them done "
    "early is how I get to relax.",
)
DEMO_RESTATEMENTS = (
    "You can only rest once the list is handled; leaving it hanging takes the rest away.",
    "Sunday morning is your one unclaimed time, and chores at that hour make it feel like "
    "a workday.",
)


def demo_seed(*, bond: Bond, now: datetime) -> Difference:
    """One difference in the demo bond, talked through yesterday evening with an outcome
    of "revisit" dated today, so it waits on the home page."""
    alice, bob = bond.person_a, bond.person_b
    if alice is None or bob is None:
        raise NotFound()
    evening = (now - timedelta(days=1)).replace(hour=21, minute=0, second=0, microsecond=0)
    step = timedelta(minutes=20)
    difference = difference_raise(bond=bond, person=bob, topic=DEMO_TOPIC, at=evening)
    for i, (person, body) in enumerate(zip((alice, bob), DEMO_VIEWS, strict=True)):
        perspective_write(
            bond=bond,
            difference_id=difference.id,
            person=person,
            body=body,
            at=evening + step * (1 + i),
        )
    for i, (person, body) in enumerate(zip((alice, bob), DEMO_RESTATEMENTS, strict=True)):
        restatement_write(
            bond=bond,
            difference_id=difference.id,
            person=person,
            body=body,
            costly=i == 1,
            at=evening + step * (3 + i),
        )
    for i, (person, score) in enumerate(((alice, 6), (bob, 5))):
        understood_rate(
            bond=bond,
            difference_id=difference.id,
            person=person,
            score=score,
            at=evening + step * (5 + i),
        )
    return outcome_record(
        bond=bond,
        difference_id=difference.id,
        person=alice,
        outcome="revisit",
        revisit_on=now.date(),
        at=evening + step * 7,
    )

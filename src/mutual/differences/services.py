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
4. **outcome** — what came of it needs both: one proposes it (understood each other,
   agreed, agree to differ, or revisit on a date), and the other confirms it or proposes
   something else, which then waits for the first. Once confirmed it stands and the round
   closes. A revisit opens the next round when either starts it.

Every function takes keyword arguments only, and the time ``at`` is passed in. ``bond``
is a :class:`~mutual.bonds.models.Bond` the caller already fetched for the person
(``selectors.bond_get``); membership is checked again here.

Services (writes) — raise ``Invalid`` (bad input, nothing changes), ``Conflict`` (not
now: wrong step, bond not active) or ``NotFound``:
    ``difference_raise(*, bond, person, topic, at) -> Difference``
    ``perspective_write(*, bond, difference_id, person, body, at) -> Perspective``
    ``restatement_write(*, bond, difference_id, person, body, costly=False, at) -> Perspective``
    ``understood_rate(*, bond, difference_id, person, score, at) -> Perspective``
    ``outcome_propose(*, bond, difference_id, person, outcome, revisit_on=None, at) -> Difference``
    (``outcome`` is ``"understood"``, ``"agreed"``, ``"differ"`` or ``"revisit"``)
    ``outcome_confirm(*, bond, difference_id, person, at) -> Difference``
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
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext, gettext_lazy

from mutual import engine, limits
from mutual.accounts import zones
from mutual.accounts.models import Person
from mutual.bonds import guards, ledger, signals
from mutual.bonds.errors import Conflict, Invalid, NotFound
from mutual.bonds.models import Bond
from mutual.bonds.selectors import side_of

from .models import Difference, DifferenceRound, Perspective
from .rules import step_of

OUTCOMES = {
    "understood": Difference.Outcome.UNDERSTOOD,
    "agreed": Difference.Outcome.AGREED,
    "differ": Difference.Outcome.AGREE_TO_DIFFER,
    "revisit": Difference.Outcome.REVISIT,
}


def _clean_text(value: object, *, limit: int, empty: str) -> str:
    text = str(value or "").strip()
    if not text:
        raise Invalid(empty)
    if len(text) > limit:
        raise Invalid(gettext("Keep it to %(limit)d characters or fewer.") % {"limit": limit})
    return text


#: What a person is told when the bond is not active.
NOT_ACTIVE = gettext_lazy("Differences can be worked on while the bond is active.")


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


def _tell(bond: Bond, side: engine.Side, key: str, at: datetime) -> None:
    """Something of this topic now waits for the partner of ``side``."""
    signals.waits(
        bond=bond, side=engine.other(side), kind=signals.DIFFERENCE, key=f"difference:{key}", at=at
    )


def difference_raise(*, bond: Bond, person: Person, topic: str, at: datetime) -> Difference:
    """Raise a topic; its first round opens at once."""
    side = side_of(bond=bond, person=person)
    topic = _clean_text(topic, limit=limits.TOPIC, empty=gettext("Name the topic in a few words."))
    with transaction.atomic():
        locked = ledger.lock(bond)
        guards.require_active(locked, NOT_ACTIVE)
        difference = Difference(
            id=uuid.uuid4(), bond=locked, raised_by=side, topic_author=person, created_at=at
        )
        difference.topic_enc = person.seal(topic, difference.topic_aad)
        difference.save(force_insert=True)
        DifferenceRound.objects.create(difference=difference, number=1, opened_at=at)
        _tell(locked, side, f"{difference.id}:raised", at)
    return difference


def perspective_write(
    *, bond: Bond, difference_id: Any, person: Person, body: str, at: datetime
) -> Perspective:
    """Write (or, while the partner has not written yet, rewrite) one's perspective."""
    side = side_of(bond=bond, person=person)
    body = _clean_text(body, limit=limits.PERSPECTIVE, empty=gettext("Write how you see it."))
    with transaction.atomic():
        locked = ledger.lock(bond)
        guards.require_active(locked, NOT_ACTIVE)
        _difference, round_ = _load(locked, difference_id)
        views = _views(round_)
        if step_of(round_, views) != "perspective":
            raise Conflict(gettext("Both perspectives are already written in this round."))
        view = views.get(side) or Perspective(id=uuid.uuid4(), round=round_, side=side)
        view.author = person
        view.body_enc = person.seal(body, view.body_aad)
        view.created_at = at
        view.save()
        _tell(locked, side, f"{round_.id}:perspective:{side}", at)
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
    body = _clean_text(
        body, limit=limits.PERSPECTIVE, empty=gettext("Write their view in your own words.")
    )
    with transaction.atomic():
        locked = ledger.lock(bond)
        guards.require_active(locked, NOT_ACTIVE)
        _difference, round_ = _load(locked, difference_id)
        views = _views(round_)
        step = step_of(round_, views)
        if step == "perspective":
            raise Conflict(gettext("Restating opens once you have both written your perspective."))
        partner_view = views[engine.other(side)]
        if step not in ("restatement", "rating") or partner_view.felt_understood is not None:
            raise Conflict(gettext("Your restatement has already been heard and rated."))
        view = views[side]
        view.restatement_enc = person.seal(body, view.restatement_aad)
        view.restatement_costly = bool(costly)
        view.save(update_fields=["restatement_enc", "restatement_costly"])
        _tell(locked, side, f"{round_.id}:restatement:{side}", at)
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
        raise Invalid(gettext("Choose a number from 1 to 7.")) from None
    if not 1 <= value <= 7:
        raise Invalid(gettext("Choose a number from 1 to 7."))
    with transaction.atomic():
        locked = ledger.lock(bond)
        guards.require_active(locked, NOT_ACTIVE)
        _difference, round_ = _load(locked, difference_id)
        views = _views(round_)
        step = step_of(round_, views)
        partner = engine.other(side)
        if step == "perspective" or views[partner].restatement_enc is None:
            raise Conflict(
                gettext("You can say how understood you felt once they restated your view.")
            )
        view = views[side]
        if view.felt_understood is not None:
            raise Conflict(gettext("You have already said how understood you felt in this round."))
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


def _checked_outcome(
    outcome: str, revisit_on: date | None, at: datetime, person: Any
) -> tuple[str, date | None]:
    """The outcome and its date, or ``Invalid``: ``revisit`` needs a date after today, and
    no other outcome keeps one."""
    if outcome not in OUTCOMES:
        raise Invalid(gettext("Choose what came of it."), field="outcome")
    if outcome != "revisit":
        return str(OUTCOMES[outcome].value), None
    if revisit_on is None:
        raise Invalid(gettext("Choose a date to come back to it."), field="revisit_on")
    if revisit_on <= zones.local_date(at, person):  # "today" on the person's calendar
        raise Invalid(gettext("Choose a date after today to come back to it."), field="revisit_on")
    return str(OUTCOMES[outcome].value), revisit_on


def _require_outcome_step(round_: DifferenceRound) -> None:
    if step_of(round_, _views(round_)) != "outcome":
        raise Conflict(
            gettext("An outcome can be recorded once you have both said how understood you felt.")
        )


def _settle(
    difference: Difference,
    round_: DifferenceRound,
    outcome: str,
    revisit_on: date | None,
    at: datetime,
) -> None:
    """Both agreed on what came of the round: it stands, and the round closes."""
    difference.outcome = outcome
    difference.revisit_on = revisit_on
    _propose(difference, "", None, "")
    difference.save(update_fields=["outcome", "revisit_on", *PROPOSAL_FIELDS])
    round_.closed_at = at
    round_.save(update_fields=["closed_at"])


PROPOSAL_FIELDS = ("proposed_outcome", "proposed_revisit_on", "proposed_by")


def _propose(difference: Difference, outcome: str, revisit_on: date | None, side: str) -> None:
    difference.proposed_outcome = outcome
    difference.proposed_revisit_on = revisit_on
    difference.proposed_by = side


def outcome_propose(
    *,
    bond: Bond,
    difference_id: Any,
    person: Person,
    outcome: str,
    revisit_on: date | None = None,
    at: datetime,
) -> Difference:
    """Propose what came of the round (``revisit`` with a date after today). It stands once
    the other confirms it (:func:`outcome_confirm`); the other may propose something else
    instead, which then waits for the first. Proposing exactly what the other proposed
    confirms it."""
    side = side_of(bond=bond, person=person)
    outcome, revisit_on = _checked_outcome(outcome, revisit_on, at, person)
    with transaction.atomic():
        locked = ledger.lock(bond)
        guards.require_active(locked, NOT_ACTIVE)
        difference, round_ = _load(locked, difference_id)
        _require_outcome_step(round_)
        theirs = difference.proposed_by and difference.proposed_by != side
        same = (difference.proposed_outcome, difference.proposed_revisit_on) == (
            outcome,
            revisit_on,
        )
        if theirs and same:
            _settle(difference, round_, outcome, revisit_on, at)
        else:
            _propose(difference, outcome, revisit_on, side)
            difference.save(update_fields=list(PROPOSAL_FIELDS))
    return difference


def outcome_confirm(*, bond: Bond, difference_id: Any, person: Person, at: datetime) -> Difference:
    """Confirm what the other proposed came of the round: it stands, and the round closes."""
    side = side_of(bond=bond, person=person)
    with transaction.atomic():
        locked = ledger.lock(bond)
        guards.require_active(locked, NOT_ACTIVE)
        difference, round_ = _load(locked, difference_id)
        _require_outcome_step(round_)
        if not difference.proposed_by:
            raise Conflict(
                gettext("Nothing is proposed yet. Say where you landed, and the other confirms.")
            )
        if difference.proposed_by == side:
            raise Conflict(
                gettext(
                    "You proposed this. It stands once the other confirms it, "
                    "or they may change it."
                )
            )
        when = difference.proposed_revisit_on
        if difference.proposed_outcome == Difference.Outcome.REVISIT and (
            when is None or when <= zones.local_date(at, person)
        ):
            raise Conflict(gettext("The date to come back to it has passed. Propose a new one."))
        _settle(difference, round_, difference.proposed_outcome, when, at)
    return difference


def difference_revisit(
    *, bond: Bond, difference_id: Any, person: Person, at: datetime
) -> DifferenceRound:
    """Open the next round of a difference whose latest round is closed."""
    side_of(bond=bond, person=person)
    with transaction.atomic():
        locked = ledger.lock(bond)
        guards.require_active(locked, NOT_ACTIVE)
        difference, round_ = _load(locked, difference_id)
        if round_.closed_at is None:
            raise Conflict(gettext("This topic already has a round in progress."))
        new_round = DifferenceRound.objects.create(
            difference=difference, number=round_.number + 1, opened_at=at
        )
        difference.outcome = Difference.Outcome.OPEN
        difference.revisit_on = None
        _propose(difference, "", None, "")
        difference.save(update_fields=["outcome", "revisit_on", *PROPOSAL_FIELDS])
    return new_round

"""A bond's rhythm: a question suggested every few days or on one weekday, each person
nudged at the rhythm's hour on their own clock.

:func:`tick` (run by the worker with the time passed in) opens the next question when the
rhythm's moment has come, at the bond's open depth, chosen from the questions the bond has
not asked yet (``bonds.selectors``), and notes one nudge for each person. A day later, one
reminder at most goes to whoever has not answered. It never piles up: while the last
suggested question waits for either person, no new one opens. Nothing at all while the
bond is paused or over; a person in safety mode is never nudged (the notices drop them).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from mutual.bonds import selectors as bond_selectors
from mutual.bonds import services as bond_services
from mutual.bonds.errors import Invalid, ServiceError
from mutual.bonds.models import Bond, Exchange, Revelation
from mutual.bonds.signals import RHYTHM

from . import hours, services
from .models import Rhythm, RhythmQuestion

#: After this long, one reminder to whoever has not answered the suggested question.
REMIND_AFTER = timedelta(days=1)


def _number(value: Any, low: int, high: int, message: str) -> int:
    try:
        number = int(str(value))
    except ValueError:
        number = low - 1
    if not low <= number <= high:
        raise Invalid(message)
    return number


def rhythm_set(
    *, bond: Bond, person: Any, every: str, days: Any, weekday: Any, hour: Any, at: datetime
) -> Rhythm:
    """Choose the bond's rhythm (either person may); bad input changes nothing."""
    bond_selectors.side_of(bond=bond, person=person)
    if every not in Rhythm.Every.values:
        raise Invalid(_("Choose every few days or one day a week."))
    rhythm = Rhythm.objects.filter(bond=bond).first() or Rhythm(bond=bond, set_at=at)
    rhythm.every = every
    rhythm.days = _number(days, 1, 14, _("Choose between 1 and 14 days."))
    rhythm.weekday = _number(weekday, 0, 6, _("Choose a day of the week."))
    rhythm.hour = _number(hour, 0, 23, _("Choose an hour from the list."))
    rhythm.set_by = person
    rhythm.set_at = at
    rhythm.save()
    return rhythm


def rhythm_stop(*, bond: Bond, person: Any) -> None:
    bond_selectors.side_of(bond=bond, person=person)
    Rhythm.objects.filter(bond=bond).delete()


def next_moment(rhythm: Rhythm, person: Any) -> datetime:
    """When the rhythm next suggests a question, on ``person``'s clock (the clock of the
    person who chose it): each person is then nudged at the same hour on their own."""
    if rhythm.every == Rhythm.Every.DAYS:
        if rhythm.last_at is None:
            return hours.next_hour(rhythm.set_at, person, rhythm.hour)
        after = rhythm.last_at + timedelta(days=rhythm.days) - timedelta(hours=1)
        return hours.next_hour(after, person, rhythm.hour)
    start = rhythm.set_at if rhythm.last_at is None else rhythm.last_at + timedelta(hours=1)
    moment = hours.next_hour(start, person, rhythm.hour)
    while moment.weekday() != rhythm.weekday:
        moment = hours.next_hour(moment + timedelta(hours=1), person, rhythm.hour)
    return moment


def _still_waiting(bond: Bond) -> bool:
    last = RhythmQuestion.objects.filter(bond=bond).order_by("-suggested_at").first()
    if last is None:
        return False
    return not Exchange.objects.filter(pk=last.exchange_id, revealed_at__isnull=False).exists()


def _question(bond: Bond, by: Any) -> Any:
    """A question the bond has not asked, at its open depth (or the nearest below),
    chosen the same way for the same bond and day."""
    depth = bond_selectors.open_depth_of(bond=bond)
    asked = bond_selectors.prompts_asked(bond=bond, viewer=by)
    available = [
        p for p in bond_selectors.prompts_available(bond=bond, viewer=by) if p.pk not in asked
    ]
    for d in range(depth, -1, -1):
        at_depth = [p for p in available if p.depth == d]
        if at_depth:
            seed = hashlib.sha256(f"{bond.pk}:{len(asked)}".encode()).digest()
            return at_depth[seed[0] % len(at_depth)]
    return None


def _nudge(
    bond: Bond, rhythm: Rhythm, exchange: Exchange, key: str, at: datetime, sides: tuple[str, ...]
) -> None:
    for side in sides:
        person = bond_selectors.person_on(bond=bond, side=side)
        if person is None:
            continue
        services.notice_record(
            bond=bond,
            side=side,
            kind=RHYTHM,
            key=f"{key}:{exchange.pk}:{side}",
            at=at,
            not_before=hours.next_hour(at, person, rhythm.hour),
        )


def tick(*, at: datetime) -> int:
    """Suggest the questions whose moment has come and send the one reminder each;
    returns how many questions were suggested."""
    if at.tzinfo is None:
        raise ValueError("at must be timezone-aware")
    suggested = 0
    for rhythm in Rhythm.objects.select_related("bond", "set_by"):
        bond = rhythm.bond
        if bond.status != Bond.Status.ACTIVE:
            continue
        _remind(bond, rhythm, at)
        by = rhythm.set_by if bond_selectors.is_member(bond=bond, person=rhythm.set_by) else None
        by = by or bond.person_a
        if by is None or at < next_moment(rhythm, by):
            continue
        if _still_waiting(bond):
            rhythm.last_at = at
            rhythm.save(update_fields=["last_at"])
            continue
        prompt = _question(bond, by)
        if prompt is None:
            continue
        try:
            with transaction.atomic():
                exchange = bond_services.exchange_open(bond=bond, by=by, prompt=prompt, at=at)
                RhythmQuestion.objects.create(bond=bond, exchange=exchange, suggested_at=at)
                rhythm.last_at = at
                rhythm.save(update_fields=["last_at"])
                _nudge(bond, rhythm, exchange, "rhythm", at, ("a", "b"))
        except ServiceError:
            continue
        suggested += 1
    return suggested


def _remind(bond: Bond, rhythm: Rhythm, at: datetime) -> None:
    waiting = RhythmQuestion.objects.filter(
        bond=bond, reminded_at__isnull=True, suggested_at__lte=at - REMIND_AFTER
    ).select_related("exchange")
    for question in waiting:
        if question.exchange.revealed_at is not None:
            RhythmQuestion.objects.filter(pk=question.pk).update(reminded_at=at)
            continue
        answered = set(
            Revelation.objects.filter(exchange=question.exchange).values_list("side", flat=True)
        )
        with transaction.atomic():
            RhythmQuestion.objects.filter(pk=question.pk).update(reminded_at=at)
            _nudge(
                bond,
                rhythm,
                question.exchange,
                "reminder",
                at,
                tuple(s for s in ("a", "b") if s not in answered),
            )

"""What the features say happened, for whoever listens (the notifications).

The services of bonds, check-ins and differences call :func:`waits` inside their
transaction when something new waits for one side of a bond: the partner answered,
replied or thanked, a check-in or a difference waits. They say only that, with a key
unique to the event; they never import who listens, and nothing here holds a text.
``mutual.notifications`` connects to :data:`something_waits` and decides, per person,
whether and when to say "something is waiting for you" — never what.
"""

from __future__ import annotations

from datetime import datetime

from django.dispatch import Signal

from .models import Bond

#: Sent with ``bond``, ``side`` (who it waits for), ``kind``, ``key`` and ``at``.
something_waits = Signal()

#: The kinds of things that wait: each person chooses how to hear of each.
ANSWERED = "answered"
REPLIED = "replied"
THANKED = "thanked"
CHECKIN = "checkin"
DIFFERENCE = "difference"
REVISIT = "revisit"
RHYTHM = "rhythm"
KINDS = (ANSWERED, REPLIED, THANKED, CHECKIN, DIFFERENCE, REVISIT, RHYTHM)


def waits(bond: Bond, side: str, kind: str, key: str, at: datetime) -> None:
    """Say that something of ``kind`` now waits for ``side`` of ``bond``; ``key`` names the
    event, so that saying it twice tells nobody twice."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    something_waits.send(sender=Bond, bond=bond, side=side, kind=kind, key=key, at=at)

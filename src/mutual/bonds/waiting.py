"""What an exchange waits for, from each side, kept on the exchange itself.

Each exchange carries two small bit sets, ``waits_a`` and ``waits_b``:

* :data:`ANSWER` — the exchange is still sealed and this side has not answered;
* :data:`REPLY` — both answers are open, the partner's answer stands and nobody has
  replied to it yet;
* :data:`RATE` — this side's answer stands, its reply stands and it has not been rated.

They are derived from the rows alone by :func:`flags` and written by :func:`refresh`,
which every service that writes an answer, reply or rating calls inside its transaction.
What depends on the bond as a whole (whether it is active, whether nudges are allowed,
whether the partner left) is decided when reading, in :mod:`mutual.bonds.selectors`. So a
bond's home page finds what waits with one indexed query, whatever the length of the
bond's history (DESIGN §7).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist

from .models import Exchange, Revelation

ANSWER = 1
REPLY = 2
RATE = 4

#: The kinds of waiting item, in the order a page lists them for one exchange.
KINDS = ((ANSWER, "answer"), (REPLY, "reply"), (RATE, "rate"))


def related(revelation: Any, name: str) -> Any:
    """The revelation's ``reply`` or ``rating``, or ``None`` when it has none."""
    try:
        return getattr(revelation, name)
    except ObjectDoesNotExist:
        return None


def flags(*, revealed: bool, revelations: Iterable[Any]) -> dict[str, int]:
    """The waiting bits of each side, from the exchange's answers with their reply and
    rating (``select_related("reply", "rating")`` spares the queries). Plain rows are
    enough, so the migration that added the bits uses it too."""
    by_side = {r.side: r for r in revelations}
    found: dict[str, int] = {}
    for side, other in (("a", "b"), ("b", "a")):
        mine, theirs = by_side.get(side), by_side.get(other)
        bits = 0
        if not revealed:
            if mine is None:
                bits |= ANSWER
        else:
            if (
                theirs is not None
                and theirs.withdrawn_at is None
                and related(theirs, "reply") is None
            ):
                bits |= REPLY
            if mine is not None and mine.withdrawn_at is None:
                response = related(mine, "reply")
                if (
                    response is not None
                    and response.withdrawn_at is None
                    and related(mine, "rating") is None
                ):
                    bits |= RATE
        found[side] = bits
    return found


def refresh(exchange_id: uuid.UUID) -> dict[str, int]:
    """Recompute and store the waiting bits of one exchange from its rows."""
    revealed = (
        Exchange.objects.filter(pk=exchange_id).values_list("revealed_at", flat=True).get()
        is not None
    )
    revelations = Revelation.objects.filter(exchange_id=exchange_id).select_related(
        "reply", "rating"
    )
    bits = flags(revealed=revealed, revelations=revelations)
    Exchange.objects.filter(pk=exchange_id).update(waits_a=bits["a"], waits_b=bits["b"])
    return bits


def kinds(bits: int) -> list[str]:
    """The kinds of waiting item in ``bits``: ``"answer"``, ``"reply"``, ``"rate"``."""
    return [name for bit, name in KINDS if bits & bit]

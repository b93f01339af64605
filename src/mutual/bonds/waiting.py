"""What an exchange waits for, from each side, kept on the exchange itself.

Each exchange carries two small bit sets, ``waits_a`` and ``waits_b``:

* :data:`ANSWER` — the exchange is still sealed and this side has not answered;
* :data:`REPLY` — both answers are open, the partner's answer stands and nobody has
  replied to it yet;
* :data:`RATE` — this side's answer stands, its reply stands and it has not been rated.

They are what the rule (:mod:`mutual.bonds.rules`) lets each side do, derived from the
rows alone by :func:`flags` and written by :func:`refresh`, which every service that
writes an answer, reply or rating calls inside its transaction. What depends on the bond
as a whole (whether it is active, whether the partner left: :func:`rules.bond_allows`;
whether nudges are allowed) is decided when reading, in the home page's selectors. So a
bond's home page finds what waits with one indexed query, whatever the length of the
bond's history (DESIGN §7).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist

from . import rules
from .models import Exchange, Revelation

ANSWER = 1
REPLY = 2
RATE = 4

#: The kinds of waiting item, in the order a page lists them for one exchange.
KINDS = ((ANSWER, rules.ANSWER), (REPLY, rules.REPLY), (RATE, rules.RATE))


def related(revelation: Any, name: str) -> Any:
    """The revelation's ``reply`` or ``rating``, or ``None`` when it has none."""
    try:
        return getattr(revelation, name)
    except ObjectDoesNotExist:
        return None


def facts(
    *,
    viewer: str,
    author: str,
    revelation: Any,
    revealed: bool,
    active: bool = True,
    partner_present: bool = True,
) -> rules.Facts:
    """What :mod:`mutual.bonds.rules` needs about ``revelation`` (the answer on
    ``author``'s side, ``None`` while there is none), as the person on ``viewer``'s side
    may act on it. Its reply and rating are read through :func:`related`, so
    ``select_related("reply", "rating")`` spares the queries."""
    reply = related(revelation, "reply") if revelation is not None else None
    return rules.Facts(
        viewer=viewer,  # type: ignore[arg-type]
        author=author,  # type: ignore[arg-type]
        answered=revelation is not None,
        revealed=revealed,
        withdrawn=revelation is not None and revelation.withdrawn_at is not None,
        replied=reply is not None,
        reply_stands=reply is not None and reply.withdrawn_at is None,
        rated=revelation is not None and related(revelation, "rating") is not None,
        active=active,
        partner_present=partner_present,
    )


def flags(*, revealed: bool, revelations: Iterable[Any]) -> dict[str, int]:
    """The waiting bits of each side, from the exchange's answers with their reply and
    rating (``select_related("reply", "rating")`` spares the queries): what the rule
    (:func:`mutual.bonds.rules.may`) lets each side do, the bond's own state aside."""
    by_side = {r.side: r for r in revelations}
    found: dict[str, int] = {}
    for side in ("a", "b"):
        bits = 0
        for bit, action in KINDS:
            author = rules.about(action, side)  # type: ignore[arg-type]
            seen = facts(
                viewer=side, author=author, revelation=by_side.get(author), revealed=revealed
            )
            if rules.may(action, seen):
                bits |= bit
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

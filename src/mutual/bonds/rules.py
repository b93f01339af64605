"""Who may answer, edit, reply, rate, take back and withdraw: the one rule.

Pure: a few facts about one answer of an exchange, as one side sees them, go in
(:class:`Facts`); what stands in the way of an action comes out (:func:`refusals`), in
the order a person should hear it. No database, no Django. Everything that decides
these asks here:

* :mod:`mutual.bonds.waiting` derives what an exchange waits for from each side (the
  rule with the bond's own state left aside, :func:`may`), and the home page applies
  the bond's state when reading (:func:`bond_allows`);
* the selectors say what a page offers (``can_reply``, ``can_rate``, ...);
* the views of the reply and rate pages tell "not here for you" (404) from "not now";
* the services refuse a write with the first refusal (:func:`mutual.bonds.guards.require`).

Who may *read* what is not decided here but in :mod:`mutual.bonds.selectors`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

Side = Literal["a", "b"]

#: From this depth on a reply says why the feeling makes sense. At Surface and Personal
#: ("What snack makes an afternoon better?") there is often nothing to validate, and an
#: empty "it makes sense" teaches nothing; the part is there, and optional.
SENSE_REQUIRED_FROM = 2


def sense_required(depth: int) -> bool:
    """Whether a reply to an answer at ``depth`` must say why the feeling makes sense."""
    return depth >= SENSE_REQUIRED_FROM


# ---------------------------------------------------------------------------------------
# Actions

#: Give one's answer to a question still sealed.
ANSWER = "answer"
#: Change one's own answer (marked "edited" once both are open).
EDIT = "edit"
#: Reply to the partner's answer, once both are open.
REPLY = "reply"
#: Rate the reply to one's own answer: the revealer alone, once, privately.
RATE = "rate"
#: Take one's own answer back while it is still sealed: it is deleted, unread.
TAKE_BACK = "take_back"
#: Withdraw one's own answer, at any time and in any state of the bond.
WITHDRAW = "withdraw"

ACTIONS = (ANSWER, EDIT, REPLY, RATE, TAKE_BACK, WITHDRAW)

# ---------------------------------------------------------------------------------------
# Refusals: what stands in the way

#: The bond is not active (waiting for its second person, paused or ended).
INACTIVE = "inactive"
#: The action is for one's own answer; this one is the partner's.
NOT_YOURS = "not_yours"
#: The action is for the partner's answer; this one is one's own.
YOURS = "yours"
#: There is an answer already.
ANSWERED = "answered"
#: There is no answer to act on.
NOT_ANSWERED = "not_answered"
#: Both answers are not open yet.
SEALED = "sealed"
#: Both answers are open already.
REVEALED = "revealed"
#: The answer was withdrawn.
WITHDRAWN = "withdrawn"
#: One of the two left the bond.
PARTNER_GONE = "partner_gone"
#: The answer has a reply already.
REPLIED = "replied"
#: The answer has no reply that stands.
NO_REPLY = "no_reply"
#: The reply was rated already.
RATED = "rated"

#: The refusals that depend on the bond as a whole, not on the exchange's rows.
BOND_REFUSALS = frozenset({INACTIVE, PARTNER_GONE})


@dataclass(frozen=True)
class Facts:
    """One answer of an exchange (or its empty place), as the person on ``viewer``'s
    side may act on it. An answer's author is the person on its side."""

    #: The side of the person who would act.
    viewer: Side
    #: The side whose answer this is (or would be).
    author: Side
    #: That side has answered.
    answered: bool
    #: Both have answered, so both answers are open.
    revealed: bool
    #: The answer was withdrawn.
    withdrawn: bool = False
    #: A reply to the answer was written (even if it was withdrawn since).
    replied: bool = False
    #: A reply to the answer stands (written and not withdrawn).
    reply_stands: bool = False
    #: The revealer rated the reply.
    rated: bool = False
    #: The bond is active.
    active: bool = True
    #: Neither of the two has left the bond.
    partner_present: bool = True

    @property
    def own(self) -> bool:
        return self.viewer == self.author


_CHECKS: dict[str, Callable[[Facts], bool]] = {
    INACTIVE: lambda f: not f.active,
    NOT_YOURS: lambda f: not f.own,
    YOURS: lambda f: f.own,
    ANSWERED: lambda f: f.answered,
    NOT_ANSWERED: lambda f: not f.answered,
    SEALED: lambda f: not f.revealed,
    REVEALED: lambda f: f.revealed,
    WITHDRAWN: lambda f: f.withdrawn,
    PARTNER_GONE: lambda f: not f.partner_present,
    REPLIED: lambda f: f.replied,
    NO_REPLY: lambda f: not f.reply_stands,
    RATED: lambda f: f.rated,
}

#: For each action, what may stand in its way, in the order a person is told.
RULES: dict[str, tuple[str, ...]] = {
    # One's own place, still empty, in a question still sealed.
    ANSWER: (INACTIVE, NOT_YOURS, ANSWERED, REVEALED),
    # One's own answer, as long as it stands.
    EDIT: (INACTIVE, NOT_YOURS, NOT_ANSWERED, WITHDRAWN),
    # The partner's answer, open and standing, while both are there, once.
    REPLY: (INACTIVE, YOURS, NOT_ANSWERED, SEALED, WITHDRAWN, PARTNER_GONE, REPLIED),
    # Only the revealer rates: their own standing answer, once a reply stands, once.
    RATE: (INACTIVE, NOT_YOURS, NOT_ANSWERED, WITHDRAWN, PARTNER_GONE, SEALED, NO_REPLY, RATED),
    # One's own answer while sealed, in any state of the bond.
    TAKE_BACK: (NOT_YOURS, NOT_ANSWERED, REVEALED),
    # One's own answer, at any time, in any state of the bond.
    WITHDRAW: (NOT_YOURS, NOT_ANSWERED, WITHDRAWN),
}


def refusals(action: str, facts: Facts) -> tuple[str, ...]:
    """Everything that stands in the way of ``action`` on ``facts``, in order; empty
    when the action is allowed."""
    return tuple(reason for reason in RULES[action] if _CHECKS[reason](facts))


def refusal(action: str, facts: Facts) -> str | None:
    """The first thing that stands in the way of ``action``, or ``None``."""
    found = refusals(action, facts)
    return found[0] if found else None


def may(action: str, facts: Facts) -> bool:
    """Whether the person on ``facts.viewer``'s side may take ``action`` now."""
    return not refusals(action, facts)


def bond_allows(action: str, *, active: bool, partner_present: bool) -> bool:
    """Whether the bond as a whole lets ``action`` be taken: the part of the rule that
    does not depend on the exchange (a bond's home page applies it to what waits)."""
    facts = Facts(
        viewer="a",
        author="a",
        answered=False,
        revealed=False,
        active=active,
        partner_present=partner_present,
    )
    return not any(r in BOND_REFUSALS for r in refusals(action, facts))


def about(action: str, viewer: Side) -> Side:
    """The side whose answer ``action`` by ``viewer`` is about: the partner's for a
    reply, one's own for everything else."""
    if action == REPLY:
        return "b" if viewer == "a" else "a"
    return viewer

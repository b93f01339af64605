"""One exchange as one of the two sees it: both answers, their replies and ratings, and
what the viewer may do with each (asked of :mod:`mutual.bonds.rules`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Prefetch

from mutual import engine
from mutual.web.joined import Part, Read

from .. import ledger, rules, waiting
from ..models import Bond, Exchange, Prompt, Rating, Reply, Revelation
from .access import (
    RatingView,
    ReplyView,
    display_name,
    parted,
    person_on,
    prompt_text_for_side,
    rating_for,
    reply_for,
    revelation_text_for,
    side_of,
)


@dataclass(frozen=True)
class AnswerView:
    """One side of an exchange as the viewer may see it."""

    side: str
    mine: bool
    name: str
    answered: bool
    revelation: Revelation | None
    #: ``None`` while sealed, withdrawn or hidden.
    text: str | None
    withdrawn_at: datetime | None
    edited_at: datetime | None
    reply: ReplyView | None
    rating: RatingView | None
    #: The viewer may reply to this answer now.
    can_reply: bool
    #: The viewer may rate the reply to this answer now.
    can_rate: bool
    #: The viewer may take this answer of theirs back, unread (while sealed).
    can_take_back: bool = False
    #: The page offers to withdraw this answer of the viewer's (once both are open).
    can_withdraw: bool = False


@dataclass(frozen=True)
class ExchangeView:
    exchange: Exchange
    prompt: Prompt
    #: The question's words as the viewer may read them (:func:`prompt_text_for`).
    prompt_text: str
    my_side: str
    sealed: bool
    mine: AnswerView
    theirs: AnswerView
    #: The viewer may write or edit their answer now (the bond is active and, for a new
    #: answer, the prompt's depth is open).
    can_write: bool
    #: The viewer is in safety mode: nothing asks for their answer.
    safety_mode: bool = False


def exchange_revelations() -> Prefetch[Any]:
    """Prefetch for a list of exchanges read through :func:`exchange_view`."""
    return Prefetch("revelations", queryset=Revelation.objects.select_related("reply", "rating"))


#: An exchange's answers, each with its reply and rating (``web.joined``).
_ANSWERS = Read(
    Part(Revelation, "r"),
    Part(Reply, "rp", "r", "reply"),
    Part(Rating, "rt", "r", "rating"),
    by="exchange",
    order="{r.side}",
)


def _revelations_of(exchange: Exchange) -> list[Revelation]:
    """The exchange's answers with reply and rating; their authors are the bond's two
    persons, already loaded with the bond, so no query fetches them again."""
    prefetched = getattr(exchange, "_prefetched_objects_cache", {}).get("revelations")
    rows = (
        list(prefetched)
        if prefetched is not None
        else [row["r"] for row in _ANSWERS.many(exchange.pk)]
    )
    bond = exchange.bond
    people = {
        p.pk: p
        for p in (
            bond.person_a if Bond.person_a.is_cached(bond) else None,
            bond.person_b if Bond.person_b.is_cached(bond) else None,
        )
        if p is not None
    }
    for row in rows:
        # As the related manager leaves it: each answer knows its exchange.
        Revelation.exchange.field.set_cached_value(row, exchange)
        if row.author_id in people:
            row.author = people[row.author_id]
        reply = waiting.related(row, "reply")
        if reply is not None and reply.author_id in people:
            reply.author = people[reply.author_id]
    return rows


def _facts(bond: Bond, exchange: Exchange, viewer: str, author: str, rev: Any) -> rules.Facts:
    return waiting.facts(
        viewer=viewer,
        author=author,
        revelation=rev,
        revealed=exchange.revealed_at is not None,
        active=bond.status == Bond.Status.ACTIVE,
        partner_present=not parted(bond=bond),
    )


def answer_refusals(*, action: str, revelation: Revelation, viewer: Any) -> tuple[str, ...]:
    """What stands in the way of the viewer taking ``action`` on ``revelation`` (one
    they may see, from :func:`revelation_get`), without reading any text: the rule of
    :mod:`mutual.bonds.rules` on the rows."""
    exchange = revelation.exchange
    bond = exchange.bond
    side = side_of(bond=bond, person=viewer)
    facts = _facts(bond, exchange, side, revelation.side, revelation)
    return rules.refusals(action, facts)


def exchange_view(*, exchange: Exchange, viewer: Any) -> ExchangeView:
    """Everything of ``exchange`` the viewer may see, decided here and nowhere else."""
    bond = exchange.bond
    my_side = side_of(bond=bond, person=viewer)
    by_side = {r.side: r for r in _revelations_of(exchange)}
    sealed = exchange.revealed_at is None

    def answer(side: str) -> AnswerView:
        rev = by_side.get(side)
        mine = side == my_side
        person = person_on(bond=bond, side=side)
        text = revelation_text_for(revelation=rev, viewer=viewer) if rev else None
        reply = reply_for(revelation=rev, viewer=viewer) if rev else None
        rating = rating_for(revelation=rev, viewer=viewer) if rev else None
        visible = rev is not None and (mine or text is not None)
        facts = _facts(bond, exchange, my_side, side, rev)
        return AnswerView(
            side=side,
            mine=mine,
            name="You" if mine else (display_name(person) if person else "Your partner"),
            answered=rev is not None,
            revelation=rev if visible else None,
            text=text,
            withdrawn_at=rev.withdrawn_at if rev and (mine or not sealed) else None,
            edited_at=rev.edited_at if rev and text is not None else None,
            reply=reply,
            rating=rating,
            can_reply=rules.may(rules.REPLY, facts) and text is not None,
            can_rate=rules.may(rules.RATE, facts) and text is not None and reply is not None,
            can_take_back=rules.may(rules.TAKE_BACK, facts),
            # While sealed, taking back is what the page offers instead.
            can_withdraw=rules.may(rules.WITHDRAW, facts) and not sealed and text is not None,
        )

    other_side = "b" if my_side == "a" else "a"
    mine = answer(my_side)
    mine_facts = _facts(bond, exchange, my_side, my_side, by_side.get(my_side))
    state = ledger.state_of(bond)
    can_write = (rules.may(rules.EDIT, mine_facts) and mine.text is not None) or (
        rules.may(rules.ANSWER, mine_facts) and engine.can_answer(state, exchange.prompt.depth)
    )
    return ExchangeView(
        exchange=exchange,
        prompt=exchange.prompt,
        prompt_text=prompt_text_for_side(exchange.prompt, bond, my_side),
        my_side=my_side,
        sealed=sealed,
        mine=mine,
        theirs=answer(other_side),
        can_write=can_write,
        safety_mode=state.side(my_side).safety,  # type: ignore[arg-type]
    )

"""A bond's exchanges as a list, newest first, with what each waits for from the viewer:
the page of all exchanges, and the newest few on the bond's home page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from django.core.paginator import Page, Paginator

from mutual import engine

from .. import ledger, rules, waiting
from ..models import Bond, Exchange, Revelation
from .access import parted, prompt_text_for_side, side_of


@dataclass(frozen=True)
class HistoryItem:
    exchange: Exchange
    status: str  # "sealed-mine" | "sealed-theirs" | "sealed-none" | "revealed"
    edited: bool
    #: The question's words as the viewer may read them (:func:`prompt_text_for`).
    prompt_text: str
    #: What this exchange waits for from the viewer: "answer", "reply", "rate".
    waits: tuple[str, ...] = ()


class AnswerMark(NamedTuple):
    """What a history item shows of one answer: no text, only whose and when it changed."""

    side: str
    edited_at: datetime | None
    withdrawn_at: datetime | None


def answer_marks(exchanges: Iterable[Exchange]) -> dict[Any, list[AnswerMark]]:
    """The answers of ``exchanges`` as :class:`AnswerMark`, by exchange id: one query of
    plain values (a prefetch of partial rows cost the home page more than its SQL)."""
    marks: dict[Any, list[AnswerMark]] = {ex.pk: [] for ex in exchanges}
    if marks:
        rows = Revelation.objects.filter(exchange_id__in=list(marks)).values_list(
            "exchange_id", "side", "edited_at", "withdrawn_at"
        )
        for exchange_id, side, edited_at, withdrawn_at in rows:
            marks[exchange_id].append(AnswerMark(side, edited_at, withdrawn_at))
    return marks


def history_items(
    exchanges: Iterable[Exchange], bond: Bond, side: str, waits: WaitRules
) -> list[HistoryItem]:
    """The exchanges as history items for the person on ``side`` (one query, for the
    answers' marks)."""
    rows = list(exchanges)
    marks = answer_marks(rows)
    return [history_item(ex, bond, side, waits, marks[ex.pk]) for ex in rows]


@dataclass(frozen=True)
class WaitRules:
    """What the whole bond decides about waiting items, read once per page: the part of
    the rule that does not depend on the exchange (:func:`mutual.bonds.rules.bond_allows`),
    and the nudges that safety mode stops."""

    active: bool
    nudges: bool
    partner_present: bool

    @classmethod
    def of(cls, bond: Bond, side: str, state: engine.BondState) -> WaitRules:
        return cls(
            active=bond.status == Bond.Status.ACTIVE,
            nudges=engine.nudges_allowed(state, side),  # type: ignore[arg-type]
            partner_present=not parted(bond=bond),
        )

    def allows(self, kind: str) -> bool:
        if kind == rules.ANSWER and not self.nudges:
            return False
        return rules.bond_allows(kind, active=self.active, partner_present=self.partner_present)

    @property
    def any(self) -> bool:
        """Whether anything may wait at all in this bond now."""
        return any(self.allows(kind) for _bit, kind in waiting.KINDS)

    def kinds(self, ex: Exchange, side: str) -> tuple[str, ...]:
        return tuple(
            kind for kind in waiting.kinds(getattr(ex, f"waits_{side}")) if self.allows(kind)
        )


def history_item(
    ex: Exchange, bond: Bond, side: str, waits: WaitRules, answers: Iterable[AnswerMark]
) -> HistoryItem:
    """One exchange of the list, as the person on ``side`` sees it."""
    revs = {r.side: r for r in answers}
    edited = any(r.edited_at for r in revs.values() if r.withdrawn_at is None)
    if ex.revealed_at is None:
        mine, theirs = revs.get(side), revs.get(engine.other(side))  # type: ignore[arg-type]
        status_word = "sealed-mine" if mine else ("sealed-theirs" if theirs else "sealed-none")
    else:
        status_word = "revealed"
    return HistoryItem(
        ex, status_word, edited, prompt_text_for_side(ex.prompt, bond, side), waits.kinds(ex, side)
    )


#: Exchanges per page on the page of all exchanges.
HISTORY_PAGE = 25


def exchanges_page(*, bond: Bond, viewer: Any, page: Any) -> tuple[Page, list[HistoryItem]]:
    """One page of all the bond's exchanges, newest first, as the viewer may see them (a
    page number that is not one gives the nearest page)."""
    side = side_of(bond=bond, person=viewer)
    waits = WaitRules.of(bond, side, ledger.state_of(bond))
    rows = Exchange.objects.filter(bond=bond).select_related("prompt").order_by("-opened_at", "-id")
    paginator = Paginator(rows, HISTORY_PAGE)
    try:
        number = int(page)
    except (TypeError, ValueError):
        number = 1
    found = paginator.page(min(max(number, 1), paginator.num_pages))
    return found, history_items(found.object_list, bond, side, waits)


@dataclass(frozen=True)
class HistoryPage:
    """The page of all exchanges."""

    page: Page
    items: list[HistoryItem]
    #: In safety mode nothing is said to wait for the viewer.
    hide_waits: bool


def history_page(*, bond: Bond, viewer: Any, page: Any) -> HistoryPage:
    """The page of all the bond's exchanges (:func:`exchanges_page`) as the viewer sees it."""
    found, items = exchanges_page(bond=bond, viewer=viewer, page=page)
    side = side_of(bond=bond, person=viewer)
    return HistoryPage(found, items, ledger.state_of(bond).side(side).safety)

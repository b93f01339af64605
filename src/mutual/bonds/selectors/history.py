"""A bond's exchanges as a list, newest first, with what each waits for from the viewer:
the page of all exchanges, and the newest few on the bond's home page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch

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


def history_revelations() -> Prefetch[Any]:
    """Prefetch of what a history item shows of an exchange's answers (no text)."""
    return Prefetch(
        "revelations",
        queryset=Revelation.objects.only("id", "exchange_id", "side", "edited_at", "withdrawn_at"),
    )


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


def history_item(ex: Exchange, bond: Bond, side: str, waits: WaitRules) -> HistoryItem:
    """One exchange of the list, as the person on ``side`` sees it."""
    revs = {r.side: r for r in ex.revelations.all()}
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
    rows = (
        Exchange.objects.filter(bond=bond)
        .select_related("prompt")
        .prefetch_related(history_revelations())
        .order_by("-opened_at", "-id")
    )
    paginator = Paginator(rows, HISTORY_PAGE)
    try:
        number = int(page)
    except (TypeError, ValueError):
        number = 1
    found = paginator.page(min(max(number, 1), paginator.num_pages))
    return found, [history_item(ex, bond, side, waits) for ex in found.object_list]


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

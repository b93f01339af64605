"""A bond's exchanges as a list, newest first, with what each waits for from the viewer:
the page of all exchanges, and the newest few on the bond's home page."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from django.core.paginator import Page, Paginator
from django.db import connections, router

from mutual import engine
from mutual.web import names

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

    @property
    def depth_name(self) -> str:
        """The question's depth in the reader's words."""
        return names.depth_name(self.exchange.prompt.depth)

    @property
    def theme_name(self) -> str:
        """The question's theme in the reader's words."""
        return names.theme_name(self.exchange.prompt.theme)


class AnswerMark(NamedTuple):
    """What a history item shows of one answer: no text, only whose and when it changed."""

    side: str
    edited_at: datetime | None
    withdrawn_at: datetime | None


def answer_marks(exchanges: Iterable[Exchange]) -> dict[Any, list[AnswerMark]]:
    """The answers of ``exchanges`` as :class:`AnswerMark`, by exchange id: one statement
    of plain values, written once per database (the ORM spent more compiling this query
    on every home page than the database spent answering it)."""
    marks: dict[Any, list[AnswerMark]] = {ex.pk: [] for ex in exchanges}
    if not marks:
        return marks
    connection = connections[router.db_for_read(Revelation)]
    sql, fields = _marks_sql(connection.alias, len(marks))
    exchange_id = fields[0]
    params = [exchange_id.get_db_prep_value(pk, connection) for pk in marks]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    converters = _marks_converters(connection.alias)
    for row in rows:
        values = list(row)
        for i, col, funcs in converters:
            for convert in funcs:
                values[i] = convert(values[i], col, connection)
        marks[values[0]].append(AnswerMark(values[1], values[2], values[3]))
    return marks


_MARK_FIELDS = ("exchange", "side", "edited_at", "withdrawn_at")


@functools.lru_cache(maxsize=64)
def _marks_sql(alias: str, count: int) -> tuple[str, tuple[Any, ...]]:
    """``SELECT`` of the marks of ``count`` exchanges, with the fields it reads."""
    quote = connections[alias].ops.quote_name
    meta = Revelation._meta
    fields = tuple(meta.get_field(name) for name in _MARK_FIELDS)
    names = [quote(str(getattr(f, "column", ""))) for f in fields]
    holes = ", ".join(["%s"] * count)
    sql = (
        f"SELECT {', '.join(names)} FROM {quote(meta.db_table)} "  # noqa: S608 - names only
        f"WHERE {names[0]} IN ({holes})"
    )
    return sql, fields


@functools.cache
def _marks_converters(alias: str) -> list[tuple[int, Any, list[Any]]]:
    """What the ORM would do to each value read (types SQLite stores as text)."""
    connection = connections[alias]
    found = []
    for i, name in enumerate(_MARK_FIELDS):
        col = Revelation._meta.get_field(name).get_col(Revelation._meta.db_table)  # type: ignore[union-attr]
        funcs = [*connection.ops.get_db_converters(col), *col.get_db_converters(connection)]
        if funcs:
            found.append((i, col, funcs))
    return found


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

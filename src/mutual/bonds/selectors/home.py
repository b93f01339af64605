"""A bond's home page: the shared measures as both may see them, the viewer's own trust
and readiness, what waits for the viewer and the newest exchanges; and the list of bonds."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import connection
from django.utils.translation import gettext

from mutual import engine
from mutual.accounts.models import Person
from mutual.web import names
from mutual.web.joined import Part, Read

from .. import ledger
from ..models import Bond, Exchange, FirstHonored, Prompt, Reading
from .access import bonds_for, display_name, partner_of, prompt_text_for_side, side_of
from .history import HistoryItem, WaitRules, history_items

#: The shared index's change is shown over this window (two weeks).
TREND_WINDOW = timedelta(days=14)


@dataclass(frozen=True)
class WaitingItem:
    kind: str  # "answer" | "reply" | "rate"
    exchange: Exchange
    prompt_text: str


@dataclass(frozen=True)
class BondHome:
    bond: Bond
    side: str
    partner: Person | None
    partner_name: str
    state: engine.BondState
    open_depth: int
    depth_name: str
    mutual_index: int
    #: Change of the index over the last two weeks (from 0 for a young bond).
    index_change: int
    breadth: int
    #: The viewer's own trust in the partner: shown to the viewer alone.
    my_trust: engine.TrustView
    gate: engine.GateStatus
    #: Gate conditions in words, phrased so nothing private of the partner shows.
    gate_needs: list[str]
    #: Why the viewer may not say "ready" now (``engine.OWN_REASONS``): theirs alone.
    my_blocks: tuple[str, ...]
    i_am_ready: bool
    partner_ready: bool
    cells: frozenset[tuple[int, str]]
    waiting: list[WaitingItem] = field(default_factory=list)
    #: The newest exchanges (at most :data:`HISTORY_MAX`).
    history: list[HistoryItem] = field(default_factory=list)
    #: There are older exchanges than ``history`` shows.
    more_history: bool = False
    nudges: bool = True
    reflect: bool = False


def gate_needs(
    status: engine.GateStatus, side: str, partner_name: str, my_blocks: tuple[str, ...] = ()
) -> list[str]:
    """What the next depth still needs, in words, as ``side`` may know it: their own
    conditions, and whose word is missing. The partner's conditions never show — to
    the viewer a partner held back by something private has simply not said yes yet
    (docs/engine.md §10)."""
    if status.next_depth is None:
        return []
    needs = readiness_words(my_blocks, status.open_depth)
    mine, theirs = f"ready_{side}", f"ready_{'b' if side == 'a' else 'a'}"
    if mine in status.reasons:
        needs.append(gettext("Your word that you are ready to go deeper."))
    if theirs in status.reasons:
        needs.append(
            gettext("%(partner)s's word that they are ready to go deeper.")
            % {"partner": partner_name}
        )
    return needs


def day_start(at: datetime) -> datetime:
    return at.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


@dataclass(frozen=True)
class Shown:
    """The shared measures as both persons see them, as of the end of the previous day."""

    index: int
    change: int
    breadth: int
    cells: frozenset[tuple[int, str]]


def _shown_sql() -> str:
    """One statement: the last reading before today and the last before two weeks ago
    (each through the index on ``(bond, at)``), then the first honored rows before today."""
    reading = connection.ops.quote_name(Reading._meta.db_table)
    honored = connection.ops.quote_name(FirstHonored._meta.db_table)
    last = (
        f"SELECT {{column}} FROM {reading} WHERE bond_id = %s AND at < %s "  # noqa: S608
        "ORDER BY at DESC, seq DESC LIMIT 1"
    )
    index, breadth = last.format(column="mutual_index"), last.format(column="breadth")
    measures = f"SELECT 'm', ({index}), ({breadth}), ({index}), NULL"
    cells = f"SELECT side, depth, NULL, NULL, theme FROM {honored} WHERE bond_id = %s AND at < %s"  # noqa: S608
    return f"{measures} UNION ALL {cells}"


def shown(bond: Bond, at: datetime) -> Shown:
    """The shared index, its two-week change, breadth and the onion's mutual cells as both
    persons see them: as of the end of the previous day (UTC), the index in steps of five
    — so that one private rating can neither be timed nor solved for (docs/engine.md §11).

    Read with one statement written out, as the ORM would spend more building the three
    queries than the database running them."""
    today = day_start(at)
    bond_id = Bond._meta.pk.get_db_prep_value(bond.pk, connection)  # type: ignore[union-attr]
    now, earlier_ = (
        connection.ops.adapt_datetimefield_value(t) for t in (today, today - TREND_WINDOW)
    )
    index: float | None = None
    breadth: int | None = None
    earlier: float | None = None
    sides: dict[str, set[tuple[int, str]]] = {"a": set(), "b": set()}
    with connection.cursor() as cursor:
        cursor.execute(_shown_sql(), [bond_id, now, bond_id, now, bond_id, earlier_, bond_id, now])
        for kind, first, second, third, theme in cursor.fetchall():
            if kind == "m":
                index, breadth, earlier = first, second, third
            else:
                sides[kind].add((int(first), theme))
    # Only the reading as of the end of the previous day: whether anything happened today
    # (a private rating, a report, safety mode) must not change which number is shown.
    index_ = engine.index_shown(index, ledger.PARAMS) if index is not None else 0
    before = engine.index_shown(earlier, ledger.PARAMS) if earlier is not None else 0
    return Shown(index_, index_ - before, int(breadth or 0), frozenset(sides["a"] & sides["b"]))


def shown_measures(bond: Bond, at: datetime) -> tuple[int, int, int]:
    """The shared index, its two-week change and breadth as both persons see them
    (:func:`shown`)."""
    found = shown(bond, at)
    return found.index, found.change, found.breadth


#: The least sum of the three 1–7 ratings that counts as honored.
honored_total = ledger.honored_total


def first_honored(
    bond: Bond, *, before: datetime | None = None
) -> dict[tuple[str, int, str], date]:
    """When each side was first honored at each (depth, theme), counting ratings given
    before ``before`` (all, when it is ``None``): at most 2 × 5 × 8 rows, however long
    the history, kept by the ledger (``FirstHonored``)."""
    rows = FirstHonored.objects.filter(bond=bond)
    if before is not None:
        rows = rows.filter(at__lt=before)
    return {
        (side, depth, theme): at.date()
        for side, depth, theme, at in rows.values_list("side", "depth", "theme", "at")
    }


def shown_cells(bond: Bond, at: datetime) -> frozenset[tuple[int, str]]:
    """The onion's mutual cells as of the end of the previous day (:func:`shown`)."""
    return shown(bond, at).cells


def readiness_words(blocks: tuple[str, ...], open_depth: int) -> list[str]:
    """A person's own reasons not to say "ready" yet, in words for them alone."""
    words = {
        "deepest": gettext("Every depth is already open to you both."),
        "honored": (
            gettext("One of your own answers at %(depth)s depth that felt honored to you.")
            % {"depth": names.depth_name(open_depth)}
        ),
        "distinct_days": gettext(
            "Sharing at Tender depth that felt honored, spread over two days and two sittings."
        ),
        "trust": gettext("More trust of your own. It grows each time what you share is honored."),
    }
    return [words[block] for block in blocks]


#: At most this many waiting items and history entries on the home page; the page of all
#: exchanges (:func:`exchanges_page`) lists the rest.
WAITING_MAX = 20
HISTORY_MAX = 10


def _exchanges(where: str = "", limit: int | None = None) -> Read:
    """The bond's exchanges with their prompts, newest first (``web.joined``)."""
    return Read(
        Part(Exchange, "e"),
        Part(Prompt, "p", "e", "prompt"),
        by="bond",
        where=where,
        order="{e.opened_at} DESC, {e.id} DESC",
        limit=limit,
    )


#: What waits for each side: the exchanges whose waiting bits for that side are set.
_WAITING = {side: _exchanges(f"{{e.waits_{side}}} > 0", WAITING_MAX) for side in ("a", "b")}
#: The newest exchanges, one more than the home page shows (to know there are more).
_RECENT = _exchanges(limit=HISTORY_MAX + 1)


def _waiting_for(bond: Bond, side: str, waits: WaitRules) -> list[WaitingItem]:
    """What waits for ``side`` in ``bond``, newest first: one indexed query over the
    exchanges whose waiting bits are set (:mod:`mutual.bonds.waiting`), whatever the
    length of the history; ``waits`` decide what depends on the whole bond."""
    if not waits.any:
        return []
    rows = [row["e"] for row in _WAITING[side].many(bond.pk)]
    return [
        WaitingItem(kind, ex, prompt_text_for_side(ex.prompt, bond, side))
        for ex in rows
        for kind in waits.kinds(ex, side)
    ]


def waiting_for(*, bond: Bond, viewer: Any) -> list[WaitingItem]:
    """What waits for the viewer in ``bond``'s exchanges, as its home page lists it."""
    side = side_of(bond=bond, person=viewer)
    return _waiting_for(bond, side, WaitRules.of(bond, side, ledger.state_of(bond)))


#: What :func:`bond_home` gives for the numbers when it is asked not to read them.
NOT_READ = Shown(0, 0, 0, frozenset())
NO_TRUST = engine.TrustView(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)


def bond_home(
    *, bond: Bond, viewer: Any, at: datetime, history: bool = True, numbers: bool = True
) -> BondHome:
    """What the viewer sees on the bond's home page, as of ``at``: without the newest
    exchanges when ``history`` is false (the API's bond read needs them not), and
    without the numbers — the shared measures, the onion's cells and the viewer's own
    trust, all left at zero — when ``numbers`` is false (the home page shows them one
    tap away, on the numbers page)."""
    side = side_of(bond=bond, person=viewer)
    partner = partner_of(bond=bond, viewer=viewer)
    partner_name = display_name(partner) if partner else "your partner"
    state = ledger.state_of(bond)
    params = ledger.PARAMS
    measures = shown(bond, at) if numbers else NOT_READ
    status = engine.shared_gate(state, at, params)
    my_blocks = engine.readiness(state, side, at, params)  # type: ignore[arg-type]
    other_side = engine.other(side)
    waits = WaitRules.of(bond, side, state)
    recent = [row["e"] for row in _RECENT.many(bond.pk)] if history else []
    newest = history_items(recent[:HISTORY_MAX], bond, side, waits)
    bal = engine.balance(state, params)
    return BondHome(
        bond=bond,
        side=side,
        partner=partner,
        partner_name=partner_name,
        state=state,
        open_depth=state.open_depth,
        depth_name=names.depth_name(state.open_depth),
        mutual_index=measures.index,
        index_change=measures.change,
        breadth=measures.breadth,
        my_trust=engine.trust(state, side, at, params) if numbers else NO_TRUST,
        gate=status,
        gate_needs=gate_needs(status, side, partner_name, my_blocks),
        my_blocks=my_blocks,
        i_am_ready=engine.is_ready(state, side, at, params),  # type: ignore[arg-type]
        partner_ready=engine.is_ready(state, other_side, at, params),
        cells=measures.cells,
        waiting=_waiting_for(bond, side, waits),
        history=newest,
        more_history=len(recent) > HISTORY_MAX,
        nudges=waits.nudges,
        reflect=bal.reflect and bal.more_exposed == side,
    )


#: On "Your bonds": the bonds lived in first, then those waiting for someone, then ended.
LIST_ORDER = {
    Bond.Status.ACTIVE: 0,
    Bond.Status.PAUSED: 0,
    Bond.Status.WAITING: 1,
    Bond.Status.ENDED: 2,
}


def bond_list(*, viewer: Any) -> list[tuple[Bond, str | None]]:
    """The viewer's bonds for "Your bonds", each with the name of the other person
    (``None`` while the invite is not accepted): the bonds lived in first."""
    bonds = sorted(bonds_for(viewer=viewer), key=lambda b: LIST_ORDER.get(Bond.Status(b.status), 3))
    return [
        (b, display_name(partner) if partner is not None else None)
        for b in bonds
        for partner in [partner_of(bond=b, viewer=viewer)]
    ]

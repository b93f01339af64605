"""The bond's ledger: engine events appended in order, the snapshot kept in step.

Every write that changes the model goes through :func:`record`, inside the caller's
transaction: the bond row is locked, the events are applied by the pure engine, appended
with consecutive sequence numbers, and the snapshot and one reading per event are saved
before the transaction commits. :func:`replay` folds the stored events again, which must
reproduce the snapshot exactly (``mutual rebuild --check``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import cast

from django.db import transaction
from django.db.models import F

from mutual import engine

from .models import Bond, Event, FirstHonored, Reading

PARAMS = engine.DEFAULT_PARAMS


def state_of(bond: Bond) -> engine.BondState:
    """The bond's snapshot as an engine state (a new bond's state when it has none)."""
    if not bond.snapshot:
        return engine.BondState()
    # Read once per loaded row: a page asks several times (home, gate, nudges).
    cached = bond.__dict__.get("_mutual_state")
    if cached is not None and cached[0] is bond.snapshot:
        return cast(engine.BondState, cached[1])
    if bond.snapshot.get("version") == engine.SCHEMA_VERSION:
        state = engine.state_from_dict(bond.snapshot)
    else:
        # A snapshot of an earlier model (``mutual rebuild`` rewrites them all): the
        # events are the truth, so the state is their fold under the current rules.
        state = engine.fold(stored_events(bond), PARAMS)
    bond.__dict__["_mutual_state"] = (bond.snapshot, state)
    return state


def lock(bond: Bond, *, private_to: str | None = None) -> Bond:
    """The bond's row, locked until the current transaction ends.

    Every write to a bond or to anything in it takes this lock, so this is also where the
    bond's versions are raised (``Bond.version_a``/``version_b``: what each side can see
    changed). A write that stays private to one side (``private_to``: a report, leaving
    safety mode) raises that side's version alone: nothing of the partner's changes."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ledger writes must run inside transaction.atomic()")
    sides = ("a", "b") if private_to is None else (private_to,)
    if any(side not in ("a", "b") for side in sides):
        raise ValueError(f"no side {private_to!r}")
    Bond.objects.filter(pk=bond.pk).update(
        **{f"version_{side}": F(f"version_{side}") + 1 for side in sides}
    )
    return Bond.objects.select_for_update().get(pk=bond.pk)


def _reading(bond: Bond, seq: int, state: engine.BondState, at: datetime) -> Reading:
    return Reading(
        bond=bond,
        seq=seq,
        at=at,
        open_depth=state.open_depth,
        mutual_index=engine.mutual_index(state, at, PARAMS),
        breadth=engine.breadth(state, PARAMS),
        trust_a=engine.trust(state, "a", at, PARAMS).effective,
        trust_b=engine.trust(state, "b", at, PARAMS).effective,
    )


@cache
def honored_total() -> int:
    """The least sum of the three 1–7 ratings that the engine counts as honored."""
    return next(
        total for total in range(3, 22) if engine.classify((total / 3 - 1) / 6, PARAMS) == "honored"
    )


def _first_honored(bond: Bond, events: Sequence[engine.Event]) -> None:
    """Keep, per side, depth and theme, the moment of the earliest honored rating among
    ``events`` and those recorded before (``FirstHonored``)."""
    earliest: dict[tuple[str, int, str], datetime] = {}
    for event in events:
        if (
            isinstance(event, engine.Rated)
            and event.understood + event.validated + event.cared >= honored_total()
        ):
            key = (event.author, event.depth, event.theme)
            if key not in earliest or event.at < earliest[key]:
                earliest[key] = event.at
    if not earliest:
        return
    stored = {
        (row.side, row.depth, row.theme): row
        for row in FirstHonored.objects.filter(bond=bond)  # at most 2 × 5 × 8 rows
    }
    for (side, depth, theme), at in earliest.items():
        row = stored.get((side, depth, theme))
        if row is None:
            FirstHonored.objects.create(
                bond=bond,
                side=side,
                depth=depth,
                theme=theme,
                revealer_id=getattr(bond, f"person_{side}_id"),
                at=at,
            )
        elif at < row.at:
            FirstHonored.objects.filter(pk=row.pk).update(at=at)


def record(bond: Bond, events: Sequence[engine.Event]) -> engine.BondState:
    """Append ``events`` to the locked ``bond`` and update its snapshot.

    ``bond`` must be the row returned by :func:`lock` in the current transaction. The
    caller's object is updated in place (``snapshot``, ``snapshot_seq``).
    """
    state = state_of(bond)
    seq = bond.snapshot_seq
    rows: list[Event] = []
    readings: list[Reading] = []
    pending = list(events)
    lapses = False
    while pending:
        event = pending.pop(0)
        state = engine.apply(state, event, PARAMS)
        seq += 1
        payload = engine.event_to_dict(event)
        rows.append(Event(bond=bond, seq=seq, kind=payload["kind"], payload=payload, at=event.at))
        readings.append(_reading(bond, seq, state, event.at))
        # A word of "ready" whose owner's own conditions no longer hold is withdrawn by an
        # event of their own, as a free "I would rather wait" would be (docs/engine.md §10).
        for side in engine.lapsed(state, event.at, PARAMS):
            pending.insert(0, engine.ReadinessChanged(at=event.at, side=side, ready=False))
            lapses = True
    if lapses:
        # The withdrawal is both persons' to see, like any "I would rather wait": both
        # sides' pages change with it, even when the event that caused it was private.
        Bond.objects.filter(pk=bond.pk).update(
            version_a=F("version_a") + 1, version_b=F("version_b") + 1
        )
    Event.objects.bulk_create(rows)
    Reading.objects.bulk_create(readings)
    _first_honored(bond, events)
    bond.snapshot = engine.state_to_dict(state)
    bond.snapshot_seq = seq
    bond.save(update_fields=["snapshot", "snapshot_seq"])
    return state


def stored_events(bond: Bond) -> Iterable[engine.Event]:
    for payload in (
        Event.objects.filter(bond=bond).order_by("seq").values_list("payload", flat=True).iterator()
    ):
        yield engine.event_from_dict(payload)


@dataclass(frozen=True)
class ReplayResult:
    bond_id: str
    events: int
    matches: bool


def replay(bond: Bond) -> ReplayResult:
    """Fold the bond's stored events and compare with its snapshot."""
    state = engine.fold(stored_events(bond), PARAMS)
    stored = bond.snapshot or engine.state_to_dict(engine.BondState())
    return ReplayResult(str(bond.id), state.events, engine.state_to_dict(state) == stored)


def rebuild(bond: Bond) -> bool:
    """Fold the bond's stored events under the current model and store what they give:
    the snapshot and every reading (the history the insights draw). Returns whether the
    stored snapshot changed. Runs in one transaction with the bond locked; the events
    themselves are never touched."""
    with transaction.atomic():
        locked = lock(bond)
        state = engine.new_bond(PARAMS)
        readings: list[Reading] = []
        seq = 0
        for seq, event in enumerate(stored_events(locked), start=1):
            state = engine.apply(state, event, PARAMS)
            readings.append(_reading(locked, seq, state, event.at))
        snapshot = engine.state_to_dict(state)
        changed = snapshot != locked.snapshot
        Reading.objects.filter(bond=locked).delete()
        Reading.objects.bulk_create(readings, batch_size=500)
        locked.snapshot = snapshot
        locked.snapshot_seq = seq
        locked.save(update_fields=["snapshot", "snapshot_seq"])
    bond.snapshot, bond.snapshot_seq = locked.snapshot, locked.snapshot_seq
    return changed

"""Snapshots as plain JSON-safe dictionaries, exactly round-tripped.

Floats are kept as floats (JSON keeps them exactly), times as ISO 8601 strings and
sets as sorted lists, so a stored snapshot compares equal to a replayed one.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from typing import Any

from .events import EVENT_TYPES, Event
from .state import BondState, SideState, Trust

#: Version 2: honored exposure and closeness fade (``present_as_of``), and the core's
#: evidence is kept as elapsed time and sittings. Version 3: each trust keeps its first
#: impression (``rest_alpha``, ``rest_beta``, ``seen``, ``reported_rest``). An older
#: snapshot is rebuilt from the bond's events (``mutual rebuild``).
SCHEMA_VERSION = 3


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _parse_time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _trust_to_dict(t: Trust) -> dict[str, Any]:
    return {
        "alpha": t.alpha,
        "beta": t.beta,
        "as_of": _time(t.as_of),
        "scar": t.scar,
        "scar_at": _time(t.scar_at),
        "reported": t.reported,
        "rest_alpha": t.rest_alpha,
        "rest_beta": t.rest_beta,
        "seen": t.seen,
        "reported_rest": t.reported_rest,
    }


def _side_to_dict(s: SideState) -> dict[str, Any]:
    return {
        "trust": _trust_to_dict(s.trust),
        "exposure": s.exposure,
        "honored": s.honored,
        "closeness": s.closeness,
        "present_as_of": _time(s.present_as_of),
        "last_revealed": _time(s.last_revealed),
        "revelations": s.revelations,
        "cells": sorted([d, t] for d, t in s.cells),
        "ready": s.ready,
        "safety": s.safety,
        "guesses": [[_time(t), acc] for t, acc in s.guesses],
    }


def state_to_dict(state: BondState) -> dict[str, Any]:
    """A JSON-safe dictionary of ``state``."""
    return {
        "version": SCHEMA_VERSION,
        "a": _side_to_dict(state.a),
        "b": _side_to_dict(state.b),
        "open_depth": state.open_depth,
        "core_first": _time(state.core_first),
        "core_last": _time(state.core_last),
        "core_sittings": state.core_sittings,
        "as_of": _time(state.as_of),
        "events": state.events,
    }


def _side_from_dict(d: dict[str, Any]) -> SideState:
    t = d["trust"]
    return SideState(
        trust=Trust(
            alpha=float(t["alpha"]),
            beta=float(t["beta"]),
            as_of=_parse_time(t["as_of"]),
            scar=float(t["scar"]),
            scar_at=_parse_time(t["scar_at"]),
            reported=float(t["reported"]),
            rest_alpha=float(t["rest_alpha"]),
            rest_beta=float(t["rest_beta"]),
            seen=float(t["seen"]),
            reported_rest=float(t["reported_rest"]),
        ),
        exposure=float(d["exposure"]),
        honored=float(d["honored"]),
        closeness=float(d["closeness"]),
        present_as_of=_parse_time(d["present_as_of"]),
        last_revealed=_parse_time(d["last_revealed"]),
        revelations=int(d["revelations"]),
        cells=frozenset((int(depth), str(theme)) for depth, theme in d["cells"]),
        ready=bool(d["ready"]),
        safety=bool(d["safety"]),
        guesses=tuple((datetime.fromisoformat(t), float(acc)) for t, acc in d["guesses"]),
    )


def state_from_dict(data: dict[str, Any]) -> BondState:
    """The state a dictionary from :func:`state_to_dict` describes."""
    version = data.get("version")
    if version in (1, 2):
        raise ValueError(
            f"a snapshot version {version} is of an earlier model; rebuild it from the"
            " bond's events (mutual rebuild)"
        )
    if version != SCHEMA_VERSION:
        raise ValueError(f"unknown snapshot version {version!r}")
    try:
        return BondState(
            a=_side_from_dict(data["a"]),
            b=_side_from_dict(data["b"]),
            open_depth=int(data["open_depth"]),
            core_first=_parse_time(data["core_first"]),
            core_last=_parse_time(data["core_last"]),
            core_sittings=int(data["core_sittings"]),
            as_of=_parse_time(data["as_of"]),
            events=int(data["events"]),
        )
    except KeyError as exc:
        raise ValueError(f"the snapshot lacks the field {exc.args[0]!r}") from exc


_BY_NAME: dict[str, type] = {cls.__name__: cls for cls in EVENT_TYPES}


def event_to_dict(event: Event) -> dict[str, Any]:
    """A JSON-safe dictionary of ``event``, with its kind under ``"kind"``."""
    out: dict[str, Any] = {"kind": type(event).__name__}
    for f in fields(event):
        value = getattr(event, f.name)
        out[f.name] = _time(value) if isinstance(value, datetime) else value
    return out


def event_from_dict(data: dict[str, Any]) -> Event:
    """The event a dictionary from :func:`event_to_dict` describes."""
    values = dict(data)
    kind = values.pop("kind", None)
    cls = _BY_NAME.get(str(kind))
    if cls is None:
        raise ValueError(f"unknown event kind {kind!r}")
    if not isinstance(values.get("at"), str):
        raise ValueError(f"a {kind} event needs its time under 'at' as an ISO 8601 string")
    values["at"] = datetime.fromisoformat(values["at"])
    try:
        event: Event = cls(**values)
    except TypeError as exc:
        raise ValueError(f"not a valid {kind} event: {exc}") from exc
    return event

"""Scenario files: how each simulated partner behaves, and the schedule of a run.

A scenario is a TOML (or JSON) file with a ``[schedule]`` table and one table per
partner, ``[a]`` and ``[b]``. Every key is described in docs/simulate.md. Parsing is
strict: an unknown key, a wrong type or a value out of range is a
:class:`ScenarioError` with a one-line message naming the file and the key.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field, fields, replace
from importlib import resources
from pathlib import Path
from typing import Any

PRESETS: tuple[str, ...] = (
    "secure",
    "anxious-avoidant",
    "one-sided",
    "love-bomber",
    "early-breach",
    "late-breach",
)


class ScenarioError(ValueError):
    """A scenario that cannot be used, with a message fit for one line of output."""


@dataclass(frozen=True, slots=True)
class Behaviour:
    """What one partner does, as chances per event and rating distributions."""

    #: Chance of revealing something on one's own turn.
    reveal: float = 0.9
    #: The deepest depth this person ever tries (0–4).
    max_depth: int = 4
    #: Chance of revealing at the open depth rather than one level shallower.
    boldness: float = 0.7
    #: Share of revelations that are emotional rather than factual.
    emotional: float = 0.5
    #: Chance per event of saying "ready to go deeper" when not yet ready.
    readiness: float = 0.3
    #: The 1–7 ratings this person's responses earn: their mean and spread.
    response_mean: float = 5.8
    response_spread: float = 0.8
    #: Share of this person's responses that cost them something.
    costly: float = 0.1
    #: Chance per event of breaching the partner's confidence.
    breach_rate: float = 0.0
    #: Chance that a breach is denied, then confirmed by the partner (a deception).
    deception: float = 0.0
    #: Chance per event of a check-in, and how accurately the partner's feeling is guessed.
    checkin: float = 0.2
    checkin_accuracy: float = 0.7
    #: After this many dishonored responses in a row, step the bond back (0: never).
    step_back_after: int = 0
    #: The depth of the revelation this person's breaches betray (-1: the partner's
    #: latest revelation, as it was); a fixed depth betrays a factual one of that depth.
    breach_depth: int = -1
    #: What this person expects of a new partner: the mean of their starting trust, and
    #: its weight in evidence (``Beta(e·n, (1 − e)·n)``). Read from the first behaviour.
    expectation: float = 0.5
    expectation_weight: float = 2.0
    #: Attachment anxiety and avoidance, 0–1: the population's mean and spread, from
    #: which each simulated person draws their own (docs/simulate.md). Read from the
    #: first behaviour.
    anxiety: float = 0.0
    anxiety_spread: float = 0.0
    avoidance: float = 0.0
    avoidance_spread: float = 0.0


@dataclass(frozen=True, slots=True)
class Person:
    """One partner: a behaviour, an optional later behaviour, and breaches at given events."""

    now: Behaviour = field(default_factory=Behaviour)
    #: From event ``later_from`` on, ``later`` replaces ``now`` (``None``: no change).
    later: Behaviour | None = None
    later_from: int = 0
    #: Events (0-based) at which this person breaches the partner's confidence.
    breaches: tuple[int, ...] = ()

    def at(self, event: int) -> Behaviour:
        """The behaviour in force at ``event``."""
        if self.later is not None and event >= self.later_from:
            return self.later
        return self.now


TURNS = ("alternate", "blocks")
DEPTH_SCHEDULES = ("escalating", "shallow")


@dataclass(frozen=True, slots=True)
class Schedule:
    """Who reveals when, how deep the run may go, and the time between events."""

    #: ``alternate``: turns a, b, a, b …; ``blocks``: one person for ``block`` events,
    #: then the other.
    turns: str = "alternate"
    #: Events per one-way block; 0 means half the run.
    block: int = 0
    #: ``escalating``: reveal at the open depth; ``shallow``: always at depth 0.
    depth: str = "escalating"
    #: Hours between two events (at least one second).
    hours_between: float = 24.0

    def gap_seconds(self) -> int:
        return round(self.hours_between * 3600)


@dataclass(frozen=True, slots=True)
class Scenario:
    """A complete description of a simulated run."""

    name: str
    description: str = ""
    #: Events per dyad when the command line does not say.
    events: int = 120
    schedule: Schedule = field(default_factory=Schedule)
    a: Person = field(default_factory=Person)
    b: Person = field(default_factory=Person)

    def person(self, side: int) -> Person:
        return self.a if side == 0 else self.b


# ---------------------------------------------------------------------------------------
# Parsing

#: Settings that are chances or shares, 0–1.
_UNIT: tuple[str, ...] = (
    "reveal",
    "boldness",
    "emotional",
    "readiness",
    "costly",
    "breach_rate",
    "deception",
    "checkin",
    "checkin_accuracy",
    "expectation",
    "anxiety",
    "anxiety_spread",
    "avoidance",
    "avoidance_spread",
)


def _number(source: str, key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioError(f"{source}: {key} must be a number, not {value!r}")
    return float(value)


def _whole(source: str, key: str, value: Any, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScenarioError(f"{source}: {key} must be a whole number, not {value!r}")
    if value < low or (high is not None and value > high):
        span = f"{low}–{high}" if high is not None else f"at least {low}"
        raise ScenarioError(f"{source}: {key} must be {span}, not {value}")
    return value


def _behaviour(source: str, where: str, table: dict[str, Any], base: Behaviour) -> Behaviour:
    known = {f.name for f in fields(Behaviour)}
    values: dict[str, Any] = {}
    for key, value in table.items():
        name = f"[{where}] {key}"
        if key not in known:
            raise ScenarioError(f"{source}: unknown key {name}")
        if key in _UNIT:
            number = _number(source, name, value)
            if not 0.0 <= number <= 1.0:
                raise ScenarioError(f"{source}: {name} must lie between 0 and 1, not {value}")
            if key == "expectation" and number in (0.0, 1.0):
                raise ScenarioError(f"{source}: {name} must lie strictly between 0 and 1")
            values[key] = number
        elif key == "max_depth":
            values[key] = _whole(source, name, value, 0, 4)
        elif key == "step_back_after":
            values[key] = _whole(source, name, value, 0)
        elif key == "breach_depth":
            values[key] = _whole(source, name, value, -1, 4)
        elif key == "expectation_weight":
            number = _number(source, name, value)
            if not 0.1 <= number <= 100.0:
                raise ScenarioError(f"{source}: {name} must lie between 0.1 and 100, not {value}")
            values[key] = number
        elif key == "response_mean":
            number = _number(source, name, value)
            if not 1.0 <= number <= 7.0:
                raise ScenarioError(f"{source}: {name} must lie between 1 and 7, not {value}")
            values[key] = number
        else:  # response_spread
            number = _number(source, name, value)
            if not 0.0 <= number <= 6.0:
                raise ScenarioError(f"{source}: {name} must lie between 0 and 6, not {value}")
            values[key] = number
    return replace(base, **values)


def _person(source: str, side: str, table: Any) -> Person:
    if not isinstance(table, dict):
        raise ScenarioError(f"{source}: [{side}] must be a table")
    table = dict(table)
    breaches_raw = table.pop("breaches", [])
    if not isinstance(breaches_raw, list):
        raise ScenarioError(f"{source}: [{side}] breaches must be a list of event numbers")
    breaches = tuple(sorted({_whole(source, f"[{side}] breaches", e, 0) for e in breaches_raw}))
    later_raw = table.pop("later", None)
    now = _behaviour(source, side, table, Behaviour())
    if later_raw is None:
        return Person(now=now, breaches=breaches)
    if not isinstance(later_raw, dict):
        raise ScenarioError(f"{source}: [{side}.later] must be a table")
    later_raw = dict(later_raw)
    if "from" not in later_raw:
        raise ScenarioError(f"{source}: [{side}.later] needs 'from', the event it starts at")
    later_from = _whole(source, f"[{side}.later] from", later_raw.pop("from"), 0)
    later = _behaviour(source, f"{side}.later", later_raw, now)
    return Person(now=now, later=later, later_from=later_from, breaches=breaches)


def _schedule(source: str, table: Any) -> Schedule:
    if not isinstance(table, dict):
        raise ScenarioError(f"{source}: [schedule] must be a table")
    known = {f.name for f in fields(Schedule)}
    for key in table:
        if key not in known:
            raise ScenarioError(f"{source}: unknown key [schedule] {key}")
    schedule = Schedule()
    if "turns" in table:
        if table["turns"] not in TURNS:
            raise ScenarioError(
                f"{source}: [schedule] turns must be one of {', '.join(TURNS)}, "
                f"not {table['turns']!r}"
            )
        schedule = replace(schedule, turns=table["turns"])
    if "depth" in table:
        if table["depth"] not in DEPTH_SCHEDULES:
            raise ScenarioError(
                f"{source}: [schedule] depth must be one of {', '.join(DEPTH_SCHEDULES)}, "
                f"not {table['depth']!r}"
            )
        schedule = replace(schedule, depth=table["depth"])
    if "block" in table:
        schedule = replace(schedule, block=_whole(source, "[schedule] block", table["block"], 0))
    if "hours_between" in table:
        hours = _number(source, "[schedule] hours_between", table["hours_between"])
        if not 1.0 / 3600.0 <= hours <= 24.0 * 365:
            raise ScenarioError(
                f"{source}: [schedule] hours_between must lie between one second and a year"
            )
        schedule = replace(schedule, hours_between=hours)
    return schedule


def parse_scenario(data: dict[str, Any], source: str, default_name: str) -> Scenario:
    """A :class:`Scenario` from the parsed contents of a file."""
    if not isinstance(data, dict):
        raise ScenarioError(f"{source}: a scenario must be a table of keys")
    known = {"name", "description", "events", "schedule", "a", "b"}
    for key in data:
        if key not in known:
            raise ScenarioError(f"{source}: unknown key {key!r}")
    name = data.get("name", default_name)
    description = data.get("description", "")
    if not isinstance(name, str) or not name:
        raise ScenarioError(f"{source}: name must be a non-empty string")
    if not isinstance(description, str):
        raise ScenarioError(f"{source}: description must be a string")
    events = _whole(source, "events", data.get("events", 120), 1, 1_000_000)
    return Scenario(
        name=name,
        description=description,
        events=events,
        schedule=_schedule(source, data.get("schedule", {})),
        a=_person(source, "a", data.get("a", {})),
        b=_person(source, "b", data.get("b", {})),
    )


def _read(path: Path, source: str) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ScenarioError(f"{source}: cannot be read ({exc.strerror or exc})") from exc
    try:
        if path.suffix.lower() == ".json":
            data: dict[str, Any] = json.loads(raw.decode("utf-8"))
        else:
            data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{source}: is not UTF-8 text") from exc
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        detail = str(exc).splitlines()[0]
        raise ScenarioError(f"{source}: is not a valid scenario file ({detail})") from exc
    return data


def load_preset(name: str) -> Scenario:
    """One of the scenarios shipped with Mutual (see :data:`PRESETS`)."""
    if name not in PRESETS:
        raise ScenarioError(f"unknown scenario {name!r}; the presets are {', '.join(PRESETS)}")
    ref = resources.files("mutual.simulate").joinpath("scenarios", f"{name}.toml")
    data = tomllib.loads(ref.read_text(encoding="utf-8"))
    return parse_scenario(data, f"preset {name}", name)


def load_scenario(name_or_path: str) -> Scenario:
    """A preset by name, or a scenario file (``.toml`` or ``.json``) by path."""
    if name_or_path in PRESETS:
        return load_preset(name_or_path)
    path = Path(name_or_path)
    if path.suffix.lower() in {".toml", ".json"} or path.exists():
        if not path.is_file():
            raise ScenarioError(f"{name_or_path}: no such scenario file")
        return parse_scenario(_read(path, name_or_path), name_or_path, path.stem)
    raise ScenarioError(
        f"unknown scenario {name_or_path!r}; use a preset ({', '.join(PRESETS)}) "
        "or a .toml or .json file"
    )

"""Conditions of the validation targets: the presets, changed in one respect."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from .run import Run
from .scenario import Person, Scenario

SECURE_SHORT = 40  # events: long enough to go deep


def both(scenario: Scenario, **changes: Any) -> Scenario:
    """``scenario`` with the same change to both people's behaviour."""
    a = replace(scenario.a, now=replace(scenario.a.now, **changes))
    b = replace(scenario.b, now=replace(scenario.b.now, **changes))
    return replace(scenario, a=a, b=b)


def one(scenario: Scenario, side: str, **changes: Any) -> Scenario:
    """``scenario`` with a change to one person's behaviour (``side`` is "a" or "b")."""
    person: Person = getattr(scenario, side)
    changed = replace(person, now=replace(person.now, **changes))
    return replace(scenario, a=changed) if side == "a" else replace(scenario, b=changed)


def later(scenario: Scenario, side: str, start: int, **changes: Any) -> Scenario:
    """From event ``start`` on, ``side`` behaves with ``changes``."""
    person: Person = getattr(scenario, side)
    changed = replace(person, later=replace(person.now, **changes), later_from=start)
    return replace(scenario, a=changed) if side == "a" else replace(scenario, b=changed)


def closeness(run: Run) -> np.ndarray:
    """Mean closeness of the two persons, per dyad (0–100)."""
    c: np.ndarray = run.measures.closeness.mean(axis=0)
    return c

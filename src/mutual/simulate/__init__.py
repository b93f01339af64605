"""Mutual's simulator: the engine's rules driven over many synthetic dyads.

Scenario files describe how each partner behaves (docs/simulate.md); :func:`simulate`
runs them with the scalar engine or the vectorised simulator, which agree exactly for
the same seed; :func:`validate` checks the model against published findings
(docs/validation.md). NumPy is used here; Django never is.
"""

from .run import ENGINES, SERIES, Engine, Run, simulate
from .scenario import (
    PRESETS,
    Behaviour,
    Person,
    Scenario,
    ScenarioError,
    Schedule,
    load_preset,
    load_scenario,
    parse_scenario,
)
from .targets import TARGETS, validate
from .validate import KINDS, Check, Comparison, Context

__all__ = [
    "ENGINES",
    "KINDS",
    "PRESETS",
    "SERIES",
    "TARGETS",
    "Behaviour",
    "Check",
    "Comparison",
    "Context",
    "Engine",
    "Person",
    "Run",
    "Scenario",
    "ScenarioError",
    "Schedule",
    "load_preset",
    "load_scenario",
    "parse_scenario",
    "simulate",
    "validate",
]

"""docs/simulate.md cannot drift: every option, scenario key and preset is documented.

(tests/simulate/test_validate.py checks docs/validation.md for every target.)
"""

from __future__ import annotations

import argparse
from dataclasses import fields
from pathlib import Path

import pytest

from mutual.cli.main import build_parser
from mutual.simulate import PRESETS, Behaviour, Schedule

DOCS = Path(__file__).resolve().parents[2] / "docs"
SIMULATE = (DOCS / "simulate.md").read_text(encoding="utf-8")


def _simulate_options() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    simulate = sub.choices["simulate"]
    return [
        option
        for action in simulate._actions
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
    ]


@pytest.mark.parametrize("option", _simulate_options())
def test_every_option_of_mutual_simulate_is_documented(option: str) -> None:
    assert f"`{option}" in SIMULATE


@pytest.mark.parametrize(
    "key", [f.name for f in fields(Behaviour)] + [f.name for f in fields(Schedule)]
)
def test_every_scenario_key_is_documented(key: str) -> None:
    assert f"\n{key} = " in SIMULATE


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_is_described(name: str) -> None:
    assert f"| `{name}` |" in SIMULATE

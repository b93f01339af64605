"""Every validation target passes, and the safety claim holds in numbers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from mutual.simulate import TARGETS, Check
from mutual.simulate.validate import VALIDATE_SEED, _Context, safety

DYADS = 300  # fewer than `mutual simulate --validate` uses, to keep the suite short
VALIDATION = (Path(__file__).resolve().parents[2] / "docs" / "validation.md").read_text(
    encoding="utf-8"
)


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.__name__)
def test_every_target_passes(target: Callable[[_Context], Check]) -> None:
    check = target(_Context(DYADS, VALIDATE_SEED))
    assert check.passed, check.measured
    assert check.source
    assert check.expected
    assert check.measured
    assert check.numbers
    # docs/validation.md has a section for it, and cites its source.
    headings = [line for line in VALIDATION.splitlines() if line.startswith("### ")]
    assert any(check.target in heading for heading in headings)
    first_author = check.source.split(",")[0].split(" ")[0]
    assert first_author in VALIDATION


def test_the_gate_limits_depth_and_exposure_before_a_love_bombers_first_breach() -> None:
    numbers = safety(_Context(DYADS, VALIDATE_SEED)).numbers
    assert numbers["deepest gate"] < numbers["deepest no gate"]
    assert numbers["exposure gate"] < numbers["exposure no gate"]


def test_a_check_reports_what_it_measured() -> None:
    check = Check("t", "s", "e", "m", False, {"x": 1.0})
    assert check.as_dict() == {
        "target": "t",
        "source": "s",
        "expected": "e",
        "measured": "m",
        "passed": False,
        "numbers": {"x": 1.0},
    }

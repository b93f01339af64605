"""Every validation target holds, and the statistics of a check are what
docs/validation.md says they are."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mutual.simulate import KINDS, TARGETS, Check, Context
from mutual.simulate.definitional import safety
from mutual.simulate.validate import VALIDATE_SEED, compare

DYADS = 300  # fewer than `mutual simulate --validate` uses, to keep the suite short
VALIDATION = (Path(__file__).resolve().parents[2] / "docs" / "validation.md").read_text(
    encoding="utf-8"
)


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.__name__)
def test_every_target_holds(target: object) -> None:
    check: Check = target(Context(DYADS, VALIDATE_SEED))  # type: ignore[operator]
    assert check.kind in KINDS
    assert check.source
    assert check.expected
    assert check.comparisons
    # docs/validation.md has a section for it, and cites its source.
    headings = [line for line in VALIDATION.splitlines() if line.startswith("### ")]
    assert any(check.target in heading for heading in headings)
    first_author = check.source.split(",")[0].split(" ")[0]
    assert first_author in VALIDATION
    assert check.passed, check.measured


def test_there_are_findings_definitional_checks_and_safety_claims() -> None:
    kinds = [t(Context(60, 1)).kind for t in TARGETS[:1]]
    assert kinds == ["finding"]
    assert len(TARGETS) >= 20


def test_a_paired_difference_has_a_bootstrap_interval_and_an_effect_size() -> None:
    rng = np.random.default_rng(0)
    low = rng.normal(0.0, 1.0, 400)
    high = low + 0.5 + rng.normal(0.0, 0.1, 400)
    c = compare("x", ("high", "low"), high, low, seed=1)
    assert c.difference == pytest.approx(0.5, abs=0.03)
    assert c.ci_low < c.difference < c.ci_high
    assert c.ci_high - c.ci_low < 0.05  # paired: the shared noise cancels
    assert c.holds
    pooled = np.sqrt((high.var(ddof=1) + low.var(ddof=1)) / 2)
    assert c.effect == pytest.approx((high.mean() - low.mean()) / pooled)
    unpaired = compare("x", ("high", "low"), high, low, seed=1, paired=False)
    assert unpaired.ci_high - unpaired.ci_low > 0.1
    same = compare("x", ("a", "b"), low, low, seed=1)
    assert not same.holds
    assert same.effect == 0.0
    assert compare("x", ("a", "b"), np.ones(5), np.zeros(5), seed=1).effect == float("inf")
    assert compare("x", ("a", "b"), np.zeros(5), np.ones(5), seed=1).effect == float("-inf")


def test_a_check_reports_what_it_measured() -> None:
    c = compare("trust", ("warm", "cool"), np.array([0.9, 0.8]), np.array([0.5, 0.6]), seed=1)
    check = Check("t", "s", "finding", "e", (c,), note="n")
    data = check.as_dict()
    assert data["kind"] == "finding"
    assert data["passed"] is True
    assert data["comparisons"][0]["ci"] == [c.ci_low, c.ci_high]
    assert "trust: warm 0.85 vs cool 0.55" in data["measured"]
    assert data["measured"].endswith("(n)")


def test_the_gate_limits_depth_and_exposure_before_a_love_bombers_first_breach() -> None:
    check = safety(Context(DYADS, VALIDATE_SEED))
    assert [c.measure for c in check.comparisons] == ["deepest depth", "honored exposure"]
    assert all(c.mean_high > c.mean_low for c in check.comparisons)

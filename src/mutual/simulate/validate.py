"""The model checked against published findings, by simulation.

Each target runs the same simulated people under two conditions that differ in one
respect, with the same seed — so dyad ``i`` of one condition sees exactly the draws of
dyad ``i`` of the other — and compares one measure per dyad. The **paired difference**
gets a 95 % bootstrap interval (percentiles of 2,000 resamples of the dyads); a target
holds when the interval excludes zero in the predicted direction. Beside it stands the
standardised effect ``d`` (difference of means over the pooled standard deviation of
the two conditions) and the published effect where the source gives one.

Targets are of three kinds (docs/validation.md): *findings*, which the rules could
fail; *definitional* checks, which hold by the construction of a formula and guard
against a change quietly breaking it; and the design's *safety* claims.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from mutual.engine import DEFAULT_PARAMS, Params

from .run import Run, simulate
from .scenario import Scenario

#: Defaults of ``mutual simulate --validate``.
VALIDATE_DYADS = 1000
VALIDATE_SEED = 20261126
#: Bootstrap resamples per comparison.
RESAMPLES = 2000

Kind = Literal["finding", "definitional", "safety"]
KINDS: tuple[Kind, ...] = ("finding", "definitional", "safety")


@dataclass(frozen=True, slots=True)
class Comparison:
    """One measure under two conditions: means, the difference, its interval, ``d``."""

    measure: str
    high: str  # the condition predicted to be higher
    low: str
    mean_high: float
    mean_low: float
    difference: float
    ci_low: float
    ci_high: float
    effect: float  # standardised difference d

    @property
    def holds(self) -> bool:
        """The 95 % interval lies wholly above zero."""
        return self.ci_low > 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "measure": self.measure,
            "high": self.high,
            "low": self.low,
            "mean_high": self.mean_high,
            "mean_low": self.mean_low,
            "difference": self.difference,
            "ci": [self.ci_low, self.ci_high],
            "d": self.effect,
            "holds": self.holds,
        }


def _fmt(value: float) -> str:
    if not np.isfinite(value):
        return "∞" if value > 0 else "−∞"
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"


@dataclass(frozen=True, slots=True)
class Check:
    """One validation target and what the simulation measured."""

    target: str
    source: str
    kind: Kind
    expected: str
    comparisons: tuple[Comparison, ...]
    #: The effect the source reports, in its own terms, or "—".
    published: str = "—"
    note: str = ""
    numbers: dict[str, float] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return all(c.holds for c in self.comparisons)

    @property
    def measured(self) -> str:
        parts = []
        for c in self.comparisons:
            parts.append(
                f"{c.measure}: {c.high} {_fmt(c.mean_high)} vs {c.low} {_fmt(c.mean_low)}; "
                f"Δ {_fmt(c.difference)} [{_fmt(c.ci_low)}, {_fmt(c.ci_high)}], d {_fmt(c.effect)}"
            )
        return "; ".join(parts) + (f" ({self.note})" if self.note else "")

    def as_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "source": self.source,
            "kind": self.kind,
            "expected": self.expected,
            "measured": self.measured,
            "published": self.published,
            "passed": self.passed,
            "comparisons": [c.as_dict() for c in self.comparisons],
            "numbers": self.numbers,
        }


def compare(
    measure: str,
    labels: tuple[str, str],
    high: np.ndarray,
    low: np.ndarray,
    seed: int,
    paired: bool = True,
) -> Comparison:
    """``high − low`` per dyad (or between groups when not ``paired``), its 95 %
    bootstrap interval and the standardised difference."""
    high = np.asarray(high, dtype=np.float64)
    low = np.asarray(low, dtype=np.float64)
    rng = np.random.default_rng(seed)
    if paired:
        diff = high - low
        idx = rng.integers(0, diff.shape[0], size=(RESAMPLES, diff.shape[0]))
        means = diff[idx].mean(axis=1)
    else:
        ih = rng.integers(0, high.shape[0], size=(RESAMPLES, high.shape[0]))
        il = rng.integers(0, low.shape[0], size=(RESAMPLES, low.shape[0]))
        means = high[ih].mean(axis=1) - low[il].mean(axis=1)
    lo, hi = np.percentile(means, [2.5, 97.5])
    difference = float(high.mean() - low.mean())
    pooled = float(np.sqrt((high.var(ddof=1) + low.var(ddof=1)) / 2.0))
    if pooled > 0.0:
        effect = difference / pooled
    else:
        effect = float("inf") if difference > 0 else (0.0 if difference == 0 else float("-inf"))
    return Comparison(
        measure,
        labels[0],
        labels[1],
        float(high.mean()),
        float(low.mean()),
        difference,
        float(lo),
        float(hi),
        effect,
    )


class Context:
    """What every target shares: the number of dyads, the seed and the parameters."""

    def __init__(self, dyads: int, seed: int, params: Params = DEFAULT_PARAMS) -> None:
        self.dyads = dyads
        self.seed = seed
        self.params = params

    def run(self, scenario: Scenario, events: int, params: Params | None = None, **kw: Any) -> Run:
        return simulate(
            scenario,
            dyads=self.dyads,
            events=events,
            seed=self.seed,
            params=self.params if params is None else params,
            **kw,
        )

    def compare(
        self,
        measure: str,
        labels: tuple[str, str],
        high: np.ndarray,
        low: np.ndarray,
        paired: bool = True,
    ) -> Comparison:
        return compare(measure, labels, high, low, self.seed, paired)


Target = Callable[[Context], Check]

"""``mutual simulate``: run a scenario over many synthetic dyads, or validate the model.

Examples::

    mutual simulate --scenario love-bomber --dyads 5000 --plot love-bomber.png
    mutual simulate --scenario my-pair.toml --events 200 --json
    mutual simulate --validate
    mutual simulate --ablate
    mutual simulate --sensitivity docs/sensitivity.png
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

MAX_DYADS = 1_000_000
MAX_EVENTS = 100_000


class UsageError(Exception):
    """Bad input: reported on one line, exit status 2."""


class ProgressBar:
    """A progress bar on a stream that appears only once a run has taken ``delay`` seconds.

    The clock is passed in, so the bar can be tested without waiting.
    """

    def __init__(
        self,
        stream: TextIO,
        label: str,
        clock: Callable[[], float] = time.monotonic,
        delay: float = 1.0,
        width: int = 30,
    ) -> None:
        self.stream = stream
        self.label = label
        self.clock = clock
        self.delay = delay
        self.width = width
        self.start = clock()
        self.shown = False
        self._last_cells = -1

    def __call__(self, fraction: float) -> None:
        if not self.shown and self.clock() - self.start < self.delay:
            return
        fraction = min(max(fraction, 0.0), 1.0)
        cells = int(fraction * self.width)
        if self.shown and cells == self._last_cells and fraction < 1.0:
            return
        self.shown = True
        self._last_cells = cells
        bar = "█" * cells + "·" * (self.width - cells)
        self.stream.write(f"\r{self.label} {bar} {fraction:4.0%}")
        self.stream.flush()

    def close(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


def _bar(args: argparse.Namespace, err: TextIO, label: str) -> ProgressBar | None:
    """A progress bar on a terminal, never in --json mode or when stderr is a file."""
    if args.json or not err.isatty():
        return None
    return ProgressBar(err, label)


def _whole(name: str, raw: str | None, default: int, low: int, high: int) -> int:
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise UsageError(f"{name} must be a whole number, not {raw!r}") from None
    if not low <= value <= high:
        raise UsageError(f"{name} must lie between {low:,} and {high:,}, not {value:,}")
    return value


def _format_summary(summary: dict[str, Any]) -> str:
    f = summary["final"]
    lines = [
        f"{summary['scenario']}: {summary['dyads']:,} dyads × {summary['events']:,} events, "
        f"seed {summary['seed']} ({summary['engine']} engine, "
        f"gate {'on' if summary['gate'] else 'off'})",
        "",
        "means over dyads at the last event",
        f"  trust a→b      {f['trust_a_to_b']:.3f}",
        f"  trust b→a      {f['trust_b_to_a']:.3f}",
        f"  open depth     {f['open_depth']:.2f} of 4",
        f"  mutual index   {f['mutual_index']:.1f} of 100",
        f"  breadth        {f['breadth']:.2f} of 7 themes",
    ]
    for side in ("a", "b"):
        value = f[f"attunement_{side}"]
        shown = "no check-ins" if value is None else f"{value:.3f}"
        lines.append(f"  attunement {side}   {shown}")
    return "\n".join(lines)


COLUMNS = (
    ("target", 26),
    ("source", 18),
    ("measured", 40),
    ("difference [95 % CI]", 24),
    ("d (published)", 16),
    ("result", 6),
)
SECTIONS = {
    "finding": "Findings: the rules could fail these",
    "definitional": "Definitional: these hold by a formula's construction",
    "safety": "Safety: the design's own claims",
}


def _cells(row: dict[str, Any]) -> dict[str, str]:
    comps = row["comparisons"]
    measured = "; ".join(
        f"{c['measure']}: {c['high']} {c['mean_high']:.3g} vs {c['low']} {c['mean_low']:.3g}"
        for c in comps
    )
    diffs = "; ".join(f"{c['difference']:.3g} [{c['ci'][0]:.3g}, {c['ci'][1]:.3g}]" for c in comps)
    effects = "; ".join(f"{c['d']:.2f}" for c in comps)
    published = row["published"]
    return {
        "target": row["target"],
        "source": row["source"],
        "measured": measured or "not measured",
        "difference [95 % CI]": diffs or "—",
        "d (published)": effects + ("" if published == "—" else f" ({published})"),
        "result": "PASS" if row["passed"] else "FAIL",
    }


def format_checks(rows: list[dict[str, Any]]) -> str:
    """The validation table, by kind, each column wrapped to its width."""
    lines = []
    rule = "─┼─".join("─" * width for _, width in COLUMNS)
    for kind, title in SECTIONS.items():
        chosen = [r for r in rows if r["kind"] == kind]
        if not chosen:
            continue
        passed = sum(1 for r in chosen if r["passed"])
        lines.append(f"{title} ({passed} of {len(chosen)} hold)")
        lines.append(" │ ".join(name.ljust(width) for name, width in COLUMNS).rstrip())
        lines.append(rule)
        for row in chosen:
            text = _cells(row)
            cells = [textwrap.wrap(text[name], width) or [""] for name, width in COLUMNS]
            for k in range(max(len(c) for c in cells)):
                parts = [
                    (c[k] if k < len(c) else "").ljust(width)
                    for c, (_, width) in zip(cells, COLUMNS, strict=True)
                ]
                lines.append(" │ ".join(parts).rstrip())
            lines.append(rule)
        lines.append("")
    passed = sum(1 for r in rows if r["passed"])
    lines.append(
        f"{passed} of {len(rows)} targets hold (a target holds when its interval excludes 0)"
    )
    return "\n".join(lines)


def _validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from mutual.simulate.targets import validate
    from mutual.simulate.validate import VALIDATE_DYADS, VALIDATE_SEED

    for option in ("scenario", "events", "plot", "engine"):
        if getattr(args, option) is not None:
            raise UsageError(f"--validate runs its own scenarios; drop --{option}")
    if args.no_gate:
        raise UsageError("--validate switches the gate itself where a target needs it")
    dyads = _whole("--dyads", args.dyads, VALIDATE_DYADS, 50, MAX_DYADS)
    seed = _whole("--seed", args.seed, VALIDATE_SEED, 0, 2**63 - 1)
    bar = _bar(args, err, "validating")
    checks = validate(dyads=dyads, seed=seed, progress=bar)
    if bar is not None:
        bar.close()
    rows = [c.as_dict() for c in checks]
    ok = all(c.passed for c in checks)
    if args.json:
        report = {"dyads": dyads, "seed": seed, "passed": ok, "targets": rows}
        out.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    else:
        out.write(f"The model against published findings ({dyads:,} dyads, seed {seed})\n\n")
        out.write(format_checks(rows) + "\n")
    return 0 if ok else 1


def _simulate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from mutual.engine import DEFAULT_PARAMS
    from mutual.simulate import ENGINES, load_scenario
    from mutual.simulate.run import simulate

    engine = args.engine or "vector"
    if engine not in ENGINES:
        raise UsageError(f"--engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    scenario = load_scenario(args.scenario or "secure")
    dyads = _whole("--dyads", args.dyads, 1000, 1, MAX_DYADS)
    events = _whole("--events", args.events, scenario.events, 1, MAX_EVENTS)
    seed = _whole("--seed", args.seed, 0, 0, 2**63 - 1)
    plot = Path(args.plot) if args.plot else None
    if plot is not None:
        from mutual.simulate.plot import FORMATS

        if plot.suffix.lower() not in FORMATS:
            raise UsageError(f"--plot writes PNG or SVG: name the file .png or .svg, not {plot}")
        if not plot.parent.is_dir():
            raise UsageError(f"--plot: the folder {plot.parent} does not exist")
    params = DEFAULT_PARAMS
    if args.no_gate:
        from dataclasses import replace

        params = replace(params, gate_enabled=False)
    bar = _bar(args, err, "simulating")
    run = simulate(
        scenario,
        dyads=dyads,
        events=events,
        seed=seed,
        engine=engine,
        params=params,
        history=plot is not None,
        keep_state=False,
        progress=bar,
    )
    if bar is not None:
        bar.close()
    summary = run.summary()
    if plot is not None:
        from mutual.simulate.plot import plot_run

        try:
            plot_run(run, plot)
        except OSError as exc:
            raise UsageError(f"--plot: cannot write {plot} ({exc.strerror or exc})") from exc
        summary["plot"] = str(plot)
    if args.json:
        out.write(json.dumps(summary, indent=2) + "\n")
    else:
        out.write(_format_summary(summary) + "\n")
        if plot is not None:
            out.write(f"\nplot written to {plot}\n")
    return 0


def _analyse(args: argparse.Namespace, out: TextIO) -> int:
    from . import analysis

    for option in ("scenario", "events", "plot", "engine"):
        if getattr(args, option) is not None:
            raise UsageError(f"--ablate and --sensitivity run their own scenarios; drop --{option}")
    seed = _whole("--seed", args.seed, 20261126, 0, 2**63 - 1)
    if args.ablate:
        return analysis.ablate(_whole("--dyads", args.dyads, 300, 50, MAX_DYADS), seed, out)
    path = Path(args.sensitivity)
    if path.suffix.lower() not in (".png", ".svg"):
        raise UsageError(f"--sensitivity writes PNG or SVG: name the file .png or .svg, not {path}")
    if not path.parent.is_dir():
        raise UsageError(f"--sensitivity: the folder {path.parent} does not exist")
    dyads = _whole("--dyads", args.dyads, 200, 10, MAX_DYADS)
    trajectories = _whole("--trajectories", args.trajectories, 10, 2, 1000)
    return analysis.sensitivity(path, dyads, seed, trajectories, out)


def run(args: argparse.Namespace) -> int:
    from mutual.simulate import ScenarioError

    out, err = sys.stdout, sys.stderr
    try:
        if args.ablate or args.sensitivity:
            return _analyse(args, out)
        return _validate(args, out, err) if args.validate else _simulate(args, out, err)
    except (UsageError, ScenarioError) as exc:
        err.write(f"mutual simulate: error: {exc}\n")
        return 2


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "simulate",
        help="run the model over many synthetic pairs, or check it against findings",
        description=(
            "Simulate many pairs of people with the intimacy engine and report trust, "
            "open depth, the mutual index and breadth. Scenarios are described in "
            "docs/simulate.md; --validate checks the model against published findings "
            "(docs/validation.md)."
        ),
    )
    parser.add_argument(
        "--scenario",
        metavar="NAME|FILE",
        help="a preset (secure, anxious-avoidant, one-sided, love-bomber, early-breach, "
        "late-breach) or a .toml/.json scenario file; default secure",
    )
    parser.add_argument("--dyads", metavar="N", help="number of pairs (default 1000)")
    parser.add_argument(
        "--events", metavar="T", help="events per pair (default: the scenario's own)"
    )
    parser.add_argument("--seed", metavar="S", help="random seed (default 0)")
    parser.add_argument(
        "--engine",
        metavar="scalar|vector",
        help="vector (NumPy over all pairs, the default) or scalar (the engine, pair by pair)",
    )
    parser.add_argument(
        "--no-gate", action="store_true", help="switch the depth gate off (a counterfactual)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--plot", metavar="FILE", help="draw the run to a .png or .svg file")
    parser.add_argument(
        "--validate",
        action="store_true",
        help="check the model against published findings; exit status 1 if any fails",
    )
    parser.add_argument(
        "--ablate",
        action="store_true",
        help="switch each mechanism off in turn and list the targets that fail (slow)",
    )
    parser.add_argument(
        "--sensitivity",
        metavar="FILE",
        help="Morris screening of every parameter (SALib); the figure to FILE (.png/.svg)",
    )
    parser.add_argument(
        "--trajectories", metavar="R", help="Morris trajectories for --sensitivity (default 10)"
    )
    parser.set_defaults(func=run)

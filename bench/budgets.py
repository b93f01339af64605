"""Mutual's speed budgets (DESIGN §7), measured by ``python -m bench`` (``make bench``): a
table printed and ``var/bench.json`` written.

The report is a list of sections, each a list of measurements; a section is a
function registered in :data:`SECTIONS`, so new ones (the HTTP budgets) slot in
beside the simulator's. Speed is only ever measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

#: The vectorised simulator's budget, in dyad-events per second on one core.
SIMULATOR_BUDGET = 2_000_000


@dataclass(frozen=True, slots=True)
class Measurement:
    name: str
    value: float
    unit: str
    #: The least acceptable value, or ``None`` when the figure is for information.
    budget: float | None = None
    detail: str = ""

    @property
    def ok(self) -> bool | None:
        return None if self.budget is None else self.value >= self.budget


@dataclass(frozen=True, slots=True)
class Section:
    name: str
    title: str
    measure: Callable[[bool], list[Measurement]]
    #: Starts servers and a database: a ``--quick`` smoke run skips it unless named.
    slow: bool = False
    #: Measured pinned to one CPU core (what a single core does); others use them all.
    pinned: bool = False


def _best_rate(work: Callable[[], int], repeats: int) -> tuple[float, float]:
    """The best rate of ``repeats`` runs of ``work`` (which returns how many items it
    did), by the process's CPU time and by the wall clock.

    The CPU-time rate is what one core does for this process; the wall-clock rate also
    counts time the process waited while others used the core, so on a busy machine
    it is lower.
    """
    best_cpu = best_wall = 0.0
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        done = work()
        cpu_used, wall_used = time.process_time() - cpu, time.perf_counter() - wall
        best_cpu = max(best_cpu, done / max(cpu_used, 1e-9))
        best_wall = max(best_wall, done / max(wall_used, 1e-9))
    return best_cpu, best_wall


def simulator_section(quick: bool) -> list[Measurement]:
    """The scalar engine, the scalar simulator and the vectorised simulator."""
    from mutual.engine import DEFAULT_PARAMS, fold
    from mutual.simulate import load_preset, simulate
    from mutual.simulate import scalar as scalar_sim
    from mutual.simulate.plan import Timeline, draw_plans

    scenario = load_preset("secure")
    events = scenario.events
    repeats = 1 if quick else 3

    # The engine alone: fold the event logs the scalar simulator produced.
    log_dyads = 8 if quick else 64
    timeline = Timeline.build(events, scenario.schedule.gap_seconds(), DEFAULT_PARAMS)
    plan = next(draw_plans(scenario, log_dyads, events, seed=1))
    chunk = scalar_sim.Chunk(plan, timeline, DEFAULT_PARAMS, keep_log=True)
    chunk.run()
    logs = [d.log or [] for d in chunk.dyads]
    n_events = sum(len(log) for log in logs)

    def fold_all() -> int:
        for log in logs:
            fold(log)
        return n_events

    engine_rate, engine_wall = _best_rate(fold_all, repeats)

    scalar_dyads = 8 if quick else 64

    def scalar_run() -> int:
        simulate(scenario, dyads=scalar_dyads, events=events, seed=2, engine="scalar")
        return scalar_dyads * events

    scalar_rate, scalar_wall = _best_rate(scalar_run, 1 if quick else 2)

    vector_dyads = 2048 if quick else 16384

    def vector_run() -> int:
        simulate(scenario, dyads=vector_dyads, events=events, seed=3)
        return vector_dyads * events

    vector_rate, vector_wall = _best_rate(vector_run, repeats)
    per_event = n_events / (log_dyads * events)
    return [
        Measurement(
            "scalar engine",
            engine_rate,
            "events/s",
            detail=f"mutual.engine.apply over {n_events:,} engine events; "
            f"wall clock {_number(engine_wall)}/s",
        ),
        Measurement(
            "scalar simulator",
            scalar_rate,
            "dyad-events/s",
            detail=f"{scalar_dyads} dyads × {events} events, ≈{per_event:.1f} engine events "
            f"each; wall clock {_number(scalar_wall)}/s",
        ),
        Measurement(
            "vectorised simulator",
            vector_rate,
            "dyad-events/s",
            budget=None if quick else SIMULATOR_BUDGET,
            detail=f"{vector_dyads:,} dyads × {events} events, random draws included; "
            f"wall clock {_number(vector_wall)}/s",
        ),
    ]


def http_section(quick: bool) -> list[Measurement]:
    """Main pages and API reads against gunicorn on PostgreSQL, beside the floor view,
    for bonds of 10 and 10,000 exchanges (``bench/web.py``)."""
    from .web_report import measurements

    return measurements(quick)


def e2e_section(quick: bool) -> list[Measurement]:
    """What the end-to-end scheme costs a device, in Python and in Chromium (``bench/e2e.py``)."""
    from .e2e import e2e_section as measure

    return measure(quick)


#: Every section of the report, in order. Other parts of Mutual append theirs.
SECTIONS: list[Section] = [
    Section("simulator", "The engine and the simulator", simulator_section, pinned=True),
    Section(
        "web",
        "Web pages and API reads rendered afresh, against the floor view: "
        "mutual serve (2 workers) on PostgreSQL, wall clock",
        http_section,
        slow=True,
    ),
    Section(
        "e2e",
        "End-to-end encryption on a device (docs/e2e.md), median milliseconds",
        e2e_section,
        slow=True,
    ),
]


@contextmanager
def one_core() -> Iterator[str]:
    """Run on a single CPU core where the system allows pinning."""
    if not hasattr(os, "sched_getaffinity"):
        yield "not pinned (this system cannot pin a process to a core)"
        return
    before = os.sched_getaffinity(0)
    core = min(before)
    os.sched_setaffinity(0, {core})
    try:
        yield f"pinned to CPU core {core}"
    finally:
        os.sched_setaffinity(0, before)


def _var_dir() -> Path:
    return Path(os.environ.get("MUTUAL_VAR_DIR", Path.cwd() / "var"))


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.3g}"


def format_report(report: dict[str, Any]) -> str:
    lines = ["Mutual bench", ""]
    for section in report["sections"]:
        per = f" — per second of CPU time, {section['cpu']}" if section["pinned"] else ""
        lines.append(section["title"] + per)
        width = max((len(m["name"]) for m in section["measurements"]), default=22)
        for m in section["measurements"]:
            budget = m["budget"]
            status = "" if budget is None else ("  ok" if m["ok"] else "  BELOW BUDGET")
            limit = "" if budget is None else f"  (budget ≥ {_number(budget)})"
            lines.append(
                f"  {m['name']:<{width}} {_number(m['value']):>9} {m['unit']:<14}{limit}{status}"
            )
            if m["detail"]:
                lines.append(f"  {'':<{width}} {m['detail']}")
        lines.append("")
    return "\n".join(lines).rstrip()


def run(args: argparse.Namespace) -> int:
    wanted = args.section or [s.name for s in SECTIONS if not (args.quick and s.slow)]
    known = {s.name for s in SECTIONS}
    for name in wanted:
        if name not in known:
            sys.stderr.write(
                f"bench: error: unknown section {name!r}; "
                f"the sections are {', '.join(sorted(known))}\n"
            )
            return 2
    out_path = Path(args.out) if args.out else _var_dir() / "bench.json"
    if not out_path.parent.is_dir():
        try:
            out_path.parent.mkdir(parents=True)
        except OSError as exc:
            sys.stderr.write(f"bench: error: cannot create {out_path.parent}: {exc}\n")
            return 2
    sections: list[dict[str, Any]] = []
    for section in SECTIONS:
        if section.name not in wanted:
            continue
        # Only a pinned section runs on one core: servers a section starts inherit it.
        with one_core() if section.pinned else nullcontext("all cores") as cpu:
            found = section.measure(args.quick)
        sections.append(
            {
                "name": section.name,
                "title": section.title,
                "pinned": section.pinned,
                "cpu": cpu,
                "measurements": [{**asdict(m), "ok": m.ok} for m in found],
            }
        )
    report = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": args.quick,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "sections": sections,
    }
    out_path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    if args.json:
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
    else:
        sys.stdout.write(format_report(report) + f"\n\nwritten to {out_path}\n")
    missed = [m for s in sections for m in s["measurements"] if m["ok"] is False]
    return 1 if missed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=(
            "Measure Mutual's speed budgets (the engine and the simulator pinned to one "
            "core; pages and API reads against a production-like server), print a table "
            "and write var/bench.json. Exit status 1 when a budget is missed."
        ),
    )
    parser.add_argument(
        "--section",
        action="append",
        metavar="NAME",
        help="measure only this section (repeatable); default all",
    )
    parser.add_argument(
        "--quick", action="store_true", help="small sizes, no budgets checked (a smoke test)"
    )
    parser.add_argument("--out", metavar="FILE", help="where to write the JSON report")
    parser.add_argument("--json", action="store_true", help="print the JSON report")
    return run(parser.parse_args(argv))

"""``mutual drill``: crash drills (SECURITY.md 25; docs/performance.md).

``kill -9`` the app during a write loop, on SQLite and on PostgreSQL, and check integrity
and every acknowledged write after each kill; restart PostgreSQL under load and check
that requests answer 503, never 500, and that service comes back by itself. Prints a
summary, writes ``var/drill.json`` and exits 1 when a drill fails.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path

DRILLS = ("sqlite", "postgres", "restart")


def run(args: argparse.Namespace) -> int:
    from mutual.perf.drill import run_drills, verdict

    kinds = args.only or list(DRILLS)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(143))
    results = run_drills(
        kinds=kinds, rounds=args.rounds, seed=args.seed, down_seconds=args.down_seconds
    )
    failed = False
    for kind, result in results.items():
        problems = verdict(kind, result)
        failed = failed or bool(problems)
        if kind == "restart":
            print(
                f"restart PostgreSQL under load: {result.get('requests', 0)} requests, "
                f"while down {result.get('while_down')}, 500s: {result.get('status_500')}, "
                f"back {result.get('back_after_seconds')} s after restart — "
                f"{'ok' if not problems else 'FAILED'}"
            )
        else:
            print(
                f"kill -9 on {kind}: {result.get('rounds', 0)} rounds, "
                f"{result.get('acknowledged_writes', 0)} acknowledged writes, "
                f"{len(result.get('failed_rounds', []))} rounds with problems — "
                f"{'ok' if not problems else 'FAILED'}"
            )
        for problem in problems[:20]:
            print(f"  {problem}")
    out = (
        Path(args.out) if args.out else Path(os.environ.get("MUTUAL_VAR_DIR", "var")) / "drill.json"
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    report = {"at": datetime.now(UTC).isoformat(timespec="seconds"), "drills": results}
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"written to {out}")
    return 1 if failed else 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "drill",
        help="crash drills: kill -9 during writes, restart PostgreSQL under load",
        description=sys.modules[__name__].__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--only", action="append", choices=DRILLS, help="run only this drill (repeatable)"
    )
    parser.add_argument("--rounds", type=int, default=100, help="kill -9 rounds per database")
    parser.add_argument("--seed", type=int, default=7, help="seed of the kill moments")
    parser.add_argument(
        "--down-seconds", type=float, default=3.0, help="how long PostgreSQL stays down"
    )
    parser.add_argument("--out", metavar="FILE", help="where to write the JSON report")
    parser.set_defaults(func=run)

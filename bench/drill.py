"""``python -m bench.drill`` (``make drill``): crash drills (SECURITY.md 25;
docs/performance.md).

``kill -9`` the app during a write loop, on SQLite and on PostgreSQL, and check integrity
and every acknowledged write after each kill; restart PostgreSQL under load and check
that requests answer 503, never 500, and that service comes back by itself. Prints a
summary, writes ``var/drill.json`` and exits 1 when a drill fails. Each drill runs in a
process of its own (``bench/crash.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import ROOT, importable_env

DRILLS = ("sqlite", "postgres", "restart")


def verdict(kind: str, result: dict[str, Any]) -> list[str]:
    """What failed in one drill (empty: it passed)."""
    if "error" in result:
        return [result["error"]]
    if kind in ("sqlite", "postgres"):
        return [f"round {f['round']}: {p}" for f in result["failed_rounds"] for p in f["problems"]]
    failed = []
    if result["status_500"]:
        failed.append(f"{result['status_500']} answers were 500")
    if not result["while_down"].get("503"):
        failed.append("no request answered 503 while PostgreSQL was down")
    if result["back_after_seconds"] is None:
        failed.append("service did not come back after PostgreSQL restarted")
    if result["errors_once_back"]:
        failed.append(f"{result['errors_once_back']} errors after service came back")
    if not result["app_process_survived"]:
        failed.append("the app process died")
    return failed


def run_drills(
    *, kinds: list[str], rounds: int, seed: int, down_seconds: float
) -> dict[str, dict[str, Any]]:
    """Each drill in its own process; returns their results by kind."""
    results = {}
    for kind in kinds:
        sys.stderr.write(f"drill: {kind}\n")
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.crash",
                kind,
                "--rounds",
                str(rounds),
                "--seed",
                str(seed),
                "--down-seconds",
                str(down_seconds),
            ],
            stdout=subprocess.PIPE,
            env={**os.environ, **importable_env()},
            cwd=ROOT,
            text=True,
        )
        try:
            results[kind] = json.loads(done.stdout.strip().splitlines()[-1])
        except (IndexError, json.JSONDecodeError):
            results[kind] = {"error": f"the {kind} drill exited with {done.returncode}"}
    return results


def run(args: argparse.Namespace) -> int:
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.drill",
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
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())

"""``make bench``, the web section: main pages and API reads against a production-like server.

A throw-away PostgreSQL cluster, ``mutual serve`` (gunicorn, two workers) in production mode
(``DEBUG`` off, collected static files), the floor view mounted (``bench/settings.py``).
Alice has two bonds with Bob: one of 10 exchanges and one of 10,000 (seeded through the
ledger). For each read — the bond home page, an exchange page, the API bond and the API
exchange — and for the floor view, a bounded load (requests, threads and seconds all
capped, loopback only) measures requests per second and p50/p99 latency. Runs alternate
between targets and the best of the rounds counts, so a burst of other work on the
machine hurts all alike.

**Every page is rendered afresh** (Mutual keeps no page), which is what a person gets
after every change, whoever made it. The budgets (DESIGN §7, issue 12) hold there,
against the floor view asked with the same session as the pages (view against view):
the bond home page ≥ 0.5, an exchange page ≥ 0.6, the API reads ≥ 0.7; the signed-in
floor itself ≥ 0.7 of the anonymous floor (what checking a session costs); and the
10,000-exchange bond ≤ 1.2 × the cost of the 10-exchange bond.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.loopback import AppServer, start_app

from . import ROOT, SETTINGS, importable_env
from .load import LoadResult, load

#: Each read rendered afresh, at least this share of the signed-in floor's requests/s.
READ_BUDGETS = {"bond home page": 0.5, "exchange page": 0.6, "API bond": 0.7, "API exchange": 0.7}
#: The signed-in floor, at least this share of the anonymous floor's requests/s.
FLOOR_BUDGET = 0.7
SIZE_BUDGET = 1.2
SIZES = (10, 10_000)
READS = tuple(READ_BUDGETS)
#: The floor view again, asked by the same signed-in browser as the pages: the same
#: session check (one query, with the person) before the view, so the ratio is that of
#: the views alone.
SIGNED_IN_FLOOR = "floor, signed in"


@dataclass(frozen=True)
class Plan:
    requests: int
    concurrency: int
    rounds: int
    max_seconds: float
    large: int


FULL = Plan(requests=200, concurrency=4, rounds=3, max_seconds=12.0, large=SIZES[1])
QUICK = Plan(requests=60, concurrency=2, rounds=1, max_seconds=8.0, large=500)


def start_postgres() -> Any:
    """The throw-away cluster of the test suite (``tests/pgcluster.py``)."""
    saved = os.environ.get("MUTUAL_VAR_DIR")
    # Imported as a pytest plugin, the module also keeps test runs out of ``var/`` (it
    # points MUTUAL_VAR_DIR at an empty directory of its own): undone here.
    from tests import pgcluster

    made = os.environ.get("MUTUAL_VAR_DIR")
    if saved is None:
        os.environ.pop("MUTUAL_VAR_DIR", None)
        if made:
            Path(made).rmdir()
    cluster = pgcluster.start_cluster()
    if cluster is None:
        raise RuntimeError("PostgreSQL server binaries are not installed")
    return cluster


def production_env(var: Path, database_url: str) -> dict[str, str]:
    (var / "secret_key").write_text(secrets.token_urlsafe(48))
    (var / "master_key").write_text(secrets.token_urlsafe(32))
    for name in ("secret_key", "master_key"):
        (var / name).chmod(0o600)
    return {
        "DATABASE_URL": database_url,
        "MUTUAL_PRODUCTION": "1",
        "MUTUAL_SSL_REDIRECT": "0",
        "MUTUAL_VAR_DIR": str(var),
        "MUTUAL_SECRET_KEY_FILE": str(var / "secret_key"),
        "MUTUAL_MASTER_KEY_FILE": str(var / "master_key"),
        "MUTUAL_LOG_LEVEL": "ERROR",
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        **importable_env(),
    }


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, *args],
        env={**os.environ, **env},
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def seed_world(*, large: int, tokens: int) -> dict[str, Any]:
    """(Run inside a configured Django.) Alice and Bob with a bond of 10 and one of
    ``large`` exchanges; a signed-in session for Alice and ``tokens`` API tokens."""
    from datetime import UTC, datetime

    from django.conf import settings
    from django.test import Client

    from mutual.accounts.models import Person
    from mutual.api.tokens import token_issue
    from mutual.bonds import services
    from mutual.bonds.models import Exchange
    from tests.history import seed_history

    start = datetime(2024, 1, 1, tzinfo=UTC)
    password = secrets.token_urlsafe(16)
    alice = Person.objects.create_user("alice@example.org", password, display_name="Alice")
    bob = Person.objects.create_user("bob@example.org", password, display_name="Bob")
    bonds = {}
    for size in (SIZES[0], large):
        bond = services.bond_create(creator=alice, kind="partners", at=start)
        _invite, code = services.invite_create(bond=bond, by=alice, at=start)
        bond = services.invite_accept(code=code, person=bob, at=start)
        bond = seed_history(bond=bond, alice=alice, bob=bob, exchanges=size, start=start)
        newest = Exchange.objects.filter(bond=bond).order_by("-opened_at").first()
        assert newest is not None
        bonds[str(size)] = {"bond": str(bond.pk), "exchange": str(newest.pk)}
    client = Client()
    client.force_login(alice)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    issued = [token_issue(person=alice, label=f"bench {n}", at=start)[1] for n in range(tokens)]
    return {
        "bonds": bonds,
        "cookie": f"{settings.SESSION_COOKIE_NAME}={cookie.value}",
        "tokens": issued,
    }


def _target(read: str, ids: dict[str, str]) -> str:
    return {
        "bond home page": f"/bonds/{ids['bond']}/",
        "exchange page": f"/exchanges/{ids['exchange']}/",
        "API bond": f"/api/v1/bonds/{ids['bond']}",
        "API exchange": f"/api/v1/exchanges/{ids['exchange']}",
    }[read]


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def measure(server: AppServer, world: dict[str, Any], plan: Plan) -> dict[str, Any]:
    """Load every target in alternating rounds; keep each target's best round."""
    tokens = iter(world["tokens"])
    targets: list[tuple[str, str, dict[str, str]]] = [
        ("floor", "/bench/floor/", {}),
        (SIGNED_IN_FLOOR, "/bench/floor/", {"Cookie": world["cookie"]}),
    ]
    for read in READS:
        for size in world["bonds"]:
            headers = (
                {"Authorization": f"Bearer {next(tokens)}", "Accept": "application/json"}
                if read.startswith("API")
                else {"Cookie": world["cookie"]}
            )
            targets.append((f"{read} @{size}", _target(read, world["bonds"][size]), headers))
    for _name, path, headers in targets:  # warm every code path once
        answer = load(server.port, path, headers=headers, requests=5, concurrency=1, max_seconds=10)
        if answer.errors:
            first = server.client.get(path, headers=headers)
            raise RuntimeError(f"{path} answered {first.status}: {first.text[:300]}")
    best: dict[str, LoadResult] = {}
    for _round in range(plan.rounds):
        for name, path, headers in targets:
            if "Authorization" in headers:
                # A token of its own for every round: each token may make 600 requests a
                # minute (the API's rate limit), and a fast round takes seconds.
                headers = {**headers, "Authorization": f"Bearer {next(tokens)}"}
            result = load(
                server.port,
                path,
                headers=headers,
                requests=plan.requests,
                concurrency=plan.concurrency,
                max_seconds=plan.max_seconds,
            )
            if result.errors:
                raise RuntimeError(f"{name}: {result.errors} of {result.requests} failed")
            if name not in best or result.rps > best[name].rps:
                best[name] = result
    floor = best["floor"].rps
    signed_in = best[SIGNED_IN_FLOOR].rps
    rows: dict[str, Any] = {}
    for name, result in best.items():
        rows[name] = {
            "path": result.path,
            "requests": result.requests,
            "rps": round(result.rps, 1),
            "p50_ms": round(result.p50_ms, 2),
            "p99_ms": round(result.p99_ms, 2),
            "vs_floor": round(result.rps / floor, 3) if floor else None,
            "vs_signed_in_floor": round(result.rps / signed_in, 3) if signed_in else None,
        }
    size_ratio = {}
    small, large = (str(s) for s in world["bonds"])
    for read in READS:
        size_ratio[read] = round(best[f"{read} @{small}"].rps / best[f"{read} @{large}"].rps, 3)
    workers = server.worker_pids()
    return {
        "targets": rows,
        "size_ratio": size_ratio,
        "sizes": [int(small), int(large)],
        "rss_mib_per_worker": [round(_rss_kib(pid) / 1024, 1) for pid in workers],
        "plan": plan.__dict__,
    }


@contextmanager
def all_cores() -> Iterator[None]:
    """Undo a one-core pinning for the servers started inside: a production server uses
    every core it has (children inherit the affinity at fork)."""
    if not hasattr(os, "sched_getaffinity"):
        yield
        return
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, set(range(os.cpu_count() or 1)))
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


def run(*, quick: bool = False, log_dir: Path | None = None) -> dict[str, Any]:
    """The whole HTTP bench: cluster, migrate, seed, serve, load, stop."""
    with all_cores():
        return _run_all(quick=quick, log_dir=log_dir)


def _run_all(*, quick: bool, log_dir: Path | None) -> dict[str, Any]:
    plan = QUICK if quick else FULL
    began = time.monotonic()
    cluster = start_postgres()
    var = Path(tempfile.mkdtemp(prefix="mutual-bench-"))
    server: AppServer | None = None
    try:
        env = production_env(var, cluster.url)
        _run(env, "-m", "mutual.cli.main", "manage", "migrate", "--no-input", "-v0")
        _run(env, "-m", "mutual.cli.main", "manage", "createcachetable", "-v0")
        _run(env, "-m", "mutual.cli.main", "manage", "collectstatic", "--no-input", "-v0")
        seeded = time.monotonic()
        world = json.loads(
            _run(
                env,
                "-m",
                "bench.web",
                "--seed",
                str(plan.large),
                "--tokens",
                str(4 * len(READS) * (plan.rounds + 1)),
            )
        )
        seed_seconds = time.monotonic() - seeded
        server = start_app(env=env, log=(log_dir or var) / "bench-app.log", workers=2, serve=True)
        # Before any page: what a worker holds for the app alone (matplotlib and NumPy
        # are loaded only by the first insights page, which the load below never asks).
        idle = [round(_rss_kib(pid) / 1024, 1) for pid in server.worker_pids()]
        result = measure(server, world, plan)
        result["rss_mib_per_worker_idle"] = idle
        server.stop()
        server = None
        result["seed_seconds"] = round(seed_seconds, 1)
        result["seconds"] = round(time.monotonic() - began, 1)
        result["server"] = (
            "mutual serve: gunicorn, 2 workers × 4 threads, production mode, PostgreSQL, "
            "every page rendered afresh"
        )
        return result
    finally:
        if server is not None:
            server.stop()
        cluster.stop()
        subprocess.run(["rm", "-rf", str(var)], check=False)


def _seed_main(large: int, tokens: int) -> None:
    import django

    django.setup()
    print(json.dumps(seed_world(large=large, tokens=tokens)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.web")
    parser.add_argument("--seed", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--tokens", type=int, default=8, help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    if args.seed is not None:
        _seed_main(args.seed, args.tokens)
        return 0
    from .web_report import table

    result = run(quick=args.quick)
    print(table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Crash drills (SECURITY.md 25, ``make drill``).

**Kill drill**, on SQLite and on PostgreSQL: the app (gunicorn) serves Alice and Bob, who
write through the API in a loop — a prompt of their own, an exchange on it, Alice's
answer, Bob's answer (which reveals both and appends two ledger events). At a random
moment the whole app gets ``kill -9``. Then, every time:

* the database is sound (SQLite: ``PRAGMA integrity_check`` and ``foreign_key_check``;
  PostgreSQL: ``pg_amcheck`` on tables and indexes when it is installed);
* the ledger replays to its snapshot, with consecutive sequence numbers, and every
  revealed exchange has exactly its two ``Revealed`` events;
* every write the client saw acknowledged (a 2xx answer) is there, with its text.

**Restart drill**, on PostgreSQL: gunicorn (two workers, persistent connections) serves a
steady read load while PostgreSQL restarts. Requests during the outage must answer 503
(never 500), and service must come back by itself, without restarting the app.

Each drill runs in its own process (``python -m bench.crash KIND``, started by
``python -m bench.drill``), because Django is configured once per process.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.loopback import Client, start_app

from . import SETTINGS, importable_env

#: Every this many rounds the whole app (master and workers) is killed, not one worker.
WHOLE_EVERY = 20
#: gunicorn preloads the app and imports every view before forking: a worker killed is
#: replaced in a fraction of a second.
WARM = ("--config", "python:bench.gunicorn_warm")


@dataclass
class Ack:
    """A write the client saw acknowledged."""

    kind: str  # prompt, exchange, answer
    id: str
    side: str = ""
    body: str = ""


@dataclass
class Writer:
    """Alice and Bob writing in a loop through one app process until it dies."""

    port: int
    bond: str
    tokens: dict[str, str]
    acks: list[Ack] = field(default_factory=list)
    failures: int = 0
    unexpected: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def _call(self, method: str, path: str, payload: object, side: str) -> dict[str, Any] | None:
        try:
            answer = Client(self.port, timeout=5).json(method, path, payload, self.tokens[side])
        except OSError:
            self.failures += 1
            self.stop.set()
            return None
        if answer.status >= 300:
            self.unexpected.append(f"{method} {path} answered {answer.status}: {answer.text[:200]}")
            self.stop.set()
            return None
        return dict(json.loads(answer.body))

    def run(self) -> None:
        n = 0
        while not self.stop.is_set():
            n += 1
            tag = secrets.token_hex(4)
            prompt = self._call(
                "POST",
                f"/api/v1/bonds/{self.bond}/prompts",
                {"text": f"Drill question {tag}", "depth": 0, "theme": "joys"},
                "a",
            )
            if prompt is None:
                return
            self.acks.append(Ack("prompt", str(prompt["id"])))
            exchange = self._call(
                "POST", f"/api/v1/bonds/{self.bond}/exchanges", {"prompt_id": prompt["id"]}, "a"
            )
            if exchange is None:
                return
            self.acks.append(Ack("exchange", str(exchange["id"])))
            for side in ("a", "b"):
                body = f"Answer {tag} by {side}: the lake at dawn"
                done = self._call(
                    "PUT",
                    f"/api/v1/exchanges/{exchange['id']}/revelation",
                    {"body": body, "emotional": side == "b"},
                    side,
                )
                if done is None:
                    return
                self.acks.append(Ack("answer", str(exchange["id"]), side, body))


# --- inside a configured Django ------------------------------------------------------


def _setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)


def _world() -> dict[str, Any]:
    from datetime import UTC, datetime

    from mutual.accounts.models import Person
    from mutual.bonds import services

    at = datetime.now(UTC)
    password = secrets.token_urlsafe(16)
    alice = Person.objects.create_user("alice@example.org", password, display_name="Alice")
    bob = Person.objects.create_user("bob@example.org", password, display_name="Bob")
    bond = services.bond_create(creator=alice, kind="friends", at=at)
    _invite, code = services.invite_create(bond=bond, by=alice, at=at)
    bond = services.invite_accept(code=code, person=bob, at=at)
    return {"bond": str(bond.pk), "alice": alice, "bob": bob}


def _tokens(world: dict[str, Any], label: str) -> dict[str, str]:
    from datetime import UTC, datetime

    from mutual.api.tokens import token_issue

    at = datetime.now(UTC)
    return {
        side: token_issue(person=world[name], label=label, at=at)[1]
        for side, name in (("a", "alice"), ("b", "bob"))
    }


def integrity_problems(bond_id: str, acks: list[Ack], pg_amcheck: str | None) -> list[str]:
    """Everything wrong with the database after a crash (empty when all is well)."""
    from django.db import close_old_connections, connection

    from mutual.bonds import ledger
    from mutual.bonds.models import Bond, Event, Exchange, Prompt, Revelation

    close_old_connections()
    problems: list[str] = []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA integrity_check")
            verdict = [row[0] for row in cursor.fetchall()]
            if verdict != ["ok"]:
                problems.append(f"integrity_check: {verdict[:5]}")
            cursor.execute("PRAGMA foreign_key_check")
            if rows := cursor.fetchall():
                problems.append(f"foreign_key_check: {rows[:5]}")
    elif pg_amcheck:
        db = connection.settings_dict
        host = db["HOST"] or db["OPTIONS"].get("host", "")
        done = subprocess.run(
            [pg_amcheck, "-h", host, "-U", db["USER"], "--install-missing", db["NAME"]],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            problems.append(f"pg_amcheck: {(done.stdout + done.stderr)[:300]}")

    bond = Bond.objects.get(pk=bond_id)
    if not ledger.replay(bond).matches:
        problems.append("the ledger does not replay to the snapshot")
    seqs = list(Event.objects.filter(bond=bond).values_list("seq", flat=True))
    if seqs != list(range(1, bond.snapshot_seq + 1)):
        problems.append("event sequence numbers are not consecutive up to the snapshot")
    revealed = Exchange.objects.filter(bond=bond, revealed_at__isnull=False).count()
    reveals = Event.objects.filter(bond=bond, kind="Revealed").count()
    if reveals != 2 * revealed:
        problems.append(f"{reveals} Revealed events for {revealed} revealed exchanges")

    answered: dict[str, set[str]] = {}
    for ack in acks:
        if ack.kind == "prompt" and not Prompt.objects.filter(pk=ack.id).exists():
            problems.append(f"acknowledged prompt {ack.id} is missing")
        elif ack.kind == "exchange" and not Exchange.objects.filter(pk=ack.id).exists():
            problems.append(f"acknowledged exchange {ack.id} is missing")
        elif ack.kind == "answer":
            answered.setdefault(ack.id, set()).add(ack.side)
            found = (
                Revelation.objects.filter(exchange_id=ack.id, side=ack.side)
                .select_related("author")
                .first()
            )
            if found is None:
                problems.append(f"acknowledged answer {ack.id}/{ack.side} is missing")
            elif found.author.open(bytes(found.body_enc), found.aad) != ack.body:
                problems.append(f"acknowledged answer {ack.id}/{ack.side} has other text")
    for exchange_id, sides in answered.items():
        if (
            sides == {"a", "b"}
            and not Exchange.objects.filter(pk=exchange_id, revealed_at__isnull=False).exists()
        ):
            problems.append(f"exchange {exchange_id} was answered by both but is not revealed")
    close_old_connections()
    return problems


def kill_drill(
    *, env: dict[str, str], rounds: int, var: Path, seed: int, pg_amcheck: str | None
) -> dict[str, Any]:
    _setup_django(env)
    world = _world()
    rng = random.Random(seed)
    totals: Counter[str] = Counter()
    failures: list[dict[str, Any]] = []
    began = time.monotonic()
    from django.db import connections

    connections.close_all()
    server = start_app(env=env, log=var / "drill-app.log", workers=1, gunicorn_args=WARM)
    try:
        for n in range(1, rounds + 1):
            tokens = _tokens(world, f"drill round {n}")
            connections.close_all()
            writer = Writer(server.port, world["bond"], tokens)
            thread = threading.Thread(target=writer.run, daemon=True)
            thread.start()
            time.sleep(rng.uniform(0.05, 0.8))
            # Most rounds kill the worker that runs the writes (the master forks a new
            # one); every WHOLE_EVERY-th round kills master and workers and starts anew.
            whole = n % WHOLE_EVERY == 0
            killed = [] if whole else server.kill_workers()
            if whole:
                server.kill()
            writer.stop.set()
            thread.join(timeout=15)
            totals["whole app killed" if whole else "worker killed"] += 1
            problems = writer.unexpected + integrity_problems(
                world["bond"], writer.acks, pg_amcheck
            )
            connections.close_all()
            if whole:
                server = start_app(
                    env=env, log=var / "drill-app.log", workers=1, gunicorn_args=WARM
                )
            else:
                server.wait_ready(not_pids=killed)
            totals["rounds"] += 1
            totals["killed mid-request"] += writer.failures > 0
            totals["acknowledged writes"] += len(writer.acks)
            totals["answers"] += sum(a.kind == "answer" for a in writer.acks)
            if problems:
                failures.append({"round": n, "problems": problems})
            sys.stderr.write(
                f"\r  kill -9 round {n}/{rounds}: {len(writer.acks)} acknowledged writes, "
                f"{'ok' if not problems else 'PROBLEMS'}   "
            )
            sys.stderr.flush()
    finally:
        server.kill()
    sys.stderr.write("\n")
    from mutual.bonds.models import Bond

    bond = Bond.objects.get(pk=world["bond"])
    return {
        "rounds": totals["rounds"],
        "worker_killed": totals["worker killed"],
        "whole_app_killed": totals["whole app killed"],
        "killed_mid_request": totals["killed mid-request"],
        "acknowledged_writes": totals["acknowledged writes"],
        "answers": totals["answers"],
        "events_in_ledger": bond.snapshot_seq,
        "failed_rounds": failures,
        "seconds": round(time.monotonic() - began, 1),
    }


def restart_drill(
    *, env: dict[str, str], var: Path, cluster: Any, down_seconds: float, load_seconds: float
) -> dict[str, Any]:
    """Steady reads while PostgreSQL stops, stays down ``down_seconds`` and starts again."""
    _setup_django(env)
    world = _world()
    tokens = _tokens(world, "restart drill")
    from django.db import connections

    connections.close_all()
    server = start_app(env=env, log=var / "drill-restart.log", workers=2)
    statuses: list[tuple[float, int]] = []
    lock = threading.Lock()
    stop = threading.Event()
    t0 = time.monotonic()
    paths = [f"/api/v1/bonds/{world['bond']}", "/bench/floor/"]

    def reader(path: str) -> None:
        client = Client(server.port, timeout=10)
        while not stop.is_set():
            try:
                answer = client.json("GET", path, token=tokens["a"])
                status = answer.status
            except OSError:
                status = 0
            with lock:
                statuses.append((time.monotonic() - t0, status))
            time.sleep(0.02)

    threads = [threading.Thread(target=reader, args=(p,), daemon=True) for p in paths]
    for thread in threads:
        thread.start()
    options = _pg_options(cluster)
    pg_ctl = [*cluster.as_user, str(cluster.bindir / "pg_ctl"), "-D", str(cluster.datadir)]
    try:
        time.sleep(min(2.0, load_seconds / 4))
        down_at = time.monotonic() - t0
        subprocess.run(
            [*pg_ctl, "-m", "fast", "-w", "stop"],
            check=True,
            capture_output=True,
        )
        time.sleep(down_seconds)
        subprocess.run(
            [*pg_ctl, "-w", "-l", str(cluster.root / "log"), "-o", options, "start"],
            check=True,
            capture_output=True,
        )
        up_at = time.monotonic() - t0
        time.sleep(max(2.0, load_seconds - up_at))
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=15)
        alive = server.process.poll() is None
        server.stop()
    during = Counter(s for t, s in statuses if down_at <= t <= up_at)
    before = Counter(s for t, s in statuses if t < down_at)
    after = [(t, s) for t, s in statuses if t > up_at]
    first_ok = next((t for t, s in after if s == 200), None)
    tail = Counter(s for t, s in after if first_ok is not None and t >= first_ok)
    return {
        "requests": len(statuses),
        "before": dict(before),
        "while_down": dict(during),
        "after_restart": dict(Counter(s for _t, s in after)),
        "status_500": sum(s == 500 for _t, s in statuses),
        "down_seconds": round(up_at - down_at, 2),
        "back_after_seconds": None if first_ok is None else round(first_ok - up_at, 2),
        "errors_once_back": sum(n for s, n in tail.items() if s != 200),
        "app_process_survived": alive,
    }


def _pg_options(cluster: Any) -> str:
    """The options the cluster was started with (``postmaster.opts``), minus the binary
    and the data directory, to start it again the same way."""
    words = shlex.split((cluster.datadir / "postmaster.opts").read_text())[1:]
    kept: list[str] = []
    skip = False
    for word in words:
        if skip:
            skip = False
        elif word == "-D":
            skip = True
        else:
            kept.append(shlex.quote(word))
    return " ".join(kept)


# --- the driver ----------------------------------------------------------------------


def _env(var: Path, database_url: str, *, conn_max_age: int = 0) -> dict[str, str]:
    (var / "secret_key").write_text(secrets.token_urlsafe(48))
    (var / "master_key").write_text(secrets.token_urlsafe(32))
    return {
        "DATABASE_URL": database_url,
        "MUTUAL_PRODUCTION": "1",
        "MUTUAL_SSL_REDIRECT": "0",
        "MUTUAL_VAR_DIR": str(var),
        "MUTUAL_SECRET_KEY_FILE": str(var / "secret_key"),
        "MUTUAL_MASTER_KEY_FILE": str(var / "master_key"),
        "MUTUAL_CONN_MAX_AGE": str(conn_max_age),
        "MUTUAL_LOG_LEVEL": "CRITICAL",
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        **importable_env(),
    }


def _one(kind: str, rounds: int, seed: int, down_seconds: float) -> dict[str, Any]:
    from .web import start_postgres

    var = Path(tempfile.mkdtemp(prefix=f"mutual-drill-{kind}-"))
    cluster = None
    try:
        if kind == "sqlite":
            env = _env(var, f"sqlite:///{var / 'mutual.sqlite3'}")
            return kill_drill(env=env, rounds=rounds, var=var, seed=seed, pg_amcheck=None)
        cluster = start_postgres()
        if kind == "postgres":
            env = _env(var, cluster.url)
            amcheck = cluster.bindir / "pg_amcheck"
            return kill_drill(
                env=env,
                rounds=rounds,
                var=var,
                seed=seed,
                pg_amcheck=str(amcheck) if amcheck.exists() else None,
            )
        env = _env(var, cluster.url, conn_max_age=60)
        return restart_drill(
            env=env, var=var, cluster=cluster, down_seconds=down_seconds, load_seconds=12.0
        )
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(var, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.crash")
    parser.add_argument("kind", choices=["sqlite", "postgres", "restart"])
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--down-seconds", type=float, default=3.0)
    args = parser.parse_args(argv)
    # A stopped drill still stops its servers and database (``finally`` blocks run).
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(143))
    result = _one(args.kind, args.rounds, args.seed, args.down_seconds)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``mutual worker``: the one background process beside the app servers.

Every ``--interval`` seconds it queues the periodic jobs that are due
(:data:`mutual.tasks.PERIODIC`), runs every queued job (django-tasks' database backend)
and prunes old job results. ``--once`` does one round and exits (for cron or a test).
SIGTERM and SIGINT stop it between rounds.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import time
from types import FrameType

log = logging.getLogger("mutual.worker")


def run_worker(*, interval: float, once: bool, max_seconds: float | None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutual.config.settings")
    import django

    django.setup()
    from django.db import InterfaceError, OperationalError, close_old_connections, connections
    from django.utils import timezone
    from django.utils.crypto import get_random_string
    from django_tasks_db.management.commands.db_worker import Worker

    from mutual import tasks

    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    if not once:
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
    worker_id = f"mutual-{get_random_string(16)}"
    started = time.monotonic()
    while not stopping:
        close_old_connections()
        now = timezone.now()
        try:
            tasks.periodic_enqueue(at=now)
            Worker(
                queue_names=["*"],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id=worker_id,
                excluded_queue_names=[],
            ).run()
            tasks.results_prune(at=now)
        except (OperationalError, InterfaceError) as exc:
            # The database is restarting or out of reach: try again next round.
            if once:
                raise
            log.warning("database unavailable, retrying next round: %s", type(exc).__name__)
            connections.close_all()
        if once or (max_seconds is not None and time.monotonic() - started >= max_seconds):
            break
        deadline = time.monotonic() + interval
        while not stopping and time.monotonic() < deadline:
            time.sleep(min(0.5, interval))
    close_old_connections()
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "worker",
        help="run background jobs: notifications, expire invites, erase old addresses (run one)",
    )
    parser.add_argument(
        "--interval", type=float, default=60.0, help="seconds between rounds (default 60)"
    )
    parser.add_argument("--once", action="store_true", help="run one round, then exit")
    parser.add_argument(
        "--max-seconds", type=float, default=None, help="exit after this many seconds"
    )
    parser.set_defaults(
        func=lambda args: run_worker(
            interval=args.interval, once=args.once, max_seconds=args.max_seconds
        )
    )

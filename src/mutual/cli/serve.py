"""``mutual serve``: serve Mutual over HTTP.

``--dev`` runs Django's development server (static files, auto-reload off);
otherwise gunicorn serves ``mutual.config.wsgi`` with a few threaded workers.
"""

from __future__ import annotations

import argparse
import os
import sys

DESCRIPTION = """\
Serve Mutual. With --dev, Django's development server on --addr (default
127.0.0.1:8000). Without it, gunicorn with --workers processes (default 2) of
--threads threads (default 4), meant to sit behind your reverse proxy.
"""


def run_serve(*, dev: bool, addr: str, workers: int = 2, threads: int = 4) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutual.config.settings")
    if dev:
        from django.core.management import execute_from_command_line

        print(f"Mutual is at http://{addr}/  (press Ctrl+C to stop)", flush=True)
        execute_from_command_line(["mutual serve", "runserver", "--noreload", addr])
        return 0
    from gunicorn.app.wsgiapp import run

    sys.argv = [
        "gunicorn",
        "--bind",
        addr,
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--access-logfile",
        "-",
        "mutual.config.wsgi:application",
    ]
    run()
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("serve", help="serve Mutual over HTTP", description=DESCRIPTION)
    parser.add_argument(
        "--dev", action="store_true", help="use Django's development server (for trying it out)"
    )
    parser.add_argument(
        "--addr", default="127.0.0.1:8000", help="address and port to listen on (127.0.0.1:8000)"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes (2)")
    parser.add_argument("--threads", type=int, default=4, help="threads per process (4)")
    parser.set_defaults(
        func=lambda args: run_serve(
            dev=args.dev, addr=args.addr, workers=args.workers, threads=args.threads
        )
    )

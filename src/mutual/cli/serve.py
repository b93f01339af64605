"""``mutual serve``: serve Mutual over HTTP.

``--dev`` runs Django's development server (static files, auto-reload off);
otherwise gunicorn serves ``mutual.config.wsgi`` with a few threaded workers.
``MUTUAL_WORKERS`` and ``MUTUAL_THREADS`` set the defaults of ``--workers`` and
``--threads``; ``MUTUAL_ACCESS_LOG`` turns gunicorn's access log on (off by default).
"""

from __future__ import annotations

import argparse
import os
import sys

DESCRIPTION = """\
Serve Mutual. With --dev, Django's development server on --addr (default
127.0.0.1:8000). Without it, gunicorn with --workers processes (default 2, or
MUTUAL_WORKERS) of --threads threads (default 4, or MUTUAL_THREADS), meant to sit
behind your reverse proxy.
"""


#: One line a request, when ``MUTUAL_ACCESS_LOG`` is on: time, method, path without its
#: query, status, bytes sent, milliseconds. No address (the proxy's, and personal data
#: once believed), no query string, no referrer, no user agent, no cookie.
ACCESS_LOG_FORMAT = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


def access_log_on() -> bool:
    """Whether gunicorn writes its access log (``MUTUAL_ACCESS_LOG``; off by default)."""
    return os.environ.get("MUTUAL_ACCESS_LOG", "").strip().lower() in {"1", "true", "yes", "on"}


def _count(name: str, default: int) -> int:
    """A positive whole number from the environment, or ``default``."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise SystemExit(f"mutual serve: {name} must be a whole number of 1 or more, not {value!r}")
    return int(value)


def _positive(text: str) -> int:
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"a whole number of 1 or more, not {text!r}")
    return int(text)


def run_serve(*, dev: bool, addr: str, workers: int = 2, threads: int = 4) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutual.config.settings")
    if dev:
        from django.core.management import execute_from_command_line

        print(f"Mutual is at http://{addr}/  (press Ctrl+C to stop)", flush=True)
        execute_from_command_line(["mutual serve", "runserver", "--noreload", addr])
        return 0
    from gunicorn.app.wsgiapp import run

    print(
        f"Mutual serves on http://{addr}/ with {workers} worker"
        f"{'s' if workers != 1 else ''} of {threads} thread{'s' if threads != 1 else ''}",
        flush=True,
    )
    sys.argv = [
        "gunicorn",
        "--bind",
        addr,
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        # No control socket: gunicorn would put it in the home directory, at the same path
        # for every app process of the machine, and Mutual has no use for it.
        "--no-control-socket",
        *(
            ["--access-logfile", "-", "--access-logformat", ACCESS_LOG_FORMAT]
            if access_log_on()
            else []
        ),
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
    parser.add_argument(
        "--workers", type=_positive, help="gunicorn processes (MUTUAL_WORKERS, else 2)"
    )
    parser.add_argument(
        "--threads", type=_positive, help="threads per process (MUTUAL_THREADS, else 4)"
    )
    parser.set_defaults(
        func=lambda args: run_serve(
            dev=args.dev,
            addr=args.addr,
            workers=args.workers if args.workers else _count("MUTUAL_WORKERS", 2),
            threads=args.threads if args.threads else _count("MUTUAL_THREADS", 4),
        )
    )

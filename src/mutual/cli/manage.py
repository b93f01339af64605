"""``mutual manage …``: Django's management commands."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence


def run_manage(argv: Sequence[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutual.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["mutual manage", *argv])
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "manage",
        help="run one of Django's management commands (migrate, createsuperuser, …)",
        add_help=False,
    )
    parser.set_defaults(func=lambda args: run_manage(["help"]))

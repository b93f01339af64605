"""The ``mutual`` command.

Each sub-command lives in its own module of this package and exposes
``register(subparsers)``, which adds its parser and sets ``func`` to a callable taking
the parsed arguments and returning an exit status.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

COMMANDS = ("serve", "demo", "simulate", "rebuild", "export", "worker", "manage", "signin")


def installed_version() -> str:
    """The version of the installed package (pyproject.toml's, as ``pip install`` saw it)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mutual")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mutual",
        description="Mutual: build closeness as mutual vulnerability, safely.",
    )
    parser.add_argument("--version", action="version", version=f"mutual {installed_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"mutual.cli.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["manage"]:
        # Hand everything after `manage` to Django untouched.
        from mutual.cli.manage import run_manage

        return run_manage(args_list[1:])
    parser = build_parser()
    args = parser.parse_args(args_list)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return int(args.func(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

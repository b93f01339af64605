"""``mutual rebuild --check``: replay every bond's events and compare with its snapshot.

The state of a bond is a fold of its append-only events; the stored snapshot is a cache
of that fold. This command folds every bond's events again through the engine and lists
each bond whose snapshot differs. It changes nothing.
"""

from __future__ import annotations

import argparse
import os
import sys

DESCRIPTION = """\
Replay every bond's stored events through the engine and compare the result with the
bond's saved snapshot. Prints one line per bond whose snapshot differs and exits 1 if
there is any; exits 0 when every snapshot matches. Nothing is changed.
"""


def run_rebuild(*, check: bool, verbose: bool) -> int:
    if not check:
        print(
            "mutual rebuild: only checking is supported; run 'mutual rebuild --check'",
            file=sys.stderr,
        )
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutual.config.settings")
    import django

    django.setup()
    from mutual.bonds.ledger import replay
    from mutual.bonds.models import Bond

    checked = 0
    differing: list[str] = []
    for bond in Bond.objects.order_by("created_at", "id").iterator(chunk_size=200):
        try:
            result = replay(bond)
        except (ValueError, KeyError, TypeError) as exc:
            differing.append(str(bond.id))
            print(f"bond {bond.id}: its events cannot be replayed ({exc})")
            continue
        checked += 1
        if not result.matches:
            differing.append(result.bond_id)
            print(f"bond {result.bond_id}: snapshot differs from its {result.events} events")
        elif verbose:
            print(f"bond {result.bond_id}: {result.events} events, snapshot matches")
    if differing:
        print(f"{len(differing)} of {checked} bonds have a snapshot that differs from their events")
        return 1
    print(f"all {checked} bonds match their events")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "rebuild",
        help="replay every bond's events and check that the snapshots match",
        description=DESCRIPTION,
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="compare each snapshot with the replay of its events (required; changes nothing)",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="also list the bonds that match"
    )
    parser.set_defaults(func=lambda args: run_rebuild(check=args.check, verbose=args.verbose))

"""``mutual rebuild``: replay every bond's events through the engine.

The state of a bond is a fold of its append-only events; the stored snapshot and the
readings are a cache of that fold. ``--check`` folds every bond's events again and lists
each bond whose snapshot differs, changing nothing. Without ``--check`` it stores what
the events give under the current model: how existing bonds move to a new model.
"""

from __future__ import annotations

import argparse
import os

DESCRIPTION = """\
Replay every bond's stored events through the engine. With --check, compare the result
with each bond's saved snapshot: one line per bond whose snapshot differs, exit 1 if there
is any, 0 when every snapshot matches; nothing is changed. Without --check, store the
replayed snapshot and readings of every bond (the events are never touched): how bonds
move to a new version of the model.
"""


def _store_all(verbose: bool) -> int:
    from mutual.bonds.ledger import rebuild
    from mutual.bonds.models import Bond

    done = moved = 0
    for bond in Bond.objects.order_by("created_at", "id").iterator(chunk_size=200):
        try:
            changed = rebuild(bond)
        except (ValueError, KeyError, TypeError) as exc:
            print(f"bond {bond.id}: its events cannot be replayed ({exc}); left as it was")
            continue
        done += 1
        moved += changed
        if verbose:
            print(f"bond {bond.id}: {'rebuilt' if changed else 'already current'}")
    print(f"rebuilt {done} bonds from their events; {moved} snapshots changed")
    return 0


def run_rebuild(*, check: bool, verbose: bool) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutual.config.settings")
    import django

    django.setup()
    if not check:
        return _store_all(verbose)
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
        help="replay every bond's events: check the snapshots, or store them anew",
        description=DESCRIPTION,
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="only compare each snapshot with the replay of its events (changes nothing)",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="also list the bonds that match"
    )
    parser.set_defaults(func=lambda args: run_rebuild(check=args.check, verbose=args.verbose))

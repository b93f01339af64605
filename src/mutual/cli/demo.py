"""``mutual demo``: load Alice and Bob, partners with about three weeks of history.

Idempotent: when the demo bond exists, nothing changes and the logins are printed again.
"""

from __future__ import annotations

import argparse
import os

DESCRIPTION = """\
Create two demo people, Alice and Bob, in a partners bond with about three weeks of
history at depths 0-2 (written through Mutual's own services with past times), then
print their sign-in details. Running it again changes nothing.
"""


def run_demo() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutual.config.settings")
    import django

    django.setup()
    from django.utils import timezone

    from mutual.demo import seed as demo

    bond, created = demo.build(now=timezone.now())
    print("Demo bond " + ("created" if created else "already there") + f": {demo.summary(bond)}.")
    print("Sign in at http://127.0.0.1:8000/accounts/login/ as either of them:")
    for name, email in demo.PEOPLE:
        print(f"  {name:<6} {email:<20} password: {demo.PASSWORD}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "demo",
        help="load a demo bond (Alice and Bob) and print their logins",
        description=DESCRIPTION,
    )
    parser.set_defaults(func=lambda args: run_demo())

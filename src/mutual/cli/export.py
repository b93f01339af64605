"""``mutual export --email ADDRESS``: print one person's export as JSON.

The export is exactly the one the person downloads themselves
(:func:`mutual.yourdata.services.account_export`, read through the same selectors): what
they wrote — their own answers too, sealed or not — and the replies they received; never
their partner's words, and nothing of a partner once either of them left. It is noted in
the person's own security log as made by this command, so they can see it happened.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

DESCRIPTION = """\
Print the export of the person with this email address as JSON on standard output: the
same export they download themselves — what they wrote and the replies they received,
never their partner's words. Meant for an operator answering a person's request for
their own data; the export is recorded in the person's own security log as made by this
command.
"""

#: How the export shows in the person's security log (where a browser would be named).
DEVICE = "mutual export, run on the server"


def run_export(*, email: str, indent: int | None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutual.config.settings")
    import django

    django.setup()
    from django.utils import timezone

    from mutual.accounts.models import Person
    from mutual.yourdata.services import account_export

    person = Person.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if person is None:
        print(f"mutual export: no account has the email address {email.strip()!r}", file=sys.stderr)
        return 2
    data = account_export(person=person, at=timezone.now(), device=DEVICE)
    json.dump(data, sys.stdout, indent=indent, ensure_ascii=False, default=str)
    sys.stdout.write("\n")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "export",
        help="print one person's data export as JSON",
        description=DESCRIPTION,
    )
    parser.add_argument(
        "--email", required=True, metavar="ADDRESS", help="the person's email address"
    )
    parser.add_argument(
        "--compact", action="store_true", help="print the JSON on one line instead of indented"
    )
    parser.set_defaults(
        func=lambda args: run_export(email=args.email, indent=None if args.compact else 2)
    )

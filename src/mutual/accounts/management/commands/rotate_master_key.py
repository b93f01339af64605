"""``mutual manage rotate_master_key --new-key-file PATH``: wrap every data key and every
second-factor secret under a new master key, in one transaction.

Run it with the current key configured as usual; afterwards configure the new key
(``MUTUAL_MASTER_KEY`` or ``MUTUAL_MASTER_KEY_FILE``) and restart. Texts themselves are
not touched: they are sealed with the per-person data keys, which stay the same.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from mutual.accounts import crypto
from mutual.accounts.models import Person

#: The fields of allauth's authenticator data that hold sealed secrets.
SECRET_FIELDS = ("secret", "seed")


class Command(BaseCommand):
    help = "Re-wrap every data key and second-factor secret under a new master key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--new-key-file",
            required=True,
            help="File holding the new master key: 32 random bytes, base64url-encoded.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["new_key_file"])
        try:
            new = crypto._decode_key(path.read_text())
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot use {path} as the new master key: {exc}") from exc
        old = crypto.master_key()
        if new == old:
            raise CommandError("The new master key is the same as the current one.")
        people = secrets = 0
        with transaction.atomic():
            for person in Person.objects.select_for_update().exclude(wrapped_key=None):
                if not person.wrapped_key:
                    continue
                wrapped = crypto.rewrap_data_key(bytes(person.wrapped_key), old, new)
                Person.objects.filter(pk=person.pk).update(wrapped_key=wrapped)
                people += 1
            for authenticator in Authenticator.objects.select_for_update():
                data = dict(authenticator.data)
                changed = False
                for field in SECRET_FIELDS:
                    value = data.get(field)
                    if isinstance(value, str) and value.startswith("m1:"):
                        data[field] = crypto.seal_secret(crypto.open_secret(value, old), new)
                        changed = True
                if changed:
                    Authenticator.objects.filter(pk=authenticator.pk).update(data=data)
                    secrets += 1
        self.stdout.write(
            f"Re-wrapped {people} data keys and {secrets} second-factor secrets. "
            "Now configure the new master key and restart Mutual."
        )

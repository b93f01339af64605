"""Two changes of rule, carried over to what is already stored.

* Addresses must now be confirmed before an account signs in. Accounts made before could
  sign in without it, so the address each signed in with counts as confirmed (and an account without an
  address on record gets one): nobody is locked out by the change.
* A trusted-device mark now stops counting after a ``trust_ended`` line of the security
  log, where it used to stop after any ``sessions_revoked`` line. Each earlier
  ``sessions_revoked`` line gets its ``trust_ended`` twin, so every mark that had stopped
  counting still does.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.models import F


def forwards(apps: Any, schema_editor: Any) -> None:
    Person = apps.get_model("accounts", "Person")
    SecurityEvent = apps.get_model("accounts", "SecurityEvent")
    EmailAddress = apps.get_model("account", "EmailAddress")
    EmailAddress.objects.filter(verified=False, email=F("user__email")).update(verified=True)
    on_record = EmailAddress.objects.values("user_id")
    EmailAddress.objects.bulk_create(
        EmailAddress(user_id=p.pk, email=p.email, primary=True, verified=True)
        for p in Person.objects.exclude(pk__in=on_record).only("pk", "email")
    )
    SecurityEvent.objects.bulk_create(
        SecurityEvent(person_id=e.person_id, kind="trust_ended", at=e.at, detail={})
        for e in SecurityEvent.objects.filter(kind="sessions_revoked").only("person_id", "at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_hashed_sessions"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

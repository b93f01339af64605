"""Writes about a person's own account.

* :func:`account_signup` makes an account whose address is confirmed by a mailed link,
  and does the same work for an address that has one already (SECURITY.md 30).
* :func:`country_set` keeps the country whose support services the person is shown.
* :func:`checkpoint` folds SQLite's write-ahead log back into the database after an
  erasure, so no copy of the erased pages lingers beside it.

A person's export and the deletion of their account reach into every feature, so they
live above the features, in :mod:`mutual.yourdata`.
"""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext

from mutual.web import support

from .keys import KeysIn, keys_keep
from .models import Person


class CountryRefused(ValueError):
    """A country that is not one of the choices; nothing was changed."""


def country_set(*, person: Person, country: str) -> str:
    """Keep ``country`` (a code the operator lists, or ``""`` for none) as the country
    whose support services ``person`` is shown. Anything else is refused, unchanged."""
    code = str(country or "").strip().upper()
    if code and code not in dict(support.country_choices()):
        raise CountryRefused(gettext("Choose a country from the list, or “Another country”."))
    Person.objects.filter(pk=person.pk).update(country=code)
    person.country = code
    return code


def account_signup(
    *, request: HttpRequest, email: str, password: str, given: KeysIn | None = None
) -> None:
    """Sign ``email`` up with ``password`` (both already validated), the API's way; with
    ``given`` keys, ``password`` is the client's sign-in secret (docs/e2e.md).

    A new address gets an account that signs in once the link mailed to it is followed.
    An address that has an account gets the same work — one run of the password hasher,
    one mail — and nothing else: the account is left as it is, and its owner is told, in
    a short note, that someone tried (allauth's note, the one web sign-up sends)."""
    from allauth.account.adapter import get_adapter
    from allauth.account.models import EmailAddress

    if Person.objects.filter(email=email).exists():
        make_password(password)
        get_adapter(request).send_account_already_exists_mail(email)
        return
    try:
        with transaction.atomic():
            person = Person.objects.create_user(email, password, confirmed=False)
            if given is not None:
                keys_keep(person=person, given=given, at=timezone.now())
    except IntegrityError:
        # Made a moment ago by another request: that one mailed the link.
        return
    address = EmailAddress.objects.get(user=person, email=email)
    address.send_confirmation(request, signup=True)


def checkpoint(*, vacuum_people: bool = True) -> None:
    """Leave no copy of erased rows beside the live data.

    SQLite: fold the write-ahead log back into the database file and truncate it, so
    erased pages (zeroed by ``secure_delete``) leave no copy in the log. PostgreSQL:
    vacuum the table of people, so the dead row of a destroyed key is reclaimed now
    rather than whenever autovacuum comes by."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        elif vacuum_people and connection.vendor == "postgresql" and not connection.in_atomic_block:
            cursor.execute("VACUUM accounts_person")

"""SECURITY.md 9 with one query: a request reads its session and its person together.

Each session row names the person its data signed in (``mutual.accounts.session_store``),
so a signed-in request costs one query before its view. The row's person is never trusted
alone: Django's own check still decides — the data must name that person, the person must
be active and the hash of their password must still match — and a row that names nobody,
somebody else, or somebody gone is read as before."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from factories import person, signed_in
from mutual.accounts.models import HashedSession, Person
from mutual.accounts.session_store import hash_key

pytestmark = pytest.mark.django_db(transaction=True)

PAGE = "/accounts/security/log/"


def _row(client: Client) -> HashedSession:
    return HashedSession.objects.get(
        session_key=hash_key(client.cookies[settings.SESSION_COOKIE_NAME].value)
    )


def _signed_out(client: Client) -> bool:
    response = client.get(PAGE)
    return (
        response.status_code == 302
        and response["Location"].startswith(settings.LOGIN_URL)
        and not response.wsgi_request.user.is_authenticated
    )


def _read(client: Client) -> tuple[int, list[str]]:
    """The page's status and the tables its reads start from, in order."""
    with CaptureQueriesContext(connection) as captured:
        status = client.get(PAGE).status_code
    selects = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
    return status, [sql.split(" FROM ")[1].split()[0] for sql in selects]


def test_the_session_row_names_whom_it_signed_in_and_is_read_with_them() -> None:
    alice = person("Alice")
    client = signed_in(alice)
    assert _row(client).person_id == alice.pk
    status, tables = _read(client)
    assert status == 200
    assert tables == ['"accounts_hashedsession"', '"accounts_securityevent"']


def test_signing_out_leaves_no_row_naming_the_person() -> None:
    alice = person("Alice")
    client = signed_in(alice)
    client.post("/accounts/logout/")
    assert not HashedSession.objects.filter(person=alice).exists()


def test_a_row_naming_nobody_is_read_as_before() -> None:
    """A row saved before rows named their person: the person is read apart."""
    alice = person("Alice")
    client = signed_in(alice)
    HashedSession.objects.filter(pk=_row(client).pk).update(person=None)
    status, tables = _read(client)
    assert status == 200
    assert tables[:2] == ['"accounts_hashedsession"', '"accounts_person"']


def test_a_row_naming_someone_else_signs_in_only_whom_the_data_names() -> None:
    alice, bob = person("Alice"), person("Bob")
    client = signed_in(alice)
    HashedSession.objects.filter(pk=_row(client).pk).update(person=bob)
    status, tables = _read(client)
    assert status == 200
    assert tables[:2] == ['"accounts_hashedsession"', '"accounts_person"']
    assert client.get(PAGE).wsgi_request.user.pk == alice.pk


def test_a_password_changed_behind_the_apps_back_still_ends_the_session() -> None:
    """The person is read afresh with the session: the hash of the new password no longer
    matches the session's, so nobody is signed in."""
    alice = person("Alice")
    client = signed_in(alice)
    Person.objects.filter(pk=alice.pk).update(password=make_password("another long secret"))
    assert _signed_out(client)


def test_a_person_turned_off_is_signed_in_nowhere() -> None:
    alice = person("Alice")
    client = signed_in(alice)
    Person.objects.filter(pk=alice.pk).update(is_active=False)
    assert _signed_out(client)


def test_a_person_who_is_gone_is_signed_in_nowhere() -> None:
    alice = person("Alice")
    client = signed_in(alice)
    Person.objects.filter(pk=alice.pk).delete()
    assert HashedSession.objects.count() == 1  # the row names them, without a constraint
    _status, tables = _read(client)
    assert tables[:2] == ['"accounts_hashedsession"', '"accounts_person"']
    assert _signed_out(client)

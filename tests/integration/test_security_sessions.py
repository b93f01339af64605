"""SECURITY.md 9 and 15, at the session table: keys are stored hashed, ending a device
session deletes its session, and the signed-in pages no longer read the device list.

The cookie carries the session key; the table holds only sha256 of it (the digest the
device session keeps too). Revoking one browser, signing out everywhere, a password
reset and signing out each delete the sessions they end, so that a revoked cookie finds
no session and its browser is simply signed out."""

from __future__ import annotations

import hashlib
import time
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from test_security_accounts import _reset, _reset_link

from factories import PASSWORD, person, reauthenticated, signed_in
from mutual.accounts import sessions
from mutual.accounts.models import DeviceSession, HashedSession, Person
from mutual.accounts.session_store import SessionStore, hash_key
from mutual.web.security import LAST_ACTIVITY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def _key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _stored_keys() -> list[str]:
    """The primary keys of the session table, read with plain SQL."""
    table = connection.ops.quote_name(HashedSession._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT session_key FROM {table}")  # noqa: S608 (a table name)
        return [row[0] for row in cursor.fetchall()]


def _is_signed_in(client: Client) -> bool:
    return client.get("/accounts/security/").status_code == 200


def _browser(who: Person, agent: str) -> Client:
    return signed_in(who, Client(HTTP_USER_AGENT=agent))


# -- Keys are stored hashed ---------------------------------------------------------------


def test_req9_the_session_table_holds_no_session_key() -> None:
    alice = person("Alice")
    phone, laptop = _browser(alice, "Phone"), _browser(alice, "Laptop")
    stored = _stored_keys()
    for client in (phone, laptop):
        key = _key(client)
        assert len(key) == 32
        assert key not in stored
        assert hashlib.sha256(key.encode()).hexdigest() in stored
        # The digest is the one the session list keeps for the same browser.
        assert DeviceSession.objects.filter(session_key_hash=hash_key(key)).exists()
    everything = "".join(
        repr(row) for row in HashedSession.objects.values_list("session_key", "session_data")
    )
    assert _key(phone) not in everything
    assert _key(laptop) not in everything


def test_req9_no_session_reaches_djangos_own_table() -> None:
    from django.contrib.sessions.models import Session

    alice = person("Alice")
    _browser(alice, "Phone")
    assert Session.objects.count() == 0
    assert settings.SESSION_ENGINE == "mutual.accounts.session_store"
    assert sessions._hash("k" * 32) == hash_key("k" * 32)


def test_the_store_reads_writes_and_deletes_by_digest() -> None:
    store = SessionStore()
    store["colour"] = "blue"
    store.create()
    key = store.session_key
    assert key is not None
    assert _stored_keys() == [hash_key(key)]
    assert store.exists(key)
    again = SessionStore(key)
    assert again["colour"] == "blue"
    again["colour"] = "green"
    again.save()
    assert SessionStore(key)["colour"] == "green"
    # A cookie that holds the digest itself opens nothing.
    assert SessionStore(hash_key(key)).load() == {}
    again.cycle_key()
    assert again.session_key != key
    assert _stored_keys() == [hash_key(again.session_key or "")]
    again.delete()
    assert _stored_keys() == []


def test_the_store_keeps_to_digests_when_used_asynchronously() -> None:
    async def round_trip() -> tuple[str, bool, dict[str, object], list[str]]:
        store = SessionStore()
        store["colour"] = "blue"
        await store.acreate()
        key = store.session_key or ""
        stored = await sync_to_async(_stored_keys)()
        exists = await store.aexists(key)
        loaded = await SessionStore(key).aload()
        await store.adelete()
        return key, exists, loaded, stored

    key, exists, loaded, stored = async_to_sync(round_trip)()
    assert stored == [hash_key(key)]
    assert exists
    assert loaded == {"colour": "blue"}
    assert _stored_keys() == []


def test_clearsessions_removes_expired_sessions_only() -> None:
    old, fresh = SessionStore(), SessionStore()
    old.set_expiry(timezone.now() - timedelta(days=1))
    old["x"] = 1
    old.create()
    fresh["x"] = 2
    fresh.create()
    call_command("clearsessions")
    assert _stored_keys() == [hash_key(fresh.session_key or "")]


# -- Revoking deletes the session ----------------------------------------------------------


def test_req9_revoking_one_browser_deletes_its_session_and_leaves_the_others() -> None:
    alice, bob = person("Alice"), person("Bob")
    phone, laptop = _browser(alice, "Phone"), _browser(alice, "Laptop")
    bobs = _browser(bob, "Bob's phone")
    device = DeviceSession.objects.get(person=alice, user_agent="Phone")
    assert device.session_key_hash == hash_key(_key(phone))
    laptop.post(f"/accounts/sessions/{device.pk}/revoke/")
    assert hash_key(_key(phone)) not in _stored_keys()
    device.refresh_from_db()
    assert device.revoked_at is not None
    response = phone.get("/accounts/security/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert '"storage"' in response["Clear-Site-Data"]
    assert not _is_signed_in(phone)
    assert _is_signed_in(laptop)
    assert _is_signed_in(bobs)


def test_req9_revoking_this_browser_from_the_list_signs_it_out_here() -> None:
    alice = person("Alice")
    laptop = _browser(alice, "Laptop")
    device = DeviceSession.objects.get(person=alice)
    response = laptop.post(f"/accounts/sessions/{device.pk}/revoke/")
    assert response.status_code == 302
    assert '"storage"' in response["Clear-Site-Data"]
    assert _stored_keys() == []
    assert not _is_signed_in(laptop)


def test_req9_sign_out_everywhere_ends_every_session_of_the_person_only() -> None:
    alice, bob = person("Alice"), person("Bob")
    phone, laptop, tablet = (_browser(alice, agent) for agent in ("Phone", "Laptop", "Tablet"))
    bobs = _browser(bob, "Bob's phone")
    response = reauthenticated(laptop).post("/accounts/sessions/revoke-all/")
    assert response["Location"].startswith("/accounts/login/")
    assert _stored_keys() == [hash_key(_key(bobs))]
    assert not DeviceSession.objects.filter(person=alice, revoked_at__isnull=True).exists()
    for client in (phone, laptop, tablet):
        assert not _is_signed_in(client)
    assert _is_signed_in(bobs)


def test_req15_a_password_reset_ends_every_session() -> None:
    alice, bob = person("Alice"), person("Bob")
    phone, laptop = _browser(alice, "Phone"), _browser(alice, "Laptop")
    bobs = _browser(bob, "Bob's phone")
    assert _reset(_reset_link(alice), "a brand new and long passphrase") == 302
    assert hash_key(_key(phone)) not in _stored_keys()
    assert hash_key(_key(laptop)) not in _stored_keys()
    assert not _is_signed_in(phone)
    assert not _is_signed_in(laptop)
    assert _is_signed_in(bobs)


def test_req9_signing_out_deletes_the_session_and_marks_the_browser() -> None:
    alice = person("Alice")
    phone, laptop = _browser(alice, "Phone"), _browser(alice, "Laptop")
    key = _key(phone)
    phone.post("/accounts/logout/")
    assert hash_key(key) not in _stored_keys()
    assert DeviceSession.objects.get(session_key_hash=hash_key(key)).revoked_at is not None
    assert _is_signed_in(laptop)


def test_a_visit_without_a_session_cookie_clears_nothing() -> None:
    response = Client().get("/accounts/login/")
    assert "Clear-Site-Data" not in response


def test_req9_a_session_that_never_registered_its_device_is_refused() -> None:
    alice = person("Alice")
    client = _browser(alice, "Laptop")
    session = client.session
    del session[sessions.DEVICE_MARK]
    session.save()
    response = client.get("/accounts/security/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert '"storage"' in response["Clear-Site-Data"]
    assert not _is_signed_in(client)


def test_req9_a_test_client_sign_in_registers_its_device_too() -> None:
    alice = person("Alice")
    client = Client(HTTP_USER_AGENT="Test client")
    client.force_login(alice)
    assert DeviceSession.objects.get(person=alice).session_key_hash == hash_key(_key(client))
    assert _is_signed_in(client)


# -- No device read per request; "last seen" moves with the activity stamp -------------------


def _seen(client: Client) -> DeviceSession:
    return DeviceSession.objects.get(session_key_hash=hash_key(_key(client)))


def _activity_at(client: Client, seconds_ago: float) -> None:
    session = client.session
    session[LAST_ACTIVITY] = int(time.time() - seconds_ago)
    session.save()


def test_req9_last_seen_is_written_once_a_minute_has_passed() -> None:
    alice = person("Alice")
    client = _browser(alice, "Laptop")
    client.get("/accounts/security/")
    long_ago = timezone.now() - timedelta(hours=1)
    DeviceSession.objects.filter(person=alice).update(last_seen_at=long_ago)

    _activity_at(client, 30)  # within the minute: neither the stamp nor "last seen" moves
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/accounts/security/log/").status_code == 200
    assert _seen(client).last_seen_at == long_ago
    assert not any("UPDATE" in query["sql"] for query in captured.captured_queries)

    _activity_at(client, 90)  # a minute and a half later
    before = timezone.now()
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/accounts/security/log/").status_code == 200
    assert _seen(client).last_seen_at >= before - timedelta(seconds=1)
    device_queries = [
        query["sql"]
        for query in captured.captured_queries
        if "accounts_devicesession" in query["sql"]
    ]
    assert len(device_queries) == 1
    assert device_queries[0].startswith("UPDATE")


def test_changing_the_password_keeps_this_browser_signed_in_and_ends_the_others() -> None:
    """The new password rotates this browser's session key: its entry in the session list
    follows the new key, so it stays signed in; every other browser is signed out."""
    alice = person("Alice")
    here = reauthenticated(_browser(alice, "Here"))
    elsewhere = _browser(alice, "Elsewhere")
    old_key = _key(here)
    new = "a fresh and rather longer passphrase"
    changed = here.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
    )
    assert changed.status_code == 302
    assert _key(here) != old_key
    assert _is_signed_in(here)
    assert not _is_signed_in(elsewhere)
    mine = DeviceSession.objects.get(person=alice, user_agent="Here")
    assert mine.session_key_hash == hash_key(_key(here))
    assert mine.revoked_at is None
    assert hash_key(old_key) not in _stored_keys()

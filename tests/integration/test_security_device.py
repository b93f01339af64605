"""SECURITY.md 2, 3, 6, 7 and 23 on the server side: the idle lock enforced by the
server, the quick exit without JavaScript, edits marked after the reveal, no receipts
or presence, deletion from the web, and the "who can see what" page built from the
running configuration."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from factories import (
    CANARY,
    PASSWORD,
    T0,
    World,
    person,
    reauthenticated,
    signed_in,
    world,
)
from mutual.accounts.models import Person
from mutual.bonds import services
from mutual.bonds.models import Bond
from mutual.web.security import LAST_ACTIVITY

pytestmark = pytest.mark.django_db


def _idle(client: Client, minutes: float) -> None:
    session = client.session
    session[LAST_ACTIVITY] = int(time.time() - minutes * 60)
    session.save()


# -- 6. Idle lock, enforced by the server ----------------------------------------------------


def test_req6_server_locks_a_session_idle_longer_than_the_persons_choice() -> None:
    alice = person("Alice")
    client = signed_in(alice)
    assert client.get("/accounts/security/").status_code == 200
    _idle(client, 16)
    response = client.get("/accounts/security/")
    assert response.status_code == 302
    assert "locked" in response["Location"]
    assert client.get("/accounts/security/").status_code == 302  # the session is gone


def test_req6_a_session_used_within_the_limit_stays_open() -> None:
    alice = person("Alice")
    client = signed_in(alice)
    _idle(client, 14)
    assert client.get("/accounts/security/").status_code == 200


@pytest.mark.parametrize(
    ("choice", "idle", "locked"), [(2, 3, True), (2, 1, False), (60, 59, False), (60, 61, True)]
)
def test_req6_idle_lock_minutes_are_the_persons_choice(
    choice: int, idle: float, locked: bool
) -> None:
    alice = person("Alice")
    client = signed_in(alice)
    client.post("/accounts/idle-lock/", {"minutes": str(choice)})
    assert Person.objects.get(pk=alice.pk).idle_lock_minutes == choice
    _idle(client, idle)
    assert (client.get("/accounts/security/").status_code == 302) is locked


@pytest.mark.parametrize("minutes", ["1", "61", "", "fifteen"])
def test_req6_idle_lock_outside_2_to_60_is_refused_and_changes_nothing(minutes: str) -> None:
    alice = person("Alice")
    client = signed_in(alice)
    response = client.post("/accounts/idle-lock/", {"minutes": minutes}, follow=True)
    assert b"between 2 and 60" in response.content
    assert Person.objects.get(pk=alice.pk).idle_lock_minutes == 15


# -- 6 and 7. Quick exit and lock without JavaScript -----------------------------------------


def test_req6_quick_exit_without_javascript_signs_out_and_leaves() -> None:
    alice = person("Alice")
    client = signed_in(alice)
    response = client.post("/exit/")  # the control is a form: it posts without JavaScript
    assert response.status_code == 302
    assert response["Location"].startswith("https://")
    assert "mutual" not in response["Location"].lower()
    assert '"storage"' in response["Clear-Site-Data"]
    assert client.get("/accounts/security/").status_code == 302


def test_req6_quick_exit_link_is_on_every_page() -> None:
    alice = person("Alice")
    client = signed_in(alice)
    for url in ("/", "/bonds/", "/accounts/security/", "/who-sees-what/", "/accounts/2fa/"):
        html = client.get(url, follow=True).content.decode()
        assert html.count("data-quick-exit=") == 1, url
        assert 'action="/exit/"' in html
        assert "/static/mutual/device.js" in html


def test_req7_lock_signs_out_and_clears_site_data() -> None:
    alice = person("Alice")
    client = signed_in(alice)
    response = client.post("/lock/")
    assert response["Location"].startswith("/accounts/login/")
    assert '"cache"' in response["Clear-Site-Data"]
    assert client.get("/accounts/security/").status_code == 302


# -- 2 and 3. Edits are marked; no receipts or presence ------------------------------------------


def test_req2_an_edit_after_the_reveal_is_marked_with_its_date() -> None:
    w = world()
    later = T0 + timedelta(days=3)
    services.revelation_write(
        exchange=w.exchange, author=w.alice, body=CANARY + " (edited)", emotional=False, at=later
    )
    page = signed_in(w.bob).get(f"/exchanges/{w.exchange.pk}/").content.decode()
    assert CANARY + " (edited)" in page
    assert "edited 5 March 2026" in page


def _bob_sees(w: World) -> list[str]:
    bob = signed_in(w.bob)
    pages = []
    for url in ("/bonds/", f"/bonds/{w.bond.pk}/", f"/exchanges/{w.exchange.pk}/"):
        html = bob.get(url).content.decode()
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
        pages.append(re.sub(r'nonce="[^"]+"', "", html))
    return pages


def test_req3_reading_leaves_no_receipt_and_no_presence() -> None:
    w = world()
    before = _bob_sees(w)
    alice = signed_in(w.alice)
    alice.get(f"/bonds/{w.bond.pk}/")
    alice.get(f"/exchanges/{w.exchange.pk}/")
    after = _bob_sees(w)
    assert before == after
    for word in ("online", "last seen", "typing", "read at", "seen at"):
        assert word not in " ".join(after).lower()


# -- Account deletion from the web ---------------------------------------------------------------


def test_deleting_the_account_from_the_web_needs_confirmation_and_fresh_password() -> None:
    w = world()
    client = reauthenticated(signed_in(w.alice))
    response = client.post("/accounts/delete/", {})
    assert response.status_code == 422
    assert Person.objects.filter(pk=w.alice.pk).exists()
    response = client.post("/accounts/delete/", {"confirm": "delete"})
    assert response.status_code == 200
    assert "Clear-Site-Data" in response
    assert not Person.objects.filter(pk=w.alice.pk).exists()
    assert Bond.objects.get(pk=w.bond.pk).status == Bond.Status.ENDED
    again = Client().post("/accounts/login/", {"login": w.alice.email, "password": PASSWORD})
    assert again.status_code == 200  # no such account any more


# -- 23. Who can see what, from the running configuration ---------------------------------------


def test_req23_who_sees_what_page_follows_the_running_configuration(
    settings: Any, production_hashers: list[str]
) -> None:
    page = Client().get("/who-sees-what/").content.decode()
    assert "at least 12 characters" in page
    assert "for 30 minutes" in page
    assert "19 MiB" in page
    assert "MutualArgon2Hasher (Argon2id" in page
    assert "totp and recovery_codes" in page
    assert "nothing at all" in page or "None of them holds" in page
    settings.PASSWORD_RESET_TIMEOUT = 10 * 60
    settings.AUTH_PASSWORD_VALIDATORS = [
        {
            "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
            "OPTIONS": {"min_length": 16},
        }
    ]
    page = Client().get("/who-sees-what/").content.decode()
    assert "for 10 minutes" in page
    assert "at least 16 characters" in page
    assert "commonly used password" not in page

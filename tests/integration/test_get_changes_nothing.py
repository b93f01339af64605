"""A GET changes nothing: every state change is a POST (or another unsafe method) with its
CSRF check, so no page elsewhere can lock, sign out, export or write anything for a
person with an image tag or a link.

The sweep GETs every route of the URLconf as Alice — signed in, with a bond, answers,
replies, a check-in, a difference, a report and an API token — and compares every row of
every table before and after. Only the traces that counting requests needs are left out
(:data:`BOOKKEEPING`); a session that ends still shows, as its row disappears. The scene
is built once for the sweep (``built_once``); each route's GET runs in its own savepoint,
from a browser holding the cookies Alice's browser had when the scene was built.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from factories import (
    LATER_DAY,
    PASSWORD,
    World,
    built_once,
    honor_both_ways,
    person,
    reauthenticated,
    signed_in,
    world,
)
from mutual.accounts.models import Person, SecurityEvent
from mutual.api.tokens import token_issue
from mutual.bonds import services
from mutual.checkins import services as checkin_services
from mutual.differences import services as difference_services
from mutual.notifications.messages import unsubscribe_token
from mutual.safety import services as safety_services

pytestmark = pytest.mark.django_db

#: Columns a request writes about itself, not about what it means: the session's activity
#: stamp (at most once a minute), when a browser or a token was last seen, and the API's
#: request counters. Everything else of every table is compared.
BOOKKEEPING: dict[str, set[str] | None] = {
    "accounts_hashedsession": {"session_data", "expire_date"},
    "accounts_devicesession": {"last_seen_at"},
    "accounts_apitoken": {"last_used_at"},
    "api_ratecounter": None,  # the whole table: it counts requests, GETs included
}


#: The one GET that writes, by design: the API's export is noted in the person's own
#: security log. It needs a bearer token, which no browser sends on its own, so no other
#: page can cause it. (The web's export is a POST.)
AUDITED_READS = {"me_export"}


def _exports(who: Person) -> int:
    return SecurityEvent.objects.filter(person=who, kind="export").count()


def _tables() -> list[str]:
    return sorted(t for t in connection.introspection.table_names() if not t.startswith("sqlite_"))


def _dump() -> dict[str, list[str]]:
    """Every row of every table (less :data:`BOOKKEEPING`), as sorted text."""
    found: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        for table in _tables():
            skip = BOOKKEEPING.get(table, set())
            if skip is None:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            names = [column[0] for column in cursor.description]
            rows = []
            for row in cursor.fetchall():
                kept = {
                    name: bytes(value) if isinstance(value, memoryview) else value
                    for name, value in zip(names, row, strict=True)
                    if name not in skip
                }
                rows.append(repr(sorted(kept.items())))
            found[table] = sorted(rows)
    return found


def _changed(before: dict[str, list[str]], after: dict[str, list[str]]) -> dict[str, str]:
    return {
        table: f"{len(before.get(table, []))} rows before, {len(after.get(table, []))} after"
        for table in sorted(set(before) | set(after))
        if before.get(table) != after.get(table)
    }


def _diff(before: dict[str, list[str]], after: dict[str, list[str]]) -> list[str]:
    return [
        f"{table}: -{sorted(set(before.get(table, [])) - set(after.get(table, [])))} "
        f"+{sorted(set(after.get(table, [])) - set(before.get(table, [])))}"
        for table in _changed(before, after)
    ]


def _browser(who: Person) -> Client:
    """A browser that sends the CSRF token only where a page of Mutual gave it one."""
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/login/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/accounts/login/",
        {"login": who.email, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    return client


@dataclass
class Scene:
    w: World
    alice: Client
    token: str
    values: dict[str, str]


def _scene() -> Scene:
    # Tagged addresses: the other tests of this module make their own Alice beside it.
    w = world(tag="-scene")
    honor_both_ways(w, LATER_DAY)
    at = LATER_DAY + timedelta(hours=1)
    checkin_services.checkin_submit(
        bond=w.bond,
        person=w.alice,
        feeling="calm",
        intensity=3,
        guess_feeling="calm",
        guess_intensity=3,
        at=at,
    )
    difference = difference_services.difference_raise(
        bond=w.bond, person=w.bob, topic="Sundays", at=at
    )
    report = safety_services.breach_report(person=w.alice, bond=w.bond, kind="deception", at=at)
    other = services.bond_create(creator=w.charlie, kind="friends", at=at)
    _invite, code = services.invite_create(bond=other, by=w.charlie, at=at)
    client = reauthenticated(signed_in(w.alice))  # so export and the like answer too
    # As a sign-up through the web would have left it (the email page makes it otherwise).
    EmailAddress.objects.get_or_create(
        user=w.alice, email=w.alice.email, defaults={"primary": True, "verified": True}
    )
    _token, raw = token_issue(person=w.alice, label="phone", at=timezone.now())  # fresh
    device = w.alice.device_sessions.order_by("created_at").first()
    round_ = w.bond.checkin_rounds.first()
    assert device is not None
    assert round_ is not None
    values = {
        "bond_id": str(w.bond.pk),
        "exchange_id": str(w.exchange.pk),
        "revelation_id": str(w.bob_rev.pk),
        "difference_id": str(difference.pk),
        "round_id": str(round_.pk),
        "report_id": str(report.pk),
        "device_id": str(device.pk),
        "token_id": str(_token.pk),
        "code": code,
        "token": unsubscribe_token(w.alice),  # a real one: opening it must only ask
        "step": "perspective",
        "slug": "trust",
        "key": "not-a-key",
        "uidb36": "1",
        "rest": "nothing-here",
    }
    return Scene(w, client, raw, values)


def _routes(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.name or str(entry.pattern)


def _path(route: str, values: dict[str, str]) -> str:
    """A route with every parameter filled in (Django's ``<conv:name>`` and regex groups)."""
    route = route.replace("^", "").replace("$", "")
    route = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m[1]], route)
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values[m[1]], route)
    return "/" + route


@pytest.fixture(scope="module")
def built_scene(django_db_setup: None, django_db_blocker: Any) -> Iterator[Scene]:
    yield from built_once(django_db_blocker, _scene)


@pytest.fixture
def scene(built_scene: Scene) -> Scene:
    """The scene as built: the same rows, and a browser with Alice's cookies of then."""
    browser = Client()
    browser.cookies = copy.deepcopy(built_scene.alice.cookies)
    return Scene(copy.deepcopy(built_scene.w), browser, built_scene.token, built_scene.values)


ROUTES = sorted(set(_routes(get_resolver().url_patterns)))


@pytest.mark.parametrize(("route", "name"), ROUTES, ids=[name for _r, name in ROUTES])
def test_f10_no_get_changes_any_row(route: str, name: str, scene: Scene) -> None:
    path = _path(route, scene.values)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {scene.token}"} if path.startswith("/api/") else {}
    before = _dump()
    logged = _exports(scene.w.alice)
    response = scene.alice.get(path, **headers)
    assert response.status_code < 500, (path, response.status_code)
    after = _dump()
    if name in AUDITED_READS:
        assert response.status_code == 200
        assert _exports(scene.w.alice) == logged + 1
        before.pop("accounts_securityevent")
        after.pop("accounts_securityevent")
    assert _changed(before, after) == {}, (path, _diff(before, after))


def test_f10_an_image_tag_on_lock_changes_nothing() -> None:
    alice = person("Alice")
    client = signed_in(alice)
    logged = SecurityEvent.objects.filter(person=alice).count()
    response = client.get("/lock/")
    assert response.status_code == 200
    assert b'method="post"' in response.content
    assert SecurityEvent.objects.filter(person=alice).count() == logged
    assert client.get("/accounts/security/").status_code == 200  # still signed in


def test_f10_lock_needs_post_with_the_csrf_token() -> None:
    alice = person("Alice")
    client = _browser(alice)
    assert client.post("/lock/").status_code == 403  # a form on another site
    assert client.get("/accounts/security/").status_code == 200
    token = client.cookies["csrftoken"].value
    response = client.post("/lock/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert '"cache"' in response["Clear-Site-Data"]
    assert client.get("/accounts/security/").status_code == 302  # signed out
    kinds = SecurityEvent.objects.filter(person=alice).values_list("kind", flat=True)
    assert "idle_lock" in kinds


def test_f10_lock_once_signed_out_leads_to_sign_in() -> None:
    response = Client().get("/lock/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?locked=1"


def test_f10_quick_exit_by_get_leaves_but_signs_nobody_out() -> None:
    alice = person("Alice")
    client = signed_in(alice)
    response = client.get("/exit/")
    assert response.status_code == 302
    assert response["Location"].startswith("https://")
    assert client.get("/accounts/security/").status_code == 200


def test_f10_quick_exit_signs_out_by_post_and_always_leaves() -> None:
    alice = person("Alice")
    client = _browser(alice)
    refused = client.post("/exit/")  # no token: still leaves for the neutral page
    assert refused.status_code == 302
    assert refused["Location"].startswith("https://")
    assert client.get("/accounts/security/").status_code == 200
    token = client.cookies["csrftoken"].value
    response = client.post("/exit/", {"csrfmiddlewaretoken": token})
    assert response["Location"].startswith("https://")
    assert '"storage"' in response["Clear-Site-Data"]
    assert client.get("/accounts/security/").status_code == 302
    assert Person.objects.filter(pk=alice.pk).exists()

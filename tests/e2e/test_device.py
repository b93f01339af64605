"""SECURITY.md 6 and 7 at the device, in Chromium: the quick exit (a control and
Escape twice) leaves no way back by the Back button; the idle lock signs out after the
person's chosen minutes; and no revelation text reaches any browser storage."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from factories import PASSWORD, bond_of, person
from mutual.accounts.models import Person
from mutual.bonds import services
from mutual.bonds.models import Prompt
from mutual.safety import services as safety_services

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CANARY = "DEVICE-CANARY-4d1e-what-I-never-told-anyone"
NEUTRAL = "https://www.wikipedia.org/"
AT = datetime(2026, 3, 2, 9, tzinfo=UTC)


def _bond_with_canary(alice_answers: bool = True) -> tuple[Any, Any]:
    alice, bob = person("Alice"), person("Bob")
    bond = bond_of(alice, bob, at=AT)
    prompt = Prompt.objects.create(text="What do you keep to yourself?", depth=0, theme="joys")
    exchange = services.exchange_open(bond=bond, by=alice, prompt=prompt, at=AT)
    if alice_answers:
        services.revelation_write(
            exchange=exchange, author=alice, body=CANARY, emotional=False, at=AT
        )
        services.revelation_write(
            exchange=exchange, author=bob, body="Bob's answer", emotional=False, at=AT
        )
    return bond, exchange


def _signed_in_page(new_context: Callable[[], Any], server: str, clock: bool = False) -> Any:
    context = new_context()
    # The neutral site is answered locally: no test ever reaches the network.
    context.route(
        lambda url: url.startswith(NEUTRAL),
        lambda route: route.fulfill(
            body="<!doctype html><title>Wikipedia</title><p>Neutral</p>", content_type="text/html"
        ),
    )
    page = context.new_page()
    if clock:
        page.clock.install(time=AT)
    page.goto(server + "/accounts/login/")
    page.fill("input[name=login]", "alice@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/bonds/**")
    return page


def _nothing_of_alice_is_back(page: Any) -> None:
    page.wait_for_load_state()
    assert CANARY not in page.content()
    assert "/exchanges/" not in page.url


@pytest.mark.parametrize("how", ["escape twice", "quick exit control"])
def test_req6_quick_exit_replaces_the_page_and_back_does_not_return(
    how: str, server: str, new_context: Callable[[], Any]
) -> None:
    bond, exchange = _bond_with_canary()
    page = _signed_in_page(new_context, server)
    page.goto(f"{server}/bonds/{bond.pk}/")
    page.goto(f"{server}/exchanges/{exchange.pk}/")
    assert CANARY in page.content()
    if how == "escape twice":
        page.keyboard.press("Escape")
        page.keyboard.press("Escape")
    else:
        page.locator("[data-quick-exit]").click()
    page.wait_for_url(lambda url: url.startswith(NEUTRAL))
    assert page.title() == "Wikipedia"
    page.go_back()
    _nothing_of_alice_is_back(page)
    page.go_back()
    _nothing_of_alice_is_back(page)
    # And the session is over: Mutual asks to sign in again.
    page.goto(f"{server}/exchanges/{exchange.pk}/")
    assert "/accounts/login/" in page.url
    assert CANARY not in page.content()


def test_req6_quick_exit_control_is_on_every_page(
    server: str, new_context: Callable[[], Any]
) -> None:
    bond, exchange = _bond_with_canary()
    page = _signed_in_page(new_context, server)
    for path in (
        "/",
        "/bonds/",
        f"/bonds/{bond.pk}/",
        f"/exchanges/{exchange.pk}/",
        "/accounts/security/",
        "/who-sees-what/",
    ):
        page.goto(server + path)
        assert page.locator("[data-quick-exit]").count() == 1, path


def test_req6_idle_lock_signs_out_after_fifteen_minutes(
    server: str, new_context: Callable[[], Any]
) -> None:
    _bond, exchange = _bond_with_canary()
    page = _signed_in_page(new_context, server, clock=True)
    page.goto(f"{server}/exchanges/{exchange.pk}/")
    page.clock.fast_forward("10:00")
    assert "/exchanges/" in page.url  # ten quiet minutes: still open
    page.clock.fast_forward("05:30")
    page.wait_for_url("**/accounts/login/**")
    assert CANARY not in page.content()
    page.goto(f"{server}/exchanges/{exchange.pk}/")
    assert "/accounts/login/" in page.url


def test_f10_idle_lock_and_quick_exit_sign_out_by_post_with_the_csrf_token(
    server: str, new_context: Callable[[], Any]
) -> None:
    from mutual.accounts.models import SecurityEvent

    _bond, exchange = _bond_with_canary()
    Person.objects.filter(email="alice@example.org").update(idle_lock_minutes=2)
    page = _signed_in_page(new_context, server, clock=True)
    sent: list[tuple[str, str, str]] = []
    page.on(
        "request",
        lambda r: sent.append((r.method, r.url.removeprefix(server), r.post_data or "")),
    )
    page.goto(f"{server}/exchanges/{exchange.pk}/")
    page.clock.fast_forward("02:30")
    page.wait_for_url("**/accounts/login/**")
    posts = [(url, data) for method, url, data in sent if method == "POST"]
    assert [url for url, _data in posts] == ["/lock/"]
    assert "csrfmiddlewaretoken" in posts[0][1]
    alice = Person.objects.get(email="alice@example.org")
    assert SecurityEvent.objects.filter(person=alice, kind="idle_lock").count() == 1
    sent.clear()
    page = _signed_in_page(new_context, server)
    page.on("request", lambda r: sent.append((r.method, r.url.removeprefix(server), "")))
    page.goto(f"{server}/bonds/")
    page.locator("[data-quick-exit]").click()
    page.wait_for_url(lambda url: url.startswith(NEUTRAL))
    assert ("POST", "/exit/", "") in sent
    page.goto(f"{server}/exchanges/{exchange.pk}/")
    assert "/accounts/login/" in page.url


def test_req6_idle_lock_follows_the_persons_choice(
    server: str, new_context: Callable[[], Any]
) -> None:
    _bond, exchange = _bond_with_canary()
    Person.objects.filter(email="alice@example.org").update(idle_lock_minutes=2)
    page = _signed_in_page(new_context, server, clock=True)
    page.goto(f"{server}/exchanges/{exchange.pk}/")
    page.clock.fast_forward("02:30")
    page.wait_for_url("**/accounts/login/**")


STORAGE_DUMP = """async () => {
  const out = {local: {}, session: {}, idb: [], caches: [], cookie: document.cookie};
  for (let i = 0; i < localStorage.length; i++) {
    const k = localStorage.key(i); out.local[k] = localStorage.getItem(k);
  }
  for (let i = 0; i < sessionStorage.length; i++) {
    const k = sessionStorage.key(i); out.session[k] = sessionStorage.getItem(k);
  }
  if (indexedDB.databases) {
    for (const db of await indexedDB.databases()) { out.idb.push(db.name); }
  }
  if (window.caches) {
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      out.caches.push([name, (await cache.keys()).map((r) => new URL(r.url).pathname)]);
    }
  }
  return out;
}"""


def test_req7_no_revelation_text_in_browser_storage(
    server: str, new_context: Callable[[], Any]
) -> None:
    _bond, exchange = _bond_with_canary(alice_answers=False)
    page = _signed_in_page(new_context, server)
    page.goto(f"{server}/exchanges/{exchange.pk}/")
    page.locator("textarea").first.fill(CANARY)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    page.goto(f"{server}/exchanges/{exchange.pk}/?edit=1")
    assert CANARY in page.content()  # Alice sees her own answer…
    dump = page.evaluate(STORAGE_DUMP)
    state = page.context.storage_state()
    everything = json.dumps(dump) + json.dumps(state)
    assert CANARY not in everything  # …and no storage of the browser holds it
    assert dump["idb"] == []
    # The service worker keeps the offline page alone (which holds nothing of anyone).
    assert dump["caches"] in ([], [["mutual-offline-v1", ["/offline/"]]])
    assert dump["local"] == {}
    assert dump["session"] == {}


def test_safety_and_privacy_pages_pass_axe(
    server: str, new_context: Callable[[], Any], axe_check: Callable[[Any], None]
) -> None:

    bond, _exchange = _bond_with_canary()
    alice = Person.objects.get(email="alice@example.org")
    safety_services.breach_report(person=alice, bond=bond, kind="weaponization", at=AT)
    page = _signed_in_page(new_context, server)
    for path in (
        "/accounts/security/",
        "/accounts/security/log/",
        f"/bonds/{bond.pk}/safety/",
        f"/bonds/{bond.pk}/safety/report/",
        "/who-sees-what/",
        "/accounts/delete/",
    ):
        page.goto(server + path)
        assert page.title() == "Mutual"
        axe_check(page)
    page.goto(f"{server}/bonds/{bond.pk}/safety/")
    assert "You are in safety mode" in page.content()

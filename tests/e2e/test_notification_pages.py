"""In Chromium: the browser's time zone kept at sign-up, the notification choices from the
keyboard, the unsubscribe page, a bond's rhythm, and a service worker that keeps nothing
but the offline page. axe-core finds no serious problem; pages are photographed at 390px
and 1280px under ``var/screenshots/notify/``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from pages import confirm_by_mail, keep_recovery_key

from factories import PASSWORD, bond_of, person
from mutual.accounts.models import Person
from mutual.notifications import messages
from mutual.notifications.models import Preferences
from notify_kit import vapid_keys

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page: Any, server: str, who: Person) -> None:
    page.goto(f"{server}/accounts/login/")
    page.fill("input[name=login]", who.email)
    page.fill("input[name=password]", PASSWORD)
    # The page asks for the salt before it sends the form (docs/e2e.md).
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url


def check(page: Any, axe_check: Callable[[Any], None], shoot: Callable, name: str) -> None:
    page.wait_for_load_state()
    assert page.title() == "Mutual"
    axe_check(page)
    shoot(page, f"notify/{name}")


def test_sign_up_keeps_the_browsers_time_zone(
    server: str, browser: Any, axe_check: Callable, screenshot: Callable
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, timezone_id="Asia/Tokyo")
    try:
        page = context.new_page()
        page.goto(f"{server}/accounts/signup/")
        assert page.locator("input[name=time_zone]").input_value() == "Asia/Tokyo"
        page.fill("input[name=email]", "dana@example.org")
        page.fill("input[name=password1]", PASSWORD)
        page.fill("input[name=password2]", PASSWORD)
        page.locator("main form button[type=submit]").first.click()
        keep_recovery_key(page)
        assert Person.objects.get(email="dana@example.org").time_zone == "Asia/Tokyo"
        confirm_by_mail(page, server, "dana@example.org")
        page.goto(f"{server}/accounts/security/")
        zone = page.get_by_label("Time zone", exact=True)
        assert zone.input_value() == "Asia/Tokyo"
        assert "This browser says: Asia/Tokyo" in page.locator("#time-zone-browser").inner_text()
        page.locator("#zone-title").scroll_into_view_if_needed()
        check(page, axe_check, screenshot, "settings-time-zone")
        zone.select_option("Europe/Lisbon")
        page.get_by_role("button", name="Save the time zone").click()
        page.wait_for_load_state()
        assert "Europe/Lisbon" in page.locator(".messages").inner_text()
        assert Person.objects.get(email="dana@example.org").time_zone == "Europe/Lisbon"
    finally:
        context.close()


def test_choices_are_made_from_the_keyboard(
    server: str,
    new_context: Callable[[], Any],
    axe_check: Callable,
    screenshot: Callable,
    settings: Any,
) -> None:
    settings.MUTUAL_VAPID_PRIVATE_KEY, settings.MUTUAL_VAPID_PUBLIC_KEY = vapid_keys()
    alice = person("Alice")
    page = new_context().new_page()
    sign_in(page, server, alice)
    page.goto(f"{server}/accounts/security/")
    page.get_by_role("link", name="Choose what Mutual tells you, and when").click()
    page.wait_for_load_state()
    # Push is offered on this device once the script finds the browser can do it.
    page.get_by_role("button", name="Turn on notes on this device").wait_for()
    check(page, axe_check, screenshot, "preferences")
    replied = page.get_by_role("group", name="Your partner replied to your answer")
    replied.get_by_label("In my daily digest").focus()
    page.keyboard.press("Space")
    assert replied.get_by_label("In my daily digest").is_checked()
    page.get_by_label("Send my daily digest at").select_option("7")
    page.get_by_label("from").select_option("23")
    page.get_by_label("until").select_option("6")
    page.get_by_label("By mail").focus()
    page.get_by_role("button", name="Save my choices").focus()
    page.keyboard.press("Enter")
    page.locator(".messages").wait_for()
    assert "Your choices are saved." in page.locator(".messages").inner_text()
    prefs = Preferences.objects.get(person=alice)
    assert prefs.choices["replied"] == "digest"
    assert (prefs.digest_hour, prefs.quiet_from, prefs.quiet_until) == (7, 23, 6)
    check(page, axe_check, screenshot, "preferences-saved")


def test_unsubscribing_from_a_mail_without_signing_in(
    server: str, new_context: Callable[[], Any], axe_check: Callable, screenshot: Callable
) -> None:
    bob = person("Bob")
    page = new_context().new_page()
    path = messages.unsubscribe_url(bob).removeprefix(messages.base_url())
    page.goto(f"{server}{path}")
    check(page, axe_check, screenshot, "unsubscribe")
    assert Preferences.objects.filter(person=bob, by_mail=False).count() == 0
    page.get_by_role("button", name="Stop the mails").click()
    page.wait_for_load_state()
    check(page, axe_check, screenshot, "unsubscribed")
    assert Preferences.objects.get(person=bob).by_mail is False


def test_a_rhythm_is_chosen_for_a_bond(
    server: str, new_context: Callable[[], Any], axe_check: Callable, screenshot: Callable
) -> None:
    alice, bob = person("Alice"), person("Bob")
    bond = bond_of(alice, bob, at=datetime.now(UTC))
    page = new_context().new_page()
    sign_in(page, server, alice)
    page.goto(f"{server}/bonds/{bond.pk}/")
    page.get_by_role("link", name="A rhythm for your questions").click()
    page.wait_for_load_state()
    check(page, axe_check, screenshot, "rhythm")
    page.get_by_label("One day a week").check()
    page.get_by_label("Or which day of the week").select_option(label="Sunday")
    page.get_by_label("At what hour (each on your own clock)").select_option("18")
    page.get_by_role("button", name="Save the rhythm").click()
    page.wait_for_load_state()
    assert "Your rhythm is saved." in page.content()
    check(page, axe_check, screenshot, "rhythm-saved")


CACHED = """async () => {
  await navigator.serviceWorker.ready;
  const found = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      found.push([name, request.url, await response.text()]);
    }
  }
  return found;
}"""


def test_the_service_worker_keeps_only_the_offline_page(
    server: str, new_context: Callable[[], Any]
) -> None:
    alice, bob = person("Alice"), person("Bob")
    bond = bond_of(alice, bob, at=datetime.now(UTC))
    context = new_context()
    page = context.new_page()
    sign_in(page, server, alice)
    for path in ("/bonds/", f"/bonds/{bond.pk}/", "/accounts/security/", "/notifications/"):
        page.goto(f"{server}{path}")
        page.wait_for_load_state()
    page.evaluate(CACHED)
    # Pages visited once the worker controls them go through its fetch handler too.
    for path in (f"/bonds/{bond.pk}/", "/accounts/security/", "/bonds/"):
        page.goto(f"{server}{path}")
        page.wait_for_load_state()
    cached = page.evaluate(CACHED)
    assert [url for _name, url, _text in cached] == [f"{server}/offline/"]
    [(_name, _url, text)] = cached
    assert "alice@example.org" not in text
    assert "Sign out" not in text
    assert "csrfmiddlewaretoken" not in text
    context.set_offline(True)
    page.goto(f"{server}/bonds/")
    assert "You are offline" in page.content()
    assert page.evaluate(CACHED) == cached
    context.set_offline(False)


def test_the_manifest_names_mutual_and_nothing_else(
    server: str, new_context: Callable[[], Any]
) -> None:
    page = new_context().new_page()
    response = page.goto(f"{server}/manifest.webmanifest")
    assert response.headers["content-type"].startswith("application/manifest+json")
    body = response.json()
    assert (body["name"], body["start_url"], body["display"]) == ("Mutual", "/", "standalone")

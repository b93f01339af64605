"""Keys follow the person, in Chromium (docs/e2e.md): sign-up makes the keys on the device
and shows the recovery key once; a new browser signs in and opens the keys with the
password; a password change re-wraps them; a reset by mail keeps them with the recovery
key and starts fresh ones without it. No request the server receives holds a password."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, quote_plus

import pytest
from pages import confirm_by_mail, keep_recovery_key, through_keys_open

from factories import PASSWORD
from mutual.accounts.models import Person, PersonKeys
from mutual.e2e import scheme as s

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "dora@example.org"
CHANGED = "the lighthouse at dusk, seen from the dunes"
RESET_WITH = "a kettle singing in a cold kitchen"
RESET_WITHOUT = "three herons over the flooded meadow"
PASSWORDS = (PASSWORD, CHANGED, RESET_WITH, RESET_WITHOUT)


class Wire:
    """Every request body the browsers send the server."""

    def __init__(self) -> None:
        self.bodies: list[str] = []

    def watch(self, context: Any) -> Any:
        context.on("request", self.heard)
        return context

    def heard(self, request: Any) -> None:
        # A redirect's next request is a GET that Playwright still shows the body of.
        if request.method == "POST":
            self.bodies.append(request.post_data or "")

    def leaks(self) -> list[str]:
        shapes = {form(p) for p in PASSWORDS for form in (str, quote, quote_plus)}
        return [shape for shape in shapes for body in self.bodies if shape in body]


def _private_in(page: Any) -> dict[str, str] | None:
    kept = page.evaluate("() => window.sessionStorage.getItem('mutual.keys.private')")
    return None if kept is None else dict(json.loads(kept))


def _public() -> str:
    return s.b64(bytes(PersonKeys.objects.get(person__email=EMAIL).public_key))


def _unwraps_with(password: str) -> bytes:
    kept = PersonKeys.objects.get(person__email=EMAIL)
    derived = s.password_keys(
        password, bytes(kept.salt), opslimit=kept.opslimit, memlimit=kept.memlimit
    )
    return s.unwrap_private(bytes(kept.wrapped_by_password), derived.unwrap)


def _sign_in(page: Any, server: str, password: str) -> None:
    page.goto(f"{server}/accounts/login/")
    page.fill("input[name=login]", EMAIL)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    through_keys_open(page)


def _reset_page(page: Any, server: str) -> None:
    from django.core import mail

    page.goto(f"{server}/accounts/password/reset/")
    assert "cannot be restored" in page.locator("main").inner_text()
    page.fill("input[name=email]", EMAIL)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body)
    assert link is not None
    page.goto(server + link.group(1))
    page.wait_for_load_state()


def test_keys_follow_the_person_and_the_password_stays_on_the_device(
    server: str, new_context: Callable[[], Any], axe_check: Callable, screenshot: Callable
) -> None:
    wire = Wire()
    first = wire.watch(new_context()).new_page()

    # Sign-up: the rules are checked on the device, then the recovery key is shown once.
    first.goto(f"{server}/accounts/signup/")
    first.fill("input[name=email]", EMAIL)
    first.fill("input[name=password1]", "too short")
    first.fill("input[name=password2]", "too short")
    first.locator("main form button[type=submit]").first.click()
    assert "at least 12 characters" in first.locator("#keys-status").inner_text()
    first.fill("input[name=password1]", "password1234")
    first.fill("input[name=password2]", "password1234")
    first.locator("main form button[type=submit]").first.click()
    first.locator("#keys-status", has_text="many people use").wait_for()
    assert not Person.objects.filter(email=EMAIL).exists()
    first.fill("input[name=password1]", PASSWORD)
    first.fill("input[name=password2]", PASSWORD)
    first.locator("main form button[type=submit]").first.click()
    first.locator(".keys-recovery").wait_for()
    axe_check(first)
    screenshot(first, "keys-recovery-at-sign-up")
    words = keep_recovery_key(first)
    assert len(words.split("-")) == 13
    assert "/accounts/confirm-email/" in first.url
    confirm_by_mail(first, server, EMAIL)
    assert first.url.endswith("/bonds/")
    assert (_private_in(first) or {}).get("public") == _public()

    # Signing out forgets the keys in this tab.
    first.get_by_role("button", name="Sign out").click()
    first.wait_for_load_state()
    assert _private_in(first) is None

    # A new browser signs in with the password and opens the keys there.
    second = wire.watch(new_context()).new_page()
    _sign_in(second, server, PASSWORD)
    assert second.url.endswith("/bonds/")
    mine = _private_in(second)
    assert mine is not None
    assert mine["public"] == _public()
    assert s.b64(_unwraps_with(PASSWORD)) == mine["private"]

    # A password change re-wraps the same private key on the device.
    second.goto(f"{server}/accounts/password/change/")
    second.fill("input[name=oldpassword]", "not my password at all")
    second.fill("input[name=password1]", CHANGED)
    second.fill("input[name=password2]", CHANGED)
    second.locator("main form button[type=submit]").first.click()
    second.locator("#keys-status", has_text="not your password").wait_for()
    second.fill("input[name=oldpassword]", PASSWORD)
    with second.expect_navigation():
        second.locator("main form button[type=submit]").first.click()
    assert s.b64(_unwraps_with(CHANGED)) == mine["private"]

    # A reset with the recovery key keeps the same key.
    third = wire.watch(new_context()).new_page()
    _reset_page(third, server)
    axe_check(third)
    screenshot(third, "keys-reset")
    third.fill("#keys-recovery-words", words.lower().replace("-", " "))
    third.fill("input[name=password1]", RESET_WITH)
    third.fill("input[name=password2]", RESET_WITH)
    with third.expect_navigation():
        third.locator("main form button[type=submit]").first.click()
    assert _public() == mine["public"]
    assert s.b64(_unwraps_with(RESET_WITH)) == mine["private"]

    # Without it: fresh keys, a new recovery key shown once, the old words out of reach.
    _reset_page(third, server)
    third.fill("input[name=password1]", RESET_WITHOUT)
    third.fill("input[name=password2]", RESET_WITHOUT)
    third.locator("main form button[type=submit]").first.click()
    fresh_words = keep_recovery_key(third, "Save my new password")
    assert fresh_words != words
    assert _public() != mine["public"]
    assert PersonKeys.objects.get(person__email=EMAIL).replaced_at is not None

    # And the newest password signs in, in yet another browser.
    fourth = wire.watch(new_context()).new_page()
    _sign_in(fourth, server, RESET_WITHOUT)
    assert fourth.url.endswith("/bonds/")
    assert (_private_in(fourth) or {}).get("public") == _public()

    assert wire.bodies, "no request was watched"
    assert wire.leaks() == []


def test_an_account_made_before_keys_moves_over_in_the_browser(
    server: str, new_context: Callable[[], Any], settings: Any
) -> None:
    from factories import person

    settings.MUTUAL_E2E_MOVE_OVER = True
    alice = person("alice")
    wire = Wire()
    page = wire.watch(new_context()).new_page()
    page.goto(f"{server}/accounts/login/")
    page.fill("input[name=login]", alice.email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    words = keep_recovery_key(page, "Continue")
    assert len(words.split("-")) == 13
    assert page.url.endswith("/bonds/")
    kept = PersonKeys.objects.get(person=alice)
    assert (_private_in(page) or {}).get("public") == s.b64(bytes(kept.public_key))
    # The password went once, this time; from now on only the secret does.
    # (Each body counted once: the service worker's copy of a request is the same one.)
    once = len({b for b in wire.bodies if quote_plus(PASSWORD) in b})
    assert once == 1
    other = wire.watch(new_context()).new_page()
    other.goto(f"{server}/accounts/login/")
    other.fill("input[name=login]", alice.email)
    other.fill("input[name=password]", PASSWORD)
    with other.expect_navigation():
        other.locator("main form button[type=submit]").first.click()
    through_keys_open(other)
    assert other.url.endswith("/bonds/")
    assert len({b for b in wire.bodies if quote_plus(PASSWORD) in b}) == once


def _signed_up_in(page: Any, server: str, email: str) -> None:
    page.goto(f"{server}/accounts/signup/")
    page.fill("input[name=email]", email)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    keep_recovery_key(page)
    confirm_by_mail(page, server, email)


def test_both_devices_show_the_same_safety_code(
    server: str, new_context: Callable[[], Any], axe_check: Callable, screenshot: Callable
) -> None:
    from factories import bond_of

    alice_page = new_context().new_page()
    bob_page = new_context().new_page()
    _signed_up_in(alice_page, server, "alice@example.org")
    _signed_up_in(bob_page, server, "bob@example.org")
    bond = bond_of(
        Person.objects.get(email="alice@example.org"), Person.objects.get(email="bob@example.org")
    )
    codes = []
    for page in (alice_page, bob_page):
        page.goto(f"{server}/bonds/{bond.pk}/safety/")
        code = page.locator("#safety-code")
        code.wait_for()
        page.locator("#safety-code:not(:empty)").wait_for()
        codes.append(code.inner_text())
    assert codes[0] == codes[1]
    assert re.fullmatch(r"\d{5}( \d{5}){4}", codes[0])
    page = alice_page
    page.locator("#key-title").scroll_into_view_if_needed()
    axe_check(page)
    screenshot(page, "keys-safety-code")

    # A new tab has not opened the keys: it asks for the password once, then shows the code.
    tab = alice_page.context.new_page()
    tab.goto(f"{server}/bonds/{bond.pk}/safety/")
    tab.get_by_role("link", name="Open them to see the code").click()
    tab.locator("#keys-open-form").wait_for()
    axe_check(tab)
    screenshot(tab, "keys-open-asks-for-the-password")
    tab.fill("#keys-open-password", "not the password")
    tab.get_by_role("button", name="Open my keys").click()
    tab.locator("#keys-status", has_text="did not open").wait_for()
    tab.fill("#keys-open-password", PASSWORD)
    with tab.expect_navigation():
        tab.get_by_role("button", name="Open my keys").click()
    tab.locator("#safety-code:not(:empty)").wait_for()
    assert tab.locator("#safety-code").inner_text() == codes[0]


def test_a_sign_in_asked_too_often_is_told_calmly_and_sends_nothing(
    server: str, new_context: Callable[[], Any], axe_check: Callable, screenshot: Callable
) -> None:
    from mutual.accounts.keys_views import SALT_LIMITED

    wire = Wire()
    page = wire.watch(new_context()).new_page()
    page.goto(f"{server}/accounts/login/")
    # Someone asked about the address until the lookup was refused, from this browser.
    statuses = page.evaluate(
        """async (email) => {
          const token = document.querySelector("[name=csrfmiddlewaretoken]").value;
          const out = [];
          for (let i = 0; i < 11; i++) {
            const answer = await fetch("/accounts/keys/salt/", {method: "POST",
              headers: {"X-CSRFToken": token}, body: new URLSearchParams({email})});
            out.push(answer.status);
          }
          return out;
        }""",
        EMAIL,
    )
    assert statuses == [200] * 10 + [429]
    page.fill("input[name=login]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.locator("#keys-status", has_text=str(SALT_LIMITED)).wait_for()
    assert page.url.endswith("/accounts/login/")
    assert not [b for b in wire.bodies if "login=" in b]
    assert wire.leaks() == []
    axe_check(page)
    screenshot(page, "keys-salt-lookup-asked-too-often")

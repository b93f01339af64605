"""The account pages that were still the library's, in Mutual's layout and words: the
email addresses of an account, confirming an address (a good link and a used one), and
recovery codes (seeing them, making new ones). Each error sits beside its field and
keeps what was typed; axe-core finds nothing serious; no sideways scroll at 390px.
Screenshots under ``var/screenshots/account/``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pages import through_keys_open

from factories import PASSWORD
from mutual.accounts.models import Person

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

#: The library's own words, which none of these pages may show.
STOCK = (
    "Email Addresses",
    "Make Primary",
    "Re-send Verification",
    "Add Email",
    "Unverified",
    "Recovery Codes",
    "Generate",
    "Confirm Email Address",
    "issue a new email confirmation request",
    "Are you sure?",
)


def signed_in(new_context: Callable[[], Any], server: str, who: Person) -> Any:
    page = new_context().new_page()
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"{server}/accounts/login/")
    page.fill("input[name=login]", who.email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():  # the page asks for the salt first, then sends
        page.locator("main form button[type=submit]").first.click()
    through_keys_open(page)
    assert "/accounts/login/" not in page.url
    return page


def reauthenticate(page: Any) -> None:
    assert "/reauthenticate/" in page.url
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


def looked_at(page: Any, axe_check: Callable, screenshot: Callable, name: str) -> str:
    """The page's text, once axe and the width have had their say and it is photographed."""
    page.wait_for_load_state()
    text = str(page.locator("main").inner_text())
    for words in STOCK:
        assert words not in text, f"{name} still says {words!r}"
    axe_check(page)
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"account/{name}")
    page.set_viewport_size({"width": 390, "height": 900})
    return text


def test_email_addresses_in_mutuals_words(
    server: str, new_context: Callable, axe_check: Callable, screenshot: Callable, alice: Person
) -> None:
    page = signed_in(new_context, server, alice)
    page.goto(f"{server}/accounts/email/")
    text = looked_at(page, axe_check, screenshot, "email")
    assert "Your email address" in text
    assert "alice@example.org" in text
    # One confirmed address: nothing to confirm again, nothing to choose between.
    assert page.get_by_role("button", name="Send the confirmation mail again").count() == 0
    assert page.get_by_role("button", name="Remove this address").count() == 0

    # A bad address: the error under the field, what was typed still there.
    field = page.get_by_label("Your email address", exact=True)
    field.fill("alice at home")
    page.get_by_role("button", name="Add it").click()
    page.wait_for_load_state()
    field = page.get_by_label("Your email address", exact=True)
    assert field.input_value() == "alice at home"
    error = page.locator(".field--error .error")
    assert error.count() == 1
    assert "email" in error.inner_text().lower()
    assert (
        field.get_attribute("aria-describedby")
        or page.locator(f"#{field.get_attribute('id')}_error").count()
    )
    looked_at(page, axe_check, screenshot, "email-error")

    page.get_by_label("Your email address", exact=True).fill("alice.home@example.org")
    page.get_by_role("button", name="Add it").click()
    page.wait_for_load_state()
    # Adding an address asks for the password once more; then it is done, nothing retyped.
    reauthenticate(page)
    listed = page.locator(".email-address", has_text="alice.home@example.org")
    assert "not confirmed yet" in listed.inner_text()
    assert page.get_by_role("button", name="Remove this address").count() == 1
    assert (
        "A mail with a link is on its way to alice.home@example.org"
        in page.locator(".messages").inner_text()
    )
    looked_at(page, axe_check, screenshot, "email-two")


def test_confirming_an_address_good_link_and_used_link(
    server: str, new_context: Callable, axe_check: Callable, screenshot: Callable
) -> None:
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC

    dana = Person.objects.create_user("dana@example.org", PASSWORD, confirmed=False)
    address = EmailAddress.objects.get(user=dana, email="dana@example.org")
    key = EmailConfirmationHMAC(address).key
    page = new_context().new_page()
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"{server}/accounts/confirm-email/{key}/")
    text = looked_at(page, axe_check, screenshot, "email-confirm")
    assert "Is dana@example.org your address?" in text
    page.get_by_role("button", name="Yes, it is mine").click()
    page.wait_for_load_state()
    address.refresh_from_db()
    assert address.verified

    page.goto(f"{server}/accounts/confirm-email/not-a-real-key/")
    text = looked_at(page, axe_check, screenshot, "email-confirm-used")
    assert "This link has expired or was already used." in text


def test_recovery_codes_in_mutuals_words(
    server: str, new_context: Callable, axe_check: Callable, screenshot: Callable, alice: Person
) -> None:
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(alice, generate_totp_secret())
    codes = RecoveryCodes.activate(alice)
    page = new_context().new_page()
    page.set_viewport_size({"width": 390, "height": 900})
    # Signing in now asks for the second step: a recovery code is one way through.
    page.goto(f"{server}/accounts/login/")
    page.fill("input[name=login]", alice.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    unused = codes.get_unused_codes()
    page.locator("input[name=code]").fill(unused[0])
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()

    page.goto(f"{server}/accounts/2fa/recovery-codes/")
    reauthenticate(page)
    text = looked_at(page, axe_check, screenshot, "recovery-codes")
    assert "Your recovery codes" in text
    shown = page.locator(".recovery-codes code").all_inner_texts()
    assert len(shown) == len(unused) - 1
    assert unused[0] not in shown

    page.get_by_role("link", name="Make new codes").click()
    text = looked_at(page, axe_check, screenshot, "recovery-codes-generate")
    assert "codes you have now stop working at once" in text
    assert page.get_by_role("link", name="Cancel").count() == 1
    danger = page.get_by_role("button", name="Make new codes")
    assert "button--danger" in (danger.get_attribute("class") or "")
    danger.click()
    page.wait_for_load_state()
    fresh = page.locator(".recovery-codes code").all_inner_texts()
    assert fresh
    assert not set(fresh) & set(shown)

"""The privacy page in Chromium: Alice sees her browsers and her API tokens side by side,
reaches "Turn off" for a token she does not know with the keyboard alone, and turns it off
(SECURITY.md 26). axe-core finds no serious problem; the page is photographed at 390px
and 1280px, before and after.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from factories import PASSWORD, person
from mutual.accounts.models import ApiToken
from mutual.api.tokens import token_issue

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MAX_TABS = 80


def test_f1_tokens_are_listed_and_turned_off_from_the_privacy_page(
    server: str, new_context: Callable[[], Any], axe_check: Callable, screenshot: Callable
) -> None:
    alice = person("Alice")
    now = timezone.now()
    unknown, secret = token_issue(person=alice, label="Bob's script", at=now - timedelta(days=9))
    ApiToken.objects.filter(pk=unknown.pk).update(last_used_at=now - timedelta(hours=2))
    token_issue(person=alice, label="My reading app", at=now - timedelta(days=30))
    Client(HTTP_USER_AGENT="Firefox on a shared laptop").force_login(alice)

    page = new_context().new_page()
    page.goto(f"{server}/accounts/login/")
    page.fill("input[name=login]", alice.email)
    page.fill("input[name=password]", PASSWORD)
    # The page asks for the salt before it sends the form (docs/e2e.md).
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    page.goto(f"{server}/accounts/security/")
    axe_check(page)
    screenshot(page, "privacy-page")
    html = page.content()
    assert "Bob's script" in page.locator("main").inner_text()
    assert secret not in html
    assert secret[:12] not in html
    assert unknown.token_hash not in html

    target = page.get_by_role("button", name="Turn off the token Bob's script")
    page.locator("body").focus()
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if target.evaluate("button => button === document.activeElement"):
            break
    else:
        pytest.fail("Turn off for Bob's script is not reachable with Tab")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "no longer works" in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Turn off the token Bob's script").count() == 0
    axe_check(page)
    screenshot(page, "privacy-page-token-off")
    unknown.refresh_from_db()
    assert unknown.revoked_at is not None

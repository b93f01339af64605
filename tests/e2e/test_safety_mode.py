"""Safety mode in Chromium, as Alice walks into it and out again: once she tells Mutual
she is threatened, shamed or coerced, her bond's page asks nothing of her, the way to her
safety page is the first thing the keyboard reaches, and turning safety mode off brings
everything back. axe-core finds no serious problem; the pages are photographed at 390px
and 1280px under ``var/screenshots/safety/``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from factories import PASSWORD, person
from mutual.accounts.models import Person
from mutual.bonds import services
from mutual.bonds.models import Bond, Exchange, Prompt

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

INVITATIONS = ("Choose a question", "Write your own", "I am ready to go deeper", "Only for you")


def sign_in(page: Any, server: str, who: Person) -> None:
    page.goto(f"{server}/accounts/login/")
    page.fill("input[name=login]", who.email)
    page.fill("input[name=password]", PASSWORD)
    # The page asks for the salt before it sends the form (docs/e2e.md).
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url


def bond_with_a_question_for_alice(alice: Person, bob: Person) -> tuple[Bond, Exchange]:
    """Alice and Bob share a bond; Bob asked a question and answered it: Alice's answer
    is what it waits for."""
    now = datetime.now(UTC)
    bond = services.bond_create(creator=alice, kind="partners", at=now)
    _invite, code = services.invite_create(bond=bond, by=alice, at=now)
    bond = services.invite_accept(code=code, person=bob, at=now)
    prompt = Prompt.objects.filter(bond__isnull=True, depth=0, audience="both").first()
    assert prompt is not None
    exchange = services.exchange_open(bond=bond, by=bob, prompt=prompt, at=now)
    services.revelation_write(
        exchange=exchange, author=bob, body="Bob's answer, sealed", emotional=False, at=now
    )
    return bond, exchange


def check(page: Any, axe_check: Callable[[Any], None], shoot: Callable, name: str) -> None:
    page.wait_for_load_state()
    assert page.title() == "Mutual"
    axe_check(page)
    shoot(page, f"safety/{name}")


def main_text(page: Any) -> str:
    return str(page.locator("main").inner_text())


def numbers_text(page: Any, server: str, bond: Any) -> str:
    """The numbers, one tap away from the bond's page, and back to the bond."""
    page.get_by_role("link", name="How you are doing, in numbers").click()
    page.wait_for_url(f"{server}/bonds/{bond.pk}/numbers/")
    text = main_text(page)
    page.get_by_role("link", name="Back to the bond").click()
    page.wait_for_url(f"{server}/bonds/{bond.pk}/")
    return text


def test_in_safety_mode_nothing_asks_and_the_way_out_is_one_tap_away(
    server: str, new_context: Callable[[], Any], axe_check: Callable, screenshot: Callable
) -> None:
    alice, bob = person("Alice"), person("Bob")
    bond, exchange = bond_with_a_question_for_alice(alice, bob)
    page = new_context().new_page()
    sign_in(page, server, alice)
    page.goto(f"{server}/bonds/{bond.pk}/")
    for words in ("Choose a question", "Write your own"):
        assert words in main_text(page)
    assert "Only for you" in numbers_text(page, server, bond)

    # She tells Mutual, privately, from the top of the bond's own page.
    page.get_by_role("link", name="Safety and support").click()
    page.get_by_role("link", name="Tell us privately that something went wrong").click()
    page.get_by_label("I am being threatened, shamed or coerced").check()
    page.get_by_role("button", name="Send privately").click()
    page.wait_for_url(f"{server}/bonds/{bond.pk}/safety/")
    check(page, axe_check, screenshot, "safety-page")
    assert page.get_by_role("heading", name="You are in safety mode").is_visible()
    assert page.get_by_role("button", name="Turn safety mode off").is_visible()

    # Her bond's page asks nothing of her; the way to her safety page comes first.
    page.get_by_role("link", name="Back to the bond").click()
    page.wait_for_url(f"{server}/bonds/{bond.pk}/")
    check(page, axe_check, screenshot, "bond-home-in-safety-mode")
    text = main_text(page)
    assert [words for words in INVITATIONS if words in text] == []
    assert "Yes, I am open to questions about desire" not in text
    assert page.get_by_role("heading", name="Safety mode is on").is_visible()
    page.locator("#main").focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Safety and support"
    # Her own trust rests on the numbers page too.
    assert "Only for you" not in numbers_text(page, server, bond)

    # The question that waits for her does not ask for her answer, but she may choose it.
    page.goto(f"{server}/exchanges/{exchange.pk}/")
    check(page, axe_check, screenshot, "exchange-in-safety-mode")
    assert page.locator("textarea").count() == 0
    page.get_by_role("link", name="Write an answer, if you choose to").click()
    assert page.locator("textarea[name=body]").is_visible()

    # Every other page of the bond says so calmly, links to the safety page, and keeps
    # whatever would share something folded until she opens it herself.
    for name, path in (
        ("prompts", "prompts/"),
        ("prompt-new", "prompts/new/"),
        ("checkins", "checkins/"),
        ("differences", "differences/"),
        ("insights", "insights/"),
        ("history", "history/"),
    ):
        page.goto(f"{server}/bonds/{bond.pk}/{path}")
        check(page, axe_check, screenshot, f"{name}-in-safety-mode")
        assert page.get_by_role("heading", name="Safety mode is on").is_visible(), name
        assert page.get_by_role("link", name="Pause, leave or find support").is_visible(), name
        assert page.locator("main form:visible button[type=submit]").count() == 0, name
    page.goto(f"{server}/bonds/{bond.pk}/prompts/")
    page.get_by_text("Show the questions, if you choose to").click()
    assert page.locator(".prompt__pick:visible").count() > 0

    # One tap to the safety page, one more to turn safety mode off: everything is back.
    page.get_by_role("link", name="Pause, leave or find support").click()
    page.wait_for_url(f"{server}/bonds/{bond.pk}/safety/")
    page.get_by_role("button", name="Turn safety mode off").click()
    page.wait_for_load_state()
    assert "Safety mode is off." in main_text(page)
    page.get_by_role("link", name="Back to the bond").click()
    page.wait_for_url(f"{server}/bonds/{bond.pk}/")
    text = main_text(page)
    for words in ("Choose a question", "Write your own"):
        assert words in text
    assert "Only for you" in numbers_text(page, server, bond)
    assert "Safety mode is on" not in text

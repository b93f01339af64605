"""A whole check-in round in Chromium: Alice and Bob, each in their own browser.

Alice checks in first; Bob sees only that she has, checks in, and both then see how the
other feels and how close their guesses were. axe-core finds no serious or critical
violation on any page they meet; screenshots at 390px and 1280px are written to
``var/screenshots/`` (or ``MUTUAL_SCREENSHOTS``).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pages import through_keys_open

from factories import PASSWORD, bond_of
from mutual.accounts.models import Person
from mutual.bonds.models import Bond, Event
from mutual.checkins.models import CheckIn

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def bond(alice: Person, bob: Person) -> Bond:
    return bond_of(alice, bob, at=T0)


def signed_in(new_context, base: str, email: str):  # type: ignore[no-untyped-def]
    context = new_context()
    page = context.new_page()
    page.set_viewport_size({"width": 390, "height": 900})  # mobile first
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    # The page asks for the salt before it sends the form (docs/e2e.md).
    with page.expect_navigation():
        page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    return page


#: The family each feeling of these tests belongs to (the disclosure to open).
FAMILY = {"Calm": "At peace", "Tired": "Worn out", "Happy": "Glad"}


def pick(page, question: str, feeling: str) -> None:  # type: ignore[no-untyped-def]
    """Open the feeling's family in the question (a disclosure) and choose the feeling."""
    fieldset = page.get_by_role("group", name=question)
    fieldset.locator("summary", has_text=FAMILY[feeling]).click()
    fieldset.get_by_label(feeling, exact=True).check()


def check_in(page, feeling: str, guess: str, note: str = "") -> None:  # type: ignore[no-untyped-def]
    pick(page, "How do you feel right now?", feeling)
    page.get_by_role("button", name="Next: how").click()
    page.wait_for_load_state()
    pick(page, "How do you think", guess)
    if note:
        page.get_by_label("A few words, if you like").fill(note)
    page.get_by_role("button", name="Check in").click()
    page.wait_for_load_state()


def test_a_whole_check_in_round(server, new_context, axe_check, screenshot, bond: Bond) -> None:  # type: ignore[no-untyped-def]
    url = f"{server}/bonds/{bond.id}/checkins/"
    alice = signed_in(new_context, server, "alice@example.org")
    bob = signed_in(new_context, server, "bob@example.org")

    alice.goto(url)
    axe_check(alice)
    check_in(alice, "Calm", "Tired", note="Slow morning, in a good way")
    assert "stays sealed until you have both checked in" in alice.content()
    assert alice.get_by_text("You checked in: you feel quite calm").is_visible()

    bob.goto(url)
    page_text = bob.content()
    assert "Alice has checked in" in page_text
    assert "Slow morning" not in page_text
    assert "calm" not in bob.locator("#now-heading").locator("..").inner_text().lower()
    axe_check(bob)
    check_in(bob, "Tired", "Happy")

    assert "You have both checked in." in bob.locator(".notice").inner_text()
    round_text = bob.locator(".latest").inner_text()
    assert "Alice felt quite calm" in round_text
    assert "Slow morning, in a good way" in round_text
    assert "You guessed Alice felt quite happy" in round_text
    assert "Alice guessed you felt quite tired: right there." in round_text
    axe_check(bob)
    screenshot(bob, "checkin-revealed-bob")

    alice.reload()
    mine = alice.locator(".latest").inner_text()
    assert "Bob felt quite tired" in mine
    assert "You guessed Bob felt quite tired: right there." in mine
    axe_check(alice)
    screenshot(alice, "checkin-revealed-alice")

    assert CheckIn.objects.filter(round__bond=bond, accuracy__isnull=False).count() == 2
    assert Event.objects.filter(bond=bond, kind="CheckedIn").count() == 2


def test_a_check_in_without_a_feeling_is_refused_with_a_clear_message(
    server, new_context, axe_check, bond: Bond
) -> None:  # type: ignore[no-untyped-def]
    alice = signed_in(new_context, server, "alice@example.org")
    alice.goto(f"{server}/bonds/{bond.id}/checkins/")
    alice.get_by_role("button", name="Next: how").click()
    alice.wait_for_load_state()
    error = alice.locator("#feeling-error")
    assert error.inner_text() == "Choose how you feel from the list of feelings."
    assert alice.get_by_role("alert").count() == 1
    assert not CheckIn.objects.exists()
    axe_check(alice)


def page_size(page) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    return page.evaluate(
        "[document.documentElement.scrollHeight, document.documentElement.scrollWidth]"
    )


def test_on_a_phone_the_check_in_is_short_and_done_from_the_keyboard(
    server, new_context, axe_check, screenshot
) -> None:  # type: ignore[no-untyped-def]
    """Three weeks of the demo's check-ins: the page stays within a few screens at 390px,
    with no sideways scroll, and the two steps are taken from the keyboard alone."""
    from django.utils import timezone

    from mutual.demo import seed as demo

    bond, _created = demo.build(now=timezone.now())
    url = f"{server}/bonds/{bond.id}/checkins/"
    page = new_context().new_page()
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"{server}/accounts/login/")
    page.fill("input[name=login]", demo.PEOPLE[0][1])
    page.fill("input[name=password]", demo.PASSWORD)
    with page.expect_navigation():  # the page asks for the salt first, then sends
        page.locator("form button[type=submit]").last.click()
    through_keys_open(page)
    page.goto(url)
    height, width = page_size(page)
    assert width <= 390
    assert height < 3200
    axe_check(page)
    screenshot(page, "checkin-step-one")

    # The keyboard alone: Tab to a family, Enter opens it, Tab and Space choose a feeling.
    family = page.get_by_role("group", name="How do you feel right now?").locator(
        "summary", has_text="At peace"
    )
    family.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    assert page.get_by_label("Calm", exact=True).is_checked()
    page.get_by_role("button", name="Next: how").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "You feel quite calm." in page.locator(".step-done").inner_text()
    alices = CheckIn.objects.filter(author__email=demo.PEOPLE[0][1])
    before = alices.count()  # nothing is saved by the first step
    height, width = page_size(page)
    assert width <= 390
    assert height < 2000
    axe_check(page)
    screenshot(page, "checkin-step-two")

    # Back keeps the feeling chosen; on again, the guess, and it is saved.
    page.get_by_role("button", name="Back to my own feeling").click()
    page.wait_for_load_state()
    assert page.get_by_label("Calm", exact=True).is_checked()
    assert "· Calm" in page.locator("summary", has_text="At peace").first.inner_text()
    page.get_by_role("button", name="Next: how").click()
    page.wait_for_load_state()
    pick(page, "How do you think", "Tired")
    page.get_by_role("button", name="Check in").click()
    page.wait_for_load_state()
    assert alices.count() == before + 1
    mine = alices.latest("created_at")
    assert (mine.feeling, mine.guess_feeling) == ("calm", "tired")

"""A whole difference round in Chromium: Alice and Bob, each in their own browser.

Alice raises a topic and writes how she sees it; Bob cannot read it until he has written
his own. Each restates the other's view, each says privately how understood they felt,
Bob proposes that they come back to it and Alice confirms it. The round reaches the
engine as repair; nobody sees the other's rating. axe-core finds no serious or critical violation.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from factories import PASSWORD, bond_of
from mutual.accounts import zones
from mutual.accounts.models import Person
from mutual.bonds.models import Bond, Event
from mutual.differences import services as difference_services
from mutual.differences.models import Difference

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
ALICE_VIEW = "I would like us to save first and travel later."
BOB_VIEW = "Travel now matters to me; later is never certain."


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


def submit(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()


def test_a_whole_difference_round(server, new_context, axe_check, screenshot, bond: Bond) -> None:  # type: ignore[no-untyped-def]
    base = server
    alice = signed_in(new_context, base, "alice@example.org")
    bob = signed_in(new_context, base, "bob@example.org")

    # Alice raises the topic and writes her perspective.
    alice.goto(f"{base}/bonds/{bond.id}/differences/")
    axe_check(alice)
    alice.get_by_label("What is it about?").fill("Money: saving or travelling")
    submit(alice, "Raise it")
    assert "The topic is raised." in alice.locator(".notice").inner_text()
    alice.get_by_label("How do you see it?").fill(ALICE_VIEW)
    submit(alice, "Save my perspective")
    detail = alice.url.split("?")[0]
    axe_check(alice)

    # Bob finds it, but cannot read Alice's view before writing his own.
    bob.goto(f"{base}/bonds/{bond.id}/differences/")
    bob.get_by_role("link", name="Money: saving or travelling").click()
    bob.wait_for_load_state()
    assert ALICE_VIEW not in bob.content()
    assert "Alice has written theirs" in bob.content()
    bob.get_by_label("How do you see it?").fill(BOB_VIEW)
    submit(bob, "Save my perspective")
    assert ALICE_VIEW in bob.content()
    axe_check(bob)

    # Each restates the other's view; Bob marks his as costly.
    bob.get_by_label("Say Alice's view in your own words").fill("You feel safer with savings.")
    bob.get_by_label("This took effort against my own side of it").check()
    submit(bob, "Save my restatement")
    alice.goto(detail)
    assert BOB_VIEW in alice.content()
    assert "You feel safer with savings." in alice.content()
    alice.get_by_label("Say Bob's view in your own words").fill("You fear missing the moment.")
    submit(alice, "Save my restatement")

    # Each says privately how understood they felt.
    alice.locator("fieldset", has_text="How understood").get_by_label("6").check()
    submit(alice, "Save")
    assert "You felt understood 6 out of 7" in alice.content()
    bob.goto(detail)
    assert "6 out of 7" not in bob.content()
    assert "You fear missing the moment." in bob.content()
    bob.locator("fieldset", has_text="How understood").get_by_label("7").check()
    submit(bob, "Save")
    assert "You felt understood 7 out of 7" in bob.content()
    assert "6 out of 7" not in bob.content()
    axe_check(bob)
    screenshot(bob, "difference-outcome-bob")

    # Bob proposes that they come back to it; it waits for Alice's word.
    revisit = date.today() + timedelta(days=7)
    bob.get_by_label("We will come back to it").check()
    picker = bob.get_by_role("group", name="If you will come back to it, when?")
    picker.get_by_label("Day").select_option(str(revisit.day))
    picker.get_by_label("Month").select_option(label=f"{revisit:%B}")
    picker.get_by_label("Year").select_option(str(revisit.year))
    submit(bob, "Propose this")
    assert "It stands once the other confirms it." in bob.locator(".notice").inner_text()
    assert "It stands once Alice confirms it" in bob.content()
    axe_check(bob)
    screenshot(bob, "difference-proposed-bob")

    # Alice confirms it: now it stands for both.
    alice.goto(detail)
    assert "Bob proposes" in alice.content()
    axe_check(alice)
    screenshot(alice, "difference-to-confirm-alice")
    submit(alice, "Yes, that is where we landed")
    assert "You both agreed on what came of it." in alice.locator(".notice").inner_text()
    assert "You said you would come back to this" in alice.content()
    axe_check(alice)
    screenshot(alice, "difference-closed-alice")
    bob.goto(detail)
    assert "You said you would come back to this" in bob.content()

    difference = Difference.objects.get(bond=bond)
    assert difference.outcome == Difference.Outcome.REVISIT
    assert difference.revisit_on == revisit
    [repair] = Event.objects.filter(bond=bond, kind="RepairRound")
    assert (repair.payload["understood_a"], repair.payload["understood_b"]) == (6, 7)
    assert repair.payload["costly_by_b"] is True


def test_a_revisit_date_in_the_past_is_refused_and_changes_nothing(
    server, new_context, axe_check, screenshot, bond: Bond
) -> None:  # type: ignore[no-untyped-def]

    alice_p, bob_p = bond.person_a, bond.person_b
    at = datetime.now(tz=UTC)
    d = difference_services.difference_raise(bond=bond, person=alice_p, topic="Chores", at=at)
    for who, text in ((alice_p, "Mine"), (bob_p, "Yours")):
        difference_services.perspective_write(
            bond=bond, difference_id=d.id, person=who, body=text, at=at
        )
    for who in (alice_p, bob_p):
        difference_services.restatement_write(
            bond=bond, difference_id=d.id, person=who, body="x", at=at
        )
    for who in (alice_p, bob_p):
        difference_services.understood_rate(
            bond=bond, difference_id=d.id, person=who, score=5, at=at
        )

    alice = signed_in(new_context, server, "alice@example.org")
    alice.goto(f"{server}/bonds/{bond.id}/differences/{d.id}/")
    alice.get_by_label("We will come back to it").check()
    picker = alice.get_by_role("group", name="If you will come back to it, when?")
    # From the keyboard: focus the day and type it, as one does in a list.
    picker.get_by_label("Day").focus()
    alice.keyboard.type("31")
    picker.get_by_label("Month").select_option(label="February")
    picker.get_by_label("Year").select_option(index=2)
    submit(alice, "Propose this")
    year = picker.get_by_label("Year").input_value()
    error = alice.locator("#revisit-on-error")
    assert error.inner_text() == f"There is no 31 February in {year}. Choose another day."
    assert picker.get_by_label("Day").input_value() == "31"  # kept, to be corrected
    assert alice.get_by_role("alert").count() == 1
    assert alice.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    d.refresh_from_db()
    assert (d.outcome, d.proposed_outcome) == (Difference.Outcome.OPEN, "")
    axe_check(alice)
    screenshot(alice, "difference-revisit-error-alice")

    # Today is not after today: said beside the picker, and nothing changes.
    today = zones.local_date(datetime.now(tz=UTC), alice_p)
    picker.get_by_label("Day").select_option(str(today.day))
    picker.get_by_label("Month").select_option(str(today.month))
    picker.get_by_label("Year").select_option(str(today.year))
    submit(alice, "Propose this")
    assert error.inner_text() == "Choose a date after today to come back to it."
    d.refresh_from_db()
    assert d.proposed_outcome == ""

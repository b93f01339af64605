"""The core loop in Chromium: Alice and Bob, each in their own browser.

They sign up, Alice starts a bond and invites Bob, Bob joins, both answer one question
(Bob's page and every response his browser receives hold nothing of Alice's answer until
he has answered), they reply to each other, rate privately, say they are ready, and the
next depth opens. axe-core finds no serious or critical problem on any page they visit;
every page is photographed at 390px and 1280px.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from pages import confirm_by_mail, keep_recovery_key

from factories import PASSWORD
from mutual.bonds.models import Bond, Rating

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ALICE_ANSWER = "Alice canary: the yellow door and the smell of oranges"
BOB_ANSWER = "Bob's answer: a flat above a bakery"


class Person:
    """One person at one browser, with axe and screenshots on every page visited."""

    def __init__(self, name: str, context: Any, server: str, check: Callable, shoot: Callable):
        self.name = name
        self.page = context.new_page()
        self.server = server
        self.check = check
        self.shoot = shoot
        self.bodies: list[str] = []
        self.urls: list[str] = []
        # Every request the page makes passes through here, so each body is kept before
        # navigation discards it (a redirect's target is not routed again).
        context.route("**/*", self._record)

    def _record(self, route: Any) -> None:
        self.urls.append(route.request.url)
        response = route.fetch(max_redirects=0)
        if route.request.resource_type in {"document", "fetch", "xhr", "script"}:
            self.bodies.append(response.text())
        route.fulfill(response=response)

    def visited(self, label: str) -> None:
        self.page.wait_for_load_state()
        assert self.page.title() == "Mutual"
        self.check(self.page)
        self.shoot(self.page, f"core-{self.name.lower()}-{label}")

    def go(self, path: str, label: str) -> None:
        self.page.goto(self.server + path)
        self.visited(label)

    def submit(self, label: str, button: str = "main form button[type=submit]") -> None:
        self.page.locator(button).first.click()
        self.visited(label)

    def received(self) -> str:
        """Every document and script response this browser has received so far."""
        return "\n".join(self.bodies)

    def sign_up(self) -> None:
        self.go("/", "landing")
        self.page.get_by_role("link", name="Create an account").click()
        self.visited("sign-up")
        self.page.fill("input[name=email]", f"{self.name.lower()}@example.org")
        self.page.fill("input[name=password1]", PASSWORD)
        if self.page.locator("input[name=password2]").count():
            self.page.fill("input[name=password2]", PASSWORD)
        self.page.locator("main form button[type=submit]").first.click()
        self.page.locator(".keys-recovery").wait_for()
        self.visited("recovery-key")
        keep_recovery_key(self.page)
        self.visited("check-your-email")
        assert "/accounts/confirm-email/" in self.page.url
        confirm_by_mail(self.page, self.server, f"{self.name.lower()}@example.org")
        self.visited("bonds-empty")
        assert self.page.url.endswith("/bonds/")


def home_of(person: Person, bond: Bond, label: str) -> None:
    person.go(f"/bonds/{bond.pk}/", label)


def test_two_people_share_one_answer_each_and_the_gate_opens(
    server: str, new_context: Callable[[], Any], axe_check: Callable, screenshot: Callable
) -> None:
    alice = Person("Alice", new_context(), server, axe_check, screenshot)
    bob = Person("Bob", new_context(), server, axe_check, screenshot)
    alice.sign_up()
    bob.sign_up()

    # Alice starts a partners bond, says the name Bob will see, and makes an invite.
    alice.page.get_by_label("My partner").check()
    alice.page.get_by_label("Your name, as they will see it").fill("Alice")
    alice.submit("invite")
    alice.submit("invite-created")
    link = alice.page.locator("[data-invite-link]").inner_text().strip()
    code = alice.page.locator("[data-invite-code]").inner_text().strip()
    # The code rides after "#", so no request of Bob's browser ever carries it.
    assert link.endswith(f"/join/#{code}")
    bond = Bond.objects.get(person_a__email="alice@example.org")

    # Bob opens the link: the code is filled in for him; he gives his name and joins.
    bob.page.goto(link)
    bob.visited("join")
    assert bob.page.get_by_label("Invite code").input_value() == code
    assert "#" not in bob.page.url
    bob.page.get_by_label("Your name, as they will see it").fill("Bob")
    bob.submit("bond-joined")
    assert bob.urls
    assert not [url for url in bob.urls if code in url]
    assert "You and" in bob.page.content()
    bond.refresh_from_db()
    assert bond.status == Bond.Status.ACTIVE

    # Alice picks the first question at the surface and answers it, marking it emotional.
    home_of(alice, bond, "bond-new")
    assert "Welcome, you and Bob" in alice.page.content()
    alice.page.get_by_role("link", name="Choose a first question").click()
    alice.visited("prompts")
    alice.page.locator(".prompt button[type=submit]").first.click()
    alice.visited("exchange-empty")
    alice.page.fill("textarea[name=body]", ALICE_ANSWER)
    alice.page.get_by_label("This touches my feelings").check()
    alice.submit("exchange-sealed-alice")
    assert ALICE_ANSWER in alice.page.content()
    assert "Sealed until you both answer" in alice.page.content()
    exchange_url = alice.page.url

    # Bob sees the question waiting for him, but nothing of Alice's answer.
    home_of(bob, bond, "bond-waiting")
    bob.page.locator(".task-list a").first.click()
    bob.visited("exchange-sealed-bob")
    assert bob.page.url == exchange_url
    assert "Sealed until you both answer" in bob.page.content()
    assert ALICE_ANSWER not in bob.page.content()
    assert ALICE_ANSWER not in bob.received()

    # Bob answers: both answers open together.
    bob.page.fill("textarea[name=body]", BOB_ANSWER)
    bob.page.get_by_label("This touches my feelings").check()
    bob.submit("exchange-revealed-bob")
    assert ALICE_ANSWER in bob.page.content()
    # The capture of Bob's traffic does see the answer once it is his to read.
    bob.go(exchange_url.replace(server, ""), "exchange-reloaded-bob")
    assert ALICE_ANSWER in bob.received()

    # Bob replies to Alice in the three coached parts.
    bob.page.get_by_role("link", name="Reply to Alice").click()
    bob.visited("reply")
    bob.page.get_by_label("What I heard").fill("A yellow door, and oranges all winter.")
    bob.page.get_by_label("Why it makes sense").fill("Smells carry a whole home with them.")
    bob.page.get_by_label("My care").fill("I would love to see that street with you.")
    bob.submit("exchange-replied-bob")

    # Alice replies to Bob, then rates Bob's reply privately and thanks him.
    alice.go(exchange_url.replace(server, ""), "exchange-revealed-alice")
    assert BOB_ANSWER in alice.page.content()
    assert "I would love to see that street with you." in alice.page.content()
    alice.page.get_by_role("link", name="Reply to Bob").click()
    alice.visited("reply-alice")
    alice.page.get_by_label("What I heard").fill("Warm bread and trays in the morning.")
    alice.page.get_by_label("Why it makes sense").fill("Mornings like that stay with you.")
    alice.page.get_by_label("My care").fill("Thank you for telling me.")
    alice.submit("exchange-replied-alice")
    alice.page.get_by_role("link", name=re.compile("How did this reply feel")).click()
    alice.visited("rate")
    for group in ("I felt understood", "I felt my feelings made sense to them", "I felt cared for"):
        alice.page.get_by_role("group", name=group).get_by_role(
            "radio", name="7, completely"
        ).check()
    alice.page.get_by_label("Send “thank you for hearing me”").check()
    alice.submit("exchange-rated-alice")
    assert Rating.objects.filter(revelation__author__email="alice@example.org").exists()

    # Bob sees the thanks but never the numbers, and rates Alice's reply.
    bob.go(exchange_url.replace(server, ""), "exchange-thanked-bob")
    assert "thank you for hearing me" in bob.page.content()
    assert "rated this reply" not in bob.page.content()
    bob.page.get_by_role("link", name=re.compile("How did this reply feel")).click()
    bob.visited("rate-bob")
    for group in ("I felt understood", "I felt my feelings made sense to them", "I felt cared for"):
        bob.page.get_by_role("group", name=group).get_by_role("radio", name="7, completely").check()
    bob.submit("exchange-rated-bob")

    # The gate: each says they are ready; the second word opens the next depth.
    home_of(alice, bond, "bond-gate-alice")
    gate = alice.page.locator("[data-gate-needs]").text_content() or ""
    assert "Your word that you are ready" in gate
    alice.page.get_by_role("button", name="I am ready to go deeper").click()
    alice.visited("bond-ready-alice")
    assert "Your word that you are ready" not in (
        alice.page.locator("[data-gate-needs]").text_content() or ""
    )
    assert "Next: Personal" in alice.page.locator("#gate-title + p").inner_text()

    home_of(bob, bond, "bond-gate-bob")
    assert "Alice said they are ready." in bob.page.content()
    bob.page.get_by_role("button", name="I am ready to go deeper").click()
    bob.visited("bond-opened-bob")
    # The second word opens the depth, and the page says so as a moment of its own.
    moment = bob.page.locator(".message--moment").inner_text()
    assert "You are both ready, and Personal depth is open to you now." in moment
    assert "Readiness starts fresh" in moment
    assert "Noted: you are ready" not in bob.page.content()
    assert "You share at Personal depth now." in bob.page.locator("#gate-title + p").inner_text()
    # The numbers are one tap away, on their own page.
    bob.page.get_by_role("link", name="How you are doing, in numbers").click()
    bob.visited("bond-numbers-bob")
    assert "Personal" in bob.page.locator(".measure__value").first.text_content()

    home_of(alice, bond, "bond-opened-alice")
    assert "Next: Meaningful" in alice.page.locator("#gate-title + p").inner_text()
    alice.page.get_by_role("link", name="How you are doing, in numbers").click()
    alice.visited("bond-numbers-alice")
    assert "Personal" in alice.page.locator(".measure__value").first.text_content()
    # Alice's own trust is shown to her alone, in words and a number.
    assert "How safe sharing with" in alice.page.content()

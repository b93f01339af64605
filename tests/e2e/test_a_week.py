"""A couple's whole week in Chromium, with the clock moved forward.

Alice lives in Berlin and Bob in New York, each in their own browser (with that time
zone). Alice signs up, starts the bond and invites Bob; the invite link is the one thing
she hands him outside Mutual. Bob joins and answers a first question; from then on
Mutual tells each of them when something waits — by mail, into a real SMTP server on
loopback (aiosmtpd), and by Web Push, into a stand-in push service that decrypts what it
receives (RFC 8291) — and they follow the mail's link. Alice takes everything in a digest
at 20:00 her time; Bob is told at once, outside his quiet hours. Alice chooses a rhythm
and the worker suggests a question every two days; on Friday Bob turns to safety mode
and from then on nothing reaches him.

The server's clock is Django's ``timezone.now``, which every part of Mutual reads (the
live server runs in this process): the test sets it forward, and runs the worker's job
step by step with the same time passed in (``tasks.notifications_run(at=…)``). Every
page a person meets is checked by axe-core and photographed at 390px and 1280px under
``var/screenshots/week/``; none scrolls sideways.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import Message
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from pages import keep_recovery_key, through_keys_open

from factories import PASSWORD
from mutual import tasks
from mutual.accounts import zones
from mutual.accounts.models import Person
from mutual.bonds.models import Bond, Exchange
from mutual.notifications.models import Delivery, Notice, RhythmQuestion
from notify_kit import Mailbox, PushService, push_service, smtp_server, vapid_keys

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SUBJECT = "Something is waiting for you in Mutual"
STEP = timedelta(minutes=30)
ALICE_FIRST = "Alice's first answer: the kitchen at my grandmother's"
BOB_FIRST = "Bob's first answer: the roof where we watched storms"


class Clock:
    """The server's time: what ``django.utils.timezone.now`` answers during the test."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


BERLIN, NEW_YORK = "Europe/Berlin", "America/New_York"


def local(monday: datetime, zone: str, day: int, hour: int, minute: int = 0) -> datetime:
    """``hour:minute`` on the clock of ``zone``, ``day`` days after ``monday`` (whatever
    the season: summer time moves the offsets, not the test)."""
    date = monday.date() + timedelta(days=day)
    there = datetime(date.year, date.month, date.day, hour, minute, tzinfo=ZoneInfo(zone))
    return there.astimezone(UTC)


def next_monday(after: datetime) -> datetime:
    day = after.date() + timedelta(days=7 - after.weekday())
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Monday 00:00 UTC of next week, moved only by the test."""
    moved = Clock(next_monday(datetime.now(UTC)))
    monkeypatch.setattr(timezone, "now", moved.now)
    return moved


@dataclass
class Someone:
    """One person at one browser: every action they take is a step, counted."""

    name: str
    email: str
    page: Any
    server: str
    check: Callable[[Any], None]
    shoot: Callable[[Any, str], Any]
    steps: list[str] = field(default_factory=list)

    def looked_at(self, label: str) -> None:
        self.page.wait_for_load_state()
        assert self.page.title() == "Mutual"
        self.check(self.page)
        for width in (390, 1280):
            self.page.set_viewport_size({"width": width, "height": 900})
            scroll = self.page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width, f"{label} scrolls sideways at {width}px"
        self.shoot(self.page, f"week/{self.name.lower()}-{label}")
        self.page.set_viewport_size({"width": 390, "height": 900})

    def step(self, what: str, action: Callable[[], Any], label: str) -> None:
        self.steps.append(what)
        action()
        self.looked_at(label)

    def click(self, what: str, name: Any, label: str, role: str = "button") -> None:
        self.step(what, lambda: self.page.get_by_role(role, name=name).first.click(), label)

    def sign_in_if_asked(self) -> None:
        """After a night away the session has locked itself (idle lock): sign in again."""
        self.page.wait_for_load_state()
        if "/accounts/login/" in self.page.url:
            self.page.fill("input[name=login]", self.email)
            self.page.fill("input[name=password]", PASSWORD)
            self.step("signs in", self.signing_in, "signed-in")

    def signing_in(self) -> None:
        """The sign-in page sends its form after the salt lookup; the keys open next."""
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Sign in").first.click()
        through_keys_open(self.page)

    def open_mail(self, box: Mailbox, label: str) -> str:
        """Follow the link of the newest mail that says something waits, as from a phone:
        it names nothing, and after sign-in leads straight to the one thing waiting."""
        [*_, mail] = [m for m in box.to(self.email) if m["Subject"] == SUBJECT]
        link = link_in(mail, r"https?://[^\s/]+(/waiting/)")
        self.step("opens the mail's link", lambda: self.page.goto(self.server + link), label)
        self.sign_in_if_asked()
        return str(self.page.url)

    def answer(self, text: str, label: str) -> None:
        self.page.fill("textarea[name=body]", text)
        self.click("answers", re.compile("Save and seal|Save my answer"), label)


def body_of(mail: Message) -> str:
    parts = mail.walk() if mail.is_multipart() else [mail]
    return "\n".join(
        str(part.get_payload(decode=True).decode())
        for part in parts
        if part.get_content_maintype() == "text"
    )


def link_in(mail: Message, pattern: str) -> str:
    found = re.search(pattern, body_of(mail))
    assert found, body_of(mail)
    return found.group(1)


def run_worker(until: datetime, clock: Clock) -> None:
    """The worker's job every half hour up to ``until``, the server's clock moving with it."""
    while clock.at < until:
        clock.at = min(clock.at + STEP, until)
        tasks.notifications_run(at=clock.at)


def person(browser: Any, zone: str, name: str, server: str, check: Callable, shoot: Callable):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 390, "height": 900}, timezone_id=zone)
    context.set_default_timeout(15_000)
    return context, Someone(name, f"{name.lower()}@example.org", context.new_page(), server,
                            check, shoot)  # fmt: skip


def sign_up(who: Someone, box: Mailbox) -> None:
    who.page.fill("input[name=email]", who.email)
    who.page.fill("input[name=password1]", PASSWORD)
    who.page.fill("input[name=password2]", PASSWORD)

    def create() -> None:
        who.page.get_by_role("button", name="Create my account").first.click()
        who.page.locator(".keys-recovery").wait_for()

    who.step("signs up", create, "recovery-key")
    who.step("keeps the recovery key", lambda: keep_recovery_key(who.page), "check-your-email")
    [mail] = box.to(who.email)
    link = link_in(mail, r"https?://[^\s/]+(/accounts/confirm-email/\S+/)")
    who.step("opens the confirmation mail", lambda: who.page.goto(who.server + link), "confirm")

    def confirm() -> None:
        who.page.get_by_role("button", name="Yes, it is mine").first.click()
        who.page.wait_for_load_state()
        through_keys_open(who.page)

    who.step("confirms the address", confirm, "confirmed")


def register_device(who: Someone, pushes: PushService) -> Any:
    """The browser gives Mutual its push address, as ``app.js`` does after the browser's
    push service answered: here the stand-in service's, which decrypts what comes."""
    device = pushes.device(who.name.lower())
    who.page.goto(f"{who.server}/notifications/")
    status = who.page.evaluate(
        """async (sub) => {
          const csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
          const r = await fetch("/notifications/push/", {method: "POST",
            headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
            body: JSON.stringify(sub)});
          return r.status;
        }""",
        device.subscription(),
    )
    assert status == 200
    return device


def test_a_week_in_two_time_zones(
    server: str,
    browser: Any,
    axe_check: Callable,
    screenshot: Callable,
    settings: Any,
    clock: Clock,
) -> None:
    settings.MUTUAL_VAPID_PRIVATE_KEY, settings.MUTUAL_VAPID_PUBLIC_KEY = vapid_keys()
    settings.MUTUAL_PUSH_LOOPBACK = True  # the stand-in push service is on 127.0.0.1
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.MUTUAL_BASE_URL = server
    handoffs: list[str] = []
    contexts = []
    with smtp_server() as box, push_service() as pushes:
        settings.EMAIL_PORT = box.port
        try:
            context, alice = person(browser, BERLIN, "Alice", server, axe_check,
                                    screenshot)  # fmt: skip
            contexts.append(context)
            context, bob = person(browser, NEW_YORK, "Bob", server, axe_check,
                                  screenshot)  # fmt: skip
            contexts.append(context)
            week(clock, box, pushes, alice, bob, handoffs)
        finally:
            for context in contexts:
                context.close()


def week(
    clock: Clock, box: Mailbox, pushes: PushService, alice: Someone, bob: Someone,
    handoffs: list[str],
) -> None:  # fmt: skip
    monday = clock.at
    # Monday, 09:00 in Berlin: Alice signs up, starts a bond and makes an invite.
    clock.at = local(monday, BERLIN, 0, 9)
    alice.step("opens Mutual", lambda: alice.page.goto(f"{alice.server}/accounts/signup/"),
               "sign-up")  # fmt: skip
    sign_up(alice, box)
    assert Person.objects.get(email=alice.email).time_zone == "Europe/Berlin"
    alice.page.get_by_label("My partner").check()
    alice.page.get_by_label("Your name, as they will see it").fill("Alice")
    alice.click("starts a bond", "Start and invite", "invite")
    alice.step("makes an invite", lambda: alice.page.locator("main form button[type=submit]")
               .first.click(), "invite-created")  # fmt: skip
    link = alice.page.locator("[data-invite-link]").inner_text().strip()
    handoffs.append("Alice sends Bob the invite link")
    # Her choices: everything in a daily digest at 20:00 on her clock.
    alice.step("opens what Mutual tells her", lambda: alice.page.goto(
        f"{alice.server}/notifications/"), "notifications")  # fmt: skip
    for choice in alice.page.get_by_label("In my daily digest").all():
        choice.check()
    alice.page.get_by_label("Send my daily digest at").select_option("20")
    alice.click("saves her choices", "Save my choices", "notifications-saved")
    alice_phone = register_device(alice, pushes)

    # Monday, 09:00 in New York: Bob opens the link, makes an account and joins.
    run_worker(local(monday, NEW_YORK, 0, 9), clock)
    bob.step("opens the invite link", lambda: bob.page.goto(link), "invite-opened")
    bob.click("asks for an account", "Create an account", "sign-up")
    sign_up(bob, box)
    if "/join/" not in bob.page.url:
        bob.step("goes back to the invite", lambda: bob.page.goto(f"{bob.server}/join/"), "join")
    bob.page.get_by_label("Your name, as they will see it").fill("Bob")
    bob.step("joins", lambda: bob.page.locator("main form button[type=submit]").first.click(),
             "joined")  # fmt: skip
    bond = Bond.objects.get(person_a__email=alice.email)
    assert bond.status == Bond.Status.ACTIVE
    bob_phone = register_device(bob, pushes)
    bob.page.goto(f"{bob.server}/bonds/{bond.pk}/")
    bob.click("chooses a first question", "Choose a first question", "prompts", role="link")
    bob.step("picks one", lambda: bob.page.locator(".prompt button[type=submit]").first.click(),
             "exchange")  # fmt: skip
    bob.answer(BOB_FIRST, "answered")
    assert BOB_FIRST not in (alice.page.content())

    # Alice hears of it in her digest at 20:00 Berlin, by mail and on her phone.
    run_worker(local(monday, BERLIN, 0, 19, 30), clock)
    assert not [m for m in box.to(alice.email) if m["Subject"] == SUBJECT]
    run_worker(local(monday, BERLIN, 0, 20), clock)
    [_digest] = [m for m in box.to(alice.email) if m["Subject"] == SUBJECT]
    assert zones.local(clock.at, Person.objects.get(email=alice.email)).hour == 20
    assert len(pushes.to(alice_phone)) == 1

    # Tuesday, 08:00 in Berlin: she follows the mail's link and answers; both open.
    run_worker(local(monday, BERLIN, 1, 8), clock)
    assert "/exchanges/" in alice.open_mail(box, "from-the-mail")
    assert BOB_FIRST not in alice.page.content()
    alice.answer(ALICE_FIRST, "both-open")
    assert BOB_FIRST in alice.page.content()

    # Bob is told at once — but it is the middle of the night in New York: it waits for
    # his quiet hours (22:00 to 08:00) to end.
    run_worker(local(monday, NEW_YORK, 1, 7, 30), clock)
    assert not [m for m in box.to(bob.email) if m["Subject"] == SUBJECT]
    run_worker(local(monday, NEW_YORK, 1, 8), clock)
    assert len([m for m in box.to(bob.email) if m["Subject"] == SUBJECT]) == 1
    assert zones.local(clock.at, Person.objects.get(email=bob.email)).hour == 8
    assert len(pushes.to(bob_phone)) == 1
    run_worker(local(monday, NEW_YORK, 1, 9), clock)
    assert "/exchanges/" in bob.open_mail(box, "from-the-mail")
    assert bob.page.url == alice.page.url
    assert ALICE_FIRST in bob.page.content()
    first_exchange = (list(alice.steps), list(bob.steps), list(handoffs))

    # Alice chooses a rhythm: a question every two days, at 19:00 on each one's clock.
    alice.page.goto(f"{alice.server}/bonds/{bond.pk}/rhythm/")
    alice.sign_in_if_asked()
    alice.page.goto(f"{alice.server}/bonds/{bond.pk}/rhythm/")
    alice.page.get_by_label("Every few days").check()
    alice.page.get_by_label("Every how many days").select_option("2")
    alice.page.get_by_label("At what hour (each on your own clock)").select_option("19")
    alice.click("chooses a rhythm", "Save the rhythm", "rhythm")

    # The rest of the week: each answers a suggested question the morning after.
    safe_from = local(monday, NEW_YORK, 4, 10)  # Friday, 10:00 in New York
    for day in range(2, 7):
        for who, zone, hour in ((alice, BERLIN, 8), (bob, NEW_YORK, 9)):
            run_worker(local(monday, zone, day, hour), clock)
            waiting = RhythmQuestion.objects.filter(exchange__revealed_at__isnull=True).exclude(
                exchange__revelations__author__email=who.email
            )
            if who is bob and clock.at >= safe_from:
                continue
            if waiting.exists():
                exchange = waiting.latest("suggested_at").exchange
                who.page.goto(f"{who.server}/exchanges/{exchange.pk}/")
                who.sign_in_if_asked()
                who.page.goto(f"{who.server}/exchanges/{exchange.pk}/")
                who.answer(f"{who.name}'s answer on day {day}", f"rhythm-day-{day}")
        if day == 4:  # Friday: Bob tells Mutual he is being shamed; safety mode begins
            run_worker(safe_from, clock)
            bob.page.goto(f"{bob.server}/bonds/{bond.pk}/")
            bob.sign_in_if_asked()
            bob.page.goto(f"{bob.server}/bonds/{bond.pk}/")
            bob.click("opens safety", "Safety and support", "safety", role="link")
            bob.click("tells Mutual", "Tell us privately that something went wrong", "report",
                      role="link")  # fmt: skip
            bob.page.get_by_label("I am being threatened, shamed or coerced").check()
            bob.click("sends it", "Send privately", "safety-mode")
    run_worker(monday + timedelta(days=7), clock)

    # The rhythm: Tuesday, Thursday and Saturday at 19:00 in Berlin.
    suggested = [q.suggested_at for q in RhythmQuestion.objects.order_by("suggested_at")]
    assert suggested == [local(monday, BERLIN, d, 19) for d in (1, 3, 5)]
    assert Exchange.objects.filter(bond=bond, revealed_at__isnull=False).count() >= 2

    alice_p, bob_p = Person.objects.get(email=alice.email), Person.objects.get(email=bob.email)
    sent = Delivery.objects.filter(sent_at__isnull=False)
    alice_times = [zones.local(d.sent_at, alice_p) for d in sent.filter(person=alice_p)]
    assert len(alice_times) >= 3
    assert {(t.hour, t.minute) for t in alice_times} == {(20, 0)}
    bob_times = [d.sent_at for d in sent.filter(person=bob_p)]
    assert len(bob_times) >= 2
    assert all(8 <= zones.local(t, bob_p).hour < 22 for t in bob_times)
    assert all(t < safe_from for t in bob_times)
    assert not Notice.objects.filter(person=bob_p, created_at__gte=safe_from).exists()
    assert Notice.objects.filter(person=alice_p, created_at__gte=safe_from).exists()

    # What reached the mailbox and the phones: the same words, and nothing private.
    assert len([m for m in box.to(alice.email) if m["Subject"] == SUBJECT]) == len(alice_times)
    assert len([m for m in box.to(bob.email) if m["Subject"] == SUBJECT]) == len(bob_times)
    assert len(pushes.to(alice_phone)) == len(alice_times)
    assert len(pushes.to(bob_phone)) == len(bob_times)
    for mail in box.messages:
        if mail["Subject"] != SUBJECT:
            continue
        assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        for secret in ("Alice", "Bob", "partner", ALICE_FIRST, BOB_FIRST, "answer on day"):
            assert secret not in body_of(mail)
    for push in pushes.received:
        assert push.payload["body"] == SUBJECT

    # The first exchange, from the invite to both answers open, as the report counts it.
    alice_steps, bob_steps, handed = first_exchange
    assert handed == ["Alice sends Bob the invite link"]
    # Choosing a digest is Alice's own wish; without it the first exchange takes her 10.
    assert alice_steps == [
        "opens Mutual", "signs up", "keeps the recovery key", "opens the confirmation mail",
        "confirms the address", "starts a bond", "makes an invite",
        "opens what Mutual tells her", "saves her choices",
        "opens the mail's link", "signs in", "answers",
    ]  # fmt: skip
    assert bob_steps == [
        "opens the invite link", "asks for an account", "signs up", "keeps the recovery key",
        "opens the confirmation mail", "confirms the address", "joins",
        "chooses a first question", "picks one", "answers",
        "opens the mail's link", "signs in",
    ]  # fmt: skip

"""Notifications end to end: notices from the services, contentless mail through a real
SMTP server on loopback, pushes decrypted by a stand-in push service, the worker, retries,
idempotency, hours in each person's zone, unsubscribing, and silence in safety mode and
while a bond is paused."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from factories import answered_pair, bond_of, client_for, own_question
from mutual.accounts.models import Person
from mutual.bonds import services
from mutual.bonds.models import Bond
from mutual.cli.main import main
from mutual.notifications import delivery, messages
from mutual.notifications import services as notify
from mutual.notifications.models import Delivery, Notice, Preferences, PushSubscription
from mutual.safety import services as safety
from notify_kit import Mailbox, PushService, free_port, push_service, smtp_server, vapid_keys

pytestmark = pytest.mark.django_db(transaction=True)

#: Tuesday 1 December 2026, 12:00 UTC.
NOON = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
QUESTION = "What did your grandmother smell of?"
ANSWER = "Lavender-and-woodsmoke-CANARY"


@pytest.fixture
def mailbox(settings: Any) -> Iterator[Mailbox]:
    with smtp_server() as box:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = box.port
        settings.MUTUAL_BASE_URL = "https://mutual.example"
        yield box


@pytest.fixture
def pushes(settings: Any) -> Iterator[PushService]:
    private, public = vapid_keys()
    settings.MUTUAL_VAPID_PRIVATE_KEY = private
    settings.MUTUAL_VAPID_PUBLIC_KEY = public
    settings.MUTUAL_VAPID_SUBJECT = "mailto:operator@mutual.example"
    settings.MUTUAL_PUSH_LOOPBACK = True  # the stand-in push service is on 127.0.0.1
    with push_service() as service:
        yield service


@pytest.fixture
def partners(alice: Person, bob: Person) -> Bond:
    for person, zone in ((alice, "Europe/Berlin"), (bob, "America/New_York")):
        Person.objects.filter(pk=person.pk).update(time_zone=zone)
        person.refresh_from_db()
    bond = bond_of(alice, bob, at=NOON - timedelta(days=1))
    # Always at once, no quiet hours, unless a test says otherwise.
    for person in (alice, bob):
        Preferences.objects.create(person=person, quiet_from=0, quiet_until=0)
    return bond


def alice_answers(bond: Bond, at: datetime) -> Any:
    prompt = own_question(bond, bond.person_a, QUESTION, at=at)
    exchange = services.exchange_open(bond=bond, by=bond.person_a, prompt=prompt, at=at)
    services.revelation_write(
        exchange=exchange, author=bond.person_a, body=ANSWER, emotional=False, at=at
    )
    return exchange


def assert_contentless(text: str) -> None:
    for secret in (QUESTION, ANSWER, "Alice", "Bob", "partners", "Partners", "friends"):
        assert secret not in text


def test_a_partners_answer_is_told_in_one_contentless_mail(
    partners: Bond, mailbox: Mailbox
) -> None:
    alice_answers(partners, NOON)
    [notice] = Notice.objects.all()
    assert (notice.person, notice.kind) == (partners.person_b, "answered")
    assert delivery.deliver(at=NOON) == 1
    [mail] = mailbox.messages
    assert mail["To"] == "bob@example.org"
    assert mail["Subject"] == "Something is waiting for you in Mutual"
    body = mail.get_payload(decode=True).decode()
    assert_contentless(mail.as_string())
    assert "https://mutual.example/waiting/" in body
    stop = messages.unsubscribe_url(partners.person_b)
    assert " ".join(mail["List-Unsubscribe"].split()) == f"<{stop}>"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert stop in body
    links = [w for w in body.split() if w.startswith("https://")]
    assert links == ["https://mutual.example/waiting/", stop]


def test_one_event_is_told_at_most_once(partners: Bond, mailbox: Mailbox) -> None:
    exchange = alice_answers(partners, NOON)
    # An edit of the sealed answer is no new event: nothing new is noted.
    services.revelation_write(
        exchange=exchange, author=partners.person_a, body="again", emotional=False, at=NOON
    )
    assert Notice.objects.count() == 1
    assert delivery.deliver(at=NOON) == 1
    assert delivery.deliver(at=NOON + timedelta(minutes=1)) == 0
    assert delivery.deliver(at=NOON + timedelta(days=1)) == 0
    assert len(mailbox.messages) == 1
    assert Delivery.objects.get().key == f"notice:{Notice.objects.get().pk}"


def test_replies_and_thanks_are_told_each_once(partners: Bond, mailbox: Mailbox) -> None:
    alice, bob = partners.person_a, partners.person_b
    _exchange, a, _b = answered_pair(
        partners, alice, bob, alice_text=ANSWER, bob_text="mine", at=NOON
    )
    services.reply_write(
        revelation=a, author=bob, heard="h", makes_sense="m", care="c", costly=False, at=NOON
    )
    services.rating_give(
        revelation=a, rater=alice, understood=6, validated=6, cared=6, thanked=True, at=NOON
    )
    kinds = sorted(Notice.objects.values_list("kind", "person__email"))
    assert kinds == [
        ("answered", "alice@example.org"),
        ("answered", "bob@example.org"),
        ("replied", "alice@example.org"),
        ("thanked", "bob@example.org"),
    ]
    assert delivery.deliver(at=NOON + timedelta(minutes=5)) == 2  # one message each
    assert sorted(m["To"] for m in mailbox.messages) == ["alice@example.org", "bob@example.org"]
    for mail in mailbox.messages:
        assert_contentless(mail.as_string())


def test_a_failed_mail_is_tried_again_later_and_sent_once(partners: Bond, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nobody listens yet
    alice_answers(partners, NOON)
    assert delivery.deliver(at=NOON) == 0
    sending = Delivery.objects.get()
    assert (sending.attempts, sending.sent_at, sending.last_error) == (
        1,
        None,
        "ConnectionRefusedError",
    )
    assert delivery.deliver(at=NOON + timedelta(minutes=1)) == 0  # not before the retry time
    with smtp_server() as box:
        settings.EMAIL_PORT = box.port
        assert delivery.deliver(at=NOON + delivery.RETRY_AFTER) == 1
        assert delivery.deliver(at=NOON + timedelta(hours=1)) == 0
    assert len(box.messages) == 1
    sending.refresh_from_db()
    assert sending.sent_at == NOON + delivery.RETRY_AFTER


def test_a_send_interrupted_halfway_is_never_repeated(partners: Bond, mailbox: Mailbox) -> None:
    alice_answers(partners, NOON)
    notice = Notice.objects.get()
    interrupted = Delivery.objects.create(
        person=notice.person, key=f"notice:{notice.pk}", created_at=NOON, sending_at=NOON
    )
    Notice.objects.filter(pk=notice.pk).update(delivery=interrupted)
    assert delivery.deliver(at=NOON + timedelta(days=1)) == 0
    assert mailbox.messages == []


def test_quiet_hours_hold_a_notice_until_they_end(partners: Bond, mailbox: Mailbox) -> None:
    # Bob lives in New York; 03:00 there is 08:00 UTC. Quiet from 22:00 until 07:00.
    Preferences.objects.filter(person=partners.person_b).update(quiet_from=22, quiet_until=7)
    night = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
    alice_answers(partners, night)
    assert delivery.deliver(at=night) == 0
    assert delivery.deliver(at=datetime(2026, 12, 2, 11, 59, tzinfo=UTC)) == 0  # 06:59 there
    assert delivery.deliver(at=datetime(2026, 12, 2, 12, 0, tzinfo=UTC)) == 1  # 07:00 there
    assert len(mailbox.messages) == 1


def test_a_digest_comes_at_the_persons_hour_in_their_zone(partners: Bond, mailbox: Mailbox) -> None:
    # Alice (Berlin) wants replies in a digest at 20:00 her time, 19:00 UTC in December.
    alice, bob = partners.person_a, partners.person_b
    Preferences.objects.filter(person=alice).update(
        digest_hour=20, choices={"replied": "digest", "answered": "digest"}
    )
    _e, a, _b = answered_pair(partners, alice, bob, alice_text=ANSWER, bob_text="b", at=NOON)
    services.reply_write(
        revelation=a, author=bob, heard="h", makes_sense="m", care="c", costly=False, at=NOON
    )
    assert delivery.deliver(at=NOON + timedelta(minutes=5)) == 1  # Bob, at once
    assert delivery.deliver(at=datetime(2026, 12, 1, 18, 59, tzinfo=UTC)) == 0
    assert delivery.deliver(at=datetime(2026, 12, 1, 19, 0, tzinfo=UTC)) == 1
    assert [m["To"] for m in mailbox.messages] == ["bob@example.org", "alice@example.org"]
    assert Delivery.objects.get(person=alice).notices.count() == 2  # one mail for both


def test_a_kind_turned_off_is_never_told(partners: Bond, mailbox: Mailbox) -> None:
    Preferences.objects.filter(person=partners.person_b).update(choices={"answered": "never"})
    alice_answers(partners, NOON)
    assert not Notice.objects.exists()
    assert delivery.deliver(at=NOON) == 0
    assert mailbox.messages == []


def test_nothing_is_told_while_a_bond_is_paused(partners: Bond, mailbox: Mailbox) -> None:
    alice_answers(partners, NOON)
    safety.bond_pause(bond=partners, person=partners.person_a, at=NOON + timedelta(seconds=1))
    assert delivery.deliver(at=NOON + timedelta(minutes=1)) == 0
    assert mailbox.messages == []
    assert Notice.objects.get().dropped_at is not None


def test_a_person_in_safety_mode_is_told_nothing(partners: Bond, mailbox: Mailbox) -> None:
    bob = partners.person_b
    safety.breach_report(person=bob, kind="weaponization", bond=partners, at=NOON)
    alice_answers(partners, NOON + timedelta(minutes=1))
    assert not Notice.objects.filter(person=bob).exists()
    # What Bob does still reaches Alice, as before: she can infer nothing.
    prompt = own_question(partners, bob, "Another question", at=NOON)
    exchange = services.exchange_open(bond=partners, by=bob, prompt=prompt, at=NOON)
    services.revelation_write(exchange=exchange, author=bob, body="x", emotional=False, at=NOON)
    assert delivery.deliver(at=NOON + timedelta(minutes=5)) == 1
    assert [m["To"] for m in mailbox.messages] == ["alice@example.org"]


def test_the_unsubscribe_link_asks_on_get_and_stops_mail_on_post(
    partners: Bond, mailbox: Mailbox
) -> None:
    bob = partners.person_b
    path = messages.unsubscribe_url(bob).removeprefix("https://mutual.example")
    anonymous = client_for(None)
    page = anonymous.get(path)
    assert page.status_code == 200
    assert "Stop the mails" in page.content.decode()
    assert Preferences.objects.get(person=bob).by_mail
    # RFC 8058: the mail client posts "List-Unsubscribe=One-Click", without a session.
    done = anonymous.post(path, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert not Preferences.objects.get(person=bob).by_mail
    alice_answers(partners, NOON)
    delivery.deliver(at=NOON)
    assert mailbox.messages == []
    # With mail off and no device to push to, nothing is kept to be told later.
    assert Notice.objects.get().dropped_at == NOON


def test_a_forged_unsubscribe_link_changes_nothing(partners: Bond) -> None:
    token = messages.unsubscribe_token(partners.person_b)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    response = client_for(None).post(f"/notifications/unsubscribe/{forged}/")
    assert response.status_code == 404
    assert Preferences.objects.get(person=partners.person_b).by_mail


def test_a_push_is_encrypted_and_says_nothing(
    partners: Bond, mailbox: Mailbox, pushes: PushService
) -> None:
    bob = partners.person_b
    phone = pushes.device("bobs-phone")
    response = client_for(bob).post(
        "/notifications/push/", phone.subscription(), content_type="application/json"
    )
    assert response.status_code == 200
    alice_answers(partners, NOON)
    assert delivery.deliver(at=NOON) == 1
    [push] = pushes.to(phone)
    assert push.payload == {
        "title": "Mutual",
        "body": "Something is waiting for you in Mutual",
        "url": "/waiting/",
    }
    assert_contentless(push.text)
    assert push.headers["content-encoding"] == "aes128gcm"
    assert push.headers["authorization"].startswith("vapid t=")
    assert len(mailbox.messages) == 1


def test_a_device_the_push_service_forgot_is_forgotten(
    partners: Bond, mailbox: Mailbox, pushes: PushService
) -> None:
    bob = partners.person_b
    gone = pushes.device("old")
    client_for(bob).post(
        "/notifications/push/", gone.subscription(), content_type="application/json"
    )
    pushes.devices.clear()
    alice_answers(partners, NOON)
    delivery.deliver(at=NOON)
    assert not PushSubscription.objects.exists()
    assert len(mailbox.messages) == 1


@pytest.mark.parametrize(
    "endpoint",
    [
        "ftp://push.example/x",
        "http://push.example/x",
        "https://localhost/x",
        "https://127.0.0.1/x",
        "https://10.0.0.7/x",
        "https://[::1]/x",
        "https://intranet/x",
        "https://push.example:notaport/x",
        "http://127.0.0.1:8000/x",  # loopback only for the tests' stand-in
    ],
)
def test_a_push_address_that_is_no_push_service_is_refused(bob: Person, endpoint: str) -> None:
    response = client_for(bob).post(
        "/notifications/push/",
        {"endpoint": endpoint, "keys": {"p256dh": "x", "auth": "y"}},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert not PushSubscription.objects.exists()


def test_a_push_service_address_is_kept(bob: Person) -> None:
    endpoint = "https://fcm.googleapis.com/fcm/send/abc"
    response = client_for(bob).post(
        "/notifications/push/",
        {"endpoint": endpoint, "keys": {"p256dh": "x", "auth": "y"}},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert PushSubscription.objects.get().endpoint == endpoint
    client_for(bob).post("/notifications/push/", {"off": True}, content_type="application/json")
    assert not PushSubscription.objects.exists()


def test_the_real_worker_sends_through_smtp(partners: Bond, mailbox: Mailbox) -> None:
    alice_answers(partners, datetime.now(UTC) - timedelta(minutes=1))
    assert main(["worker", "--once"]) == 0
    [mail] = mailbox.to("bob@example.org")
    assert mail["Subject"] == "Something is waiting for you in Mutual"
    assert main(["worker", "--once"]) == 0
    assert len(mailbox.messages) == 1


def test_the_settings_page_saves_choices_and_refuses_nonsense(alice: Person) -> None:
    browser = client_for(alice)
    page = browser.get("/notifications/").content.decode()
    assert "Your partner replied to your answer" in page
    assert "Quiet hours" in page
    form = {
        f"kind_{k}": "now"
        for k in ("answered", "replied", "thanked", "checkin", "difference", "revisit", "rhythm")
    }
    form.update(
        kind_replied="digest", digest_hour="7", quiet_from="23", quiet_until="6", by_mail="on"
    )
    assert browser.post("/notifications/", form).status_code == 302
    prefs = Preferences.objects.get(person=alice)
    assert (prefs.digest_hour, prefs.quiet_from, prefs.quiet_until) == (7, 23, 6)
    assert prefs.choices["replied"] == "digest"
    assert (prefs.by_mail, prefs.by_push) == (True, False)
    bad = browser.post("/notifications/", {**form, "digest_hour": "25", "kind_thanked": "loud"})
    assert bad.status_code == 422
    assert Preferences.objects.get(person=alice).choices == prefs.choices
    assert "Notifications" in browser.get("/accounts/security/").content.decode()


def test_checkins_and_differences_say_that_something_waits(partners: Bond) -> None:
    from mutual.checkins import services as checkins
    from mutual.differences import services as differences

    alice, bob = partners.person_a, partners.person_b
    checkins.checkin_submit(
        bond=partners,
        person=alice,
        feeling="calm",
        intensity=2,
        guess_feeling="calm",
        guess_intensity=2,
        at=NOON,
    )
    d = differences.difference_raise(bond=partners, person=bob, topic="Holidays", at=NOON)
    differences.perspective_write(
        bond=partners, difference_id=d.id, person=alice, body="x", at=NOON
    )
    kinds = sorted(Notice.objects.values_list("kind", "person__email"))
    assert kinds == [
        ("checkin", "bob@example.org"),
        ("difference", "alice@example.org"),
        ("difference", "bob@example.org"),
    ]
    assert notify.may_tell(bond=partners, person=alice)


def test_the_service_worker_stores_nothing_but_the_offline_page() -> None:
    """Read as text: its one write to a cache is the offline page, at install."""
    response = client_for(None).get("/sw.js")
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-store" in response["Cache-Control"]  # fetched afresh on every update check
    script = response.content.decode()
    for writes in (".put(", ".addAll(", "localStorage", "indexedDB", "sessionStorage"):
        assert writes not in script
    assert script.count(".add(") == 1
    assert 'cache.add(new Request(OFFLINE, { credentials: "omit"' in script
    assert 'var OFFLINE = "/offline/";' in script


def test_the_offline_page_holds_nothing_of_anyone(alice: Person) -> None:
    anonymous = client_for(None).get("/offline/").content.decode()
    assert "You are offline" in anonymous
    assert "csrfmiddlewaretoken" not in anonymous
    signed_in = client_for(alice).get("/offline/").content.decode()
    assert "alice@example.org" not in signed_in
    assert "csrfmiddlewaretoken" not in signed_in

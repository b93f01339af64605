"""A week of Mutual with the clock moved forward: Alice in Berlin and Bob in New York,
a rhythm suggesting questions, notices arriving in a real mailbox on loopback and in a
stand-in push service, digests at each person's hour, and safety mode silencing Bob's.

The worker's job runs every half hour of the week with the time passed in
(``tasks.notifications_run(at=…)``); nothing patches the clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from factories import bond_of, client_for
from mutual import tasks
from mutual.accounts import zones
from mutual.accounts.models import Person
from mutual.bonds import services
from mutual.bonds.models import Exchange, Revelation
from mutual.notifications import rhythm
from mutual.notifications.models import Delivery, Notice, Preferences, RhythmQuestion
from mutual.safety import services as safety
from notify_kit import push_service, smtp_server, vapid_keys

pytestmark = pytest.mark.django_db(transaction=True)

#: Monday 7 December 2026, 00:00 UTC.
MONDAY = datetime(2026, 12, 7, 0, 0, tzinfo=UTC)
STEP = timedelta(minutes=30)


def test_a_week_in_two_time_zones(settings, alice: Person, bob: Person) -> None:  # type: ignore[no-untyped-def]
    private, public = vapid_keys()
    settings.MUTUAL_VAPID_PRIVATE_KEY, settings.MUTUAL_VAPID_PUBLIC_KEY = private, public
    settings.MUTUAL_PUSH_LOOPBACK = True  # the stand-in push service is on 127.0.0.1
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    Person.objects.filter(pk=alice.pk).update(time_zone="Europe/Berlin")  # UTC+1
    Person.objects.filter(pk=bob.pk).update(time_zone="America/New_York")  # UTC-5
    alice.refresh_from_db()
    bob.refresh_from_db()
    bond = bond_of(alice, bob, at=MONDAY - timedelta(days=1))
    # Alice: everything in a digest at 20:00 her time. Bob: at once, quiet 22:00–07:00.
    Preferences.objects.create(
        person=alice,
        digest_hour=20,
        choices={k: "digest" for k in ("answered", "replied", "thanked", "rhythm")},
    )
    Preferences.objects.create(person=bob, quiet_from=22, quiet_until=7)
    rhythm.rhythm_set(bond=bond, person=alice, every="days", days=2, weekday=0, hour=19, at=MONDAY)

    with smtp_server() as box, push_service() as pushes:
        settings.EMAIL_PORT = box.port
        alice_phone, bob_phone = pushes.device("alice"), pushes.device("bob")
        for person, device in ((alice, alice_phone), (bob, bob_phone)):
            client_for(person).post(
                "/notifications/push/", device.subscription(), content_type="application/json"
            )

        at = MONDAY
        while at < MONDAY + timedelta(days=7):
            # Each answers the suggested question the morning after it came, on their clock.
            for question in RhythmQuestion.objects.select_related("exchange"):
                exchange = question.exchange
                for person in (alice, bob):
                    local = zones.local(at, person)
                    mine = Revelation.objects.filter(exchange=exchange, author=person)
                    if (
                        local.hour == 8
                        and local.minute == 0
                        and at - question.suggested_at > timedelta(hours=8)
                        and not mine.exists()
                    ):
                        services.revelation_write(
                            exchange=exchange,
                            author=person,
                            body="a private answer",
                            emotional=False,
                            at=at,
                        )
            if at == MONDAY + timedelta(days=4, hours=15):  # Friday: Bob enters safety mode
                safety.breach_report(person=bob, kind="weaponization", bond=bond, at=at)
                safe_from = at
            tasks.notifications_run(at=at)
            at += STEP

        # The rhythm suggested a question every two days, at 19:00 Alice's time (18:00 UTC).
        suggested = [q.suggested_at for q in RhythmQuestion.objects.order_by("suggested_at")]
        assert suggested == [MONDAY + timedelta(days=d, hours=18) for d in (0, 2, 4, 6)]
        assert Exchange.objects.filter(bond=bond).count() == 4
        assert Exchange.objects.filter(bond=bond, revealed_at__isnull=False).count() >= 2
        assert Notice.objects.filter(person=alice, kind="answered").exists()

        sent = Delivery.objects.filter(sent_at__isnull=False)
        # Alice's mails come only at 20:00 on her clock: her digest.
        alice_times = [zones.local(d.sent_at, alice) for d in sent.filter(person=alice)]
        assert alice_times
        assert {(t.hour, t.minute) for t in alice_times} == {(20, 0)}
        # Bob's mails never in his quiet hours, and none once he is in safety mode.
        bob_times = [d.sent_at for d in sent.filter(person=bob)]
        assert bob_times
        assert all(7 <= zones.local(t, bob).hour < 22 for t in bob_times)
        assert all(t < safe_from for t in bob_times)
        assert not Notice.objects.filter(person=bob, created_at__gte=safe_from).exists()
        # The rhythm's nudge reaches Bob at 19:00 his time (00:00 UTC), not Alice's.
        bob_rhythm = Notice.objects.filter(person=bob, kind="rhythm").select_related("delivery")
        assert {zones.local(n.delivery.sent_at, bob).hour for n in bob_rhythm if n.delivery} == {19}
        # At most one reminder per question and person.
        for question in RhythmQuestion.objects.all():
            for person in (alice, bob):
                reminders = Notice.objects.filter(
                    person=person, key__startswith=f"reminder:{question.exchange_id}"
                )
                assert reminders.count() <= 1

        # What arrived in the mailbox and at the devices, and that it says nothing.
        assert len(box.to("alice@example.org")) == len(alice_times)
        assert len(box.to("bob@example.org")) == len(bob_times)
        for mail in box.messages:
            assert mail["Subject"] == "Something is waiting for you in Mutual"
            for secret in ("Alice", "Bob", "partners", "a private answer"):
                assert secret not in mail.as_string()
        assert len(pushes.to(alice_phone)) == len(alice_times)
        assert len(pushes.to(bob_phone)) == len(bob_times)
        for push in pushes.received:
            assert push.payload["body"] == "Something is waiting for you in Mutual"

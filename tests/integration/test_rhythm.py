"""A bond's rhythm: questions at the bond's depth at each person's hour, one reminder at
most, never piling up, nothing while paused; its page, for members only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from factories import bond_of, client_for
from mutual.accounts.models import Person
from mutual.bonds import selectors, services
from mutual.bonds.errors import Invalid
from mutual.bonds.models import Bond
from mutual.notifications import rhythm
from mutual.notifications.models import Notice, Rhythm, RhythmQuestion
from mutual.safety import services as safety

pytestmark = pytest.mark.django_db

#: Wednesday 2 December 2026, 09:00 UTC.
WEDNESDAY = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def partners(alice: Person, bob: Person) -> Bond:
    Person.objects.filter(pk=bob.pk).update(time_zone="Asia/Tokyo")  # UTC+9
    bob.refresh_from_db()
    return bond_of(alice, bob, at=WEDNESDAY - timedelta(days=1))


def run(until: datetime, start: datetime = WEDNESDAY) -> None:
    at = start
    while at <= until:
        rhythm.tick(at=at)
        at += timedelta(hours=1)


def test_a_weekly_rhythm_suggests_on_its_day_and_hour(partners: Bond) -> None:
    rhythm.rhythm_set(
        bond=partners,
        person=partners.person_a,
        every="weekday",
        days=2,
        weekday=6,
        hour=18,
        at=WEDNESDAY,
    )
    run(WEDNESDAY + timedelta(days=6))
    [question] = RhythmQuestion.objects.all()
    assert question.suggested_at == datetime(2026, 12, 6, 18, 0, tzinfo=UTC)  # Sunday 18:00
    exchange = question.exchange
    assert exchange.prompt.depth <= selectors.open_depth_of(bond=partners)
    nudges = {
        n.person.email: n.not_before for n in Notice.objects.filter(key__startswith="rhythm:")
    }
    # Alice at 18:00 her time (UTC); Bob at 18:00 his (09:00 UTC the next day).
    assert nudges == {
        "alice@example.org": datetime(2026, 12, 6, 18, 0, tzinfo=UTC),
        "bob@example.org": datetime(2026, 12, 7, 9, 0, tzinfo=UTC),
    }


def test_one_reminder_at_most_and_no_pile_of_questions(partners: Bond) -> None:
    rhythm.rhythm_set(
        bond=partners,
        person=partners.person_a,
        every="days",
        days=1,
        weekday=0,
        hour=10,
        at=WEDNESDAY,
    )
    run(WEDNESDAY + timedelta(days=5))
    # Nobody answered: one question only, one reminder each, never more.
    assert RhythmQuestion.objects.count() == 1
    assert Notice.objects.filter(key__startswith="reminder:").count() == 2
    question = RhythmQuestion.objects.get()
    services.revelation_write(
        exchange=question.exchange,
        author=partners.person_a,
        body="mine",
        emotional=False,
        at=WEDNESDAY + timedelta(days=5, hours=1),
    )
    services.revelation_write(
        exchange=question.exchange,
        author=partners.person_b,
        body="yours",
        emotional=False,
        at=WEDNESDAY + timedelta(days=5, hours=2),
    )
    run(WEDNESDAY + timedelta(days=7), start=WEDNESDAY + timedelta(days=5, hours=3))
    # Once both answered, the next question came; it too has one reminder each at most.
    assert RhythmQuestion.objects.count() == 2
    for question in RhythmQuestion.objects.all():
        reminders = Notice.objects.filter(key__startswith=f"reminder:{question.exchange_id}:")
        assert reminders.count() <= 2


def test_a_paused_bond_is_suggested_nothing(partners: Bond) -> None:
    rhythm.rhythm_set(
        bond=partners,
        person=partners.person_b,
        every="days",
        days=1,
        weekday=0,
        hour=10,
        at=WEDNESDAY,
    )
    safety.bond_pause(bond=partners, person=partners.person_a, at=WEDNESDAY)
    run(WEDNESDAY + timedelta(days=3))
    assert not RhythmQuestion.objects.exists()
    assert not Notice.objects.exists()


def test_bad_choices_change_nothing(partners: Bond) -> None:
    for bad in (
        {"every": "hourly", "days": 2, "weekday": 0, "hour": 10},
        {"every": "days", "days": 0, "weekday": 0, "hour": 10},
        {"every": "weekday", "days": 2, "weekday": 7, "hour": 10},
        {"every": "days", "days": 2, "weekday": 0, "hour": "noon"},
    ):
        with pytest.raises(Invalid):
            rhythm.rhythm_set(bond=partners, person=partners.person_a, at=WEDNESDAY, **bad)
    assert not Rhythm.objects.exists()


def test_the_rhythm_page_is_for_the_two_alone(partners: Bond, charlie: Person) -> None:
    path = f"/bonds/{partners.pk}/rhythm/"
    assert client_for(charlie).get(path).status_code == 404
    assert (
        client_for(charlie)
        .post(path, {"every": "days", "days": "2", "weekday": "0", "hour": "9"})
        .status_code
        == 404
    )
    assert not Rhythm.objects.exists()
    bob = client_for(partners.person_b)
    assert "No rhythm yet" in bob.get(path).content.decode()
    bad = bob.post(path, {"every": "days", "days": "40", "weekday": "0", "hour": "9"})
    assert bad.status_code == 422
    assert "Choose between 1 and 14 days." in bad.content.decode()
    bob.post(path, {"every": "weekday", "days": "2", "weekday": "4", "hour": "20"})
    assert "a question every Friday at 20:00" in bob.get(path).content.decode()
    bob.post(path, {"every": "off"})
    assert not Rhythm.objects.exists()

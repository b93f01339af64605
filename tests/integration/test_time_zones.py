"""Each person's time zone: set at sign-up from the browser, changed in settings, and
used for "today", revisit dates and the times pages show."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone

from factories import PASSWORD, bond_of, client_for, signup_form
from mutual.accounts import zones
from mutual.accounts.models import Person
from mutual.bonds.errors import Invalid
from mutual.differences import selectors as difference_selectors
from mutual.differences import services as difference_services
from mutual.differences.models import Difference

pytestmark = pytest.mark.django_db


def test_a_known_zone_is_kept_and_anything_else_refused() -> None:
    assert zones.clean("Europe/Berlin") == "Europe/Berlin"
    assert zones.clean(" Pacific/Auckland ") == "Pacific/Auckland"
    assert zones.clean("UTC") == "UTC"
    for bad in ("", "Mars/Olympus", "../../etc/passwd", "Europe/Berlin" * 10, None, 3):
        assert zones.clean(bad) is None


def test_the_local_day_is_the_persons_own(alice: Person) -> None:
    late_in_london = datetime(2026, 12, 3, 23, 30, tzinfo=UTC)
    assert zones.local_date(late_in_london, alice) == date(2026, 12, 3)
    alice.time_zone = "Pacific/Auckland"
    assert zones.local_date(late_in_london, alice) == date(2026, 12, 4)
    alice.time_zone = "America/Los_Angeles"
    assert zones.local_date(late_in_london, alice) == date(2026, 12, 3)
    with pytest.raises(ValueError, match="timezone-aware"):
        zones.local_date(datetime(2026, 12, 3, 12, 0), alice)


def test_sign_up_keeps_the_zone_the_browser_sent(client) -> None:  # type: ignore[no-untyped-def]
    client.post(
        "/accounts/signup/",
        signup_form("dana@example.org", PASSWORD, time_zone="America/Sao_Paulo"),
    )
    assert Person.objects.get(email="dana@example.org").time_zone == "America/Sao_Paulo"


def test_sign_up_with_an_unknown_zone_starts_on_utc(client) -> None:  # type: ignore[no-untyped-def]
    client.post(
        "/accounts/signup/",
        signup_form("eli@example.org", PASSWORD, time_zone="Nowhere/Atlantis"),
    )
    assert Person.objects.get(email="eli@example.org").time_zone == "UTC"


def test_the_sign_up_form_carries_a_field_for_the_browser_to_fill(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/accounts/signup/").content.decode()
    assert 'name="time_zone"' in page
    assert "data-zone-detect" in page


def test_the_zone_is_changed_in_settings(alice: Person) -> None:
    browser = client_for(alice)
    page = browser.get("/accounts/security/").content.decode()
    assert 'name="time_zone"' in page
    assert '<option value="Asia/Tokyo">' in page
    response = browser.post("/accounts/time-zone/", {"time_zone": "Asia/Tokyo"}, follow=True)
    assert "Mutual now keeps your days and hours in Asia/Tokyo." in response.content.decode()
    alice.refresh_from_db()
    assert alice.time_zone == "Asia/Tokyo"


def test_an_unknown_zone_in_settings_changes_nothing(alice: Person) -> None:
    browser = client_for(alice)
    response = browser.post("/accounts/time-zone/", {"time_zone": "Moon/Base"}, follow=True)
    assert "Choose a time zone from the list." in response.content.decode()
    alice.refresh_from_db()
    assert alice.time_zone == "UTC"


def test_pages_show_times_in_the_viewers_zone(alice: Person) -> None:
    Person.objects.filter(pk=alice.pk).update(time_zone="Asia/Kolkata")
    alice.refresh_from_db()
    page = client_for(alice).get("/accounts/security/").content.decode()
    now = timezone.now().astimezone(zones.zone_of(alice))
    assert f"where it is now {now.day} {now:%B %Y}, " in page
    assert "Asia/Kolkata" in page


def test_one_way_to_write_a_date() -> None:
    template = Template("{{ d|day }} · {{ t|day_time }} · {{ none|day }}")
    moment = datetime(2026, 12, 3, 23, 30, tzinfo=UTC)
    with timezone.override(zones.zone_of(Person(time_zone="Europe/Berlin"))):
        text = template.render(Context({"d": date(2026, 12, 3), "t": moment, "none": None}))
    assert text == "3 December 2026 · 4 December 2026, 00:30 · "


def _closed_with_revisit(alice: Person, bob: Person, at: datetime, on: date) -> Difference:
    bond = bond_of(alice, bob)
    d = difference_services.difference_raise(bond=bond, person=alice, topic="Money", at=at)
    for who in (alice, bob):
        difference_services.perspective_write(
            bond=bond, difference_id=d.id, person=who, body="How I see it", at=at
        )
    for who in (alice, bob):
        difference_services.restatement_write(
            bond=bond, difference_id=d.id, person=who, body="How you see it", at=at
        )
    for who in (alice, bob):
        difference_services.understood_rate(
            bond=bond, difference_id=d.id, person=who, score=6, at=at
        )
    difference_services.outcome_propose(
        bond=bond, difference_id=d.id, person=alice, outcome="revisit", revisit_on=on, at=at
    )
    return difference_services.outcome_confirm(bond=bond, difference_id=d.id, person=bob, at=at)


def test_a_revisit_is_due_on_each_persons_own_day(alice: Person, bob: Person) -> None:
    Person.objects.filter(pk=bob.pk).update(time_zone="Pacific/Auckland")
    bob.refresh_from_db()
    at = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    d = _closed_with_revisit(alice, bob, at, date(2026, 12, 4))
    evening = datetime(2026, 12, 3, 20, 0, tzinfo=UTC)  # 4 December, 9:00 in Auckland
    assert difference_selectors.differences_due(bond=d.bond, viewer=alice, at=evening) == []
    [due] = difference_selectors.differences_due(bond=d.bond, viewer=bob, at=evening)
    assert due.due
    assert due.revisit_on == date(2026, 12, 4)


def test_after_today_means_the_persons_today(alice: Person, bob: Person) -> None:
    Person.objects.filter(pk=alice.pk).update(time_zone="Pacific/Kiritimati")  # UTC+14
    alice.refresh_from_db()
    at = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)  # already 4 December there
    with pytest.raises(Invalid, match="after today"):
        _closed_with_revisit(alice, bob, at, date(2026, 12, 4))

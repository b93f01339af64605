"""The day to come back to a difference is chosen as the pages write a date: a day, a month
by its name and a year. A day that is not in the calendar, a day that has passed or a
date chosen only in part gets its error beside the picker and changes nothing; the API
keeps ISO dates (docs/notifications.md, "Time zones")."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from factories import bond_of, client_for
from mutual.accounts import zones
from mutual.accounts.models import Person
from mutual.api.tokens import token_issue
from mutual.bonds.models import Bond
from mutual.differences import services as difference_services
from mutual.differences.models import Difference

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def bond(alice: Person, bob: Person) -> Bond:
    return bond_of(alice, bob, at=T0)


@pytest.fixture
def topic(bond: Bond, alice: Person, bob: Person) -> Difference:
    """A topic both have written on, restated and rated: its outcome is next."""
    topic = difference_services.difference_raise(
        bond=bond, person=alice, topic="Where we spend the holidays", at=T0
    )
    for write in (difference_services.perspective_write, difference_services.restatement_write):
        for who in (alice, bob):
            write(bond=bond, difference_id=topic.id, person=who, body="Words.", at=T0)
    for who in (alice, bob):
        difference_services.understood_rate(
            bond=bond, difference_id=topic.id, person=who, score=6, at=T0
        )
    return topic


def today(who: Person) -> date:
    return zones.local_date(timezone.now(), who)


def picked(on: date | None = None, **parts: str) -> dict[str, str]:
    form = {"outcome": "revisit"}
    if on is not None:
        parts = {"day": str(on.day), "month": str(on.month), "year": str(on.year), **parts}
    form.update({f"revisit_on_{k}": v for k, v in parts.items()})
    return form


def step(bond: Bond, topic: Difference) -> str:
    return reverse("differences:step", args=[bond.id, topic.id, "outcome"])


def test_the_picker_offers_day_month_by_name_and_year(bond, topic, alice) -> None:
    page = client_for(alice).get(reverse("differences:detail", args=[bond.id, topic.id]))
    html = page.content.decode()
    assert 'type="date"' not in html
    assert "<legend>If you will come back to it, when?</legend>" in html
    for name, label in (("day", "Day"), ("month", "Month"), ("year", "Year")):
        assert f'<label for="revisit-{name}">{label}</label>' in html
        assert f'<select id="revisit-{name}" name="revisit_on_{name}"' in html
    assert '<option value="12">December</option>' in html
    assert f'<option value="{today(alice).year}">{today(alice).year}</option>' in html


def test_a_chosen_day_is_proposed_and_shown_as_pages_write_it(bond, topic, alice, bob) -> None:
    on = today(alice) + timedelta(days=9)
    answer = client_for(alice).post(step(bond, topic), picked(on))
    assert answer.status_code == 302
    topic.refresh_from_db()
    assert (topic.proposed_outcome, topic.proposed_revisit_on) == ("revisit", on)
    url = reverse("differences:detail", args=[bond.id, topic.id])
    theirs = client_for(bob).get(url).content.decode()
    assert f"We will come back to it on {on.day} {on:%B} {on.year}" in theirs


def error_beside_picker(html: str) -> str:
    found = re.search(
        r'<fieldset class="date-picker field--error" aria-describedby="revisit-on-hint '
        r'revisit-on-error">.*?<p class="error" id="revisit-on-error" role="alert">(.*?)</p>',
        html,
        re.S,
    )
    assert found, "the error is not beside the date picker"
    assert 'class="form-error"' not in html  # said once, beside the field
    return found.group(1)


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (
            {"day": "31", "month": "2", "year": "2027"},
            "There is no 31 February in 2027. Choose another day.",
        ),
        (
            {"day": "29", "month": "2", "year": "2027"},
            "There is no 29 February in 2027. Choose another day.",
        ),
        ({"day": "3", "month": "", "year": "2027"}, "Choose a day, a month and a year"),
        ({"day": "3", "month": "13", "year": "2027"}, "Choose the day, month and year from"),
        ({"day": "x", "month": "1", "year": "2027"}, "Choose the day, month and year from"),
        ({}, "Choose a date to come back to it."),
    ],
)
def test_a_day_not_in_the_calendar_changes_nothing(bond, topic, alice, parts, message) -> None:
    answer = client_for(alice).post(step(bond, topic), picked(**parts))
    assert answer.status_code == 422
    html = answer.content.decode()
    assert error_beside_picker(html).startswith(message)
    # What was chosen stays chosen, to be corrected.
    if parts.get("month") == "2":
        assert '<option value="2" selected>February</option>' in html
        assert 'value="revisit" checked' in html
    topic.refresh_from_db()
    assert (topic.proposed_outcome, topic.proposed_revisit_on, topic.proposed_by) == ("", None, "")


@pytest.mark.parametrize("days", [0, -1, -400])
def test_today_or_a_day_gone_by_changes_nothing(bond, topic, alice, days) -> None:
    on = today(alice) + timedelta(days=days)
    answer = client_for(alice).post(step(bond, topic), picked(on))
    assert answer.status_code == 422
    assert error_beside_picker(answer.content.decode()) == (
        "Choose a date after today to come back to it."
    )
    topic.refresh_from_db()
    assert (topic.proposed_outcome, topic.proposed_revisit_on) == ("", None)


def test_a_missing_outcome_is_said_beside_the_choices(bond, topic, alice) -> None:
    answer = client_for(alice).post(step(bond, topic), {"outcome": ""})
    assert answer.status_code == 422
    html = answer.content.decode()
    assert '<p class="error" id="outcome-error" role="alert">Choose what came of it.</p>' in html
    assert 'aria-describedby="outcome-error"' in html


def test_another_outcome_ignores_a_half_chosen_date(bond, topic, alice) -> None:
    form = {"outcome": "agreed", "revisit_on_day": "31", "revisit_on_month": "2"}
    assert client_for(alice).post(step(bond, topic), form).status_code == 302
    topic.refresh_from_db()
    assert (topic.proposed_outcome, topic.proposed_revisit_on) == ("agreed", None)


def test_the_api_keeps_iso_dates(bond, topic, alice) -> None:
    on = today(alice) + timedelta(days=5)
    client_for(alice).post(step(bond, topic), picked(on))
    bearer = token_issue(person=alice, label="tests", at=timezone.now())[1]
    api = Client().get(
        f"/api/v1/bonds/{bond.id}/differences/{topic.id}",
        headers={"Authorization": f"Bearer {bearer}"},
    )
    assert api.status_code == 200
    assert api.json()["proposal"]["revisit_on"] == on.isoformat()

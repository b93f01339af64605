"""The one link of every notification, ``/waiting/``: it names nothing, and once signed in
it leads straight to the one thing that waits, else to the bond where things wait."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

import pytest

from factories import PASSWORD, bond_of, client_for, own_question, person
from mutual.accounts.models import Person
from mutual.bonds import services
from mutual.bonds.models import Bond
from mutual.checkins import services as checkins
from mutual.differences import services as differences
from mutual.notifications import messages
from mutual.safety import services as safety

pytestmark = pytest.mark.django_db

AT = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def bond(alice: Person, bob: Person) -> Bond:
    return bond_of(alice, bob, at=AT - timedelta(days=1))


def alice_answers(bond: Bond) -> None:
    prompt = own_question(bond, bond.person_a, "Which smell takes you home?", at=AT)
    exchange = services.exchange_open(bond=bond, by=bond.person_a, prompt=prompt, at=AT)
    services.revelation_write(
        exchange=exchange, author=bond.person_a, body="Pine resin", emotional=False, at=AT
    )


def alice_checks_in(bond: Bond) -> None:
    checkins.checkin_submit(
        bond=bond,
        person=bond.person_a,
        feeling="calm",
        intensity=2,
        guess_feeling="calm",
        guess_intensity=2,
        at=AT,
    )


def where(who: Person) -> str:
    response = client_for(who).get("/waiting/")
    assert response.status_code == 302
    return str(response["Location"])


def test_mail_and_push_link_to_the_waiting_address_which_names_nothing(bob: Person) -> None:
    assert messages.open_url().endswith("/waiting/")
    assert b'"url":"/waiting/"' in messages.push_payload()
    assert "/waiting/" in messages.mail_for(bob).body


def test_sign_in_returns_to_the_waiting_address(bond: Bond) -> None:
    alice_answers(bond)
    bob = bond.person_b
    browser = client_for(None)
    asked = browser.get("/waiting/")
    assert asked.status_code == 302
    assert unquote(asked["Location"]) == "/accounts/login/?next=/waiting/"
    signed = browser.post(
        "/accounts/login/?next=/waiting/", {"login": bob.email, "password": PASSWORD}
    )
    assert signed["Location"] == "/waiting/"
    [exchange] = bond.exchanges.all()
    assert browser.get("/waiting/")["Location"] == f"/exchanges/{exchange.pk}/"


def test_the_one_thing_that_waits_is_opened_directly(bond: Bond) -> None:
    alice_answers(bond)
    [exchange] = bond.exchanges.all()
    assert where(bond.person_b) == f"/exchanges/{exchange.pk}/"
    # Nothing waits for Alice, who has one bond: her bond.
    assert where(bond.person_a) == "/"


def test_a_lone_checkin_opens_the_checkins(bond: Bond) -> None:
    alice_checks_in(bond)
    assert where(bond.person_b) == f"/bonds/{bond.pk}/checkins/"


def test_a_lone_step_of_a_difference_opens_that_difference(bond: Bond) -> None:
    d = differences.difference_raise(bond=bond, person=bond.person_a, topic="Holidays", at=AT)
    assert where(bond.person_b) == f"/bonds/{bond.pk}/differences/{d.id}/"
    differences.perspective_write(
        bond=bond, difference_id=d.id, person=bond.person_a, body="Sea", at=AT
    )
    # Alice wrote and waits for Bob: nothing waits for her.
    assert where(bond.person_a) == "/"


def test_two_things_waiting_lead_to_the_bond(bond: Bond) -> None:
    alice_answers(bond)
    alice_checks_in(bond)
    assert where(bond.person_b) == f"/bonds/{bond.pk}/"


def test_things_waiting_in_two_bonds_lead_home(bond: Bond) -> None:
    alice_answers(bond)
    other = bond_of(person("Dora"), bond.person_b, at=AT)
    checkins.checkin_submit(
        bond=other,
        person=other.person_a,
        feeling="calm",
        intensity=2,
        guess_feeling="calm",
        guess_intensity=2,
        at=AT,
    )
    assert where(bond.person_b) == "/"


def test_safety_mode_leads_to_no_nudge(bond: Bond) -> None:
    alice_answers(bond)
    safety.breach_report(person=bond.person_b, kind="weaponization", bond=bond, at=AT)
    assert where(bond.person_b) == "/"

"""A bond's home page is a place, not a scorecard: what waits and the next step first, the
numbers one tap away on their own page; a new bond is welcomed; a depth that opens is a
moment; safety is one tap away; an ending is said gently. Walked with Django's test
client."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from factories import World, answered_pair, bond_of, client_for, honor_both_ways, person
from mutual.accounts.models import Person
from mutual.bonds import services
from mutual.bonds.models import Bond
from mutual.safety import services as safety_services
from mutual.yourdata import services as yourdata_services

pytestmark = pytest.mark.django_db


def home_html(who: Person, bond: Bond) -> str:
    return client_for(who).get(reverse("bonds:bond", args=[bond.pk])).content.decode()


def numbers_html(who: Person, bond: Bond) -> str:
    response = client_for(who).get(reverse("bonds:numbers", args=[bond.pk]))
    assert response.status_code == 200
    return response.content.decode()


def before(html: str, first: str, then: str) -> bool:
    return first in html and then in html and html.index(first) < html.index(then)


def test_a_new_bond_says_welcome_and_what_to_do_first(alice: Person, bob: Person) -> None:
    bond = bond_of(alice, bob, at=timezone.now())
    html = home_html(alice, bond)
    assert "Welcome, you and Bob" in html
    assert "Choose a first question" in html
    assert "Going deeper" not in html
    # The numbers are one tap away, on their own page, linked after the welcome.
    link = f'<a href="{reverse("bonds:numbers", args=[bond.pk])}">How you are doing, in numbers</a>'
    assert before(html, "Welcome, you and Bob", link)
    assert "Closeness you share" not in html
    numbers = numbers_html(alice, bond)
    assert "Closeness you share" in numbers
    assert "How deep you go" in numbers


def test_what_waits_comes_before_the_numbers(alice: Person, bob: Person) -> None:
    bond = bond_of(alice, bob, at=timezone.now() - timedelta(hours=2))
    answered_pair(bond, alice, bob, alice_text="a", bob_text="b", at=timezone.now())
    html = home_html(alice, bond)
    assert "Welcome" not in html
    assert before(html, "Waiting for you", "How you are doing, in numbers")
    assert before(html, "Going deeper", "How you are doing, in numbers")
    assert before(html, "Safety and support", "Waiting for you")
    assert "Closeness you share" not in html
    numbers = numbers_html(alice, bond)
    assert "Closeness you share" in numbers
    assert "Only for you" in numbers
    assert f'href="{reverse("bonds:bond", args=[bond.pk])}"' in numbers


def test_the_numbers_page_is_for_the_two_of_them_alone(
    alice: Person, bob: Person, charlie: Person
) -> None:
    bond = bond_of(alice, bob, at=timezone.now())
    url = reverse("bonds:numbers", args=[bond.pk])
    assert client_for(charlie).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302
    assert "Closeness you share" in numbers_html(bob, bond)


def test_an_ended_bond_has_no_numbers_to_show(alice: Person, bob: Person) -> None:
    bond = bond_of(alice, bob, at=timezone.now())
    safety_services.bond_leave(bond=bond, person=bob, at=timezone.now())
    html = numbers_html(alice, bond)
    assert "There is nothing to measure here" in html
    assert "Closeness you share" not in html
    assert "How you are doing, in numbers" not in home_html(alice, bond)


@pytest.mark.parametrize("status", ["waiting", "active", "paused", "ended"])
def test_safety_is_one_tap_away_from_the_top_of_every_bond_page(
    alice: Person, bob: Person, status: str
) -> None:
    now = timezone.now()
    if status == "waiting":
        bond = services.bond_create(creator=alice, kind="friends", at=now)
    else:
        bond = bond_of(alice, bob, at=now)
    if status == "paused":
        safety_services.bond_pause(bond=bond, person=bob, at=now)
    if status == "ended":
        safety_services.bond_leave(bond=bond, person=bob, at=now)
    html = home_html(alice, bond)
    head = html.split('<header class="page-head bond-head">', 1)[1].split("</header>", 1)[0]
    assert f'href="{reverse("safety:home", args=[bond.pk])}"' in head
    assert "Safety and support" in head


def test_the_front_door_leads_to_the_only_bond(alice: Person, bob: Person) -> None:
    bond = bond_of(alice, bob, at=timezone.now())
    response = client_for(alice).get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("bonds:bond", args=[bond.pk])


def test_the_front_door_lists_two_bonds_and_welcomes_a_visitor(alice: Person, bob: Person) -> None:
    now = timezone.now()
    bond_of(alice, bob, at=now)
    services.bond_create(creator=alice, kind="friends", at=now)
    assert client_for(alice).get("/")["Location"] == reverse("bonds:list")
    assert client_for(person("Dora")).get("/")["Location"] == reverse("bonds:list")
    assert client_for(None).get("/").status_code == 200


def almost_deeper(alice: Person, bob: Person) -> Bond:
    """A bond whose surface both honored, on days before today: nothing but their two
    words stands between it and the next depth."""
    at = timezone.now() - timedelta(days=3)
    bond = bond_of(alice, bob, at=at)
    for i in range(7):
        at += timedelta(hours=1)
        ex, a, b = answered_pair(bond, alice, bob, alice_text=f"a{i}", bob_text=f"b{i}", at=at)
        honor_both_ways(World(alice, bob, bob, bond, ex, a, b), at)
    bond.refresh_from_db()
    return bond


def test_the_second_ready_opens_the_depth_and_says_so(alice: Person, bob: Person) -> None:
    bond = almost_deeper(alice, bob)
    first = services.readiness_set(bond=bond, person=alice, ready=True, at=timezone.now())
    assert first is None
    b = client_for(bob)
    response = b.post(reverse("bonds:ready", args=[bond.pk]), {"ready": "1"})
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert said == [
        "You are both ready, and Personal depth is open to you now. Take it gently. "
        "Readiness starts fresh from here: when you want to go further, you each say so again."
    ]
    html = b.get(reverse("bonds:bond", args=[bond.pk])).content.decode()
    assert "message--moment" in html
    assert "Noted: you are ready" not in html
    bond.refresh_from_db()
    assert bond.snapshot["open_depth"] == 1


def test_an_ending_by_the_partner_is_said_gently(alice: Person, bob: Person) -> None:
    bond = bond_of(alice, bob, at=timezone.now() - timedelta(hours=1))
    answered_pair(bond, alice, bob, alice_text="mine", bob_text="theirs", at=timezone.now())
    safety_services.bond_leave(bond=bond, person=bob, at=timezone.now())
    html = home_html(alice, bond)
    assert "Bob has ended this bond" in html
    assert "What you keep" in html
    assert "What you can do next" in html
    assert reverse("mutual_export") in html
    for scorecard in ("Your new bond", "depth 1 of 4", "Closeness you share", "Going deeper"):
        assert scorecard not in html
    mine = home_html(bob, bond)
    assert "You ended this bond" in mine


def test_an_account_deleted_ends_the_bond_without_a_name(alice: Person, bob: Person) -> None:
    bond = bond_of(alice, bob, at=timezone.now())
    yourdata_services.account_delete(person=bob, at=timezone.now())
    html = home_html(alice, bond)
    assert "The other person has ended this bond" in html
    assert "Your new bond" not in html
    assert "What you keep" in html

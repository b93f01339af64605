"""The safety pages: "Privacy and safety" leads to each bond's safety page and the
account's protections; a bond's safety page leads back to the bond and shows each action
once; what ends or erases something sits beside a Cancel."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from factories import bond_of, client_for, person, reauthenticated, signed_in, world
from mutual.accounts.models import Person
from mutual.safety import services as safety_services

pytestmark = pytest.mark.django_db


def test_the_header_leads_to_privacy_and_safety(alice: Person, bob: Person) -> None:
    bond = bond_of(alice, bob, at=timezone.now())
    html = client_for(alice).get(reverse("bonds:list")).content.decode()
    assert f'href="{reverse("safety:overview")}">Privacy and safety<' in html
    page = client_for(alice).get(reverse("safety:overview")).content.decode()
    assert reverse("safety:home", args=[bond.pk]) in page
    assert "Your bond with Bob" in page
    assert reverse("mutual_security") in page


def test_privacy_and_safety_lists_only_ones_own_bonds(alice: Person, bob: Person) -> None:
    bond = bond_of(alice, bob, at=timezone.now())
    page = client_for(person("Charlie")).get(reverse("safety:overview")).content.decode()
    assert reverse("safety:home", args=[bond.pk]) not in page
    assert "You are in no bond yet" in page
    assert client_for(None).get(reverse("safety:overview")).status_code == 302


@pytest.mark.parametrize("safety_mode", [False, True])
def test_a_bonds_safety_page_shows_each_action_once_and_leads_back(safety_mode: bool) -> None:
    w = world()
    if safety_mode:
        safety_services.breach_report(
            person=w.alice,
            bond=w.bond,
            revelation=w.alice_rev,
            kind="weaponization",
            note="",
            at=timezone.now(),
        )
    page = client_for(w.alice).get(reverse("safety:home", args=[w.bond.pk])).content.decode()
    assert ("You are in safety mode" in page) is safety_mode
    for action in (
        reverse("safety:pause", args=[w.bond.pk]),
        reverse("safety:leave", args=[w.bond.pk]),
        reverse("safety:report", args=[w.bond.pk]),
        reverse("mutual_export"),
    ):
        assert page.count(f'"{action}"') == 1, action
    assert page.count(f'href="{reverse("bonds:bond", args=[w.bond.pk])}"') >= 1
    assert "Back to the bond" in page


def test_leaving_withdrawing_and_deleting_each_have_a_cancel() -> None:
    w = world()
    client = reauthenticated(signed_in(w.alice))
    pages = {
        reverse("safety:leave", args=[w.bond.pk]): reverse("safety:home", args=[w.bond.pk]),
        reverse("safety:withdraw", args=[w.alice_rev.pk]): reverse(
            "bonds:exchange", args=[w.exchange.pk]
        ),
        reverse("mutual_delete"): reverse("mutual_security"),
    }
    for url, back in pages.items():
        html = client.get(url).content.decode()
        assert 'class="button button--danger"' in html, url
        assert f'<a class="button button--cancel" href="{back}">Cancel</a>' in html, url

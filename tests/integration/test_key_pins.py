"""The partner's key, pinned on first sight (docs/e2e.md): the same key shows no warning,
a changed one is told on the bond's page and its safety page until the person says they
compared the safety code, and the safety page runs the scheme to show that code."""

from __future__ import annotations

from typing import Any

import pytest

from factories import T0, bond_of, device_keys, person, signed_in
from mutual.accounts import keys
from mutual.accounts.models import KeyPin, Person

pytestmark = pytest.mark.django_db


def _keyed(who: Person) -> Any:
    device = device_keys()
    keys.keys_keep(person=who, given=keys.keys_from(device.fields), at=T0)
    return device


def _fresh_keys_for(who: Person) -> None:
    device = device_keys()
    keys.keys_replace(person=who, given=keys.keys_from(device.fields), at=T0)


def test_nothing_is_pinned_while_either_has_no_keys() -> None:
    alice, bob = person("alice"), person("bob")
    assert keys.partner_key(holder=alice, about=bob, at=T0) is None
    _keyed(bob)
    assert keys.partner_key(holder=alice, about=bob, at=T0) is None
    assert not KeyPin.objects.exists()


def test_a_partners_key_is_pinned_and_a_change_is_told_until_checked() -> None:
    alice, bob = person("alice"), person("bob")
    _keyed(alice)
    _keyed(bob)
    first = keys.partner_key(holder=alice, about=bob, at=T0)
    assert first is not None
    assert not first.changed
    _fresh_keys_for(bob)
    changed = keys.partner_key(holder=alice, about=bob, at=T0)
    assert changed is not None
    assert changed.changed
    assert changed.since is not None
    assert changed.public != first.public
    # Bob's own view of Alice is untouched.
    assert not keys.partner_key(holder=bob, about=alice, at=T0).changed  # type: ignore[union-attr]
    assert keys.partner_key_accept(holder=alice, about=bob, at=T0)
    assert not keys.partner_key(holder=alice, about=bob, at=T0).changed  # type: ignore[union-attr]


def test_a_reset_is_told_on_the_bond_page_even_before_any_pin() -> None:
    alice, bob = person("alice"), person("bob")
    bond = bond_of(alice, bob)
    _keyed(alice)
    _keyed(bob)
    client = signed_in(alice)
    assert "key has changed" not in client.get(f"/bonds/{bond.pk}/").content.decode()
    assert not KeyPin.objects.exists()  # the bond page pins nothing
    _fresh_keys_for(bob)
    assert "key has changed" in client.get(f"/bonds/{bond.pk}/").content.decode()
    # The safety page it leads to says the same, and pins nothing until the code is compared.
    assert "without their recovery key" in client.get(f"/bonds/{bond.pk}/safety/").content.decode()
    assert not KeyPin.objects.exists()
    client.post(f"/bonds/{bond.pk}/safety/key-checked/")
    assert "key has changed" not in client.get(f"/bonds/{bond.pk}/").content.decode()


def test_the_bond_and_its_safety_page_warn_of_a_changed_key() -> None:
    alice, bob = person("alice"), person("bob")
    bond = bond_of(alice, bob)
    _keyed(alice)
    _keyed(bob)
    client = signed_in(alice)
    safety = client.get(f"/bonds/{bond.pk}/safety/")
    assert "'wasm-unsafe-eval'" in safety["Content-Security-Policy"]
    assert 'id="safety-code"' in safety.content.decode()
    assert "has changed" not in client.get(f"/bonds/{bond.pk}/").content.decode()
    _fresh_keys_for(bob)
    assert "key has changed" in client.get(f"/bonds/{bond.pk}/").content.decode()
    page = client.get(f"/bonds/{bond.pk}/safety/").content.decode()
    assert "without their recovery key" in page
    done = client.post(f"/bonds/{bond.pk}/safety/key-checked/")
    assert done.status_code == 302
    assert "has changed" not in client.get(f"/bonds/{bond.pk}/").content.decode()


def test_a_stranger_cannot_mark_a_key_checked() -> None:
    alice, bob, charlie = person("alice"), person("bob"), person("charlie")
    bond = bond_of(alice, bob)
    _keyed(alice)
    _keyed(bob)
    keys.partner_key(holder=alice, about=bob, at=T0)
    _fresh_keys_for(bob)
    answer = signed_in(charlie).post(f"/bonds/{bond.pk}/safety/key-checked/")
    assert answer.status_code == 404
    assert keys.partner_key(holder=alice, about=bob, at=T0).changed  # type: ignore[union-attr]


def test_a_page_without_keys_shows_no_key_section() -> None:
    alice, bob = person("alice"), person("bob")
    bond = bond_of(alice, bob)
    page = signed_in(alice).get(f"/bonds/{bond.pk}/safety/")
    assert 'id="safety-code"' not in page.content.decode()
    assert "wasm" not in page["Content-Security-Policy"]

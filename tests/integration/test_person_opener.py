"""A person's texts are opened with their data key unwrapped once per person read, and
the rules of encryption at rest hold as before: a wrong binding, a tampered text, a new
wrapped key and a destroyed one each answer as ``crypto.open_text`` does."""

from __future__ import annotations

import copy
import pickle

import pytest

from factories import person
from mutual.accounts import crypto
from mutual.accounts.crypto import CryptoError
from mutual.accounts.models import Person

pytestmark = pytest.mark.django_db


def test_a_person_opens_what_they_sealed_and_nothing_bound_elsewhere() -> None:
    alice = person("Alice")
    sealed = alice.seal("what I carry", "revelation:1:body")
    assert alice.open(sealed, "revelation:1:body") == "what I carry"
    assert alice.open(sealed, "revelation:1:body") == crypto.open_text(
        alice.wrapped_key, sealed, "revelation:1:body"
    )
    with pytest.raises(CryptoError):
        alice.open(sealed, "revelation:2:body")
    tampered = bytearray(sealed)
    tampered[-1] ^= 1
    with pytest.raises(CryptoError):
        alice.open(bytes(tampered), "revelation:1:body")
    with pytest.raises(CryptoError):
        alice.open(None, "revelation:1:body")


def test_another_persons_key_opens_nothing() -> None:
    alice, bob = person("Alice"), person("Bob")
    sealed = alice.seal("mine", "a")
    assert alice.open(sealed, "a") == "mine"
    with pytest.raises(CryptoError):
        bob.open(sealed, "a")


def test_a_new_wrapped_key_is_used_at_once_and_a_destroyed_one_opens_nothing() -> None:
    alice = person("Alice")
    sealed = alice.seal("before", "x")
    assert alice.open(sealed, "x") == "before"
    # The same instance, given another key (as a rotation or a shredding writes it).
    alice.wrapped_key = crypto.new_wrapped_data_key()
    with pytest.raises(CryptoError):
        alice.open(sealed, "x")
    assert alice.open(alice.seal("after", "x"), "x") == "after"
    alice.wrapped_key = None
    with pytest.raises(CryptoError, match="destroyed"):
        alice.open(sealed, "x")


def test_the_unwrapped_key_is_never_copied_or_pickled() -> None:
    alice = person("Alice")
    sealed = alice.seal("kept", "k")
    alice.open(sealed, "k")
    assert "_opener" in alice.__dict__
    copied = pickle.loads(pickle.dumps(alice))  # noqa: S301 - bytes this test just made
    for twin in (copy.deepcopy(alice), copied):
        assert isinstance(twin, Person)
        assert "_opener" not in twin.__dict__
        assert twin.open(sealed, "k") == "kept"

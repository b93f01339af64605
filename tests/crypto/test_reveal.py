"""The server's rule for releases of a text's key (``mutual.e2e.reveal``), with the
scheme itself: whatever order the two answer in, each reads the other's words only once
both are sealed, and no key can be swapped afterwards."""

from __future__ import annotations

import itertools

import pytest

from mutual.e2e import scheme as s
from mutual.e2e.reveal import (
    ALREADY_RELEASED,
    NOT_A_MEMBER,
    PARTNER_NOT_COMMITTED,
    REASONS,
    WITHDRAWN,
    SealedText,
    release_refusal,
    releases_due,
)


def test_the_author_may_always_keep_a_copy_but_only_one() -> None:
    alone = SealedText("a")
    assert release_refusal(alone, None, "a") is None
    kept = SealedText("a", released_to=frozenset({"a"}))
    assert release_refusal(kept, None, "a") == ALREADY_RELEASED


def test_the_partner_gets_the_key_only_after_committing_their_own() -> None:
    alice = SealedText("a", released_to=frozenset({"a"}))
    assert release_refusal(alice, None, "b") == PARTNER_NOT_COMMITTED
    assert releases_due(alice, None) == ()
    bob = SealedText("b")
    assert release_refusal(alice, bob, "b") is None
    assert releases_due(alice, bob) == ("b",)
    # A text of the same side is not the partner's commitment.
    assert release_refusal(alice, SealedText("a"), "b") == PARTNER_NOT_COMMITTED


def test_no_release_is_replaced_none_for_a_withdrawn_text_none_for_strangers() -> None:
    bob = SealedText("b")
    released = SealedText("a", released_to=frozenset({"a", "b"}))
    assert release_refusal(released, bob, "b") == ALREADY_RELEASED
    assert release_refusal(SealedText("a", withdrawn=True), bob, "b") == WITHDRAWN
    assert release_refusal(SealedText("a", withdrawn=True), bob, "a") == WITHDRAWN
    assert release_refusal(SealedText("a"), bob, "c") == NOT_A_MEMBER
    assert release_refusal(SealedText("x"), bob, "a") == NOT_A_MEMBER
    assert set(REASONS) == {NOT_A_MEMBER, WITHDRAWN, ALREADY_RELEASED, PARTNER_NOT_COMMITTED}


class Server:
    """Stores what the devices send, under the rule; holds no key."""

    def __init__(self) -> None:
        self.sealed: dict[str, s.Sealed] = {}
        self.released: dict[tuple[str, str], bytes] = {}

    def text(self, side: str) -> SealedText | None:
        if side not in self.sealed:
            return None
        return SealedText(
            side, released_to=frozenset(to for (of, to) in self.released if of == side)
        )

    def release(self, of: str, to: str, blob: bytes) -> str | None:
        text = self.text(of)
        assert text is not None
        refused = release_refusal(text, self.text("b" if of == "a" else "a"), to)
        if refused is None:
            self.released[(of, to)] = blob
        return refused


@pytest.mark.parametrize("first", ["a", "b"])
def test_a_whole_exchange_in_either_order(first: str) -> None:
    """Both devices follow :func:`releases_due`; the server follows the rule. Before the
    second seals, the first's words are open to no one else; after, each reads the other."""
    people = {"a": s.Identity.new(), "b": s.Identity.new()}
    words = {"a": "Alice: what I have never said", "b": "Bob: what I was afraid to say"}
    keys: dict[str, bytes] = {}
    server = Server()

    def device_step(side: str) -> None:
        mine = server.text(side)
        assert mine is not None
        for to in releases_due(mine, server.text("b" if side == "a" else "a")):
            assert server.release(side, to, s.release(keys[side], people[to].public)) is None

    second = "b" if first == "a" else "a"
    for side in (first, second):
        server.sealed[side], keys[side] = s.seal_text(words[side], f"ex:{side}".encode())
        device_step(side)
        if side == first:
            # Sealed, and released to its author only: nothing the partner could open.
            assert set(server.released) == {(first, first)}
    device_step(first)  # the first to answer, next time their device is online
    assert set(server.released) == set(itertools.product("ab", "ab"))
    for reader, of in itertools.product("ab", "ab"):
        key = s.receive(server.released[(of, reader)], people[reader])
        assert s.open_text(server.sealed[of], key, f"ex:{of}".encode()) == words[of]
    # The author tries to replace the key after seeing the other's answer: refused, and a
    # forged key would not match the commitment stored before.
    forged = s.release(s.new_recovery_key(), people[second].public)
    assert server.release(first, second, forged) == ALREADY_RELEASED
    with pytest.raises(s.SchemeError):
        s.open_text(server.sealed[first], s.receive(forged, people[second]), f"ex:{first}".encode())

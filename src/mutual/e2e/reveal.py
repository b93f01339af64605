"""The server's part of the sealed reveal (docs/e2e.md): which releases of a text's key it
stores. Pure: no database, no Django; the services will ask it before storing one.

The server never holds a text's key. For each sealed text it holds the ciphertext, the
commitment to the key, and the *releases*: the key sealed to one person's public key, by
the author's own device. The rule:

* a release to the author's own key is accepted at any time (the author reads their
  words on another device), once;
* a release to the partner is accepted only once the partner's own text for the same
  exchange is committed on the server, so nobody reads an answer before giving theirs;
* a person receives at most one release of a text: the author cannot swap the key after
  seeing the other's answer (and the partner's device checks the one they get against the
  commitment stored before, docs/e2e.md step 5);
* nothing is released for a withdrawn text, or to someone outside the exchange.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SIDES = ("a", "b")

NOT_A_MEMBER = "not_a_member"
WITHDRAWN = "withdrawn"
ALREADY_RELEASED = "already_released"
PARTNER_NOT_COMMITTED = "partner_not_committed"

REASONS = {
    NOT_A_MEMBER: "A text's key is released only to the two people of its exchange.",
    WITHDRAWN: "This was withdrawn: its key is released to no one.",
    ALREADY_RELEASED: "This key was already released to that person, and cannot be replaced.",
    PARTNER_NOT_COMMITTED: "The key opens to your partner once their own answer is sealed.",
}


@dataclass(frozen=True)
class SealedText:
    """What the server knows of one sealed text."""

    author: str
    withdrawn: bool = False
    released_to: frozenset[str] = field(default_factory=frozenset)


def release_refusal(text: SealedText, partner_text: SealedText | None, to: str) -> str | None:
    """Why a release of ``text``'s key to ``to`` is refused (one of :data:`REASONS`), or
    ``None`` when the server stores it. ``partner_text`` is the partner's own text for the
    same exchange, ``None`` while they have not committed one."""
    if to not in SIDES or text.author not in SIDES:
        return NOT_A_MEMBER
    if text.withdrawn:
        return WITHDRAWN
    if to in text.released_to:
        return ALREADY_RELEASED
    if to != text.author and (partner_text is None or partner_text.author != to):
        return PARTNER_NOT_COMMITTED
    return None


def releases_due(text: SealedText, partner_text: SealedText | None) -> tuple[str, ...]:
    """The releases the author's device should make now: what it has not released yet
    and the server would accept (the next time the first to answer is online, this names
    the partner)."""
    return tuple(to for to in SIDES if release_refusal(text, partner_text, to) is None)

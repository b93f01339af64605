"""A small world for property-based runs: Alice and Bob share a bond with history;
Charlie has his own bond that neither may ever see. Canary words mark texts that must
never reach a given persona."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from factories import person
from mutual.accounts.models import Person
from mutual.api.tokens import token_issue
from mutual.bonds import selectors, services
from mutual.bonds.models import Bond, Exchange, Prompt
from mutual.checkins import services as checkin_services
from mutual.differences import services as difference_services
from mutual.safety import services as safety_services

#: Cases sent per (operation, persona) in this run, for the closing summary.
CASES: Counter[tuple[str, str]] = Counter()

CANARY_CHARLIE = "canary-charlie-7f3a"
CANARY_BOB_SEALED = "canary-bob-sealed-51c2"
CANARY_ALICE_REPORT = "canary-alice-report-a90e"
CANARY_BOB_REPORT = "canary-bob-report-33d1"


@dataclass
class World:
    people: dict[str, Person]
    tokens: dict[str, str]
    #: Candidate values for each path parameter, real objects first.
    ids: dict[str, list[str]]
    #: For each persona, strings that must never appear in an answer to them.
    forbidden: dict[str, list[str]] = field(default_factory=dict)
    #: Strings forbidden only while Bob's answer of the sealed exchange stays sealed.
    sealed: tuple[str, list[str]] = ("", [])

    def aim(self, case: Any) -> None:
        """Point some generated path parameters at real objects (of the bond, and of
        Charlie's bond, which must answer 404), keep the rest as generated."""
        for name, value in list((case.path_parameters or {}).items()):
            candidates = self.ids.get(name)
            if not candidates:
                continue
            digest = hashlib.sha256(json.dumps(value, default=str).encode()).digest()
            pick = digest[0] % (len(candidates) + 1)
            if pick < len(candidates):
                case.path_parameters[name] = candidates[pick]


def _prompts(bond: Bond, count: int) -> list[Prompt]:
    alice = bond.person_a
    return [p for p in selectors.prompts_available(bond=bond, viewer=alice) if p.depth == 0][:count]


def build_world() -> World:
    at = timezone.now()
    alice, bob, charlie = (person(n, password=None) for n in ("Alice", "Bob", "Charlie"))
    charlie.display_name = CANARY_CHARLIE
    charlie.save(update_fields=["display_name"])
    bond = services.bond_create(creator=alice, kind="partners", at=at)
    _invite, code = services.invite_create(bond=bond, by=alice, at=at)
    bond = services.invite_accept(code=code, person=bob, at=at)
    first, second, third = _prompts(bond, 3)

    revealed = services.exchange_open(bond=bond, by=alice, prompt=first, at=at)
    alice_rev = services.revelation_write(
        exchange=revealed, author=alice, body="a garden by the sea", emotional=False, at=at
    )
    bob_rev = services.revelation_write(
        exchange=revealed, author=bob, body="a boat of my own", emotional=True, at=at
    )
    services.reply_write(
        revelation=alice_rev, author=bob, heard="quiet", makes_sense="yes", care="ok",
        costly=False, at=at,
    )  # fmt: skip
    services.rating_give(
        revelation=alice_rev, rater=alice, understood=6, validated=6, cared=7, thanked=True, at=at
    )
    sealed = services.exchange_open(bond=bond, by=bob, prompt=second, at=at)
    bob_sealed = services.revelation_write(
        exchange=sealed, author=bob, body=CANARY_BOB_SEALED, emotional=False, at=at
    )
    services.exchange_open(bond=bond, by=alice, prompt=third, at=at)
    alice_report = safety_services.breach_report(
        person=alice, kind="deception", bond=bond, note=CANARY_ALICE_REPORT, at=at
    )
    bob_report = safety_services.breach_report(
        person=bob, kind="deception", bond=bond, note=CANARY_BOB_REPORT, at=at
    )
    round_ = checkin_services.checkin_submit(
        bond=bond, person=alice, feeling="calm", intensity=2, guess_feeling="happy",
        guess_intensity=2, note="", at=at,
    )  # fmt: skip
    difference = difference_services.difference_raise(
        bond=bond, person=bob, topic="where to live", at=at
    )

    waiting = services.bond_create(creator=alice, kind="friends", at=at)
    _invite, open_code = services.invite_create(bond=waiting, by=alice, at=at)

    # Charlie's own bond, waiting for someone else; his name is a canary.
    other = services.bond_create(creator=charlie, kind="friends", at=at)
    services.invite_create(bond=other, by=charlie, at=at)

    tokens = {n: token_issue(person=p, label="fuzz", at=at)[1] for n, p in
              (("alice", alice), ("bob", bob), ("charlie", charlie))}  # fmt: skip
    token_ids = [str(t.id) for p in (alice, bob) for t in p.api_tokens.all()]
    ids = {
        "bond_id": [str(bond.id), str(waiting.id), str(other.id)],
        "exchange_id": [str(revealed.id), str(sealed.id)],
        "revelation_id": [str(alice_rev.id), str(bob_rev.id), str(bob_sealed.id)],
        "report_id": [str(alice_report.id), str(bob_report.id)],
        "round_id": [str(round_.id)],
        "difference_id": [str(difference.id)],
        "token_id": token_ids,
        "code": [open_code],
    }
    charlie_objects = [str(other.id), CANARY_CHARLIE]
    forbidden = {
        "alice": [*charlie_objects, CANARY_BOB_REPORT, str(bob_report.id)],
        "bob": [*charlie_objects, CANARY_ALICE_REPORT, str(alice_report.id)],
    }  # fmt: skip
    return World(
        people={"alice": alice, "bob": bob, "charlie": charlie},
        tokens=tokens,
        ids=ids,
        forbidden=forbidden,
        sealed=(str(sealed.id), [CANARY_BOB_SEALED, str(bob_sealed.id)]),
    )


def leaks(persona: str, world: World, body: Any, text: str) -> list[str]:
    """What an answer to ``persona`` shows that it must not (as of now: an exchange that
    Alice answered since is revealed, and Bob's answer in it may then be read)."""
    words = list(world.forbidden[persona])
    exchange_id, sealed_words = world.sealed
    if persona == "alice" and Exchange.objects.filter(pk=exchange_id, revealed_at=None).exists():
        words += sealed_words
    found = [word for word in words if word in text]
    found += [f"a rating of {persona}'s partner" for _ in _partner_ratings(body)]
    return found


def _partner_ratings(node: Any) -> list[Any]:
    out: list[Any] = []
    if isinstance(node, dict):
        theirs = node.get("theirs")
        if isinstance(theirs, dict) and theirs.get("rating") is not None:
            out.append(theirs["rating"])
        for value in node.values():
            out += _partner_ratings(value)
    elif isinstance(node, list):
        for value in node:
            out += _partner_ratings(value)
    return out

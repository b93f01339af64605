"""Shared helpers for the safety and security tests: personas and a bond with history.

Alice and Bob share a bond; Bob is the partner-adversary; Charlie is a stranger. Every
write goes through the real services, with the time passed in.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.test import Client

from mutual.accounts.models import Person
from mutual.bonds import services
from mutual.bonds.models import Bond, Exchange, Prompt, Revelation

# WhiteNoise warns (an error under our warning filter) when the static root is missing.
Path(os.environ["MUTUAL_VAR_DIR"], "static").mkdir(parents=True, exist_ok=True)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PASSWORD = "a long and quiet evening by the sea"
CANARY = "CANARY-7f3a91-the-lighthouse-keeper-never-told"


def person(name: str) -> Person:
    return Person.objects.create_user(f"{name.lower()}@example.org", PASSWORD, display_name=name)


def signed_in(who: Person, client: Client | None = None) -> Client:
    """A browser signed in through the real sign-in form (so re-authentication is fresh)."""
    client = client or Client()
    response = client.post("/accounts/login/", {"login": who.email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return client


def reauthenticated(client: Client) -> Client:
    """Confirm the password again, as the person does before a sensitive action."""
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return client


@dataclass
class World:
    alice: Person
    bob: Person
    charlie: Person
    bond: Bond
    exchange: Exchange
    alice_rev: Revelation
    bob_rev: Revelation


def surface_prompt() -> Prompt:
    prompt = Prompt.objects.filter(depth=0, audience="both").first()
    if prompt is None:
        prompt = Prompt.objects.create(
            key="test-surface", text="What made you smile this week?", depth=0, theme="joys"
        )
    return prompt


def answered_pair(
    bond: Bond, alice: Person, bob: Person, *, alice_text: str, bob_text: str, at: datetime
) -> tuple[Exchange, Revelation, Revelation]:
    prompt = Prompt.objects.create(
        text=f"What do you carry today? ({at.isoformat()})", depth=0, theme="joys", bond=bond
    )
    exchange = services.exchange_open(bond=bond, by=alice, prompt=prompt, at=at)
    a = services.revelation_write(
        exchange=exchange, author=alice, body=alice_text, emotional=False, at=at
    )
    b = services.revelation_write(
        exchange=exchange, author=bob, body=bob_text, emotional=False, at=at + timedelta(minutes=1)
    )
    exchange.refresh_from_db()
    return exchange, a, b


def world(*, alice_text: str = CANARY, bob_text: str = "Bob's ordinary answer") -> World:
    alice, bob, charlie = person("Alice"), person("Bob"), person("Charlie")
    bond = services.bond_create(creator=alice, kind="partners", at=T0)
    _invite, code = services.invite_create(bond=bond, by=alice, at=T0)
    services.invite_accept(code=code, person=bob, at=T0 + timedelta(minutes=5))
    bond.refresh_from_db()
    exchange, a, b = answered_pair(
        bond, alice, bob, alice_text=alice_text, bob_text=bob_text, at=T0 + timedelta(hours=1)
    )
    bond.refresh_from_db()
    return World(alice, bob, charlie, bond, exchange, a, b)

"""Who sees what (DESIGN §3), as a table: author, partner, stranger and anonymous × every
page of a bond × an answer that is sealed, revealed or withdrawn.

A forbidden page answers 404 as if it did not exist; an anonymous visitor is sent to sign
in. Alice's answer carries a canary; no response to anyone but Alice (and Bob once both
answered, until she withdraws it) may contain it.

The reads share one world per state, built once for the module (``built_once``): each
case runs in its own savepoint and starts with empty caches. The writes build their own.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from factories import T0, built_once, person
from mutual.accounts.models import Person
from mutual.bonds import services
from mutual.bonds.models import Bond, Exchange, Prompt, Revelation
from mutual.safety import services as safety_services

pytestmark = pytest.mark.django_db

CANARY = "canary-7f3a-alice-only"


STATES = ("sealed", "revealed", "withdrawn")


@dataclass
class World:
    alice: Person
    bob: Person
    charlie: Person
    bond: Bond
    exchange: Exchange
    revelation: Revelation


def build(state: str, tag: str = "") -> World:
    alice, bob, charlie = (person(name, tag) for name in ("Alice", "Bob", "Charlie"))
    bond = services.bond_create(creator=alice, kind="partners", at=T0)
    _invite, code = services.invite_create(bond=bond, by=alice, at=T0)
    services.invite_accept(code=code, person=bob, at=T0)
    # Charlie has a bond of his own, so he is a signed-in person with somewhere to be.
    services.bond_create(creator=charlie, kind="friends", at=T0)
    prompt = Prompt.objects.filter(bond__isnull=True, depth=0, audience="both").first()
    assert prompt is not None
    exchange = services.exchange_open(bond=bond, by=alice, prompt=prompt, at=T0)
    revelation = services.revelation_write(
        exchange=exchange, author=alice, body=CANARY, emotional=False, at=T0
    )
    if state in ("revealed", "withdrawn"):
        services.revelation_write(
            exchange=exchange, author=bob, body="bob's answer", emotional=False, at=T0
        )
    if state == "withdrawn":
        safety_services.revelation_withdraw(
            revelation=revelation, person=alice, at=T0 + timedelta(hours=1)
        )
    return World(alice, bob, charlie, bond, exchange, revelation)


@pytest.fixture(scope="module")
def worlds(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, World]]:
    """A world for each state, side by side (each persona's address tagged with it)."""
    yield from built_once(django_db_blocker, lambda: {s: build(s, f"-{s}") for s in STATES})


@pytest.fixture
def seen(worlds: dict[str, World]) -> dict[str, World]:
    """The worlds as the module built them, with no page or throttle kept from a case
    before (as ``setUpTestData``, each case gets its own copies of the objects)."""
    for alias in caches:
        caches[alias].clear()
    return copy.deepcopy(worlds)


PAGES = {
    "bond": lambda w: reverse("bonds:bond", args=[w.bond.pk]),
    "invite": lambda w: reverse("bonds:invite", args=[w.bond.pk]),
    "prompts": lambda w: reverse("bonds:prompts", args=[w.bond.pk]),
    "prompt_new": lambda w: reverse("bonds:prompt_new", args=[w.bond.pk]),
    "exchange": lambda w: reverse("bonds:exchange", args=[w.exchange.pk]),
    "reply": lambda w: reverse("bonds:reply", args=[w.revelation.pk]),
    "rate": lambda w: reverse("bonds:rate", args=[w.revelation.pk]),
}

# Exceptions to "members 200, stranger 404, anonymous 302" for the two members, by state.
# 302 on `rate` for Alice: there is no reply to rate yet, so she is sent back to the
# exchange. Bob may reply to Alice's answer only while it is revealed and not withdrawn.
MEMBER_STATUS = {
    ("alice", "reply"): {"sealed": 404, "revealed": 404, "withdrawn": 404},
    ("alice", "rate"): {"sealed": 302, "revealed": 302, "withdrawn": 302},
    ("bob", "reply"): {"sealed": 404, "revealed": 200, "withdrawn": 404},
    ("bob", "rate"): {"sealed": 404, "revealed": 404, "withdrawn": 404},
}
# Where the canary may appear: Alice's own exchange page while it stands, and Bob's
# exchange and reply pages once both answered.
CANARY_SEEN = {
    ("alice", "exchange", "sealed"),
    ("alice", "exchange", "revealed"),
    ("bob", "exchange", "revealed"),
    ("bob", "reply", "revealed"),
}


def expected_status(role: str, page: str, state: str) -> int:
    if role == "anonymous":
        return 302
    if role == "charlie":
        return 404
    return MEMBER_STATUS.get((role, page), {}).get(state, 200)


CASES = [
    pytest.param(role, page, state, id=f"{role}-{page}-{state}")
    for role in ("alice", "bob", "charlie", "anonymous")
    for page in PAGES
    for state in STATES
]


@pytest.mark.parametrize(("role", "page", "state"), CASES)
def test_who_sees_what(role: str, page: str, state: str, seen: dict[str, World]) -> None:
    world = seen[state]
    client = Client()
    if role != "anonymous":
        client.force_login(getattr(world, role))
    response = client.get(PAGES[page](world))
    assert response.status_code == expected_status(role, page, state)
    if role == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))
    body = response.content.decode()
    assert (CANARY in body) == ((role, page, state) in CANARY_SEEN)


@pytest.mark.parametrize("state", STATES)
def test_the_partner_never_receives_a_sealed_or_withdrawn_answer_anywhere(
    state: str, seen: dict[str, World]
) -> None:
    world = seen[state]
    client = Client()
    client.force_login(world.bob)
    for page, url in PAGES.items():
        body = client.get(url(world), follow=True).content.decode()
        if state != "revealed":
            assert CANARY not in body, page
    assert CANARY not in client.get(reverse("bonds:list")).content.decode()


ACTIONS = {
    "ready": lambda w: (reverse("bonds:ready", args=[w.bond.pk]), {"ready": "1"}),
    "step_back": lambda w: (reverse("bonds:step_back", args=[w.bond.pk]), {}),
    "desire": lambda w: (reverse("bonds:desire", args=[w.bond.pk]), {"opt_in": "1"}),
    "exchange_open": lambda w: (
        reverse("bonds:exchange_open", args=[w.bond.pk]),
        {"prompt": str(w.exchange.prompt_id)},
    ),
    "invite": lambda w: (reverse("bonds:invite", args=[w.bond.pk]), {}),
    "answer": lambda w: (reverse("bonds:exchange", args=[w.exchange.pk]), {"body": "x"}),
    "reply": lambda w: (
        reverse("bonds:reply", args=[w.revelation.pk]),
        {"heard": "h", "makes_sense": "m", "care": "c"},
    ),
    "rate": lambda w: (
        reverse("bonds:rate", args=[w.revelation.pk]),
        {"understood": "1", "validated": "1", "cared": "1"},
    ),
}


@pytest.mark.parametrize("action", ACTIONS)
def test_a_stranger_changes_nothing_and_learns_nothing(action: str) -> None:
    world = build("revealed")
    client = Client()
    client.force_login(world.charlie)
    url, data = ACTIONS[action](world)
    events = world.bond.events.count()
    response = client.post(url, data)
    assert response.status_code == 404
    assert world.bond.events.count() == events
    assert Exchange.objects.filter(bond=world.bond).count() == 1


def test_unknown_and_malformed_ids_answer_404() -> None:
    world = build("sealed")
    client = Client()
    client.force_login(world.alice)
    assert client.get("/bonds/00000000-0000-4000-8000-000000000000/").status_code == 404
    assert client.get("/bonds/not-a-uuid/").status_code == 404

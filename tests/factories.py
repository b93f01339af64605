"""The people and things every suite builds its tests from, in one place.

The personas: Alice and Bob share a bond; Bob is the partner-adversary of the safety
tests; Charlie is a stranger. Each has the address ``name@example.org`` (``tag`` makes it
unique when one test needs two Alices) and the password ``PASSWORD``. Every write goes
through the real services, with the time passed in. ``tests/conftest.py`` offers
``alice``, ``bob``, ``charlie`` and their ``bond`` as fixtures.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from django.test import Client

from mutual.accounts.models import Person
from mutual.bonds import services
from mutual.bonds.models import Bond, Exchange, Prompt, Revelation

# WhiteNoise warns (an error under our warning filter) when the static root is missing.
Path(os.environ["MUTUAL_VAR_DIR"], "static").mkdir(parents=True, exist_ok=True)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PASSWORD = "a long and quiet evening by the sea"
LATER_DAY = T0 + timedelta(hours=3)
CANARY = "CANARY-7f3a91-the-lighthouse-keeper-never-told"

T = TypeVar("T")


def person(
    name: str, tag: str = "", *, password: str | None = PASSWORD, display_name: str | None = None
) -> Person:
    """A persona, signed up with a confirmed address (``password=None``: no usable one)."""
    return Person.objects.create_user(
        f"{name.lower()}{tag}@example.org",
        password,
        display_name=name if display_name is None else display_name,
    )


def bond_of(a: Person, b: Person, kind: str = "partners", at: datetime = T0) -> Bond:
    """The bond ``a`` creates and ``b`` joins through ``a``'s invite, all at ``at``."""
    bond = services.bond_create(creator=a, kind=kind, at=at)
    _invite, code = services.invite_create(bond=bond, by=a, at=at)
    return services.invite_accept(code=code, person=b, at=at)


def client_for(who: Person | None) -> Client:
    """A browser in which ``who`` is signed in (no browser session at all for ``None``)."""
    client = Client()
    if who is not None:
        client.force_login(who)
    return client


def deck_prompt(depth: int = 0) -> Prompt:
    """A question of the deck that both may answer."""
    found = Prompt.objects.filter(bond__isnull=True, depth=depth, audience="both").first()
    assert found is not None
    return found


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


def own_question(bond: Bond, by: Person, text: str, *, at: datetime = T0) -> Prompt:
    """A question ``by`` writes for ``bond``, sealed with their key, as the web does."""
    return services.prompt_write(
        bond=bond, by=by, text=text, depth=0, theme="joys", emotional=False, at=at
    )


def answered_pair(
    bond: Bond, alice: Person, bob: Person, *, alice_text: str, bob_text: str, at: datetime
) -> tuple[Exchange, Revelation, Revelation]:
    prompt = own_question(bond, alice, f"What do you carry today? ({at.isoformat()})", at=at)
    exchange = services.exchange_open(bond=bond, by=alice, prompt=prompt, at=at)
    a = services.revelation_write(
        exchange=exchange, author=alice, body=alice_text, emotional=False, at=at
    )
    b = services.revelation_write(
        exchange=exchange, author=bob, body=bob_text, emotional=False, at=at + timedelta(minutes=1)
    )
    exchange.refresh_from_db()
    return exchange, a, b


def world(
    *, alice_text: str = CANARY, bob_text: str = "Bob's ordinary answer", tag: str = ""
) -> World:
    alice, bob, charlie = person("Alice", tag), person("Bob", tag), person("Charlie", tag)
    bond = services.bond_create(creator=alice, kind="partners", at=T0)
    _invite, code = services.invite_create(bond=bond, by=alice, at=T0)
    services.invite_accept(code=code, person=bob, at=T0 + timedelta(minutes=5))
    bond.refresh_from_db()
    exchange, a, b = answered_pair(
        bond, alice, bob, alice_text=alice_text, bob_text=bob_text, at=T0 + timedelta(hours=1)
    )
    bond.refresh_from_db()
    return World(alice, bob, charlie, bond, exchange, a, b)


def honor_both_ways(w: World, at: datetime) -> None:
    """Both reply to each other's answer in ``w.exchange`` and rate the reply highly."""
    for rev, responder in ((w.alice_rev, w.bob), (w.bob_rev, w.alice)):
        services.reply_write(
            revelation=rev,
            author=responder,
            heard="I hear you.",
            makes_sense="It makes sense to me.",
            care="I care about you.",
            costly=False,
            at=at,
        )
    for rev, rater in ((w.alice_rev, w.alice), (w.bob_rev, w.bob)):
        services.rating_give(
            revelation=rev, rater=rater, understood=7, validated=7, cared=7, thanked=True, at=at
        )


def deepened(w: World) -> World:
    """Open depth 1 the honest way: honored exchanges both ways, then both say ready."""
    at = T0 + timedelta(hours=2)
    honor_both_ways(w, at)
    for i in range(6):
        at += timedelta(hours=1)
        _ex, a, b = answered_pair(
            w.bond, w.alice, w.bob, alice_text=f"more {i}", bob_text=f"also {i}", at=at
        )
        honor_both_ways(World(w.alice, w.bob, w.charlie, w.bond, _ex, a, b), at)
    at += timedelta(hours=1)
    services.readiness_set(bond=w.bond, person=w.alice, ready=True, at=at)
    services.readiness_set(bond=w.bond, person=w.bob, ready=True, at=at)
    w.bond.refresh_from_db()
    assert w.bond.snapshot["open_depth"] >= 1, w.bond.snapshot
    return w


def built_once(django_db_blocker: Any, build: Callable[[], T]) -> Iterator[T]:
    """The world ``build`` makes, kept for every later test of a module or class and rolled
    back at its end (Django's ``TestCase.setUpTestData``, for pytest).

    A module- or class-scoped fixture that asks for ``django_db_setup`` and
    ``django_db_blocker`` does ``yield from built_once(django_db_blocker, build)``. Its
    tests ask for ``db`` as usual: each runs in a savepoint inside the world, so what one
    writes is undone before the next. Not with ``transactional_db``, whose flush would
    empty the world. The database is open to the fixture only while it builds and undoes.
    """
    from django.db import transaction

    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
        try:
            world = build()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield world
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


#: The rows the data migrations load, as the loaders left them, kept by each process the
#: first time it loads them (model label → the values of every column, row by row).
_LOADED_ROWS: dict[str, list[dict[str, Any]]] = {}


def load_data_migrations() -> None:
    """The rows data migrations load (the prompt deck, the reference library), again after
    a flush emptied every table.

    The loaders themselves run the first time (one ``update_or_create`` a row: half a
    second); the rows they leave are kept, and a table a flush emptied gets the same rows
    back in one ``bulk_create``."""
    from django.apps import apps

    from mutual.bonds.deck import load_deck, read_deck
    from mutual.learn.loading import load_references, read_references

    prompt = apps.get_model("bonds", "Prompt")
    reference = apps.get_model("learn", "Reference")
    loaders: list[tuple[Any, Callable[[Any], int], Callable[[], Any]]] = [
        (
            prompt,
            load_deck,
            lambda: prompt.objects.filter(
                bond__isnull=True, key__in=[card["key"] for card in read_deck()]
            ),
        ),
        (
            reference,
            load_references,
            lambda: reference.objects.filter(key__in=[e["key"] for e in read_references()]),
        ),
    ]
    for model, loader, loaded in loaders:
        kept = _LOADED_ROWS.get(model._meta.label)
        if kept is not None and not model.objects.exists():
            model.objects.bulk_create([model(**row) for row in kept])
            continue
        loader(model)
        _LOADED_ROWS[model._meta.label] = [
            {f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields}
            for row in loaded().order_by("pk")
        ]


def empty_database() -> None:
    """Every table emptied, as a transactional test ends (``TransactionTestCase``), then the
    rows of the data migrations loaded again."""
    from django.core.management import call_command

    call_command("flush", verbosity=0, interactive=False)
    load_data_migrations()


# ---------------------------------------------------------------------------------------
# A device's part of end-to-end keys (docs/e2e.md), done in Python as the browser does it


@dataclass
class Device:
    """What a person's device made from their password: the fields it sends, the sign-in
    secret it sends in place of the password, and what it keeps."""

    fields: dict[str, str]
    secret: str
    unwrap: bytes
    identity: Any
    recovery: bytes


def device_keys(password: str = PASSWORD, *, salt: bytes | None = None) -> Device:
    """Fresh keys for ``password``, made with the tests' least Argon2id limits."""
    from mutual.e2e import scheme as s

    salt = s.new_salt() if salt is None else salt
    derived = s.password_keys(password, salt, opslimit=1, memlimit=8192)
    identity, recovery = s.Identity.new(), s.new_recovery_key()
    fields = {
        "e2e_salt": s.b64(salt),
        "e2e_opslimit": "1",
        "e2e_memlimit": "8192",
        "e2e_public": s.b64(identity.public),
        "e2e_wrapped_password": s.b64(s.wrap_private(identity.private, derived.unwrap)),
        "e2e_wrapped_recovery": s.b64(s.wrap_private(identity.private, recovery)),
    }
    return Device(fields, s.b64(derived.sign_in), derived.unwrap, identity, recovery)


def signup_form(email: str, password: str = PASSWORD, **extra: str) -> dict[str, str]:
    """The sign-up form as a browser with JavaScript sends it: the secret, not the password."""
    device = device_keys(password)
    return {
        "email": email,
        "password1": device.secret,
        "password2": device.secret,
        **device.fields,
        **extra,
    }


def sign_in_secret(email: str, password: str = PASSWORD) -> str:
    """The secret a device derives for ``email`` from the salt lookup's answer."""
    from mutual.accounts import keys
    from mutual.e2e import scheme as s

    answer = keys.salt_for(email)
    derived = s.password_keys(
        password, s.unb64(answer["salt"]), opslimit=answer["opslimit"], memlimit=answer["memlimit"]
    )
    return s.b64(derived.sign_in)

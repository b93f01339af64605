"""The hand-written joined reads (``mutual.web.joined``) give exactly what the ORM gives:
the same rows, every field equal after the database's converters, the relations in
place without another query, and nothing for a key that is not there. Runs on SQLite and
on PostgreSQL (``MUTUAL_TEST_DB=postgres``)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext

from factories import T0, answered_pair, person, world
from mutual.accounts.models import ApiToken, Person
from mutual.api.tokens import token_find, token_hash, token_issue, token_revoke
from mutual.bonds import services
from mutual.bonds.models import Bond, Exchange, Prompt, Rating, Reply, Revelation
from mutual.bonds.selectors import access
from mutual.web.joined import Part, Read

pytestmark = pytest.mark.django_db


def same(read: Model, orm: Model) -> None:
    """Every concrete field of the two instances is equal, and of the same type."""
    assert type(read) is type(orm)
    for f in orm._meta.concrete_fields:
        mine, theirs = getattr(read, f.attname), getattr(orm, f.attname)
        if isinstance(theirs, memoryview | bytes):
            mine, theirs = bytes(mine), bytes(theirs)
        assert mine == theirs, f.attname
        assert type(mine) is type(theirs), f.attname


def test_an_exchange_read_matches_the_orm_with_every_relation_in_place() -> None:
    w = world()
    with CaptureQueriesContext(connection) as queries:
        exchange = access.exchange_get(id=w.exchange.pk, viewer=w.alice)
        # The relations came with the one statement: reading them asks nothing more.
        people = (exchange.bond.person_a, exchange.bond.person_b, exchange.prompt)
    assert len(queries) == 1
    orm = Exchange.objects.select_related("bond", "bond__person_a", "bond__person_b", "prompt").get(
        pk=w.exchange.pk
    )
    same(exchange, orm)
    same(exchange.bond, orm.bond)
    same(exchange.prompt, orm.prompt)
    same(people[0], orm.bond.person_a)
    same(people[1], orm.bond.person_b)
    # The instances behave as loaded ones: saving one writes, refreshing one reads.
    assert exchange._state.adding is False
    assert exchange._state.db == "default"


def test_a_bond_without_its_second_person_reads_that_person_as_none() -> None:
    alice = person("Alice")
    bond = services.bond_create(creator=alice, kind="friends", at=T0)
    with CaptureQueriesContext(connection) as queries:
        read = access.bond_get(id=bond.pk, viewer=alice)
        assert read.person_b is None
        assert read.person_a == alice
    assert len(queries) == 1
    same(read, Bond.objects.get(pk=bond.pk))


def test_answers_come_with_their_reply_and_rating_or_without_them() -> None:
    w = world()
    services.reply_write(
        revelation=w.alice_rev,
        author=w.bob,
        heard="You carry it quietly.",
        makes_sense="Anyone with your week would.",
        care="I am here.",
        costly=False,
        at=T0 + timedelta(hours=2),
    )
    read = Read(
        Part(Revelation, "r"),
        Part(Reply, "rp", "r", "reply"),
        Part(Rating, "rt", "r", "rating"),
        by="exchange",
        order="{r.side}",
    ).many(w.exchange.pk)
    assert [row["r"].side for row in read] == ["a", "b"]
    alice, bob = read[0]["r"], read[1]["r"]
    with CaptureQueriesContext(connection) as queries:
        same(alice.reply, Reply.objects.get(revelation=w.alice_rev))
        assert alice.reply.revelation is alice
        with pytest.raises(Rating.DoesNotExist):
            _ = alice.rating
        with pytest.raises(Reply.DoesNotExist):
            _ = bob.reply
    assert len(queries) == 1  # the ORM's own read above, nothing for the joined rows


NOWHERE = uuid.UUID("00000000-0000-4000-8000-000000000000")


@pytest.mark.parametrize("key", [NOWHERE, str(NOWHERE)], ids=["uuid", "text"])
def test_an_unknown_key_finds_nothing(key: Any) -> None:
    world()
    assert Read(Part(Bond, "b")).one(key) is None
    assert Read(Part(Exchange, "e"), by="bond").many(key) == []


def test_a_token_is_found_only_while_it_is_live() -> None:
    alice = person("Alice")
    token, raw = token_issue(person=alice, label="phone", at=T0)
    found = token_find(raw)
    assert found is not None
    same(found, ApiToken.objects.get(pk=token.pk))
    same(found.person, Person.objects.get(pk=alice.pk))
    assert token_find(raw[:-1] + ("A" if raw[-1] != "A" else "B")) is None
    token_revoke(token=token, at=T0 + timedelta(minutes=1))
    assert token_find(raw) is None
    # Still there for a read that does not ask for live tokens only.
    assert Read(Part(ApiToken, "t"), by="token_hash").one(token_hash(raw)) is not None


def test_many_keeps_the_order_the_condition_and_the_limit() -> None:
    w = world()
    for n in range(4):
        answered_pair(
            w.bond,
            w.alice,
            w.bob,
            alice_text=f"a{n}",
            bob_text=f"b{n}",
            at=T0 + timedelta(days=n + 1),
        )
    newest = Read(
        Part(Exchange, "e"),
        Part(Prompt, "p", "e", "prompt"),
        by="bond",
        where="{e.revealed_at} IS NOT NULL",
        order="{e.opened_at} DESC, {e.id} DESC",
        limit=3,
    ).many(w.bond.pk)
    orm = list(
        Exchange.objects.filter(bond=w.bond, revealed_at__isnull=False)
        .select_related("prompt")
        .order_by("-opened_at", "-id")[:3]
    )
    assert [row["e"].pk for row in newest] == [ex.pk for ex in orm]
    for row, ex in zip(newest, orm, strict=True):
        same(row["e"], ex)
        same(row["p"], ex.prompt)
        assert row["e"].prompt is row["p"]

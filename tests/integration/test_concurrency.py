"""Alice and Bob answering the same exchange at the same instant: one reveal, no lost answer.

Real threads, each with its own database connection, released together by a barrier.
PostgreSQL only: that is where two writers truly run at once.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from django.db import connections

from factories import T0, person
from mutual.accounts.models import Person
from mutual.bonds import ledger, services
from mutual.bonds.models import Bond, Event, Exchange, Prompt, Revelation

# PostgreSQL only (the `postgres` mark): the PostgreSQL run of the suite
# (MUTUAL_TEST_DB=postgres) executes this module; the SQLite run leaves it out at collection.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 6


def prompt_number(n: int) -> Prompt:
    return Prompt.objects.create(
        key=f"race-{n}", text=f"Question {n}", depth=0, theme="joys", emotional=False
    )


def answer_together(exchange: Exchange, alice: Person, bob: Person, at: datetime) -> list[str]:
    """Both answer at once; returns the errors raised, if any."""
    barrier = threading.Barrier(2)
    errors: list[str] = []

    def answer(author: Person, body: str) -> None:
        try:
            barrier.wait(timeout=10)
            services.revelation_write(
                exchange=exchange, author=author, body=body, emotional=True, at=at
            )
        except Exception as exc:  # reported to the test below
            errors.append(f"{author}: {exc!r}")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=answer, args=(alice, f"Alice's answer {at:%H%M}")),
        threading.Thread(target=answer, args=(bob, f"Bob's answer {at:%H%M}")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return errors


def test_both_answering_at_the_same_instant_reveals_once_and_keeps_both_answers() -> None:
    alice, bob = person("Alice"), person("Bob")
    bond = services.bond_create(creator=alice, kind="friends", at=T0)
    _invite, code = services.invite_create(bond=bond, by=alice, at=T0)
    bond = services.invite_accept(code=code, person=bob, at=T0)

    for n in range(ROUNDS):
        at = T0 + timedelta(minutes=n + 1)
        exchange = services.exchange_open(bond=bond, by=alice, prompt=prompt_number(n), at=at)
        seq_before = Bond.objects.get(pk=bond.pk).snapshot_seq

        assert answer_together(exchange, alice, bob, at) == []

        exchange.refresh_from_db()
        assert exchange.revealed_at == at
        answers = Revelation.objects.filter(exchange=exchange)
        assert sorted(r.side for r in answers) == ["a", "b"]
        bodies = {r.side: r.author.open(bytes(r.body_enc), r.aad) for r in answers}
        assert bodies == {"a": f"Alice's answer {at:%H%M}", "b": f"Bob's answer {at:%H%M}"}
        new_events = Event.objects.filter(bond=bond, seq__gt=seq_before)
        assert [e.kind for e in new_events] == ["Revealed", "Revealed"]
        assert sorted(e.payload["author"] for e in new_events) == ["a", "b"]

    bond.refresh_from_db()
    assert Event.objects.filter(bond=bond, kind="Revealed").count() == 2 * ROUNDS
    assert list(Event.objects.filter(bond=bond).values_list("seq", flat=True)) == list(
        range(1, bond.snapshot_seq + 1)
    )
    assert ledger.replay(bond).matches

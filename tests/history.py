"""Fast history for query-count tests and the bench (``bench/``): a bond with ``n`` honored
exchanges.

Rows are written with bulk inserts, and the engine events go through the ledger
(:func:`mutual.bonds.ledger.record`) in one call, so the events, readings and snapshot are
exactly what the services would have produced for the same history: ``ledger.replay``
matches. Each exchange: both answers (sealed with the author's key), a reply to each
(sealed with the replier's key) and a private rating of each reply.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.db import transaction

from mutual import engine
from mutual.accounts.models import Person
from mutual.bonds import ledger
from mutual.bonds.models import Bond, Exchange, Prompt, Rating, Reply, Revelation

BATCH = 2000
SCORES = ((6, 6, 7), (7, 6, 6), (5, 6, 6), (6, 7, 7))


def _prompts(bond: Bond) -> list[Prompt]:
    prompts = list(
        Prompt.objects.filter(bond__isnull=True, depth=0, audience=Prompt.Audience.BOTH)
        .exclude(theme="desire")
        .order_by("key")[:40]
    )
    if not prompts:
        prompts = [
            Prompt.objects.create(
                key=f"seed-{theme}", text=f"A question about {theme}", depth=0, theme=theme
            )
            for theme in ("joys", "memories", "values", "dreams")
        ]
    return prompts


def seed_history(
    *, bond: Bond, alice: Person, bob: Person, exchanges: int, start: datetime
) -> Bond:
    """Add ``exchanges`` revealed, replied and rated exchanges to an active ``bond`` whose
    side ``a`` is ``alice`` and side ``b`` is ``bob``, one hour apart from ``start``."""
    people = {"a": alice, "b": bob}
    partner = {"a": "b", "b": "a"}
    prompts = _prompts(bond)
    rows_x: list[Exchange] = []
    rows_r: list[Revelation] = []
    rows_resp: list[Reply] = []
    rows_rate: list[Rating] = []
    events: list[engine.Event] = []
    for i in range(exchanges):
        at = start + timedelta(hours=i)
        prompt = prompts[i % len(prompts)]
        exchange = Exchange(
            id=uuid.uuid4(),
            bond=bond,
            prompt=prompt,
            opened_by="a" if i % 2 == 0 else "b",
            opened_at=at,
            revealed_at=at + timedelta(minutes=20),
            # Answered, replied and rated both ways: nothing waits.
            waits_a=0,
            waits_b=0,
        )
        rows_x.append(exchange)
        for side in ("a", "b"):
            emotional = (i + (side == "b")) % 3 == 0
            revelation = Revelation(
                id=uuid.uuid4(),
                exchange=exchange,
                author=people[side],
                side=side,
                emotional=emotional,
                created_at=at + timedelta(minutes=10 if side == exchange.opened_by else 20),
            )
            revelation.body_enc = people[side].seal(f"Answer {i} by {side}", revelation.aad)
            rows_r.append(revelation)
            events.append(
                engine.Revealed(
                    at=exchange.revealed_at,  # type: ignore[arg-type]
                    author=side,  # type: ignore[arg-type]
                    depth=prompt.depth,
                    theme=prompt.theme,
                    emotional=emotional,
                )
            )
        for revelation in rows_r[-2:]:
            replier = people[partner[revelation.side]]
            response = Reply(
                id=uuid.uuid4(),
                revelation=revelation,
                author=replier,
                costly=i % 7 == 0,
                created_at=at + timedelta(minutes=40),
            )
            for part in ("heard", "makes_sense", "care"):
                setattr(response, f"{part}_enc", replier.seal(f"{part} {i}", response.aad(part)))
            rows_resp.append(response)
            understood, validated, cared = SCORES[(i + len(rows_rate)) % len(SCORES)]
            rated_at = at + timedelta(minutes=50)
            rows_rate.append(
                Rating(
                    id=uuid.uuid4(),
                    revelation=revelation,
                    understood=understood,
                    validated=validated,
                    cared=cared,
                    thanked=i % 5 == 0,
                    created_at=rated_at,
                )
            )
            events.append(
                engine.Rated(
                    at=rated_at,
                    author=revelation.side,  # type: ignore[arg-type]
                    depth=prompt.depth,
                    theme=prompt.theme,
                    emotional=revelation.emotional,
                    understood=understood,
                    validated=validated,
                    cared=cared,
                    costly=response.costly,
                )
            )
    with transaction.atomic():
        locked = ledger.lock(bond)
        Exchange.objects.bulk_create(rows_x, batch_size=BATCH)
        Revelation.objects.bulk_create(rows_r, batch_size=BATCH)
        Reply.objects.bulk_create(rows_resp, batch_size=BATCH)
        Rating.objects.bulk_create(rows_rate, batch_size=BATCH)
        for first in range(0, len(events), BATCH):
            ledger.record(locked, events[first : first + BATCH])
    bond.refresh_from_db()
    return bond

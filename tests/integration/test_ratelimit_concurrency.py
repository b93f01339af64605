"""Many requests of one token at the same instant: the rate-limit counter loses none.

Real threads, each with its own database connection, released together by a barrier.
PostgreSQL only: that is where several writers truly run at once.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from django.db import connections

from mutual.api import ratelimit
from mutual.api.models import RateCounter
from mutual.api.problems import RateLimited

# PostgreSQL only (the `postgres` mark): the PostgreSQL run of the suite
# (MUTUAL_TEST_DB=postgres) executes this module; the SQLite run leaves it out at collection.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

T0 = datetime(2026, 3, 2, 9, 0, 30, tzinfo=UTC)
THREADS = 12


def hit_together(key: str, rate: tuple[int, int]) -> tuple[int, int, list[str]]:
    """Every thread counts one request at once; returns (passed, refused, errors)."""
    barrier = threading.Barrier(THREADS)
    lock = threading.Lock()
    passed, refused, errors = [0], [0], []

    def one() -> None:
        try:
            barrier.wait(timeout=10)
            ratelimit.hit(key, rate=rate, at=T0)
            with lock:
                passed[0] += 1
        except RateLimited:
            with lock:
                refused[0] += 1
        except Exception as exc:  # reported to the test below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return passed[0], refused[0], errors


def test_requests_at_the_same_instant_are_each_counted_once() -> None:
    passed, refused, errors = hit_together("token:race", (1000, 60))
    assert errors == []
    assert (passed, refused) == (THREADS, 0)
    assert RateCounter.objects.get().count == THREADS


def test_at_the_same_instant_exactly_the_limit_passes() -> None:
    limit = THREADS // 3
    passed, refused, errors = hit_together("token:race", (limit, 60))
    assert errors == []
    assert (passed, refused) == (limit, THREADS - limit)
    assert RateCounter.objects.get().count == THREADS

"""The API's fixed-window rate limits: counted in the database, one statement a request."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mutual.api import ratelimit
from mutual.api.models import RateCounter
from mutual.api.problems import RateLimited
from mutual.config import settings as mutual_settings

from .conftest import ApiClient

#: The start of a one-minute window (a multiple of 60 seconds since the epoch).
W0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
RATE = (3, 60)


def counter(key: str, seconds: int = RATE[1]) -> RateCounter:
    digest = hashlib.sha256(f"{seconds}:{key}".encode()).hexdigest()
    return RateCounter.objects.get(pk=digest)


@pytest.mark.django_db
def test_exactly_the_limit_passes_and_the_next_is_refused_until_the_window_ends() -> None:
    at = W0 + timedelta(seconds=10, microseconds=500)
    for _ in range(3):
        ratelimit.hit("token:1", rate=RATE, at=at)
    with pytest.raises(RateLimited) as refused:
        ratelimit.hit("token:1", rate=RATE, at=at)
    assert refused.value.status == 429
    assert refused.value.headers == {"Retry-After": "50"}
    row = counter("token:1")
    assert (row.count, row.window) == (4, int(W0.timestamp()) // 60)
    assert row.expires_at == W0 + timedelta(minutes=1)


@pytest.mark.django_db
def test_retry_after_is_at_least_one_second() -> None:
    at = W0 + timedelta(seconds=59, microseconds=999_000)
    for _ in range(3):
        ratelimit.hit("token:1", rate=RATE, at=at)
    with pytest.raises(RateLimited) as refused:
        ratelimit.hit("token:1", rate=RATE, at=at)
    assert refused.value.headers["Retry-After"] == "1"


@pytest.mark.django_db
def test_a_new_window_counts_from_one_in_the_same_row() -> None:
    for _ in range(3):
        ratelimit.hit("token:1", rate=RATE, at=W0)
    with pytest.raises(RateLimited):
        ratelimit.hit("token:1", rate=RATE, at=W0)
    later = W0 + timedelta(minutes=1)
    ratelimit.hit("token:1", rate=RATE, at=later)
    row = counter("token:1")
    assert (row.count, row.window) == (1, int(later.timestamp()) // 60)
    assert row.expires_at == later + timedelta(minutes=1)
    assert RateCounter.objects.count() == 1
    ratelimit.hit("token:1", rate=RATE, at=later)
    ratelimit.hit("token:1", rate=RATE, at=later)
    with pytest.raises(RateLimited):
        ratelimit.hit("token:1", rate=RATE, at=later)


@pytest.mark.django_db
def test_a_lagging_clock_counts_towards_the_newer_window() -> None:
    later = W0 + timedelta(minutes=1)
    ratelimit.hit("token:1", rate=RATE, at=later)
    ratelimit.hit("token:1", rate=RATE, at=W0 + timedelta(seconds=59))
    row = counter("token:1")
    assert (row.count, row.window) == (2, int(later.timestamp()) // 60)
    assert row.expires_at == later + timedelta(minutes=1)


@pytest.mark.django_db
def test_check_counts_nothing() -> None:
    for _ in range(5):
        ratelimit.check("failed:alice@example.org", rate=RATE, at=W0)
    assert not RateCounter.objects.exists()
    ratelimit.hit("failed:alice@example.org", rate=RATE, at=W0)
    ratelimit.hit("failed:alice@example.org", rate=RATE, at=W0)
    for _ in range(5):
        ratelimit.check("failed:alice@example.org", rate=RATE, at=W0)
    assert counter("failed:alice@example.org").count == 2


@pytest.mark.django_db
def test_check_refuses_a_used_up_window_only() -> None:
    for _ in range(3):
        ratelimit.hit("failed:alice@example.org", rate=RATE, at=W0)
    with pytest.raises(RateLimited) as refused:
        ratelimit.check("failed:alice@example.org", rate=RATE, at=W0 + timedelta(seconds=20))
    assert refused.value.headers == {"Retry-After": "40"}
    assert counter("failed:alice@example.org").count == 3
    ratelimit.check("failed:alice@example.org", rate=RATE, at=W0 + timedelta(minutes=1))


@pytest.mark.django_db
def test_each_statement_is_one_query() -> None:
    with CaptureQueriesContext(connection) as hit:
        ratelimit.hit("token:1", rate=RATE, at=W0)
    with CaptureQueriesContext(connection) as again:
        ratelimit.hit("token:1", rate=RATE, at=W0)
    with CaptureQueriesContext(connection) as check:
        ratelimit.check("token:1", rate=RATE, at=W0)
    assert (len(hit), len(again), len(check)) == (1, 1, 1)
    assert again.captured_queries[0]["sql"].startswith("INSERT")
    assert check.captured_queries[0]["sql"].startswith("SELECT")


@pytest.mark.django_db
def test_keys_and_window_lengths_count_apart_and_no_key_is_stored_in_clear() -> None:
    ratelimit.hit("email:alice@example.org", rate=(1, 600), at=W0)
    ratelimit.hit("email:alice@example.org", rate=(1, 60), at=W0)
    ratelimit.hit("email:bob@example.org", rate=(1, 600), at=W0)
    assert RateCounter.objects.count() == 3
    assert set(RateCounter.objects.values_list("count", flat=True)) == {1}
    assert not RateCounter.objects.filter(key__contains="example").exists()
    assert all(len(key) == 64 for key in RateCounter.objects.values_list("key", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rate", "at", "message"),
    [
        ((3, 0), W0, "seconds"),
        ((-1, 60), W0, "requests"),
        (RATE, datetime(2026, 3, 2, 9, 0), "timezone-aware"),
    ],
)
def test_bad_input_is_refused_and_counts_nothing(
    rate: tuple[int, int], at: datetime, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        ratelimit.hit("token:1", rate=rate, at=at)
    with pytest.raises(ValueError, match=message):
        ratelimit.check("token:1", rate=rate, at=at)
    assert not RateCounter.objects.exists()


def test_an_unknown_token_counts_nothing(api: ApiClient) -> None:
    assert api.get("/me", token="mut_not-a-real-token").status == 401
    assert api.get("/me").status == 401
    assert not RateCounter.objects.exists()


def test_a_token_makes_exactly_its_limit_of_requests_then_429_with_retry_after(
    as_alice: ApiClient, settings: Any
) -> None:
    settings.MUTUAL_API_RATE_TOKEN = (5, 60)
    for _ in range(5):
        assert as_alice.get("/me").status == 200
    limited = as_alice.get("/me")
    assert limited.status == 429
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    assert RateCounter.objects.get().count == 6


def test_an_api_read_costs_one_statement_for_its_rate_limit_whatever_the_cache(
    as_alice: ApiClient, bond_id: str, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the database cache of production configured, a bearer read of a bond spends
    exactly two queries on authentication — the token, then the rate-limit counter — and
    never touches the cache table; without the rate limit it runs exactly one fewer."""
    settings.CACHES = mutual_settings.caches(shared=True)
    call_command("createcachetable", verbosity=0)
    assert as_alice.get(f"/bonds/{bond_id}").status == 200  # warm
    with CaptureQueriesContext(connection) as read:
        assert as_alice.get(f"/bonds/{bond_id}").status == 200
    statements = [q["sql"] for q in read.captured_queries]
    first, second, *rest = statements
    assert first.startswith("SELECT "), first
    assert 'FROM "accounts_apitoken"' in first, first
    assert second.startswith('INSERT INTO "api_ratecounter"')
    # The rest reads the bond's tables (its count is held constant by
    # test_query_counts.py; the shared measures are one statement written out), and no
    # cache table.
    assert rest, statements
    assert all(sql.startswith("SELECT ") and '"bonds_' in sql for sql in rest), rest
    assert not any("cache" in sql for sql in statements), statements

    counted = sorted(RateCounter.objects.values_list("count", flat=True))
    monkeypatch.setattr(ratelimit, "hit", lambda key, *, rate, at: None)
    with CaptureQueriesContext(connection) as unlimited:
        assert as_alice.get(f"/bonds/{bond_id}").status == 200
    assert len(statements) == len(unlimited) + 1
    assert sorted(RateCounter.objects.values_list("count", flat=True)) == counted

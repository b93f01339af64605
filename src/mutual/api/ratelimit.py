"""Fixed-window rate limits, counted in the database.

A key (``token:<id>``, ``address:<ip>``, ``email:<address>``) may make ``limit`` requests
per window of ``seconds``; the next one answers 429 with ``Retry-After``. The counters are
rows of :class:`~mutual.api.models.RateCounter`, one per key and window length, so every
app process shares them whatever cache is configured. Counting a request is one statement
(an upsert that returns the new count), checking one is one ``SELECT``; the periodic job
:func:`mutual.tasks.rate_counters_prune` deletes counters whose window ended long ago.

A request whose clock lags behind the window already stored counts towards that window:
no process can start a window over again for everyone.
"""

from __future__ import annotations

import hashlib
import math
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import connection

from .models import RateCounter
from .problems import RateLimited

#: (requests, seconds) per bearer token, and per address or email for the sign-in and
#: sign-up endpoints. Settings ``MUTUAL_API_RATE_TOKEN`` and ``MUTUAL_API_RATE_AUTH`` may
#: override them.
TOKEN_RATE = (600, 60)
AUTH_RATE = (20, 600)


def token_rate() -> tuple[int, int]:
    limit, seconds = getattr(settings, "MUTUAL_API_RATE_TOKEN", TOKEN_RATE)
    return int(limit), int(seconds)


def auth_rate() -> tuple[int, int]:
    limit, seconds = getattr(settings, "MUTUAL_API_RATE_AUTH", AUTH_RATE)
    return int(limit), int(seconds)


def _counter_key(key: str, seconds: int) -> str:
    return hashlib.sha256(f"{seconds}:{key}".encode()).hexdigest()


def _window(rate: tuple[int, int], at: datetime) -> tuple[int, int, float, int]:
    """``(limit, seconds, now, window)``; bad input raises before anything is counted."""
    limit, seconds = rate
    if seconds < 1 or limit < 0:
        raise ValueError(f"a rate is (requests ≥ 0, seconds ≥ 1), not {rate!r}")
    if at.tzinfo is None:
        raise ValueError("at must be timezone-aware")
    now = at.timestamp()
    return limit, seconds, now, int(now // seconds)


def _refuse(window: int, seconds: int, now: float) -> RateLimited:
    return RateLimited(max(math.ceil((window + 1) * seconds - now), 1))


def _statements() -> tuple[str, str]:
    """The check and the hit statements, for this database's quoting (``window`` is a
    reserved word in some dialects). Only quoted identifiers are put into the text."""
    quote = connection.ops.quote_name
    t = quote(RateCounter._meta.db_table)
    key, window, count, expires = (quote(c) for c in ("key", "window", "count", "expires_at"))
    newer = f"{t}.{window} > excluded.{window}"
    select = f"SELECT {count}, {window} FROM {t} WHERE {key} = %s AND {window} >= %s"  # noqa: S608
    upsert = (
        f"INSERT INTO {t} ({key}, {window}, {count}, {expires}) VALUES (%s, %s, 1, %s) "  # noqa: S608
        f"ON CONFLICT ({key}) DO UPDATE SET "
        f"{count} = CASE WHEN {t}.{window} >= excluded.{window} THEN {t}.{count} + 1 ELSE 1 END, "
        f"{window} = CASE WHEN {newer} THEN {t}.{window} ELSE excluded.{window} END, "
        f"{expires} = CASE WHEN {newer} THEN {t}.{expires} ELSE excluded.{expires} END "
        f"RETURNING {count}, {window}"
    )
    return select, upsert


def check(key: str, *, rate: tuple[int, int], at: datetime) -> None:
    """Raise :class:`RateLimited` if ``key`` already used up its window, counting nothing."""
    limit, seconds, now, window = _window(rate, at)
    select, _upsert = _statements()
    with connection.cursor() as cursor:
        cursor.execute(select, [_counter_key(key, seconds), window])
        row = cursor.fetchone()
    if row is not None and int(row[0]) >= limit:
        raise _refuse(int(row[1]), seconds, now)


def hit(key: str, *, rate: tuple[int, int], at: datetime) -> None:
    """Count one request for ``key``; raise :class:`RateLimited` past the limit.

    One statement: insert the counter at 1, or add one to it in the same window, or start
    it again at 1 in a new window; the database returns the count."""
    limit, seconds, now, window = _window(rate, at)
    ends = datetime.fromtimestamp((window + 1) * seconds, tz=UTC)
    _select, upsert = _statements()
    params: list[Any] = [
        _counter_key(key, seconds),
        window,
        connection.ops.adapt_datetimefield_value(ends),
    ]
    with connection.cursor() as cursor:
        cursor.execute(upsert, params)
        row = cursor.fetchone()
    assert row is not None
    count, counted_window = int(row[0]), int(row[1])
    if count > limit:
        raise _refuse(counted_window, seconds, now)

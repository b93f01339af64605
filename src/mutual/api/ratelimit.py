"""Fixed-window rate limits, counted in Django's cache.

A key (``token:<id>``, ``address:<ip>``, ``email:<address>``) may make ``limit`` requests
per window of ``seconds``; the next one answers 429 with ``Retry-After``. With several
app processes the configured cache must be shared (database or Redis), as it must be for
allauth's own rate limits and TOTP replay protection.
"""

from __future__ import annotations

import hashlib
import math
from datetime import datetime

from django.conf import settings
from django.core.cache import cache

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


def _cache_key(key: str, seconds: int, window: int) -> str:
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    return f"mutual:api:rate:{digest}:{seconds}:{window}"


def check(key: str, *, rate: tuple[int, int], at: datetime) -> None:
    """Raise :class:`RateLimited` if ``key`` already used up its window, counting nothing."""
    limit, seconds = rate
    now = at.timestamp()
    window = int(now // seconds)
    if int(cache.get(_cache_key(key, seconds, window), 0)) >= limit:
        raise RateLimited(max(math.ceil((window + 1) * seconds - now), 1))


def hit(key: str, *, rate: tuple[int, int], at: datetime) -> None:
    """Count one request for ``key``; raise :class:`RateLimited` past the limit."""
    limit, seconds = rate
    now = at.timestamp()
    window = int(now // seconds)
    cache_key = _cache_key(key, seconds, window)
    cache.add(cache_key, 0, timeout=seconds + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=seconds + 1)
        count = 1
    if count > limit:
        retry = math.ceil((window + 1) * seconds - now)
        raise RateLimited(max(retry, 1))

"""Caches that keep security state until it expires, never less.

Django's cache backends make room by dropping live entries once a cache holds
``MAX_ENTRIES``. For allauth's sign-in throttles and the replay guard of one-time codes
that would be a way in: fill the cache with anything and a throttle forgets its count, or
a used code works again. These backends make room only by sweeping entries whose time is
up; a live entry stays until it expires. ``MAX_ENTRIES`` is then only the size at which
the sweep runs.

They hold security state alone (the ``default`` alias, which allauth uses, also named
``security``); everything ordinary — drawn charts — goes to the ``ordinary`` alias, whose
least useful entries may be dropped at any time (see ``caches`` in settings).
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import connections


class SecurityDatabaseCache(DatabaseCache):
    """A database cache that, when full, deletes only expired rows."""

    def _cull(self, db: str, cursor: Any, now: Any, num: int) -> None:
        connection = connections[db]
        table = connection.ops.quote_name(self._table)  # type: ignore[attr-defined]
        expires = connection.ops.quote_name("expires")
        cursor.execute(
            f"DELETE FROM {table} WHERE {expires} < %s",  # noqa: S608 - quoted names only
            [connection.ops.adapt_datetimefield_value(now)],
        )


class SecurityMemoryCache(LocMemCache):
    """A process-memory cache (development) that, when full, drops only expired keys."""

    def _cull(self) -> None:
        expire_info = self._expire_info  # type: ignore[attr-defined]
        for key in [k for k in expire_info if self._has_expired(k)]:  # type: ignore[attr-defined]
            self._delete(key)  # type: ignore[attr-defined]

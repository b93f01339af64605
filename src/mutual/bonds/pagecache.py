"""Bond pages kept in each app process's memory, keyed by everything they show.

A bond's home page, an exchange page, and their API reads are the same for one person as
long as nothing in the bond changed, the two names are the same and the minute is the
same. So a rendered page is kept under a key made of the bond's (or exchange's) id, the
viewer's side's version of the bond (raised by every write to the bond or anything in it
that this side can see, in :func:`mutual.bonds.ledger.lock`), the viewer's side, both
persons and their names, and the current minute. The key is read from the database on
every request — the same small query that checks membership — so a process never shows
a page rendered from an older version, whichever process made the change. What depends
on the time alone (trust that fades, the two-week trend, a difference due today) is at
most a minute old. A write that stays private to one side (a report) raises only that
side's version: the partner's kept pages stay as they are, so not even the cost of their
next page tells them anything happened.

An exchange page shows what people wrote. Keeping it changes nothing about who may read
it — it is kept for one side of one version and is never served once the answer is
withdrawn, edited, or its author leaves or deletes the account, because each of those
raises the version — and it lives in the memory of the process that holds the master
key anyway, for two minutes at most (:data:`MAX_AGE`). The forms' CSRF token is never
kept: a placeholder stands in its place and each response gets its own
(:func:`with_csrf`). Bounded: the least recently used page goes first.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils.safestring import SafeString, mark_safe

from .models import Bond

#: Seconds a kept page lives at most (the key's minute makes it unreachable sooner).
MAX_AGE = 120.0

#: Stands for the CSRF token in a kept page; never a valid token.
CSRF_PLACEHOLDER = "mutual-csrf-placeholder-0f3a9c"


class PageCache:
    """A thread-safe, bounded least-recently-used map whose entries also expire: one
    older than ``max_age`` seconds is never returned and is dropped at the next write."""

    def __init__(self, size: int, max_age: float = MAX_AGE) -> None:
        self.size = size
        self.max_age = max_age
        self._items: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            born, value = found
            if time.monotonic() - born > self.max_age:
                del self._items[key]
                return None
            self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        if self.size <= 0:
            return
        now = time.monotonic()
        with self._lock:
            self._items[key] = (now, value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
            # Drop what has expired, oldest first (an entry read lately moved to the end).
            for old in [k for k, (born, _v) in self._items.items() if now - born > self.max_age]:
                del self._items[old]

    def fetch(self, key: Hashable, make: Callable[[], Any], *, keep: bool = True) -> Any:
        """The value kept under ``key``, or ``make()`` — kept for next time unless
        ``keep`` is false (a page that must not be reused, such as one with a form sent)."""
        if not keep:
            return make()
        found = self.get(key)
        if found is None:
            found = make()
            self.put(key, found)
        return found

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


#: Rendered pages and API reads of bonds in this process.
PAGES = PageCache(int(getattr(settings, "MUTUAL_PAGE_CACHE", 512)))


def key(bond: Bond, *, side: str, at: datetime, what: str) -> tuple[Hashable, ...]:
    """Everything a kept bond page depends on (see the module's docstring)."""
    names = tuple(
        (person.pk, person.name) if person is not None else None
        for person in (bond.person_a, bond.person_b)
    )
    version = getattr(bond, f"version_{side}")
    return (what, bond.pk, version, side, names, at.strftime("%Y%m%d%H%M"))


def exchange_key(stamp: tuple[Any, ...], *, at: datetime, what: str) -> tuple[Hashable, ...]:
    """The key of a kept exchange page or API exchange read
    (:func:`mutual.bonds.selectors.exchange_stamp` and the minute)."""
    return (what, *stamp, at.strftime("%Y%m%d%H%M"))


def with_csrf(page: str, request: HttpRequest) -> SafeString:
    """A kept page with this request's own CSRF token in place of the placeholder."""
    return mark_safe(page.replace(CSRF_PLACEHOLDER, get_token(request)))  # noqa: S308

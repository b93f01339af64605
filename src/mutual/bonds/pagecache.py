"""Bond pages kept in each app process's memory, keyed by everything they show.

A bond's home page (and the API's bond read) is the same for one person as long as
nothing in the bond changed, the two names are the same and the minute is the same. So a
rendered page is kept under a key made of the bond's id and ``version`` (raised by every
write, in :func:`mutual.bonds.ledger.lock`), the viewer's side, both persons and their
names, and the current minute. A process never shows a page rendered from an older
version: a write in another process raises the version in the database, which every
request reads anyway to check membership. What depends on the time alone (trust that
fades, the two-week trend, a difference due today) is at most a minute old.

What is kept holds no answer or reply text: the home page shows questions, names and the
shared measures, never what anyone wrote. The forms' CSRF token is not kept either: a
placeholder stands in its place and each response gets its own token
(:func:`with_csrf`). Bounded: the least recently used page goes first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils.safestring import SafeString, mark_safe

from .models import Bond

#: Stands for the CSRF token in a kept page; never a valid token.
CSRF_PLACEHOLDER = "mutual-csrf-placeholder-0f3a9c"


class PageCache:
    """A thread-safe, bounded least-recently-used map."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: Hashable, value: Any) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

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
    return (what, bond.pk, bond.version, bond.snapshot_seq, side, names, at.strftime("%Y%m%d%H%M"))


def with_csrf(page: str, request: HttpRequest) -> SafeString:
    """A kept page with this request's own CSRF token in place of the placeholder."""
    return mark_safe(page.replace(CSRF_PLACEHOLDER, get_token(request)))  # noqa: S308

"""Cursor pagination: ``?cursor=`` is the ``next`` of the previous page (``null`` at the end).

Lists are ordered newest first by a time field, ties broken by id: their cursor is the
last item's time, in microseconds since 1970 (UTC), and its id in hex
(``1733241000123456-3f2a…``), so pages stay stable while new items arrive. Lists in a
fixed order (the prompt deck, check-in rounds, differences, reports) are paged by
position: their cursor is the number of items before the page (``40``). The OpenAPI
document gives each operation the pattern of its cursor, and every string that matches
it is a cursor the server accepts.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Generic, TypeVar

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy
from ninja import Field, Schema

from .problems import ApiProblem

T = TypeVar("T")
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
#: A keyset cursor: microseconds since 1970 (UTC, up to the year 5000), a dash, an id.
KEYSET_CURSOR = r"^[0-9]{1,17}-[0-9a-f]{32}$"
#: A position cursor: how many items come before the page.
OFFSET_CURSOR = r"^[0-9]{1,6}$"
INVALID = gettext_lazy("The cursor is not valid: pass the 'next' value of the previous page.")
LIMIT_HELP = (
    f"Items per page, 1 to {MAX_LIMIT} (a larger number gives {MAX_LIMIT}, a smaller one 1)."
)


class Page(Schema, Generic[T]):
    items: list[T]
    next: str | None


# ``?cursor=&limit=`` of a list newest first. (No docstring: it would change the document.)
class PageQuery(Schema):
    cursor: str | None = Field(
        default=None,
        pattern=KEYSET_CURSOR,
        description="The previous page's `next`: the last item's time in microseconds "
        "since 1970 (UTC), a dash, and its id in hex.",
    )
    limit: int = Field(default=DEFAULT_LIMIT, description=LIMIT_HELP)


# ``?cursor=&limit=`` of a list in a fixed order.
class OffsetPageQuery(Schema):
    cursor: str | None = Field(
        default=None,
        pattern=OFFSET_CURSOR,
        description="The previous page's `next`: how many items come before this page.",
    )
    limit: int = Field(default=DEFAULT_LIMIT, description=LIMIT_HELP)


def _encode(at: datetime, id_: Any) -> str:
    return f"{(at - EPOCH) // MICROSECOND}-{uuid.UUID(str(id_)).hex}"


def _decode(cursor: str) -> tuple[datetime, uuid.UUID]:
    if not re.fullmatch(KEYSET_CURSOR[1:-1], cursor):
        raise ApiProblem(422, str(INVALID))
    micros, hex_id = cursor.split("-")
    return EPOCH + int(micros) * MICROSECOND, uuid.UUID(hex=hex_id)


def page_queryset(
    queryset: QuerySet[Any], *, cursor: str | None, limit: int, time_field: str
) -> tuple[list[Any], str | None]:
    """One page of ``queryset`` (newest first) after ``cursor``."""
    limit = max(1, min(limit, MAX_LIMIT))
    queryset = queryset.order_by(f"-{time_field}", "-pk")
    if cursor:
        at, id_ = _decode(cursor)
        queryset = queryset.filter(
            Q(**{f"{time_field}__lt": at}) | Q(**{time_field: at, "pk__lt": id_})
        )
    rows = list(queryset[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = _encode(getattr(last, time_field), last.pk)
    return rows, next_cursor


def page_sequence(
    items: Sequence[T],
    *,
    cursor: str | None,
    limit: int,
    key: Callable[[T], tuple[datetime, Any]],
) -> tuple[list[T], str | None]:
    """One page of ``items``, sorted newest first by ``key`` (time, id), after ``cursor``."""
    limit = max(1, min(limit, MAX_LIMIT))
    items = sorted(items, key=lambda i: (key(i)[0], str(key(i)[1])), reverse=True)
    start = 0
    if cursor:
        at, id_ = _decode(cursor)
        start = len(items)
        for index, item in enumerate(items):
            item_at, item_id = key(item)
            if (item_at, str(item_id)) < (at, str(id_)):
                start = index
                break
    rows = list(items[start : start + limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = _encode(*key(rows[-1]))
    return rows, next_cursor


def offset_of(cursor: str | None) -> int:
    """The position an offset cursor points at (0 without a cursor)."""
    if not cursor:
        return 0
    if not re.fullmatch(OFFSET_CURSOR[1:-1], cursor):
        raise ApiProblem(422, str(INVALID))
    return int(cursor)


def page_offset(
    items: Sequence[T], *, cursor: str | None, limit: int
) -> tuple[list[T], str | None]:
    """One page of a list in a fixed order (such as the prompt deck) after ``cursor``."""
    limit = max(1, min(limit, MAX_LIMIT))
    start = offset_of(cursor)
    rows = list(items[start : start + limit])
    next_cursor = None
    if start + limit < len(items):
        next_cursor = str(start + limit)
    return rows, next_cursor

"""Cursor pagination: ``?cursor=`` is opaque; the body carries ``next`` (``null`` at the end).

Lists are ordered newest first by a time field, ties broken by id. The cursor encodes
the last item's (time, id), so pages stay stable while new items arrive.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Generic, TypeVar

from django.db.models import Q, QuerySet
from ninja import Schema

from .problems import ApiProblem

T = TypeVar("T")
DEFAULT_LIMIT = 20
MAX_LIMIT = 100


class Page(Schema, Generic[T]):
    items: list[T]
    next: str | None


# ``?cursor=&limit=`` of every list. (No docstring: it would change the published document.)
class PageQuery(Schema):
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


def _encode(at: datetime, id_: Any) -> str:
    raw = json.dumps([at.isoformat(), str(id_)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        at_text, id_text = json.loads(raw)
        at = datetime.fromisoformat(at_text)
        if at.tzinfo is None:
            raise ValueError("naive time")
        return at, uuid.UUID(id_text)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise ApiProblem(
            422, "The cursor is not valid: pass the 'next' value of the previous page."
        ) from exc


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
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        kind, start = json.loads(raw)
        if kind != "at" or not isinstance(start, int) or start < 0:
            raise ValueError("not an offset cursor")
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise ApiProblem(
            422, "The cursor is not valid: pass the 'next' value of the previous page."
        ) from exc
    return start


def page_offset(
    items: Sequence[T], *, cursor: str | None, limit: int
) -> tuple[list[T], str | None]:
    """One page of a list in a fixed order (such as the prompt deck) after ``cursor``."""
    limit = max(1, min(limit, MAX_LIMIT))
    start = offset_of(cursor)
    rows = list(items[start : start + limit])
    next_cursor = None
    if start + limit < len(items):
        raw = json.dumps(["at", start + limit]).encode()
        next_cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    return rows, next_cursor

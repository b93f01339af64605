"""Each person's time zone: what "today" is for them, and when their hours are.

A zone is an IANA name (``Europe/Berlin``) checked against the system's zoneinfo
database. Sign-up fills it from the browser (``zone.js``); the person can change it on
their settings page. Every page is shown in the viewer's zone
(:class:`mutual.accounts.middleware.PersonMiddleware`); "due today", revisit dates,
digests and rhythms read it through :func:`local_date` and :func:`local`.
"""

from __future__ import annotations

import functools
import zoneinfo
from datetime import date, datetime
from typing import Any

DEFAULT = "UTC"


@functools.cache
def names() -> tuple[str, ...]:
    """Every zone name the system knows, sorted (``localtime`` and the like left out)."""
    return tuple(sorted(n for n in zoneinfo.available_timezones() if "/" in n or n == DEFAULT))


@functools.cache
def _known() -> frozenset[str]:
    return frozenset(names())


def clean(value: object) -> str | None:
    """The zone named by ``value``, or ``None`` if it names no known zone."""
    if not isinstance(value, str):
        return None
    name = value.strip()
    if not name or len(name) > 64 or name not in _known():
        return None
    return name


def zone_name(person: Any) -> str:
    """The name of the person's zone (``UTC`` for one without a known zone)."""
    return clean(getattr(person, "time_zone", None)) or DEFAULT


def zone_of(person: Any) -> zoneinfo.ZoneInfo:
    """The person's zone (UTC for one without a known zone)."""
    return zoneinfo.ZoneInfo(zone_name(person))


def local(at: datetime, person: Any) -> datetime:
    """``at`` on the person's clock."""
    if at.tzinfo is None:
        raise ValueError("at must be timezone-aware")
    return at.astimezone(zone_of(person))


def local_date(at: datetime, person: Any) -> date:
    """The person's calendar day at ``at``: what "today" means for them."""
    return local(at, person).date()

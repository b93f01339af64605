"""When a person may be told something, on their own clock (``accounts.zones``).

Pure arithmetic on aware datetimes: quiet hours, the next time a person's clock shows a
given hour, and when a notice may go out under each choice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from mutual.accounts import zones

NOW = "now"
DIGEST = "digest"
NEVER = "never"
CHOICES = (NOW, DIGEST, NEVER)


@dataclass(frozen=True)
class Hours:
    """The hours a person keeps: digest at ``digest``, quiet from ``quiet_from`` until
    ``quiet_until`` (wrapping past midnight; equal means never quiet)."""

    digest: int = 19
    quiet_from: int = 22
    quiet_until: int = 8

    def quiet_at(self, local: datetime) -> bool:
        f, u, h = self.quiet_from, self.quiet_until, local.hour
        if f == u:
            return False
        if f < u:
            return f <= h < u
        return h >= f or h < u


def next_hour(after: datetime, person: Any, hour: int) -> datetime:
    """The first moment at or after ``after`` when the person's clock shows ``hour``:00."""
    zone = zones.zone_of(person)
    local = after.astimezone(zone)
    day = local.date()
    for offset in range(3):
        candidate = datetime.combine(day + timedelta(days=offset), time(hour), tzinfo=zone)
        if candidate >= after:
            return candidate
    raise AssertionError("unreachable: an hour comes round within three days")


def quiet_now(at: datetime, person: Any, hours: Hours) -> bool:
    return hours.quiet_at(zones.local(at, person))


def ready(*, choice: str, since: datetime, at: datetime, person: Any, hours: Hours) -> bool:
    """Whether a notice that could be told from ``since`` goes out at ``at``: at once,
    or in the first digest after it; never in quiet hours."""
    if choice == NEVER or at < since or quiet_now(at, person, hours):
        return False
    if choice == DIGEST:
        return at >= next_hour(since, person, hours.digest)
    return True

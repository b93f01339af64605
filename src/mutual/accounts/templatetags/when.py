"""One way to write a date on every page: ``{{ value|day }}`` ("3 December 2026") and
``{{ value|day_time }}`` ("3 December 2026, 18:05"), in the viewer's time zone and the
way the active language writes dates: its ``DATE_FORMAT`` and ``DATETIME_FORMAT``
(Mutual's own in ``mutual/formats/<lang>/``, else Django's for that language).

Loaded for every template (``builtins`` in settings). The date fields people fill in
(the revisit picker) ask for the day, the month by its name and the year, in the same
order, so what they type reads as the page will show it.
"""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import formats, timezone

register = template.Library()


def _local(value: date | datetime) -> date | datetime:
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def day(value: date | datetime | None) -> str:
    """The day alone: "3 December 2026"."""
    if value in (None, ""):
        return ""
    assert value is not None
    return formats.date_format(_local(value), "DATE_FORMAT")


@register.filter
def day_time(value: datetime | None) -> str:
    """The day and the time on the viewer's clock: "3 December 2026, 18:05"."""
    if value in (None, ""):
        return ""
    assert value is not None
    return formats.date_format(_local(value), "DATETIME_FORMAT")

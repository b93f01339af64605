"""One way to write a date on every page: ``{{ value|day }}`` ("3 December 2026") and
``{{ value|day_time }}`` ("3 December 2026, 18:05"), in the viewer's time zone and the
way the active language writes dates: its ``DATE_FORMAT`` and ``DATETIME_FORMAT``
(Mutual's own in ``mutual/formats/<lang>/``, else Django's for that language).

Loaded for every template (``builtins`` in settings). The date fields people fill in
(the revisit picker) ask for the day, the month by its name and the year, in the same
order, so what they type reads as the page will show it.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from django import template
from django.utils import dateformat, formats, timezone
from django.utils.dates import MONTHS

register = template.Library()


def _local(value: date | datetime) -> date | datetime:
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _format(value: date | datetime, format_: str) -> str:
    """``dateformat.format``, with the two formats English pages use spelled out
    directly (the same text, without building a formatter for every date on a page)."""
    if format_ == "j F Y":
        return f"{value.day} {MONTHS[value.month]} {value.year}"
    if format_ == "j F Y, H:i" and isinstance(value, datetime):
        time = f"{value.hour:02d}:{value.minute:02d}"
        return f"{value.day} {MONTHS[value.month]} {value.year}, {time}"
    return dateformat.format(value, format_)


def day_in(value: datetime, zone: tzinfo, format_: str) -> str:
    """``value|day`` for a list of dates: the zone and the format
    (``formats.get_format("DATE_FORMAT")``) looked up once by the caller, not per date."""
    return _format(value.astimezone(zone) if timezone.is_aware(value) else value, format_)


@register.filter
def day(value: date | datetime | None) -> str:
    """The day alone: "3 December 2026"."""
    if value in (None, ""):
        return ""
    assert value is not None
    return _format(_local(value), formats.get_format("DATE_FORMAT"))


@register.filter
def day_time(value: datetime | None) -> str:
    """The day and the time on the viewer's clock: "3 December 2026, 18:05"."""
    if value in (None, ""):
        return ""
    assert value is not None
    return _format(_local(value), formats.get_format("DATETIME_FORMAT"))

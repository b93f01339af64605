"""What the insights page may show one person of a bond, gathered in a few queries.

``insights_for(*, bond, viewer, at) -> Insights`` — the bond's shared measures per day
(mutual index, open depth, breadth), the viewer's own trust per day (their column
alone is read: the partner's never leaves the database), attunement in both directions
(a shared fact once check-ins are revealed), a few snapshots of the onion, and the
differences raised and revisited per week.

Queries are constant in the length of history: Readings are aggregated in the database
to the last one of each day; check-ins and differences are read once each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Max, Q
from django.db.models.functions import TruncDate

from mutual import engine
from mutual.bonds import ledger, onion, selectors
from mutual.bonds.models import Bond, Event, Reading
from mutual.checkins import selectors as checkin_selectors
from mutual.differences import selectors as difference_selectors

#: How many moments of the onion to draw.
ONION_SNAPSHOTS = 4


@dataclass(frozen=True)
class Day:
    day: date
    mutual_index: float
    open_depth: int
    breadth: int
    #: The viewer's own trust in the partner (effective expected value, 0–1).
    my_trust: float


@dataclass(frozen=True)
class Insights:
    partner_name: str
    days: list[Day]
    attunement_mine: list[tuple[date, float]]
    attunement_theirs: list[tuple[date, float]]
    #: A few moments of the onion: (day, open depth, breadth, mutual cells).
    onion: list[tuple[date, int, int, frozenset[tuple[int, str]]]]
    #: (week start, raised, revisited)
    differences: list[tuple[date, int, int]]
    #: The onion's sectors for this bond.
    themes: list[str]


def _days(bond: Bond, side: str, before: datetime) -> list[Day]:
    # The shared measures are drawn up to the end of the previous day and the index in
    # steps, as on the home page (docs/engine.md §11): one private rating can neither be
    # timed nor solved for from a chart.
    # Check-ins change nothing these charts draw, and may be recorded after later events
    # (the demo does so): their readings are left out.
    # Safety mode and a confirmed deception are private to the reporter: they draw
    # nothing, and a point on their day would tell the partner something happened.
    private = Q(kind__in=["WeaponizationReported", "SafetyModeLeft"]) | (
        Q(kind="DeceptionConfirmed") & ~Q(payload__reporter=side)
    )
    check_ins = Event.objects.filter(Q(kind="CheckedIn") | private, bond=bond).values("seq")
    last_of_day = (
        Reading.objects.filter(bond=bond, at__lt=before)
        .exclude(seq__in=check_ins)
        .annotate(day=TruncDate("at"))
        .values("day")
        .annotate(last=Max("seq"))
        .values("last")
    )
    trust_column = "trust_a" if side == "a" else "trust_b"
    rows = (
        Reading.objects.filter(bond=bond, seq__in=last_of_day)
        .order_by("at", "seq")
        .values_list("at", "mutual_index", "open_depth", "breadth", trust_column)
    )
    return [
        Day(at.date(), engine.index_shown(index, ledger.PARAMS), depth, breadth, trust)
        for at, index, depth, breadth, trust in rows
    ]


def _onion(bond: Bond, days: list[Day]) -> list[tuple[date, int, int, frozenset[tuple[int, str]]]]:
    if not days:
        return []
    count = min(ONION_SNAPSHOTS, len(days))
    if count == 1:
        picks = [len(days) - 1]
    else:
        picks = sorted({round(i * (len(days) - 1) / (count - 1)) for i in range(count)})
    first = selectors.first_honored(bond)
    snapshots = []
    for i in picks:
        day = days[i].day
        mine = {(d, t) for (side, d, t), when in first.items() if side == "a" and when <= day}
        theirs = {(d, t) for (side, d, t), when in first.items() if side == "b" and when <= day}
        snapshots.append((day, days[i].open_depth, days[i].breadth, frozenset(mine & theirs)))
    return snapshots


def _weeks(timeline: list[tuple[date, str]]) -> list[tuple[date, int, int]]:
    weeks: dict[date, list[int]] = {}
    for day, kind in timeline:
        start = day - timedelta(days=day.weekday())
        counts = weeks.setdefault(start, [0, 0])
        counts[0 if kind == "raised" else 1] += 1
    return [(start, c[0], c[1]) for start, c in sorted(weeks.items())]


def _per_day(
    points: list[checkin_selectors.AttunementPoint], direction: str
) -> list[tuple[date, float]]:
    by_day: dict[date, float] = {}
    for point in points:
        if point.direction == direction:
            by_day[point.at.date()] = point.value  # the day's last value
    return sorted(by_day.items())


def insights_for(*, bond: Bond, viewer: Any, at: datetime) -> Insights:
    """Everything the viewer's insights page draws; ``NotFound`` for non-members."""
    side = selectors.side_of(bond=bond, person=viewer)
    partner = selectors.partner_of(bond=bond, viewer=viewer)
    days = _days(bond, side, selectors.day_start(at))
    attunement = checkin_selectors.attunement_history(bond=bond, viewer=viewer)
    timeline = difference_selectors.difference_timeline(bond=bond, viewer=viewer)
    desire = bool(bond.kind == Bond.Kind.PARTNERS and bond.desire_a and bond.desire_b)
    themes = onion.themes_for(kind=bond.kind, desire=desire)
    return Insights(
        partner_name=partner.name if partner else "your partner",
        days=days,
        attunement_mine=_per_day(attunement, "mine"),
        attunement_theirs=_per_day(attunement, "theirs"),
        onion=_onion(bond, days),
        differences=_weeks(timeline),
        themes=themes,
    )

"""Revisit dates that came: each person is told on their own calendar day.

A difference the two said they would come back to on a date waits for both once that
date has come where each lives (``accounts.zones``); it is noted once per person and date.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from mutual.accounts import zones
from mutual.bonds import selectors as bond_selectors
from mutual.bonds.signals import REVISIT
from mutual.differences.models import Difference

from . import services


def note_due(*, at: datetime) -> int:
    """Note a revisit notice for each person whose day of a revisit has come."""
    if at.tzinfo is None:
        raise ValueError("at must be timezone-aware")
    noted = 0
    # A date that has come anywhere on Earth (UTC+14 is the earliest day there is).
    horizon = at.date().toordinal() + 1
    rows = Difference.objects.filter(
        outcome=Difference.Outcome.REVISIT,
        # Older dates were noted when they came (the worker runs every minute).
        revisit_on__gte=at.date() - timedelta(days=2),
    ).select_related("bond", "bond__person_a", "bond__person_b")
    for difference in rows:
        assert difference.revisit_on is not None
        if difference.revisit_on.toordinal() > horizon:
            continue
        for side in ("a", "b"):
            person = bond_selectors.person_on(bond=difference.bond, side=side)
            if person is None or zones.local_date(at, person) < difference.revisit_on:
                continue
            key = f"revisit:{difference.pk}:{difference.revisit_on.isoformat()}:{side}"
            if services.notice_record(
                bond=difference.bond, side=side, kind=REVISIT, key=key, at=at
            ):
                noted += 1
    return noted

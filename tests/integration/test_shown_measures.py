"""The shared measures shown as of yesterday (one statement of SQL) say what the last
readings before today and before two weeks ago say, read through the ORM, and the
onion's cells are those both sides were first honored at before today."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from history import seed_history
from mutual import engine
from mutual.accounts.models import Person
from mutual.bonds import ledger, selectors, services
from mutual.bonds.models import Bond, Reading
from mutual.bonds.selectors.home import TREND_WINDOW, day_start

pytestmark = pytest.mark.django_db

T0 = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)


def through_the_orm(bond: Bond, at: datetime) -> tuple[int, int, int]:
    def last(before: datetime) -> tuple[int, int]:
        row = (
            Reading.objects.filter(bond=bond, at__lt=before)
            .order_by("-at", "-seq")
            .values_list("mutual_index", "breadth")
            .first()
        )
        if row is None:
            return 0, 0
        return engine.index_shown(row[0], ledger.PARAMS), row[1]

    index, breadth = last(day_start(at))
    earlier, _ = last(day_start(at) - TREND_WINDOW)
    return index, index - earlier, breadth


def test_the_measures_shown_are_those_of_the_readings() -> None:
    alice, bob = (
        Person.objects.create_user(f"{n}@example.org", "a long and quiet evening", display_name=n)
        for n in ("Alice", "Bob")
    )
    bond = services.bond_create(creator=alice, kind="partners", at=T0)
    _invite, code = services.invite_create(bond=bond, by=alice, at=T0)
    bond = services.invite_accept(code=code, person=bob, at=T0)
    assert selectors.shown_measures(bond, T0) == (0, 0, 0)
    # One exchange every twelve hours for forty days.
    for n in range(80):
        bond = seed_history(
            bond=bond, alice=alice, bob=bob, exchanges=1, start=T0 + timedelta(hours=12 * n)
        )
    seen = set()
    for days in range(0, 60, 3):
        at = T0 + timedelta(days=days, hours=5)
        shown = selectors.shown_measures(bond, at)
        assert shown == through_the_orm(bond, at), days
        first = selectors.first_honored(bond, before=day_start(at))
        both = {(d, t) for s, d, t in first if s == "a"} & {(d, t) for s, d, t in first if s == "b"}
        cells = selectors.shown_cells(bond, at)
        assert cells == both, days
        seen.add((shown, cells))
    assert len(seen) > 3
    assert any(cells for _shown, cells in seen)
    # Weeks of silence after the last exchange: the index shown is the last reading's.
    # Fading it at midnight only on quiet days would let a private event of today (a
    # rating, a report, safety mode) show through which number is shown (DESIGN §3).
    quiet = [selectors.shown_measures(bond, T0 + timedelta(days=d))[0] for d in (41, 70, 120)]
    assert quiet[0] == quiet[1] == quiet[2]

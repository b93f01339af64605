"""Check-ins: a feeling and a guess of the partner's, sealed until both checked in
(``/bonds/{id}/checkins``)."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from mutual.bonds import selectors
from mutual.checkins import selectors as checkin_selectors
from mutual.checkins import services as checkin_services

from .pagination import OffsetPageQuery, Page, offset_of, page_offset
from .schemas.checkins import CheckInIn, RoundOut
from .security import bearer, person_of

#: The tag check-ins share with differences is part of the published document.
router = Router(tags=["check-ins and differences"], auth=bearer)


def _checkin(view: checkin_selectors.CheckInView | None) -> dict[str, Any] | None:
    if view is None:
        return None
    return {
        "side": view.side,
        "name": view.name,
        "mine": view.mine,
        "feeling": view.feeling,
        "intensity": view.intensity,
        "guess_feeling": view.guess_feeling,
        "guess_intensity": view.guess_intensity,
        "note": view.note,
        "closeness": view.closeness,
        "created_at": view.created_at,
    }


def _round(view: checkin_selectors.RoundView) -> dict[str, Any]:
    return {
        "id": view.id,
        "opened_at": view.opened_at,
        "revealed_at": view.revealed_at,
        "mine": _checkin(view.mine),
        "theirs": _checkin(view.theirs),
        "partner_checked_in": view.partner_checked_in,
        "ask_about_it": view.ask_about_it,
    }


@router.get("/bonds/{bond_id}/checkins", response=Page[RoundOut])
def checkin_list(
    request: HttpRequest, bond_id: uuid.UUID, page: Query[OffsetPageQuery]
) -> dict[str, Any]:
    """Check-in rounds, newest first; the partner's side only once you both checked in."""
    person = person_of(request)
    bond = selectors.bond_get(id=bond_id, viewer=person)
    wanted = offset_of(page.cursor) + max(1, min(page.limit, 100)) + 1
    rounds = checkin_selectors.checkin_rounds(bond=bond, viewer=person, limit=wanted)
    rows, next_cursor = page_offset(rounds, cursor=page.cursor, limit=page.limit)
    return {"items": [_round(r) for r in rows], "next": next_cursor}


@router.post("/bonds/{bond_id}/checkins", response={201: RoundOut})
def checkin_create(
    request: HttpRequest, bond_id: uuid.UUID, body: CheckInIn
) -> Status[dict[str, Any]]:
    """Check in: how you feel, and your guess of how your partner feels. Sealed until
    you both checked in; checking in again before then changes yours."""
    person = person_of(request)
    bond = selectors.bond_get(id=bond_id, viewer=person)
    round_ = checkin_services.checkin_submit(
        bond=bond,
        person=person,
        feeling=body.feeling,
        intensity=body.intensity,
        guess_feeling=body.guess_feeling,
        guess_intensity=body.guess_intensity,
        note=body.note,
        at=timezone.now(),
    )
    view = checkin_selectors.checkin_round_get(bond=bond, id=round_.id, viewer=person)
    return Status(201, _round(view))


@router.get("/bonds/{bond_id}/checkins/{round_id}", response=RoundOut)
def checkin_detail(request: HttpRequest, bond_id: uuid.UUID, round_id: uuid.UUID) -> dict[str, Any]:
    """One check-in round as you may see it."""
    person = person_of(request)
    bond = selectors.bond_get(id=bond_id, viewer=person)
    return _round(checkin_selectors.checkin_round_get(bond=bond, id=round_id, viewer=person))

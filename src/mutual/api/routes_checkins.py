"""Check-ins (a feeling and a guess of the partner's, sealed until both) and differences
(topics worked through in rounds and revisited)."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from mutual.bonds import selectors
from mutual.checkins import selectors as checkin_selectors
from mutual.checkins import services as checkin_services
from mutual.differences import selectors as difference_selectors
from mutual.differences import services as difference_services

from .pagination import Page, offset_of, page_offset
from .routes_auth import PageQuery, bearer
from .schemas_more import (
    CheckInIn,
    DifferenceIn,
    DifferenceOut,
    DifferenceSummaryOut,
    OutcomeIn,
    RestatementIn,
    RoundOut,
    TextIn,
    UnderstoodIn,
)
from .security import person_of

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
    request: HttpRequest, bond_id: uuid.UUID, page: Query[PageQuery]
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


# ---------------------------------------------------------------------------------------
# Differences


def _summary(view: difference_selectors.DifferenceSummary) -> dict[str, Any]:
    return {
        "id": view.id,
        "topic": view.topic,
        "raised_by_me": view.raised_by_me,
        "raised_by_name": view.raised_by_name,
        "created_at": view.created_at,
        "outcome": view.outcome,
        "outcome_label": view.outcome_label,
        "revisit_on": view.revisit_on,
        "due": view.due,
        "rounds": view.rounds,
    }


def _difference(view: difference_selectors.DifferenceView) -> dict[str, Any]:
    return {
        **_summary(view.summary),
        "partner_name": view.partner_name,
        "active": view.active,
        "can_revisit": view.can_revisit,
        "round_list": [
            {
                "number": r.number,
                "opened_at": r.opened_at,
                "closed_at": r.closed_at,
                "step": r.step,
                "my_perspective": r.my_perspective,
                "my_restatement": r.my_restatement,
                "my_restatement_costly": r.my_restatement_costly,
                "my_rating": r.my_rating,
                "their_perspective": r.their_perspective,
                "their_restatement": r.their_restatement,
                "partner_wrote": r.partner_wrote,
                "partner_restated": r.partner_restated,
                "partner_rated": r.partner_rated,
            }
            for r in view.rounds
        ],
    }


def _view(request: HttpRequest, bond_id: uuid.UUID, difference_id: uuid.UUID) -> dict[str, Any]:
    person = person_of(request)
    bond = selectors.bond_get(id=bond_id, viewer=person)
    return _difference(
        difference_selectors.difference_get(
            bond=bond, difference_id=difference_id, viewer=person, at=timezone.now()
        )
    )


@router.get("/bonds/{bond_id}/differences", response=Page[DifferenceSummaryOut])
def difference_list(
    request: HttpRequest, bond_id: uuid.UUID, page: Query[PageQuery]
) -> dict[str, Any]:
    """Topics you see differently, newest first."""
    person = person_of(request)
    bond = selectors.bond_get(id=bond_id, viewer=person)
    items = difference_selectors.differences_for(bond=bond, viewer=person, at=timezone.now())
    rows, next_cursor = page_offset(items, cursor=page.cursor, limit=page.limit)
    return {"items": [_summary(d) for d in rows], "next": next_cursor}


@router.post("/bonds/{bond_id}/differences", response={201: DifferenceOut})
def difference_create(
    request: HttpRequest, bond_id: uuid.UUID, body: DifferenceIn
) -> Status[dict[str, Any]]:
    """Raise a topic you see differently. Its first round begins."""
    person = person_of(request)
    bond = selectors.bond_get(id=bond_id, viewer=person)
    difference = difference_services.difference_raise(
        bond=bond, person=person, topic=body.topic, at=timezone.now()
    )
    return Status(201, _view(request, bond_id, difference.id))


@router.get("/bonds/{bond_id}/differences/{difference_id}", response=DifferenceOut)
def difference_detail(
    request: HttpRequest, bond_id: uuid.UUID, difference_id: uuid.UUID
) -> dict[str, Any]:
    """One topic with its rounds, as you may see it."""
    return _view(request, bond_id, difference_id)


@router.put("/bonds/{bond_id}/differences/{difference_id}/perspective", response=DifferenceOut)
def difference_perspective(
    request: HttpRequest, bond_id: uuid.UUID, difference_id: uuid.UUID, body: TextIn
) -> dict[str, Any]:
    """Step 1: how you see it. Sealed until you both wrote."""
    person = person_of(request)
    bond = selectors.bond_get(id=bond_id, viewer=person)
    difference_services.perspective_write(
        bond=bond, difference_id=difference_id, person=person, body=body.body, at=timezone.now()
    )
    return _view(request, bond_id, difference_id)


@router.put("/bonds/{bond_id}/differences/{difference_id}/restatement", response=DifferenceOut)
def difference_restatement(
    request: HttpRequest, bond_id: uuid.UUID, difference_id: uuid.UUID, body: RestatementIn
) -> dict[str, Any]:
    """Step 2: your partner's view, in your own words."""
    person = person_of(request)
    bond = selectors.bond_get(id=bond_id, viewer=person)
    difference_services.restatement_write(
        bond=bond,
        difference_id=difference_id,
        person=person,
        body=body.body,
        costly=body.costly,
        at=timezone.now(),
    )
    return _view(request, bond_id, difference_id)


@router.put("/bonds/{bond_id}/differences/{difference_id}/understood", response=DifferenceOut)
def difference_understood(
    request: HttpRequest, bond_id: uuid.UUID, difference_id: uuid.UUID, body: UnderstoodIn
) -> dict[str, Any]:
    """Step 3: how understood you felt by their restatement, 1–7. Private."""
    person = person_of(request)
    bond = selectors.bond_get(id=bond_id, viewer=person)
    difference_services.understood_rate(
        bond=bond, difference_id=difference_id, person=person, score=body.score, at=timezone.now()
    )
    return _view(request, bond_id, difference_id)


@router.post("/bonds/{bond_id}/differences/{difference_id}/outcome", response=DifferenceOut)
def difference_outcome(
    request: HttpRequest, bond_id: uuid.UUID, difference_id: uuid.UUID, body: OutcomeIn
) -> dict[str, Any]:
    """Step 4: what came of it; ``revisit`` needs a date after today."""
    person = person_of(request)
    bond = selectors.bond_get(id=bond_id, viewer=person)
    difference_services.outcome_record(
        bond=bond,
        difference_id=difference_id,
        person=person,
        outcome=body.outcome,
        revisit_on=body.revisit_on,
        at=timezone.now(),
    )
    return _view(request, bond_id, difference_id)


@router.post("/bonds/{bond_id}/differences/{difference_id}/revisit", response=DifferenceOut)
def difference_revisit(
    request: HttpRequest, bond_id: uuid.UUID, difference_id: uuid.UUID
) -> dict[str, Any]:
    """Come back to a topic: a new round begins."""
    person = person_of(request)
    bond = selectors.bond_get(id=bond_id, viewer=person)
    difference_services.difference_revisit(
        bond=bond, difference_id=difference_id, person=person, at=timezone.now()
    )
    return _view(request, bond_id, difference_id)

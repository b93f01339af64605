"""Differences: a topic two people see differently, worked through in rounds and
revisited (``/bonds/{id}/differences``)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from mutual.bonds import selectors
from mutual.differences import selectors as difference_selectors
from mutual.differences import services as difference_services

from .pagination import OffsetPageQuery, Page, page_offset
from .schemas.differences import (
    DifferenceIn,
    DifferenceOut,
    DifferenceSummaryOut,
    OutcomeIn,
    RestatementIn,
    TextIn,
    UnderstoodIn,
)
from .security import bearer, person_of

#: The tag differences share with check-ins is part of the published document.
router = Router(tags=["check-ins and differences"], auth=bearer)


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
        "proposal": (
            {
                "outcome": view.proposal.outcome,
                "outcome_label": view.proposal.outcome_label,
                "revisit_on": view.proposal.revisit_on,
                "by_me": view.proposal.by_me,
            }
            if view.proposal is not None
            else None
        ),
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


def _difference_body(
    request: HttpRequest, bond_id: uuid.UUID, difference_id: uuid.UUID
) -> dict[str, Any]:
    """The topic as the caller sees it, read afresh: the body of every answer that is one."""
    person = person_of(request)
    bond = selectors.bond_get(id=bond_id, viewer=person)
    return _difference(
        difference_selectors.difference_get(
            bond=bond, difference_id=difference_id, viewer=person, at=timezone.now()
        )
    )


@router.get("/bonds/{bond_id}/differences", response=Page[DifferenceSummaryOut])
def difference_list(
    request: HttpRequest, bond_id: uuid.UUID, page: Query[OffsetPageQuery]
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
    return Status(201, _difference_body(request, bond_id, difference.id))


@router.get("/bonds/{bond_id}/differences/{difference_id}", response=DifferenceOut)
def difference_detail(
    request: HttpRequest, bond_id: uuid.UUID, difference_id: uuid.UUID
) -> dict[str, Any]:
    """One topic with its rounds, as you may see it."""
    return _difference_body(request, bond_id, difference_id)


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
    return _difference_body(request, bond_id, difference_id)


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
    return _difference_body(request, bond_id, difference_id)


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
    return _difference_body(request, bond_id, difference_id)


@router.post("/bonds/{bond_id}/differences/{difference_id}/outcome", response=DifferenceOut)
def difference_outcome(
    request: HttpRequest, bond_id: uuid.UUID, difference_id: uuid.UUID, body: OutcomeIn
) -> dict[str, Any]:
    """Step 4: propose what came of it; with ``revisit``, when to come back to it. It
    stands once the other confirms it (``/outcome/confirm``) or proposes the same;
    proposing something else replaces the other's proposal, which then waits for them."""
    person = person_of(request)
    bond = selectors.bond_get(id=bond_id, viewer=person)
    now = timezone.now()
    difference_services.outcome_propose(
        bond=bond,
        difference_id=difference_id,
        person=person,
        outcome=body.outcome,
        revisit_on=now.date() + timedelta(days=body.revisit_in_days),
        at=now,
    )
    return _difference_body(request, bond_id, difference_id)


@router.post("/bonds/{bond_id}/differences/{difference_id}/outcome/confirm", response=DifferenceOut)
def difference_outcome_confirm(
    request: HttpRequest, bond_id: uuid.UUID, difference_id: uuid.UUID
) -> dict[str, Any]:
    """Confirm what the other proposed came of the round: it stands, and the round closes.
    409 when nothing is proposed, or when you proposed it yourself."""
    person = person_of(request)
    bond = selectors.bond_get(id=bond_id, viewer=person)
    difference_services.outcome_confirm(
        bond=bond, difference_id=difference_id, person=person, at=timezone.now()
    )
    return _difference_body(request, bond_id, difference_id)


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
    return _difference_body(request, bond_id, difference_id)

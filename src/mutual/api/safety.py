"""Withdrawal, private reports, safety mode, pause, resume and leave."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from mutual.bonds import selectors
from mutual.bonds.errors import NotFound
from mutual.safety import selectors as safety_selectors
from mutual.safety import services as safety_services
from mutual.safety.models import BreachReport

from . import presenters
from .bonds import bond_body
from .pagination import OffsetPageQuery, Page, page_offset
from .schemas.bonds import BondDetail
from .schemas.exchanges import ExchangeOut
from .schemas.safety import BreachIn, ReportIn, ReportOut
from .security import FRESH, bearer, person_of, token_of
from .tokens import require_fresh

router = Router(tags=["safety"], auth=bearer)


def _report(report: BreachReport, viewer: Any) -> dict[str, Any]:
    return {
        "id": report.id,
        "kind": report.kind,
        "revelation_id": report.revelation_id,
        "note": safety_selectors.report_note_for(report=report, viewer=viewer),
        "created_at": report.created_at,
        "confirmed_at": report.confirmed_at,
    }


@router.post("/bonds/{bond_id}/pause", response=BondDetail)
def bond_pause(request: HttpRequest, bond_id: uuid.UUID) -> dict[str, Any]:
    """Pause the bond, alone: nothing new can be added until you resume it."""
    person = person_of(request)
    bond = selectors.bond_get(id=bond_id, viewer=person)
    safety_services.bond_pause(bond=bond, person=person, at=timezone.now())
    return bond_body(request, bond_id)


@router.post("/bonds/{bond_id}/resume", response=BondDetail)
def bond_resume(request: HttpRequest, bond_id: uuid.UUID) -> dict[str, Any]:
    """Resume a bond you paused (only the one who paused can)."""
    person = person_of(request)
    bond = selectors.bond_get(id=bond_id, viewer=person)
    safety_services.bond_resume(bond=bond, person=person, at=timezone.now())
    return bond_body(request, bond_id)


@router.post("/bonds/{bond_id}/leave", response=BondDetail, openapi_extra=FRESH)
def bond_leave(request: HttpRequest, bond_id: uuid.UUID) -> dict[str, Any]:
    """Leave the bond, alone. It ends for both; your partner no longer sees anything you
    wrote. Needs a token created in the last few minutes."""
    person = person_of(request)
    bond = selectors.bond_get(id=bond_id, viewer=person)
    at = timezone.now()
    require_fresh(token_of(request), at=at)
    safety_services.bond_leave(bond=bond, person=person, at=at)
    return bond_body(request, bond_id)


@router.post("/bonds/{bond_id}/safety-mode/leave", response=BondDetail)
def safety_mode_leave(request: HttpRequest, bond_id: uuid.UUID) -> dict[str, Any]:
    """Leave safety mode, by your own choice."""
    person = person_of(request)
    bond = selectors.bond_get(id=bond_id, viewer=person)
    safety_services.safety_mode_leave(bond=bond, person=person, at=timezone.now())
    return bond_body(request, bond_id)


@router.post("/revelations/{revelation_id}/withdraw", response=ExchangeOut)
def revelation_withdraw(request: HttpRequest, revelation_id: uuid.UUID) -> dict[str, Any]:
    """Withdraw your answer. Its text is erased; your partner sees only that it was
    withdrawn, and when."""
    person = person_of(request)
    revelation = selectors.revelation_get(id=revelation_id, viewer=person)
    safety_services.revelation_withdraw(revelation=revelation, person=person, at=timezone.now())
    exchange = selectors.exchange_get(id=revelation.exchange_id, viewer=person)
    return presenters.exchange_out(exchange, person)


@router.post("/revelations/{revelation_id}/breach", response={201: ReportOut})
def revelation_breach(
    request: HttpRequest, revelation_id: uuid.UUID, body: BreachIn
) -> Status[dict[str, Any]]:
    """Report, privately, that an answer of yours was used against you. Your partner is
    never told."""
    person = person_of(request)
    revelation = selectors.revelation_get(id=revelation_id, viewer=person)
    report = safety_services.breach_report(
        person=person, kind=body.kind, revelation=revelation, note=body.note, at=timezone.now()
    )
    return Status(201, _report(report, person))


@router.post("/bonds/{bond_id}/reports", response={201: ReportOut})
def report_create(
    request: HttpRequest, bond_id: uuid.UUID, body: ReportIn
) -> Status[dict[str, Any]]:
    """Report, privately, threats, shaming or coercion (safety mode begins), or being
    deceived. Your partner is never told."""
    person = person_of(request)
    bond = selectors.bond_get(id=bond_id, viewer=person)
    revelation = None
    if body.revelation_id is not None:
        revelation = selectors.revelation_get(id=body.revelation_id, viewer=person)
    report = safety_services.breach_report(
        person=person,
        kind=body.kind,
        bond=bond,
        revelation=revelation,
        note=body.note,
        at=timezone.now(),
    )
    return Status(201, _report(report, person))


@router.get("/bonds/{bond_id}/reports", response=Page[ReportOut])
def report_list(
    request: HttpRequest, bond_id: uuid.UUID, page: Query[OffsetPageQuery]
) -> dict[str, Any]:
    """Your own reports in this bond, newest first. Never anyone else's."""
    person = person_of(request)
    bond = selectors.bond_get(id=bond_id, viewer=person)
    rows, next_cursor = page_offset(
        safety_selectors.reports_for(bond=bond, viewer=person), cursor=page.cursor, limit=page.limit
    )
    return {"items": [_report(r, person) for r in rows], "next": next_cursor}


@router.post("/bonds/{bond_id}/reports/{report_id}/confirm", response=ReportOut)
def report_confirm(
    request: HttpRequest, bond_id: uuid.UUID, report_id: uuid.UUID
) -> dict[str, Any]:
    """Confirm a report of deception: the denial was not true. Trust is scarred."""
    person = person_of(request)
    bond = selectors.bond_get(id=bond_id, viewer=person)
    mine = {r.id: r for r in safety_selectors.reports_for(bond=bond, viewer=person)}
    if report_id not in mine:
        raise NotFound()
    report = safety_services.deception_confirm(
        report=mine[report_id], person=person, at=timezone.now()
    )
    return _report(report, person)

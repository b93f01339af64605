"""Bonds, invites, readiness, stepping back and prompts."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Query, Router, Status

from mutual import limits
from mutual.bonds import selectors, services
from mutual.bonds.ledger import state_of

from . import presenters
from .pagination import OffsetPageQuery, Page, PageQuery, page_offset, page_queryset
from .schemas.bonds import (
    BondDetail,
    BondIn,
    BondOut,
    DesireIn,
    InviteOut,
    PromptIn,
    PromptOut,
    ReadyIn,
    Theme,
)
from .schemas.types import SOME_TEXT
from .security import bearer, person_of

router = Router(tags=["bonds"], auth=bearer)


class PromptQuery(OffsetPageQuery):
    depth: int | None = None
    theme: Theme | None = None
    open_only: bool = False


def bond_body(request: HttpRequest, bond_id: uuid.UUID) -> dict[str, Any]:
    """The body of every answer that is a bond: the bond as the caller sees it."""
    person = person_of(request)
    bond = selectors.bond_get(id=bond_id, viewer=person)
    home = selectors.bond_home(bond=bond, viewer=person, at=timezone.now(), history=False)
    return presenters.bond_detail(home, person)


@router.get("/bonds", response=Page[BondOut])
def bond_list(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    """Your bonds, newest first."""
    person = person_of(request)
    rows, next_cursor = page_queryset(
        selectors.bonds_for(viewer=person),
        cursor=page.cursor,
        limit=page.limit,
        time_field="created_at",
    )
    return {"items": [presenters.bond_out(b, person) for b in rows], "next": next_cursor}


@router.post("/bonds", response={201: BondDetail})
def bond_create(request: HttpRequest, body: BondIn) -> Status[dict[str, Any]]:
    """Start a bond; it waits until the person you invite accepts."""
    bond = services.bond_create(creator=person_of(request), kind=body.kind, at=timezone.now())
    return Status(201, bond_body(request, bond.id))


@router.get("/bonds/{bond_id}", response=BondDetail)
def bond_detail(request: HttpRequest, bond_id: uuid.UUID) -> dict[str, Any]:
    """The bond as you see it: open depth, mutual index, breadth, your own trust (yours
    alone), what the gate still needs and what waits for you."""
    return bond_body(request, bond_id)


@router.post("/bonds/{bond_id}/invites", response={201: InviteOut})
def invite_create(request: HttpRequest, bond_id: uuid.UUID) -> Status[dict[str, Any]]:
    """A single-use invite code, valid for seven days."""
    person = person_of(request)
    bond = selectors.bond_get(id=bond_id, viewer=person)
    invite, code = services.invite_create(bond=bond, by=person, at=timezone.now())
    return Status(201, {"code": code, "expires_at": invite.expires_at})


@router.post("/invites/{code}/accept", response=BondDetail)
def invite_accept(
    request: HttpRequest,
    code: str = Path(..., max_length=limits.INVITE_CODE, pattern=SOME_TEXT),
) -> dict[str, Any]:
    """Join the bond of an invite."""
    bond = services.invite_accept(code=code, person=person_of(request), at=timezone.now())
    return bond_body(request, bond.id)


@router.post("/bonds/{bond_id}/ready", response=BondDetail)
def bond_ready(request: HttpRequest, bond_id: uuid.UUID, body: ReadyIn) -> dict[str, Any]:
    """Say whether you are ready to go one depth deeper (both must be)."""
    person = person_of(request)
    bond = selectors.bond_get(id=bond_id, viewer=person)
    services.readiness_set(bond=bond, person=person, ready=body.ready, at=timezone.now())
    return bond_body(request, bond_id)


@router.post("/bonds/{bond_id}/step-back", response=BondDetail)
def bond_step_back(request: HttpRequest, bond_id: uuid.UUID) -> dict[str, Any]:
    """Step the bond back one depth. Either of you may, alone, at any time."""
    person = person_of(request)
    bond = selectors.bond_get(id=bond_id, viewer=person)
    services.bond_step_back(bond=bond, person=person, at=timezone.now())
    return bond_body(request, bond_id)


@router.post("/bonds/{bond_id}/desire", response=BondDetail)
def bond_desire(request: HttpRequest, bond_id: uuid.UUID, body: DesireIn) -> dict[str, Any]:
    """Opt in or out of prompts about desire (partners only; offered when both opt in)."""
    person = person_of(request)
    bond = selectors.bond_get(id=bond_id, viewer=person)
    services.desire_opt_in(bond=bond, person=person, opt_in=body.opt_in, at=timezone.now())
    return bond_body(request, bond_id)


@router.get("/bonds/{bond_id}/prompts", response=Page[PromptOut])
def prompt_list(
    request: HttpRequest, bond_id: uuid.UUID, query: Query[PromptQuery]
) -> dict[str, Any]:
    """Prompts you may pick in this bond, shallow to deep; deeper ones say they are not
    open yet."""
    person = person_of(request)
    bond = selectors.bond_get(id=bond_id, viewer=person)
    open_depth = state_of(bond).open_depth
    prompts = [
        p
        for p in selectors.prompts_available(bond=bond, viewer=person)
        if (query.depth is None or p.depth == query.depth)
        and (query.theme is None or p.theme == query.theme)
        and (not query.open_only or p.depth <= open_depth)
    ]
    rows, next_cursor = page_offset(prompts, cursor=query.cursor, limit=query.limit)
    items = [
        presenters.prompt_out(
            p, open_depth, selectors.prompt_text_for(prompt=p, bond=bond, viewer=person)
        )
        for p in rows
    ]
    return {"items": items, "next": next_cursor}


@router.post("/bonds/{bond_id}/prompts", response={201: PromptOut})
def prompt_create(
    request: HttpRequest, bond_id: uuid.UUID, body: PromptIn
) -> Status[dict[str, Any]]:
    """Write your own prompt for this bond, at a depth that is open."""
    person = person_of(request)
    bond = selectors.bond_get(id=bond_id, viewer=person)
    prompt = services.prompt_write(
        bond=bond,
        by=person,
        text=body.text,
        depth=body.depth,
        theme=body.theme,
        emotional=body.emotional,
        at=timezone.now(),
    )
    text = selectors.prompt_text_for(prompt=prompt, bond=bond, viewer=person)
    return Status(201, presenters.prompt_out(prompt, state_of(bond).open_depth, text))

"""Exchanges, revelations, replies and private ratings."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from mutual.bonds import selectors, services
from mutual.bonds.models import Exchange

from . import presenters
from .pagination import Page, PageQuery, page_queryset
from .schemas.exchanges import ExchangeIn, ExchangeOut, RatingIn, ResponseIn, RevelationIn
from .security import bearer, person_of

router = Router(tags=["exchanges"], auth=bearer)


@router.get("/bonds/{bond_id}/exchanges", response=Page[ExchangeOut])
def exchange_list(
    request: HttpRequest, bond_id: uuid.UUID, page: Query[PageQuery]
) -> dict[str, Any]:
    """The bond's exchanges, newest first, each as you may see it."""
    person = person_of(request)
    bond = selectors.bond_get(id=bond_id, viewer=person)
    rows, next_cursor = page_queryset(
        Exchange.objects.filter(bond=bond)
        .select_related("prompt")
        .prefetch_related(selectors.exchange_revelations()),
        cursor=page.cursor,
        limit=page.limit,
        time_field="opened_at",
    )
    for row in rows:  # one bond, read once, for every item
        row.bond = bond
    return {"items": [presenters.exchange_out(e, person) for e in rows], "next": next_cursor}


@router.post("/bonds/{bond_id}/exchanges", response={201: ExchangeOut})
def exchange_open(
    request: HttpRequest, bond_id: uuid.UUID, body: ExchangeIn
) -> Status[dict[str, Any]]:
    """Open an exchange on a prompt: you both answer; answers stay sealed until both did."""
    person = person_of(request)
    bond = selectors.bond_get(id=bond_id, viewer=person)
    prompt = selectors.prompt_get(id=body.prompt_id, bond=bond, viewer=person)
    exchange = services.exchange_open(bond=bond, by=person, prompt=prompt, at=timezone.now())
    exchange = selectors.exchange_get(id=exchange.id, viewer=person)
    return Status(201, presenters.exchange_out(exchange, person))


@router.get("/exchanges/{exchange_id}", response=ExchangeOut)
def exchange_detail(request: HttpRequest, exchange_id: uuid.UUID) -> dict[str, Any]:
    """One exchange as you may see it: your answer, and theirs once both answered."""
    person = person_of(request)
    return presenters.exchange_out(selectors.exchange_get(id=exchange_id, viewer=person), person)


@router.put("/exchanges/{exchange_id}/revelation", response=ExchangeOut)
def revelation_put(
    request: HttpRequest, exchange_id: uuid.UUID, body: RevelationIn
) -> dict[str, Any]:
    """Write or edit your answer. The second answer reveals both; an edit after the
    reveal is marked with its date."""
    person = person_of(request)
    exchange = selectors.exchange_get(id=exchange_id, viewer=person)
    services.revelation_write(
        exchange=exchange,
        author=person,
        body=body.body,
        emotional=body.emotional,
        at=timezone.now(),
    )
    return presenters.exchange_out(selectors.exchange_get(id=exchange_id, viewer=person), person)


@router.post("/revelations/{revelation_id}/responses", response={201: ExchangeOut})
def response_create(
    request: HttpRequest, revelation_id: uuid.UUID, body: ResponseIn
) -> Status[dict[str, Any]]:
    """Reply to your partner's revealed answer: what you heard, why it makes sense, your
    care."""
    person = person_of(request)
    revelation = selectors.revelation_get(id=revelation_id, viewer=person)
    services.reply_write(
        revelation=revelation,
        author=person,
        heard=body.heard,
        makes_sense=body.makes_sense,
        care=body.care,
        costly=body.costly,
        at=timezone.now(),
    )
    exchange = selectors.exchange_get(id=revelation.exchange_id, viewer=person)
    return Status(201, presenters.exchange_out(exchange, person))


@router.put("/revelations/{revelation_id}/rating", response=ExchangeOut)
def rating_put(request: HttpRequest, revelation_id: uuid.UUID, body: RatingIn) -> dict[str, Any]:
    """Rate, privately, how understood, validated and cared for the reply to your answer
    made you feel (1–7). Final once given; your partner never sees it, only a "thank you"
    if you send one."""
    person = person_of(request)
    revelation = selectors.revelation_get(id=revelation_id, viewer=person)
    services.rating_give(
        revelation=revelation,
        rater=person,
        understood=body.understood,
        validated=body.validated,
        cared=body.cared,
        thanked=body.thanked,
        at=timezone.now(),
    )
    exchange = selectors.exchange_get(id=revelation.exchange_id, viewer=person)
    return presenters.exchange_out(exchange, person)

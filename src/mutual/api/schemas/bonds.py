"""Request and response bodies of bonds, invites, readiness and prompts, and the words
(side, kind, theme) the other features' bodies share."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import StrictBool

from mutual import limits

from .types import SOME_TEXT, Out, Whole

Side = Literal["a", "b"]
Kind = Literal["partners", "friends"]
Theme = Literal["dreams", "hurts", "fears", "joys", "memories", "values", "needs", "desire"]


class PartnerOut(Out):
    name: str


class BondOut(Out):
    id: uuid.UUID
    kind: Kind
    status: Literal["waiting", "active", "paused", "ended"]
    created_at: datetime
    my_side: Side
    partner: PartnerOut | None


class TrustOut(Out):
    """Your own trust in your partner: shown to you alone, never to them."""

    expected: float
    lower: float
    effective: float
    effective_lower: float


class GateOut(Out):
    next_depth: int | None
    can_open: bool
    needs: list[str] = Field(description="What is still needed, in words.")


class WaitingOut(Out):
    kind: Literal["answer", "reply", "rate"]
    exchange_id: uuid.UUID
    prompt: str


class BondDetail(BondOut):
    open_depth: int
    depth_name: str
    mutual_index: int = Field(description="Mutual vulnerability, 0–100.")
    index_change: int | None
    breadth: int
    my_trust: TrustOut
    gate: GateOut
    i_am_ready: bool
    partner_ready: bool
    desire_opt_in: bool
    waiting: list[WaitingOut]
    nudges: bool
    in_safety_mode: bool = Field(description="Yours alone; your partner is never told.")
    reflect: bool = Field(description="A private, gentle note that you share more than you hear.")


class BondIn(Schema):
    kind: Kind


class InviteOut(Schema):
    code: str = Field(description="Give this to the person you invite. Shown once.")
    expires_at: datetime


class ReadyIn(Schema):
    ready: StrictBool = True


class DesireIn(Schema):
    opt_in: StrictBool


class PromptOut(Schema):
    id: uuid.UUID
    text: str
    depth: int
    depth_name: str
    theme: Theme
    emotional: bool
    own: bool = Field(description="Written in this bond, not from the deck.")
    open: bool = Field(description="Its depth is open in this bond now.")


class PromptIn(Schema):
    text: str = Field(min_length=1, max_length=limits.QUESTION, pattern=SOME_TEXT)
    depth: Whole = Field(ge=0, le=4)
    theme: Theme
    emotional: StrictBool = False

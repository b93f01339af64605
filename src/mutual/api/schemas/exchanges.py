"""Request and response bodies of exchanges, revelations, replies and private ratings."""

from __future__ import annotations

import uuid
from datetime import datetime

from ninja import Field, Schema
from pydantic import StrictBool

from mutual import limits

from .bonds import Side, Theme
from .types import SOME_TEXT, Out, Whole


class ExchangeIn(Schema):
    prompt_id: uuid.UUID


class ResponseOut(Out):
    id: uuid.UUID
    heard: str
    makes_sense: str
    care: str
    costly: bool = Field(
        description="Your own note that replying took effort: always false on a reply to you."
    )
    mine: bool
    created_at: datetime
    thanked: bool


class RatingOut(Out):
    """Your private rating of the reply to your answer. Never shown to your partner."""

    understood: int
    validated: int
    cared: int
    thanked: bool
    created_at: datetime


class AnswerOut(Out):
    side: Side
    mine: bool
    name: str
    answered: bool
    revelation_id: uuid.UUID | None
    text: str | None = Field(description="Null while sealed, withdrawn or hidden.")
    withdrawn_at: datetime | None
    edited_at: datetime | None
    response: ResponseOut | None
    rating: RatingOut | None
    can_reply: bool
    can_rate: bool


class ExchangePromptOut(Out):
    id: uuid.UUID
    text: str
    depth: int
    theme: Theme


class ExchangeOut(Out):
    id: uuid.UUID
    bond_id: uuid.UUID
    prompt: ExchangePromptOut
    opened_at: datetime
    revealed_at: datetime | None
    sealed: bool
    mine: AnswerOut
    theirs: AnswerOut


class RevelationIn(Schema):
    body: str = Field(min_length=1, max_length=limits.ANSWER, pattern=SOME_TEXT)
    emotional: StrictBool = False


class ResponseIn(Schema):
    heard: str = Field(
        min_length=1, max_length=limits.REPLY_PART, pattern=SOME_TEXT, description="What you heard."
    )
    makes_sense: str = Field(
        default="",
        max_length=limits.REPLY_PART,
        description=(
            "Why it makes sense. Optional for questions at depth 0 and 1; required, with more "
            "than spaces, deeper."
        ),
    )
    care: str = Field(
        min_length=1, max_length=limits.REPLY_PART, pattern=SOME_TEXT, description="Your care."
    )
    costly: StrictBool = Field(
        default=False,
        description="Replying kindly took effort. Shown to no one but the responder.",
    )


class RatingIn(Schema):
    understood: Whole = Field(ge=1, le=7)
    validated: Whole = Field(ge=1, le=7)
    cared: Whole = Field(ge=1, le=7)
    thanked: StrictBool = False

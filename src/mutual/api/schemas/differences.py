"""Request and response bodies of differences."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import StrictBool, StrictInt

from mutual import limits


class DifferenceIn(Schema):
    topic: str = Field(min_length=1, max_length=limits.TOPIC)


class TextIn(Schema):
    body: str = Field(min_length=1, max_length=limits.PERSPECTIVE)


class RestatementIn(TextIn):
    costly: StrictBool = False


class UnderstoodIn(Schema):
    score: StrictInt = Field(ge=1, le=7, description="How understood you felt, 1–7. Private.")


class OutcomeIn(Schema):
    outcome: Literal["understood", "agreed", "differ", "revisit"]
    revisit_on: date | None = None


class DifferenceSummaryOut(Schema):
    id: uuid.UUID
    topic: str
    raised_by_me: bool
    raised_by_name: str
    created_at: datetime
    outcome: str
    outcome_label: str
    revisit_on: date | None
    due: bool
    rounds: int


class DifferenceRoundOut(Schema):
    number: int
    opened_at: datetime
    closed_at: datetime | None
    step: str
    my_perspective: str | None
    my_restatement: str | None
    my_restatement_costly: bool
    my_rating: int | None
    their_perspective: str | None
    their_restatement: str | None
    partner_wrote: bool
    partner_restated: bool
    partner_rated: bool


class DifferenceOut(DifferenceSummaryOut):
    partner_name: str
    active: bool
    can_revisit: bool
    round_list: list[DifferenceRoundOut]

"""Request and response bodies of differences."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import StrictBool

from mutual import limits

from .types import SOME_TEXT, Whole


class DifferenceIn(Schema):
    topic: str = Field(min_length=1, max_length=limits.TOPIC, pattern=SOME_TEXT)


class TextIn(Schema):
    body: str = Field(min_length=1, max_length=limits.PERSPECTIVE, pattern=SOME_TEXT)


class RestatementIn(TextIn):
    costly: StrictBool = False


class UnderstoodIn(Schema):
    score: Whole = Field(ge=1, le=7, description="How understood you felt, 1–7. Private.")


class OutcomeIn(Schema):
    outcome: Literal["understood", "agreed", "differ", "revisit"]
    revisit_in_days: Whole = Field(
        default=7,
        ge=1,
        le=3650,
        description="With `revisit`: in how many days to come back to it (a week unless "
        "given). Ignored with the other outcomes.",
    )


class ProposalOut(Schema):
    outcome: str = Field(description="What one of the two proposed came of the round.")
    outcome_label: str
    revisit_on: date | None
    by_me: bool = Field(
        description="You proposed it and wait for the other; otherwise it waits for your word."
    )


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
    proposal: ProposalOut | None = Field(
        description="What came of the current round as one proposed it, until the other "
        "confirms it (then it is the outcome) or proposes something else."
    )


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

"""Bodies of safety actions, check-ins, differences and insights."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import StrictBool, StrictInt

from mutual import limits

from .schemas_bonds import Side

Feeling = Literal[
    "excited", "joyful", "happy", "content", "grateful", "relaxed", "calm", "sleepy",
    "tired", "bored", "sad", "lonely", "hurt", "anxious", "angry", "alert",
]  # fmt: skip


class BreachIn(Schema):
    kind: Literal["confidence", "deception", "weaponization"] = Field(
        description="confidence: what you shared was used against you; deception: you were "
        "deceived about it; weaponization: you are threatened, shamed or coerced."
    )
    note: str = Field(default="", max_length=limits.REPORT_NOTE)


class ReportIn(BreachIn):
    revelation_id: uuid.UUID | None = None


class ReportOut(Schema):
    """Your private report. Your partner is never told, not even by inference."""

    id: uuid.UUID
    kind: str
    revelation_id: uuid.UUID | None
    note: str | None
    created_at: datetime
    confirmed_at: datetime | None


class CheckInIn(Schema):
    feeling: Feeling
    intensity: StrictInt = Field(ge=1, le=3)
    guess_feeling: Feeling = Field(description="How you think your partner feels.")
    guess_intensity: StrictInt = Field(ge=1, le=3)
    note: str = Field(default="", max_length=limits.CHECKIN_NOTE)


class CheckInOut(Schema):
    side: Side
    name: str
    mine: bool
    feeling: str
    intensity: int
    guess_feeling: str
    guess_intensity: int
    note: str
    closeness: str | None = Field(description="How close this guess was, in words.")
    created_at: datetime


class RoundOut(Schema):
    id: uuid.UUID
    opened_at: datetime
    revealed_at: datetime | None
    mine: CheckInOut | None
    theirs: CheckInOut | None = Field(description="Null until you both checked in.")
    partner_checked_in: bool
    ask_about_it: bool


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


class DayOut(Schema):
    day: date
    mutual_index: float
    open_depth: int
    breadth: int
    my_trust: float = Field(description="Your own trust in your partner; yours alone.")


class DatedValueOut(Schema):
    day: date
    value: float


class CellOut(Schema):
    depth: int
    theme: str


class OnionOut(Schema):
    day: date
    open_depth: int
    breadth: int
    cells: list[CellOut] = Field(description="Depth and theme cells honored both ways.")


class WeekOut(Schema):
    week: date
    raised: int
    revisited: int


class InsightsOut(Schema):
    partner_name: str
    themes: list[str] = Field(description="The onion's sectors for this bond.")
    days: list[DayOut]
    attunement_mine: list[DatedValueOut] = Field(description="How well you read your partner.")
    attunement_theirs: list[DatedValueOut] = Field(description="How well they read you.")
    onion: list[OnionOut]
    differences: list[WeekOut]

"""Request and response bodies of check-ins."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from mutual import limits

from .bonds import Side
from .types import Whole

#: The feelings of the wheel (``mutual.checkins.wheel``), and two older ones still read.
Feeling = Literal[
    "happy", "joyful", "excited", "playful", "proud", "hopeful", "relieved", "loving",
    "grateful", "tender", "close", "cared_for", "trusting", "calm", "content", "relaxed",
    "safe", "settled", "tired", "drained", "bored", "numb", "flat", "sad", "lonely", "hurt",
    "disappointed", "discouraged", "heartbroken", "ashamed", "guilty", "embarrassed",
    "not_good_enough", "regretful", "self_conscious", "scared", "anxious", "worried", "nervous",
    "overwhelmed", "insecure", "angry", "frustrated", "irritated", "resentful", "jealous",
    "sleepy", "alert",
]  # fmt: skip


class CheckInIn(Schema):
    feeling: Feeling
    intensity: Whole = Field(ge=1, le=3)
    guess_feeling: Feeling = Field(description="How you think your partner feels.")
    guess_intensity: Whole = Field(ge=1, le=3)
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

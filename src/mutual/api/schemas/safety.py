"""Request and response bodies of private reports."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from mutual import limits


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

"""Request and response bodies of private reports."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from mutual import limits


class BreachIn(Schema):
    kind: Literal["confidence", "deception", "weaponization"] = Field(
        description="confidence: what you shared was used against you; deception: you were "
        "deceived about it; weaponization: you are threatened, shamed or coerced."
    )
    note: str = Field(default="", max_length=limits.REPORT_NOTE)


class ReportIn(BreachIn):
    # A breach of confidence names the answer that was used against you.
    model_config = ConfigDict(
        json_schema_extra={
            "if": {"properties": {"kind": {"const": "confidence"}}, "required": ["kind"]},
            "then": {
                "required": ["revelation_id"],
                "properties": {"revelation_id": {"type": "string", "format": "uuid"}},
            },
        }
    )

    revelation_id: uuid.UUID | None = Field(
        default=None, description="Required with `confidence`: your answer that was used."
    )


class ReportOut(Schema):
    """Your private report. Your partner is never told, not even by inference."""

    id: uuid.UUID
    kind: str
    revelation_id: uuid.UUID | None
    note: str | None
    created_at: datetime
    confirmed_at: datetime | None

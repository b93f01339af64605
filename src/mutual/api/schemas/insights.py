"""The response body of a bond's insights."""

from __future__ import annotations

from datetime import date

from ninja import Field, Schema


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

"""Request and response bodies of sign-up, tokens and the person's own account."""

from __future__ import annotations

import uuid
from datetime import datetime

from ninja import Field, Schema

from .types import EMAIL


class SignupIn(Schema):
    email: str = Field(min_length=3, max_length=254, pattern=EMAIL, examples=["alice@example.org"])
    password: str = Field(
        min_length=12,
        max_length=1024,
        description="At least 12 characters. Also refused: one of the 20,000 most common "
        "passwords, or one too like the address.",
    )


class SignupOut(Schema):
    email: str
    detail: str


class TokenIn(Schema):
    email: str = Field(min_length=1, max_length=254)
    password: str = Field(min_length=1, max_length=1024)
    totp: str | None = Field(
        default=None, max_length=20, description="The current code, when the person has TOTP."
    )
    label: str = Field(default="API token", min_length=1, max_length=80)


class TokenOut(Schema):
    id: uuid.UUID
    label: str
    prefix: str = Field(description="The token's first characters, to tell tokens apart.")
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenOut):
    token: str = Field(description="The secret. Shown once; only its hash is stored.")


class PersonOut(Schema):
    id: uuid.UUID
    email: str
    display_name: str
    date_joined: datetime
    idle_lock_minutes: int
    time_zone: str = Field(
        description="The person's time zone (IANA name): their today, their hours.",
        examples=["Europe/Berlin"],
    )

"""Request and response bodies of sign-up, tokens and the person's own account."""

from __future__ import annotations

import uuid
from datetime import datetime

from ninja import Field, Schema

from .types import EMAIL

B64 = "^[A-Za-z0-9_-]*$"


class KeysIn(Schema):
    """A key pair made on the client (docs/e2e.md): unpadded URL-safe base64."""

    salt: str = Field(max_length=200, pattern=B64, description="16 bytes.")
    opslimit: int = Field(description="Argon2id passes; at least the server's floor.")
    memlimit: int = Field(description="Argon2id memory in bytes; at least the server's floor.")
    public: str = Field(max_length=200, pattern=B64, description="The X25519 public key.")
    wrapped_by_password: str = Field(max_length=200, pattern=B64)
    wrapped_by_recovery: str = Field(max_length=200, pattern=B64)


class SignupIn(Schema):
    email: str = Field(min_length=3, max_length=254, pattern=EMAIL, examples=["alice@example.org"])
    password: str = Field(
        min_length=12,
        max_length=1024,
        description="With ``keys``: the sign-in secret derived from the password (the "
        "client checks the password's rules: at least 12 characters, not a common one). "
        "Without: the password itself, at least 12 characters, not one of the 20,000 most "
        "common, nor one too like the address.",
    )
    keys: KeysIn | None = Field(
        default=None, description="The key pair made on the client (docs/e2e.md)."
    )


class SaltIn(Schema):
    email: str = Field(min_length=1, max_length=254)


class SaltOut(Schema):
    version: int
    salt: str = Field(description="16 bytes, unpadded URL-safe base64.")
    opslimit: int
    memlimit: int
    legacy: str | None = Field(
        default=None,
        description="'move': an account made before keys; send the password once more "
        "with keys made from this salt. 'password': send the password as it is.",
    )


class KeysOut(Schema):
    version: int
    public: str
    wrapped_by_password: str
    salt: str
    opslimit: int
    memlimit: int


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

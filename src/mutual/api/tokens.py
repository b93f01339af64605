"""Bearer tokens: issued against email and password (and a TOTP code when the person has
one), stored as SHA-256 hashes, revocable, with the time each was last used.

A token reads ``mut_`` followed by 43 random URL-safe characters; its first twelve
characters are kept in clear as a prefix so a person can tell their tokens apart.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext

from mutual.accounts.backends import SIGN_IN_REFUSED
from mutual.accounts.models import ApiToken, Person
from mutual.web.joined import Part, Read

from .problems import ApiProblem

TOKEN_PREFIX = "mut_"  # noqa: S105 - a public marker, not a secret
PREFIX_LENGTH = 12
#: A token this young counts as a fresh sign-in for sensitive actions (export, delete,
#: leave): the person proved their password (and TOTP) a moment ago.
FRESH_FOR = timedelta(minutes=5)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def token_issue(*, person: Person, label: str, at: datetime) -> tuple[ApiToken, str]:
    """A new token for ``person``: the stored row and the secret, shown once."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        person=person,
        label=label,
        token_hash=token_hash(raw),
        prefix=raw[:PREFIX_LENGTH],
        created_at=at,
    )
    return token, raw


#: A live (not revoked) token by its hash, with its person (``web.joined``).
_LIVE_TOKEN = Read(
    Part(ApiToken, "t"), Part(Person, "p", "t", "person"), by="token_hash", null=["revoked_at"]
)


def token_find(raw: str) -> ApiToken | None:
    """The live token whose secret is ``raw``, or ``None``."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    row = _LIVE_TOKEN.one(token_hash(raw))
    token: ApiToken | None = row["t"] if row else None
    if token is None or not token.person.is_active:
        return None
    return token


def token_touch(*, token: ApiToken, at: datetime) -> None:
    """Remember when the token was last used (to the minute, to spare the database)."""
    if token.last_used_at is None or at - token.last_used_at >= timedelta(minutes=1):
        token.last_used_at = at
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=at)


def token_revoke(*, token: ApiToken, at: datetime) -> None:
    if token.revoked_at is None:
        token.revoked_at = at
        token.save(update_fields=["revoked_at"])


def check_credentials(
    request: HttpRequest, *, email: str, password: str, totp: str | None
) -> Person:
    """The person with these credentials; a 401 problem otherwise — the same one for a
    wrong password, an unknown address and an account not confirmed yet.

    When the person has TOTP, a valid, unused code is required too (allauth validates it
    and rejects a code used before).
    """
    person = authenticate(request, email=email.strip().lower(), password=password)
    if not isinstance(person, Person) or not person.is_active:
        raise ApiProblem(401, str(SIGN_IN_REFUSED))
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    authenticator = Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).first()
    if authenticator is not None:
        if not totp:
            raise ApiProblem(
                401,
                gettext(
                    "This account uses two-factor authentication: send the current code "
                    "from the authenticator app as 'totp'."
                ),
                slug="totp-required",
            )
        if not TOTP(authenticator).validate_code(totp.strip()):
            raise ApiProblem(401, gettext("The two-factor code is not right or was already used."))
        authenticator.record_usage()
    return person


def fresh_for() -> timedelta:
    return getattr(settings, "MUTUAL_API_FRESH_FOR", FRESH_FOR)


def require_fresh(token: ApiToken, *, at: datetime) -> None:
    """Sensitive actions need a token created in the last few minutes."""
    if at - token.created_at > fresh_for():
        minutes = int(fresh_for().total_seconds() // 60)
        raise ApiProblem(
            403,
            gettext(
                "This needs a fresh sign-in: create a new token with POST /api/v1/auth/tokens "
                "and use it within %(minutes)d minutes."
            )
            % {"minutes": minutes},
            slug="fresh-sign-in-required",
        )

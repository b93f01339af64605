"""Every way out closes every way in (SECURITY.md 26).

A partner who once knew the password may have made an API token with it, or kept a
browser signed in. Whatever the person does to get them out — change the password, reset
it, sign out everywhere, turn two-step sign-in on or off — must end all of that at once,
through every way in: the web (allauth's signals, our own views), the command line
(``mutual manage changepassword``, through :meth:`Person.save`) and the API. It is one
function so that no way out can forget a way in.

Trusted-device marks are treated apart, because a mark opens nothing: it only gives its
browser a sign-in limit of its own (``accounts.adapter``). A way out taken from a signed-in
browser ends the marks of every other browser and keeps its own; a password reset, which
comes from a mailed link and often at the very moment a partner is guessing, keeps them
all (docs/security.md, "What a sign-out clears and keeps").
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest

from . import sessions
from .models import ApiToken, Person

#: The ways out, as the security log names them.
WAYS = frozenset(
    {
        "password_changed",
        "password_set",
        "password_reset",
        "signed_out_everywhere",
        "totp_turned_on",
        "totp_turned_off",
    }
)


def token_revoke(
    *, person: Person, token_id: Any, at: datetime, request: HttpRequest | None
) -> ApiToken | None:
    """Revoke one live token of ``person`` (from the privacy page); ``None`` when they
    have no such token — another person's is never touched."""
    token = ApiToken.objects.filter(person=person, pk=token_id, revoked_at__isnull=True).first()
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=at)
    sessions.record_event(
        request,
        person,
        "api_token_revoked",
        at=at,
        detail={"label": token.label, "prefix": token.prefix},
    )
    return token


def tokens_revoke_all(*, person: Person, at: datetime, request: HttpRequest | None) -> int:
    """Revoke every live API token of ``person``; the log says how many."""
    count = ApiToken.objects.filter(person=person, revoked_at__isnull=True).update(revoked_at=at)
    if count:
        sessions.record_event(request, person, "api_tokens_revoked", at=at, detail={"count": count})
    return count


def close_every_way_in(
    *,
    person: Person,
    why: str,
    at: datetime,
    request: HttpRequest | None = None,
    keep_this_browser: bool = False,
) -> None:
    """End every API token and every browser session of ``person``.

    ``keep_this_browser`` keeps the session of ``request`` (a password change or a change
    of two-step sign-in: the person stays signed in where they made it). ``why`` is one
    of :data:`WAYS`; every way out but a reset also ends the trusted-device marks of the
    other browsers.
    """
    if why not in WAYS:
        raise ValueError(f"not a way out: {why!r}")
    tokens_revoke_all(person=person, at=at, request=request)
    sessions.sessions_revoke_all(
        person=person, at=at, request=request, keep_current=keep_this_browser
    )
    if why != "password_reset":
        sessions.trust_end(person=person, at=at, request=request)

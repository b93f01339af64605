"""Bearer authentication with a per-token rate limit, shared by every feature's routes."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from mutual.accounts.models import ApiToken, Person

from . import ratelimit
from .tokens import token_find, token_touch


class BearerToken(HttpBearer):
    """``Authorization: Bearer mut_…``; ``request.auth`` becomes the person."""

    def authenticate(self, request: HttpRequest, token: str) -> Person | None:
        found = token_find(token.strip())
        if found is None:
            return None
        at = timezone.now()
        ratelimit.hit(f"token:{found.pk}", rate=ratelimit.token_rate(), at=at)
        token_touch(token=found, at=at)
        request.api_token = found  # type: ignore[attr-defined]
        return found.person


#: The one authenticator of every operation that needs a token.
bearer = BearerToken()
#: Operations that need a token created in the last few minutes document a 403.
FRESH = {"x-errors": ["403"]}


def person_of(request: HttpRequest) -> Person:
    person: Any = request.auth  # type: ignore[attr-defined]
    assert isinstance(person, Person)
    return person


def token_of(request: HttpRequest) -> ApiToken:
    token: Any = request.api_token  # type: ignore[attr-defined]
    assert isinstance(token, ApiToken)
    return token

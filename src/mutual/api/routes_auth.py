"""Sign-up, tokens and the person's own account: ``/auth/…`` and ``/me``."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from mutual.accounts import sessions
from mutual.accounts.models import ApiToken, Person

from . import ratelimit
from .pagination import DEFAULT_LIMIT, Page, page_queryset
from .problems import ApiProblem
from .schemas_auth import PersonOut, SignupIn, SignupOut, TokenCreated, TokenIn, TokenOut
from .security import BearerToken, person_of, token_of
from .tokens import check_credentials, require_fresh, token_issue, token_revoke

router = Router(tags=["account"])
bearer = BearerToken()
#: Operations that need a token created in the last few minutes document a 403.
FRESH = {"x-errors": ["403"]}


class PageQuery(Schema):
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


def _address(request: HttpRequest) -> str:
    """The client's address as allauth sees it (its trusted-proxy settings apply)."""
    from allauth.account.adapter import get_adapter
    from django.core.exceptions import PermissionDenied

    try:
        return str(get_adapter(request).get_client_ip(request))
    except PermissionDenied:
        return str(request.META.get("REMOTE_ADDR") or "unknown")


def _throttle_anonymous(request: HttpRequest, email: str) -> None:
    at = timezone.now()
    ratelimit.hit(f"address:{_address(request)}", rate=ratelimit.auth_rate(), at=at)
    ratelimit.hit(f"email:{email.strip().lower()[:100]}", rate=ratelimit.auth_rate(), at=at)


@router.post("/auth/signup", response={201: SignupOut}, auth=None)
def signup(request: HttpRequest, body: SignupIn) -> Status[dict[str, str]]:
    """Create an account. For an address that already has one, the answer is the same
    and nothing changes (no one learns who has an account)."""
    _throttle_anonymous(request, body.email)
    email = body.email.strip().lower()
    try:
        validate_email(email)
    except DjangoValidationError as exc:
        raise ApiProblem(422, "This is not a valid email address.") from exc
    candidate = Person(email=email)
    try:
        validate_password(body.password, user=candidate)
    except DjangoValidationError as exc:
        raise ApiProblem(422, " ".join(exc.messages)) from exc
    if not Person.objects.filter(email=email).exists():
        from allauth.account.models import EmailAddress

        try:
            with transaction.atomic():
                person = Person.objects.create_user(email, body.password)
                EmailAddress.objects.create(user=person, email=email, primary=True)
        except IntegrityError:
            pass  # created a moment ago by another request: the same answer
    return Status(
        201,
        {
            "email": email,
            "detail": "Account ready. Create a token with POST /api/v1/auth/tokens.",
        },
    )


@router.post("/auth/tokens", response={201: TokenCreated}, auth=None)
def token_create(request: HttpRequest, body: TokenIn) -> Status[dict[str, Any]]:
    """Create a bearer token with email and password (and ``totp`` when the person has
    two-factor authentication). The secret is in the answer once."""
    at = timezone.now()
    ratelimit.hit(f"address:{_address(request)}", rate=ratelimit.auth_rate(), at=at)
    # Per account only failures count: the person's own sign-ins never use the window up,
    # and someone guessing locks it for one window at most, never for good.
    account = f"failed:{body.email.strip().lower()[:100]}"
    ratelimit.check(account, rate=ratelimit.auth_rate(), at=at)
    try:
        person = check_credentials(
            request, email=body.email, password=body.password, totp=body.totp
        )
    except ApiProblem:
        ratelimit.hit(account, rate=ratelimit.auth_rate(), at=at)
        raise
    token, raw = token_issue(person=person, label=body.label.strip() or "API token", at=at)
    sessions.record_event(
        request,
        person,
        "api_token_created",
        at=at,
        detail={"label": token.label, "prefix": token.prefix},
    )
    return Status(201, {**_token(token), "token": raw})


def _token(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.id,
        "label": token.label,
        "prefix": token.prefix,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
        "revoked_at": token.revoked_at,
    }


@router.get("/auth/tokens", response=Page[TokenOut], auth=bearer)
def token_list(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    """The person's tokens, newest first, with when each was last used."""
    rows, next_cursor = page_queryset(
        ApiToken.objects.filter(person=person_of(request)),
        cursor=page.cursor,
        limit=page.limit,
        time_field="created_at",
    )
    return {"items": [_token(t) for t in rows], "next": next_cursor}


@router.delete("/auth/tokens/{token_id}", response={204: None}, auth=bearer)
def token_delete(request: HttpRequest, token_id: uuid.UUID) -> Status[None]:
    """Revoke one of the person's tokens (it is refused from the next request on)."""
    token = ApiToken.objects.filter(person=person_of(request), pk=token_id).first()
    if token is None:
        raise ApiProblem(404, "Not found.")
    at = timezone.now()
    token_revoke(token=token, at=at)
    sessions.record_event(
        request,
        token.person,
        "api_token_revoked",
        at=at,
        detail={"label": token.label, "prefix": token.prefix},
    )
    return Status(204, None)


@router.get("/me", response=PersonOut, auth=bearer)
def me(request: HttpRequest) -> Person:
    """The person's own account."""
    return person_of(request)


@router.get("/me/export", response=dict[str, Any], auth=bearer, openapi_extra=FRESH)
def me_export(request: HttpRequest) -> dict[str, Any]:
    """Everything the person authored and the replies they received (never the partner's
    revelations). Needs a token created in the last few minutes."""
    at = timezone.now()
    require_fresh(token_of(request), at=at)
    from mutual.accounts.services import account_export

    return account_export(person=person_of(request), at=at)


@router.delete("/me", response={204: None}, auth=bearer, openapi_extra=FRESH)
def me_delete(request: HttpRequest) -> Status[None]:
    """Delete the account and destroy its key: what the person wrote can never be read
    again. Needs a token created in the last few minutes."""
    at = timezone.now()
    require_fresh(token_of(request), at=at)
    from mutual.accounts.services import account_delete

    account_delete(person=person_of(request), at=at)
    return Status(204, None)

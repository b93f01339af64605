"""Sign-up, tokens and the person's own account: ``/auth/…`` and ``/me``."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from ninja import Query, Router, Status

from mutual.accounts import keys, sessions
from mutual.accounts.models import ApiToken, Person
from mutual.accounts.services import account_signup
from mutual.web.client import client_address
from mutual.yourdata.services import account_delete, account_export

from . import ratelimit
from .pagination import Page, PageQuery, page_queryset
from .problems import ApiProblem
from .schemas.auth import (
    KeysOut,
    PersonOut,
    SaltIn,
    SaltOut,
    SignupIn,
    SignupOut,
    TokenCreated,
    TokenIn,
    TokenOut,
)
from .security import FRESH, bearer, person_of, token_of
from .tokens import check_credentials, require_fresh, token_issue, token_revoke

router = Router(tags=["account"])


def _address(request: HttpRequest) -> str:
    """The client's address behind our trusted proxies (``mutual.web.client``)."""
    return client_address(request) or "unknown"


def _throttle_anonymous(request: HttpRequest, email: str) -> None:
    at = timezone.now()
    ratelimit.hit(f"address:{_address(request)}", rate=ratelimit.auth_rate(), at=at)
    ratelimit.hit(f"email:{email.strip().lower()[:100]}", rate=ratelimit.auth_rate(), at=at)


#: The one answer to a sign-up, whether or not the address has an account already.
SIGNED_UP = gettext_lazy(
    "Check your email: follow the link we sent to confirm the address, then create a "
    "token with POST /api/v1/auth/tokens."
)


@router.post("/auth/signup", response={201: SignupOut}, auth=None)
def signup(request: HttpRequest, body: SignupIn) -> Status[dict[str, str]]:
    """Sign up: a new account whose address is confirmed by the link we mail to it.

    For an address that already has an account, the answer is the same, after the same
    work (the password is hashed, one mail is sent): nothing changes, and its owner gets a
    short note that someone tried. No one learns who has an account."""
    _throttle_anonymous(request, body.email)
    email = body.email.strip().lower()
    try:
        validate_email(email)
    except DjangoValidationError as exc:
        raise ApiProblem(422, gettext("This is not a valid email address.")) from exc
    given = None
    try:
        if body.keys is not None:
            given = keys.keys_from(
                {
                    "e2e_salt": body.keys.salt,
                    "e2e_opslimit": body.keys.opslimit,
                    "e2e_memlimit": body.keys.memlimit,
                    "e2e_public": body.keys.public,
                    "e2e_wrapped_password": body.keys.wrapped_by_password,
                    "e2e_wrapped_recovery": body.keys.wrapped_by_recovery,
                }
            ).need(*keys.ALL)
            keys.check_secret(body.password)
        else:
            validate_password(body.password, user=Person(email=email))
    except keys.KeysRefused as exc:
        raise ApiProblem(422, str(exc)) from exc
    except DjangoValidationError as exc:
        raise ApiProblem(422, " ".join(exc.messages)) from exc
    account_signup(request=request, email=email, password=body.password, given=given)
    return Status(201, {"email": email, "detail": str(SIGNED_UP)})


@router.post("/auth/salt", response=SaltOut, auth=None)
def salt(request: HttpRequest, body: SaltIn) -> dict[str, Any]:
    """The salt and Argon2id limits a client derives the sign-in secret with (docs/e2e.md):
    the same shape for every address, with an account or not. The secret, sent as
    ``password`` to ``/auth/tokens``, is the only thing derived from the password that
    reaches the server. Limited per client address and per email address alike for
    every address (the lookups of an address in a count of their own, not with its
    sign-ups, so that a sign-up leaves no trace in them); a client that carries the
    account's trusted-device mark is not counted per email address, so that nobody can
    keep its owner out by asking."""
    at = timezone.now()
    email = body.email.strip().lower()[:100]
    ratelimit.hit(f"address:{_address(request)}", rate=ratelimit.auth_rate(), at=at)
    if not _failures_counted_in(request, email)[1]:
        ratelimit.hit(f"salt:{email}", rate=ratelimit.auth_rate(), at=at)
    return keys.salt_for(body.email)


@router.get("/me/keys", response=KeysOut, auth=bearer)
def my_keys(request: HttpRequest) -> dict[str, Any]:
    """The person's public key and their private key wrapped by the password's key, for the
    client to unwrap on its side."""
    kept = keys.the_keys_of(person_of(request))
    if kept is None:
        raise ApiProblem(
            404, gettext("This account has no keys yet: sign in once on the web to make them.")
        )
    return keys.public_view(kept)


def _failures_counted_in(request: HttpRequest, email: str) -> tuple[str, bool]:
    """Where this request's failed attempts are counted, and whether it is trusted.

    Per account, normally: only failures count, so the person's own sign-ins never use
    the window up and someone guessing locks it for one window at most. A client that
    carries the account's trusted-device mark — given when it signed in on the web or got
    a token here before — counts its failures in a limit of its own instead, so a partner
    failing again and again with the person's address, even from the same home network,
    cannot keep the person's own browser or script out. The mark opens nothing: the
    password (and the code) are checked all the same.
    """
    account = f"failed:{email}"
    marked = sessions.marked_person_id(request)
    person = Person.objects.filter(pk=marked, email=email).first() if marked else None
    device = sessions.trusted_device_of(request, person) if person is not None else None
    return (f"failed-trusted:{device}", True) if device else (account, False)


@router.post("/auth/tokens", response={201: TokenCreated}, auth=None)
def token_create(
    request: HttpRequest, body: TokenIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    """Create a bearer token with email and password (and ``totp`` when the person has
    two-factor authentication). The secret is in the answer once. The answer also sets
    a trusted-device cookie: a client that keeps it has a failure limit of its own."""
    at = timezone.now()
    failures, trusted = _failures_counted_in(request, body.email.strip().lower()[:100])
    if not trusted:
        ratelimit.hit(f"address:{_address(request)}", rate=ratelimit.auth_rate(), at=at)
    ratelimit.check(failures, rate=ratelimit.auth_rate(), at=at)
    try:
        person = check_credentials(
            request, email=body.email, password=body.password, totp=body.totp
        )
    except ApiProblem:
        ratelimit.hit(failures, rate=ratelimit.auth_rate(), at=at)
        raise
    token, raw = token_issue(person=person, label=body.label.strip() or "API token", at=at)
    sessions.trust_device(response=response, person=person, device_id=token.pk, at=at)
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
        raise ApiProblem(404, gettext("Not found."))
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
    return account_export(person=person_of(request), at=at)


@router.delete("/me", response={204: None}, auth=bearer, openapi_extra=FRESH)
def me_delete(request: HttpRequest) -> Status[None]:
    """Delete the account and destroy its key: what the person wrote can never be read
    again. Needs a token created in the last few minutes."""
    at = timezone.now()
    require_fresh(token_of(request), at=at)
    account_delete(person=person_of(request), at=at)
    return Status(204, None)

"""Device sessions, the trusted-device mark and the security log.

Only hashes of session keys are stored, here and in the session table itself (see
``mutual.accounts.session_store``). Revoking a device session deletes its session, so
its cookie finds no session on the next request and the browser is simply signed out.
A session must also carry the mark :func:`device_start` writes into it at sign-in, so a
session that never registered its device is refused (``PersonMiddleware``)
without a query per request.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.core import signing
from django.http import HttpRequest, HttpResponseBase

from mutual.web.client import client_address
from mutual.web.security import mark_signed_out

from .models import DeviceSession, Person, SecurityEvent
from .session_store import DEVICE_MARK, SessionStore, hash_key

TRUSTED_SALT = "mutual.accounts.trusted-device"
TRUSTED_MAX_AGE = timedelta(days=180)
#: Written into a session at sign-in: the hash of the key its device was registered under.


def trusted_cookie_name() -> str:
    return "__Host-mutual_device" if settings.PRODUCTION else "mutual_device"


def _hash(session_key: str) -> str:
    return hash_key(session_key)


def _agent(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    return str(request.META.get("HTTP_USER_AGENT", ""))[:300]


def _address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return client_address(request)


def record_event(
    request: HttpRequest | None,
    person: Person,
    kind: str,
    *,
    at: datetime,
    detail: dict[str, Any] | None = None,
) -> SecurityEvent:
    """Add a line to ``person``'s own security log."""
    return SecurityEvent.objects.create(
        person=person,
        kind=kind,
        at=at,
        ip_address=_address(request),
        user_agent=_agent(request),
        detail=detail or {},
    )


def device_for(session_key: str) -> DeviceSession | None:
    return DeviceSession.objects.filter(session_key_hash=_hash(session_key)).first()


def device_start(*, request: HttpRequest, person: Person, at: datetime) -> DeviceSession:
    """Register the session that ``request`` just signed in with."""
    key = request.session.session_key
    if not key:
        request.session.save()
        key = request.session.session_key
    assert key is not None
    device, _ = DeviceSession.objects.update_or_create(
        session_key_hash=_hash(key),
        defaults={
            "person": person,
            "created_at": at,
            "last_seen_at": at,
            "user_agent": _agent(request),
            "revoked_at": None,
        },
    )
    request.session[DEVICE_MARK] = device.session_key_hash
    return device


def is_registered(request: HttpRequest) -> bool:
    """Whether the request's session signed in through :func:`device_start`.

    The mark is the hash of the key the device was registered under: a session whose key
    changed since (``cycle_key``) or that never registered carries no matching mark.
    Revoked sessions need no check here: revoking deletes the session itself.
    """
    key = request.session.session_key
    return bool(key) and request.session.get(DEVICE_MARK) == _hash(key or "")


def device_seen(session_key: str, *, at: datetime) -> None:
    """Write "last seen" of the device behind ``session_key``: one UPDATE, no read."""
    DeviceSession.objects.filter(session_key_hash=_hash(session_key)).update(last_seen_at=at)


def device_end(session_key: str, *, at: datetime) -> None:
    """Mark the device behind ``session_key`` signed out (its session ends with it)."""
    DeviceSession.objects.filter(
        session_key_hash=_hash(session_key), revoked_at__isnull=True
    ).update(revoked_at=at)


def _end_sessions(request: HttpRequest | None, digests: list[str]) -> None:
    """Delete the sessions stored under ``digests``.

    When the request's own session is among them it is signed out properly, so that
    the response does not try to save a session that no longer exists.
    """
    own = request.session.session_key if request is not None else None
    if request is not None and own and _hash(own) in digests:
        logout(request)
        mark_signed_out(request)
    SessionStore.delete_hashed(digests)


def sessions_for(*, person: Person) -> list[DeviceSession]:
    """The person's signed-in browsers, newest first."""
    return list(
        DeviceSession.objects.filter(person=person, revoked_at__isnull=True).order_by(
            "-last_seen_at"
        )
    )


def is_current(device: DeviceSession, request: HttpRequest) -> bool:
    key = request.session.session_key
    return bool(key) and device.session_key_hash == _hash(key or "")


def session_revoke(
    *, person: Person, device_id: Any, at: datetime, request: HttpRequest | None = None
) -> bool:
    """End one of ``person``'s sessions. Another person's session is never touched."""
    query = DeviceSession.objects.filter(person=person, pk=device_id, revoked_at__isnull=True)
    digests = list(query.values_list("session_key_hash", flat=True))
    changed = query.filter(session_key_hash__in=digests).update(revoked_at=at)
    _end_sessions(request, digests)
    if changed:
        record_event(request, person, "session_revoked", at=at)
    return bool(changed)


def sessions_revoke_all(
    *, person: Person, at: datetime, request: HttpRequest | None = None, keep_current: bool = False
) -> int:
    """End every session of ``person`` (but the current one, when asked). The ways out
    call it through :func:`mutual.accounts.ways_out.close_every_way_in`, which ends the
    API tokens and the trusted marks too."""
    query = DeviceSession.objects.filter(person=person, revoked_at__isnull=True)
    if keep_current and request is not None and request.session.session_key:
        query = query.exclude(session_key_hash=_hash(request.session.session_key))
    # Only the devices read here are marked revoked, so that each of them, and no other,
    # loses its session below (a browser signing in meanwhile keeps its own).
    digests = list(query.values_list("session_key_hash", flat=True))
    changed = query.filter(session_key_hash__in=digests).update(revoked_at=at)
    _end_sessions(request, digests)
    record_event(request, person, "sessions_revoked", at=at, detail={"count": changed})
    return changed


#: The security-log line after which marks given before it no longer count.
TRUST_ENDED = "trust_ended"


def trust_device(
    *, response: HttpResponseBase, person: Person, device_id: Any, at: datetime
) -> None:
    """Mark this browser (or API client) as one ``person`` signed in with: failed
    sign-ins from it are counted in a limit of its own, so that someone guessing from
    elsewhere — or from the same home network — cannot lock it out. A mark opens nothing
    by itself. It carries when it was given: :func:`trust_end` ends the marks given
    before."""
    value = signing.dumps(
        {"p": str(person.pk), "d": str(device_id), "t": at.timestamp()}, salt=TRUSTED_SALT
    )
    response.set_cookie(
        trusted_cookie_name(),
        value,
        max_age=int(TRUSTED_MAX_AGE.total_seconds()),
        secure=settings.PRODUCTION,
        httponly=True,
        samesite="Lax",
        path="/",
    )


def _mark(request: HttpRequest) -> dict[str, Any] | None:
    """The signed content of the request's mark, whoever it is for."""
    raw = request.COOKIES.get(trusted_cookie_name())
    if not raw:
        return None
    try:
        value = signing.loads(raw, salt=TRUSTED_SALT, max_age=int(TRUSTED_MAX_AGE.total_seconds()))
    except signing.BadSignature:
        return None
    if not isinstance(value, dict):
        return None
    issued = value.get("t")
    if not value.get("d") or not isinstance(issued, (int, float)) or isinstance(issued, bool):
        return None
    return value


def marked_person_id(request: HttpRequest) -> str | None:
    """Whose mark the request carries, read from the signed cookie alone (no query)."""
    value = _mark(request)
    return str(value["p"]) if value is not None else None


def trusted_device_of(request: HttpRequest, person: Person) -> str | None:
    """The trusted-device id the request carries for ``person``, if any.

    A mark counts unless a :func:`trust_end` came after it that did not keep it."""
    value = _mark(request)
    if value is None or value.get("p") != str(person.pk):
        return None
    device = str(value["d"])
    since = SecurityEvent.objects.filter(
        person=person, kind=TRUST_ENDED, at__gt=datetime.fromtimestamp(value["t"], tz=UTC)
    ).values_list("detail", flat=True)
    ended = any(detail.get("kept") != device for detail in since)
    return None if ended else device


def trust_end(*, person: Person, at: datetime, request: HttpRequest | None = None) -> None:
    """Every mark given to ``person``'s browsers and clients before ``at`` stops counting,
    except the one ``request`` carries: the browser taking a way out proved the password
    a moment ago (re-authentication), so it keeps its own limit while a phone that was
    taken loses its own."""
    kept = trusted_device_of(request, person) if request is not None else None
    record_event(request, person, TRUST_ENDED, at=at, detail={"kept": kept} if kept else {})

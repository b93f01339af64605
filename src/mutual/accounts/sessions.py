"""Device sessions, the trusted-device mark and the security log.

Only hashes of session keys are stored. A session revoked from the session list is
refused on its next request by ``mutual.config.security.DeviceSessionMiddleware``.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponseBase

from .models import DeviceSession, Person, SecurityEvent

TRUSTED_SALT = "mutual.accounts.trusted-device"
TRUSTED_MAX_AGE = timedelta(days=180)


def trusted_cookie_name() -> str:
    return "__Host-mutual_device" if settings.PRODUCTION else "mutual_device"


def _hash(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()


def _agent(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    return str(request.META.get("HTTP_USER_AGENT", ""))[:300]


def _address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


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
    return device


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
    changed = DeviceSession.objects.filter(
        person=person, pk=device_id, revoked_at__isnull=True
    ).update(revoked_at=at)
    if changed:
        record_event(request, person, "session_revoked", at=at)
    return bool(changed)


def sessions_revoke_all(
    *, person: Person, at: datetime, request: HttpRequest | None = None, keep_current: bool = False
) -> int:
    """End every session of ``person`` (but the current one, when asked)."""
    query = DeviceSession.objects.filter(person=person, revoked_at__isnull=True)
    if keep_current and request is not None and request.session.session_key:
        query = query.exclude(session_key_hash=_hash(request.session.session_key))
    changed = query.update(revoked_at=at)
    record_event(request, person, "sessions_revoked", at=at, detail={"count": changed})
    return changed


def trust_device(*, response: HttpResponseBase, person: Person, device: DeviceSession) -> None:
    """Mark this browser as ``person``'s trusted device (its own sign-in limit)."""
    value = signing.dumps({"p": str(person.pk), "d": str(device.pk)}, salt=TRUSTED_SALT)
    response.set_cookie(
        trusted_cookie_name(),
        value,
        max_age=int(TRUSTED_MAX_AGE.total_seconds()),
        secure=settings.PRODUCTION,
        httponly=True,
        samesite="Lax",
        path="/",
    )


def trusted_device_of(request: HttpRequest, person: Person) -> str | None:
    """The trusted-device id the request carries for ``person``, if any."""
    raw = request.COOKIES.get(trusted_cookie_name())
    if not raw:
        return None
    try:
        value = signing.loads(raw, salt=TRUSTED_SALT, max_age=int(TRUSTED_MAX_AGE.total_seconds()))
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or value.get("p") != str(person.pk):
        return None
    device = value.get("d")
    return str(device) if device else None

"""Writes: each person's choices, the notices that something waits, push subscriptions
and unsubscribing. Keyword-only arguments, the time passed in as ``at``."""

from __future__ import annotations

import ipaddress
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from mutual.bonds import selectors as bond_selectors
from mutual.bonds.errors import Invalid
from mutual.bonds.models import Bond
from mutual.bonds.signals import KINDS

from . import hours
from .models import Notice, Preferences, PushSubscription
from .selectors import choice_of, hours_of, preferences_of


def _hour(value: Any, what: str) -> int:
    try:
        number = int(str(value))
    except ValueError:
        number = -1
    if not 0 <= number <= 23:
        raise Invalid(_("Choose an hour for %(what)s from the list.") % {"what": what})
    return number


def preferences_set(
    *,
    person: Any,
    choices: dict[str, Any],
    digest_hour: Any,
    quiet_from: Any,
    quiet_until: Any,
    by_mail: bool,
    by_push: bool,
) -> Preferences:
    """Save the person's choices; anything out of range is refused and nothing changes."""
    cleaned: dict[str, str] = {}
    for kind in KINDS:
        value = str(choices.get(kind, hours.NOW))
        if value not in hours.CHOICES:
            raise Invalid(_("Choose at once, in a daily digest, or never for each kind."))
        cleaned[kind] = value
    prefs = preferences_of(person)
    prefs.choices = cleaned
    prefs.digest_hour = _hour(digest_hour, _("the digest"))
    prefs.quiet_from = _hour(quiet_from, _("the start of quiet hours"))
    prefs.quiet_until = _hour(quiet_until, _("the end of quiet hours"))
    prefs.by_mail, prefs.by_push = bool(by_mail), bool(by_push)
    prefs.save()
    return prefs


def mail_stop(*, person: Any) -> None:
    """Stop every notification mail (the unsubscribe link); push and choices stay."""
    prefs = preferences_of(person)
    prefs.by_mail = False
    prefs.save()


__all__ = ["choice_of", "hours_of", "preferences_of"]


def may_tell(*, bond: Bond, person: Any) -> bool:
    """Whether anything may be said to ``person`` about ``bond`` now: never while the
    bond is paused or over, never to someone no longer in it, never in safety mode."""
    if person is None or bond.status != Bond.Status.ACTIVE:
        return False
    if not bond_selectors.is_member(bond=bond, person=person):
        return False
    return not bond_selectors.in_safety_mode(bond=bond, viewer=person)


def notice_record(
    *,
    bond: Bond,
    side: str,
    kind: str,
    key: str,
    at: datetime,
    not_before: datetime | None = None,
) -> Notice | None:
    """Note that something of ``kind`` waits for ``side`` of ``bond``, in the caller's
    transaction. The same ``key`` twice is one notice; nothing is noted for someone who
    may not be told or turned this kind off."""
    person = bond_selectors.person_on(bond=bond, side=side)
    if person is None or not may_tell(bond=bond, person=person):
        return None
    if choice_of(preferences_of(person), kind) == hours.NEVER:
        return None
    if Notice.objects.filter(key=key).exists():
        return None
    try:
        with transaction.atomic():
            return Notice.objects.create(
                person=person,
                bond=bond,
                kind=kind,
                key=key,
                created_at=at,
                not_before=not_before,
            )
    except IntegrityError:
        return None


def _push_endpoint_ok(endpoint: str) -> bool:
    """A push service's address: https to a named host. Never an address literal or
    ``localhost``, so that no one can point the worker at the server's own network
    (``MUTUAL_PUSH_LOOPBACK``, for tests alone, lets a stand-in on 127.0.0.1 through)."""
    try:
        parts = urlsplit(endpoint)
        host = parts.hostname or ""
        parts.port  # noqa: B018  (a port that is not a number raises here)
    except ValueError:
        return False
    if getattr(settings, "MUTUAL_PUSH_LOOPBACK", False) and parts.scheme == "http":
        return host == "127.0.0.1"
    if parts.scheme != "https" or not host or host == "localhost" or "." not in host:
        return False
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return True
    return False


def push_subscribe(*, person: Any, endpoint: str, p256dh: str, auth: str, at: datetime) -> None:
    """Remember a browser's push subscription; an address that is no push service's, or
    keys that are missing, are refused and nothing changes."""
    endpoint, p256dh, auth = (str(v).strip() for v in (endpoint, p256dh, auth))
    unusable = Invalid(_("This browser did not give a usable push address."))
    if len(endpoint) > 1000 or not _push_endpoint_ok(endpoint):
        raise unusable
    if not p256dh or not auth or len(p256dh) > 200 or len(auth) > 100:
        raise unusable
    PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={"person": person, "p256dh": p256dh, "auth": auth, "created_at": at},
    )


def push_unsubscribe(*, person: Any) -> int:
    deleted, _kinds = PushSubscription.objects.filter(person=person).delete()
    return deleted

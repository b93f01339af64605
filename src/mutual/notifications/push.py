"""Web Push with VAPID (RFC 8030, 8291, 8292): the same fixed words as the mail.

Keys come from the settings (``MUTUAL_VAPID_PRIVATE_KEY``, ``MUTUAL_VAPID_PUBLIC_KEY``,
``MUTUAL_VAPID_SUBJECT``; docs/configuration.md); without them Mutual offers no push.
The payload is encrypted for the browser (``aes128gcm``) by pywebpush; the push service
sees only ciphertext, and even the decrypted text says nothing but that something waits.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings

from . import messages
from .models import PushSubscription

log = logging.getLogger("mutual.notifications")

#: How long a push service keeps a message for a device that is offline (seconds).
TTL = 12 * 60 * 60


def enabled() -> bool:
    return bool(settings.MUTUAL_VAPID_PRIVATE_KEY and settings.MUTUAL_VAPID_PUBLIC_KEY)


def reachable(*, person: Any) -> bool:
    """Whether a push could reach the person: keys set and a device that asked."""
    return enabled() and PushSubscription.objects.filter(person=person).exists()


def send_all(*, person: Any) -> bool:
    """Push to each of the person's devices; ``True`` when at least one took it. A device
    the push service no longer knows (404, 410) is forgotten."""
    if not enabled():
        return False
    from pywebpush import WebPushException, webpush

    took = False
    for sub in PushSubscription.objects.filter(person=person):
        try:
            webpush(
                subscription_info={
                    "endpoint": sub.endpoint,
                    "keys": {"p256dh": sub.p256dh, "auth": sub.auth},
                },
                data=messages.push_payload(),
                vapid_private_key=settings.MUTUAL_VAPID_PRIVATE_KEY,
                vapid_claims={"sub": settings.MUTUAL_VAPID_SUBJECT},
                content_encoding="aes128gcm",
                ttl=TTL,
                timeout=10,
            )
            took = True
        except WebPushException as exc:
            status = getattr(exc.response, "status_code", None)
            if status in (404, 410):
                sub.delete()
            log.warning("a push was refused (%s)", status)
        except OSError as exc:
            log.warning("a push failed (%s)", type(exc).__name__)
    return took

"""The only things Mutual ever says in a notification, and the unsubscribe link.

Subject, body and push text are the same fixed words for every event: never the question,
an answer, the partner's name or the bond's kind, so that a lock screen or a shared inbox
gives nothing away. The one link is ``/waiting/``, which names nothing: once signed in,
it leads straight to the one thing that waits (or to the bond where things wait).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils.translation import gettext as _

UNSUBSCRIBE_SALT = "mutual.notifications.unsubscribe"


def base_url() -> str:
    return str(settings.MUTUAL_BASE_URL).rstrip("/")


def subject() -> str:
    return _("Something is waiting for you in Mutual")


def open_url() -> str:
    return base_url() + reverse("notifications:waiting")


def unsubscribe_token(person: Any) -> str:
    """The person's id, signed with the secret key: the same link in every mail, which
    keeps working without sign-in and cannot be made for anyone else."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(uuid.UUID(str(person.pk)).hex)


def unsubscribe_person_id(token: str) -> str | None:
    """The id of the person a token was made for, or ``None`` for a forged one."""
    try:
        return str(uuid.UUID(signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)))
    except (signing.BadSignature, ValueError):
        return None


def unsubscribe_url(person: Any) -> str:
    return base_url() + reverse("notifications:unsubscribe", args=[unsubscribe_token(person)])


def mail_for(person: Any) -> EmailMessage:
    """The one mail: fixed words, one link, and a one-click unsubscribe (RFC 8058)."""
    stop = unsubscribe_url(person)
    body = "\n\n".join(
        [
            _("Something is waiting for you in Mutual."),
            open_url(),
            _("To stop these mails, open this link: %(url)s") % {"url": stop},
        ]
    )
    return EmailMessage(
        subject=subject(),
        body=body + "\n",
        to=[person.email],
        headers={
            "List-Unsubscribe": f"<{stop}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )


def push_payload() -> bytes:
    """What a push carries: the same fixed words and the address to open."""
    return json.dumps(
        {"title": "Mutual", "body": subject(), "url": reverse("notifications:waiting")},
        separators=(",", ":"),
    ).encode()

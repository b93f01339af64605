"""Hears what the features say waits (``mutual.bonds.signals``) and notes it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.dispatch import receiver

from mutual.bonds.models import Bond
from mutual.bonds.signals import something_waits

from . import services


@receiver(something_waits, dispatch_uid="mutual.notifications.note")
def note(
    sender: Any, *, bond: Bond, side: str, kind: str, key: str, at: datetime, **_: Any
) -> None:
    services.notice_record(bond=bond, side=side, kind=kind, key=key, at=at)

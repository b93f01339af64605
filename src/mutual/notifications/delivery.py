"""Telling people: run by the worker (``mutual.tasks``) with the time passed in.

:func:`deliver` gathers, for each person, the notices whose moment has come (at once
outside quiet hours, or in the daily digest at their hour, on their clock), claims them
for one :class:`~.models.Delivery` and sends it: one contentless mail, and the same
words as a push to each of their devices. A notice is claimed once, so one event is told
at most once. A mail that failed with an error is tried again later (a few times, further
apart each time); a send interrupted halfway is never repeated. Nothing is told about a
paused or ended bond, or to a person in safety mode: such notices are dropped.
"""

from __future__ import annotations

import logging
import smtplib
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation

from mutual.accounts.models import Person

from . import hours, messages, push, services
from .models import Delivery, Notice

log = logging.getLogger("mutual.notifications")

#: How many times a mail is tried, and how long after the first failure it is tried again
#: (doubled each time).
MAX_ATTEMPTS = 5
RETRY_AFTER = timedelta(minutes=5)


def _require_time(at: datetime) -> None:
    if at.tzinfo is None:
        raise ValueError("at must be timezone-aware")


def deliver(*, at: datetime) -> int:
    """Send every delivery due at ``at``; returns how many were sent (mail or push)."""
    _require_time(at)
    sent = 0
    pending = (
        Notice.objects.filter(delivery__isnull=True, dropped_at__isnull=True, created_at__lte=at)
        .select_related("bond", "person")
        .order_by("created_at", "id")
    )
    by_person: dict[Any, list[Notice]] = defaultdict(list)
    for notice in pending:
        by_person[notice.person_id].append(notice)
    for notices in by_person.values():
        delivery = _claim(notices, at)
        if delivery is not None and _send(delivery, at):
            sent += 1
    retries = Delivery.objects.filter(
        sent_at__isnull=True,
        failed_at__isnull=True,
        sending_at__isnull=True,
        attempts__gt=0,
        next_try_at__lte=at,
    )
    for delivery in retries:
        if _send(delivery, at):
            sent += 1
    return sent


def _claim(notices: list[Notice], at: datetime) -> Delivery | None:
    person = notices[0].person
    prefs = services.preferences_of(person)
    person_hours = services.hours_of(prefs)
    ready: list[Notice] = []
    dropped: list[Any] = []
    # No way left to tell them (mail off, and no device to push to): nothing is kept.
    reachable = prefs.by_mail or (prefs.by_push and push.reachable(person=person))
    for notice in notices:
        choice = services.choice_of(prefs, notice.kind)
        if (
            not reachable
            or choice == hours.NEVER
            or not services.may_tell(bond=notice.bond, person=person)
        ):
            dropped.append(notice.pk)
            continue
        since = max(notice.created_at, notice.not_before or notice.created_at)
        if hours.ready(choice=choice, since=since, at=at, person=person, hours=person_hours):
            ready.append(notice)
    if dropped:
        Notice.objects.filter(pk__in=dropped, delivery__isnull=True).update(dropped_at=at)
    if not ready:
        return None
    digest = any(services.choice_of(prefs, n.kind) == hours.DIGEST for n in ready)
    try:
        with transaction.atomic():
            delivery = Delivery.objects.create(
                person=person, key=f"notice:{ready[0].pk}", digest=digest, created_at=at
            )
            claimed = Notice.objects.filter(
                pk__in=[n.pk for n in ready], delivery__isnull=True, dropped_at__isnull=True
            ).update(delivery=delivery)
            if claimed == 0:
                delivery.delete()
                return None
    except IntegrityError:  # another worker claimed them first
        return None
    return delivery


def _send(delivery: Delivery, at: datetime) -> bool:
    """Send one delivery; ``True`` when something went out."""
    # Only one worker sends a delivery: the one whose mark is written.
    marked = Delivery.objects.filter(
        pk=delivery.pk, sent_at__isnull=True, sending_at__isnull=True, failed_at__isnull=True
    ).update(sending_at=at)
    if not marked:
        return False
    person = Person.objects.get(pk=delivery.person_id)
    prefs = services.preferences_of(person)
    still = Notice.objects.filter(delivery=delivery).select_related("bond")
    if not any(services.may_tell(bond=n.bond, person=person) for n in still):
        Delivery.objects.filter(pk=delivery.pk).update(failed_at=at, last_error="not allowed")
        return False
    went = False
    # In the language the person chose, as their pages are; else Mutual's own.
    chosen = person.language if person.language in dict(settings.LANGUAGES) else ""
    with translation.override(chosen or settings.LANGUAGE_CODE):
        if prefs.by_push and delivery.pushed_at is None and push.send_all(person=person):
            Delivery.objects.filter(pk=delivery.pk).update(pushed_at=at)
            went = True
        if not prefs.by_mail:
            Delivery.objects.filter(pk=delivery.pk).update(sent_at=at)
            return went
        try:
            messages.mail_for(person).send(fail_silently=False)
        except (smtplib.SMTPException, OSError) as exc:
            attempts = delivery.attempts + 1
            failed = attempts >= MAX_ATTEMPTS
            Delivery.objects.filter(pk=delivery.pk).update(
                attempts=attempts,
                sending_at=None,
                next_try_at=at + RETRY_AFTER * 2 ** (attempts - 1),
                failed_at=at if failed else None,
                last_error=type(exc).__name__,
            )
            log.warning("a notification mail failed (%s), attempt %d", type(exc).__name__, attempts)
            return went
    Delivery.objects.filter(pk=delivery.pk).update(sent_at=at, attempts=delivery.attempts + 1)
    return True

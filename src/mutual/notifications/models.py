"""What each person wants to hear, what waits to be said, and what was sent.

Nothing here holds a text people wrote, a question, a partner's name or a bond's kind:
a notice knows only whom it is for, which bond, what kind of thing waits and when.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

PERSON = settings.AUTH_USER_MODEL


class Preferences(models.Model):
    """One person's choices. A person without a row has the defaults below."""

    person = models.OneToOneField(
        PERSON, on_delete=models.CASCADE, primary_key=True, related_name="notification_preferences"
    )
    #: ``{kind: "now" | "digest" | "never"}``; a kind not named here is "now".
    choices = models.JSONField(default=dict, blank=True)
    #: The hour of the daily digest, on the person's own clock (0–23).
    digest_hour = models.PositiveSmallIntegerField(default=19)
    #: Quiet hours, on the person's own clock: nothing is sent from ``quiet_from`` until
    #: ``quiet_until`` (they may wrap past midnight; equal means no quiet hours).
    quiet_from = models.PositiveSmallIntegerField(default=22)
    quiet_until = models.PositiveSmallIntegerField(default=8)
    by_mail = models.BooleanField(default=True)
    by_push = models.BooleanField(default=True)

    def __str__(self) -> str:
        return "notification preferences"


class Delivery(models.Model):
    """One message (a mail, and a push to each device) covering one or more notices.

    ``key`` is unique: the key of the first notice it covers, and a notice is claimed by
    one delivery at most, so one event is told at most once. A delivery is retried only
    after a send that failed with an error; one interrupted mid-send is never resent."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200, unique=True)
    digest = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    next_try_at = models.DateTimeField(null=True, blank=True)
    sending_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    pushed_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    #: The type of the last error (never its message, which may quote an address).
    last_error = models.CharField(max_length=80, blank=True)

    class Meta:
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["sent_at", "failed_at", "next_try_at"]),
        ]

    def __str__(self) -> str:
        return "delivery"


class Notice(models.Model):
    """Something waits for a person: told at once, in their digest, or never."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="+")
    bond = models.ForeignKey("bonds.Bond", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    #: Names the event: the same event recorded twice is one notice.
    key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField()
    #: Not told before this moment (a rhythm's question waits for the person's hour).
    not_before = models.DateTimeField(null=True, blank=True)
    delivery = models.ForeignKey(
        Delivery, null=True, blank=True, on_delete=models.SET_NULL, related_name="notices"
    )
    #: Set when it will never be told: turned off, safety mode, a paused or ended bond.
    dropped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes: ClassVar[list[models.Index]] = [
            models.Index(
                fields=["created_at"],
                name="notice_pending",
                condition=models.Q(delivery__isnull=True, dropped_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} notice"


class PushSubscription(models.Model):
    """A browser that asked for pushes (Web Push: its endpoint and keys)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="+")
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return "push subscription"


class Rhythm(models.Model):
    """A bond's rhythm: a question every few days, or on one weekday, at an hour each
    person keeps on their own clock."""

    class Every(models.TextChoices):
        DAYS = "days", _("every few days")
        WEEKDAY = "weekday", _("one day a week")

    bond = models.OneToOneField(
        "bonds.Bond", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    every = models.CharField(max_length=10, choices=Every.choices)
    #: For ``days``: how many days apart (1–14).
    days = models.PositiveSmallIntegerField(default=2)
    #: For ``weekday``: 0 Monday … 6 Sunday.
    weekday = models.PositiveSmallIntegerField(default=6)
    #: The hour, on each person's own clock, when the question is suggested (0–23).
    hour = models.PositiveSmallIntegerField(default=19)
    set_by = models.ForeignKey(PERSON, on_delete=models.SET_NULL, null=True, related_name="+")
    set_at = models.DateTimeField()
    #: When the last question was suggested.
    last_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return "rhythm"


class RhythmQuestion(models.Model):
    """A question the rhythm suggested: one exchange, at most one reminder each."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    bond = models.ForeignKey("bonds.Bond", on_delete=models.CASCADE, related_name="+")
    exchange = models.OneToOneField("bonds.Exchange", on_delete=models.CASCADE, related_name="+")
    suggested_at = models.DateTimeField()
    reminded_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return "rhythm question"

"""Check-in rounds and the check-ins in them. The tables keep the names they had when
check-ins lived in ``bonds`` (``bonds_checkinround``, ``bonds_checkin``): moving the
code moved no data."""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from mutual.bonds.models import PERSON, SIDE_CHOICES, Bond, new_id


class CheckInRound(models.Model):
    """A check-in: each names a feeling and guesses the partner's; sealed until both."""

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    bond = models.ForeignKey(Bond, on_delete=models.CASCADE, related_name="checkin_rounds")
    opened_at = models.DateTimeField()
    revealed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "bonds_checkinround"
        ordering: ClassVar[list[str]] = ["-opened_at"]

    def __str__(self) -> str:
        return f"check-in {self.opened_at:%Y-%m-%d}"


class CheckIn(models.Model):
    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    round = models.ForeignKey(CheckInRound, on_delete=models.CASCADE, related_name="checkins")
    author = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="+")
    side = models.CharField(max_length=1, choices=SIDE_CHOICES)
    feeling = models.CharField(max_length=20)
    intensity = models.PositiveSmallIntegerField()
    guess_feeling = models.CharField(max_length=20)
    guess_intensity = models.PositiveSmallIntegerField()
    note_enc = models.BinaryField(null=True, blank=True)
    accuracy = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        db_table = "bonds_checkin"
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["round", "side"], name="one_checkin_per_side"),
        ]

    def __str__(self) -> str:
        return f"check-in by {self.side}"

    @property
    def note_aad(self) -> str:
        return f"checkin:{self.id}:note"

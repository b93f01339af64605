"""Differences, their rounds and the perspectives in them. The tables keep the names they
had when differences lived in ``bonds``: moving the code moved no data."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy

from mutual.bonds.models import PERSON, SIDE_CHOICES, Bond, new_id


class Difference(models.Model):
    """A topic on which the two differ, worked through in rounds and revisited."""

    class Outcome(models.TextChoices):
        OPEN = "open", gettext_lazy("Still talking")
        UNDERSTOOD = "understood", gettext_lazy("We understand each other")
        AGREED = "agreed", gettext_lazy("We agreed")
        AGREE_TO_DIFFER = "differ", gettext_lazy("We agree to differ")
        REVISIT = "revisit", gettext_lazy("We will revisit it")

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    bond = models.ForeignKey(Bond, on_delete=models.CASCADE, related_name="differences")
    raised_by = models.CharField(max_length=1, choices=SIDE_CHOICES)
    topic_enc = models.BinaryField()
    topic_author = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="+")
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.OPEN)
    revisit_on = models.DateField(null=True, blank=True)
    #: What one of the two proposed came of the current round, and when to come back to
    #: it: it stands once the other confirms it (blank while nothing is proposed).
    proposed_outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    proposed_revisit_on = models.DateField(null=True, blank=True)
    proposed_by = models.CharField(max_length=1, choices=SIDE_CHOICES, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        db_table = "bonds_difference"
        ordering: ClassVar[list[str]] = ["-created_at"]

    def __str__(self) -> str:
        return f"difference {self.id}"

    @property
    def topic_aad(self) -> str:
        return f"difference:{self.id}:topic"


class DifferenceRound(models.Model):
    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    difference = models.ForeignKey(Difference, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "bonds_differenceround"
        ordering: ClassVar[list[str]] = ["number"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["difference", "number"], name="one_round_number"),
        ]

    def __str__(self) -> str:
        return f"round {self.number}"


class Perspective(models.Model):
    """One person's view in a round (sealed until both wrote), the restatement of the
    other's view, and how understood they felt by the partner's restatement."""

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    round = models.ForeignKey(DifferenceRound, on_delete=models.CASCADE, related_name="views")
    author = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="+")
    side = models.CharField(max_length=1, choices=SIDE_CHOICES)
    body_enc = models.BinaryField()
    restatement_enc = models.BinaryField(null=True, blank=True)
    #: Restating took effort against one's own interest.
    restatement_costly = models.BooleanField(default=False)
    #: 1–7: how understood this author felt by the partner's restatement. Private.
    felt_understood = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        db_table = "bonds_perspective"
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["round", "side"], name="one_view_per_side"),
        ]

    def __str__(self) -> str:
        return f"perspective {self.id}"

    @property
    def body_aad(self) -> str:
        return f"perspective:{self.id}:body"

    @property
    def restatement_aad(self) -> str:
        return f"perspective:{self.id}:restatement"

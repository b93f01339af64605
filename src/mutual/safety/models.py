"""Private reports. The table keeps the name it had when reports lived in ``bonds``
(``bonds_breachreport``): moving the code moved no data."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy

from mutual.bonds.models import PERSON, SIDE_CHOICES, Bond, Revelation, new_id


class BreachReport(models.Model):
    """A private report that a revelation was used against its author. Never shown to
    the partner, not even by inference."""

    class Kind(models.TextChoices):
        CONFIDENCE = "confidence", gettext_lazy("What I shared was used against me")
        DECEPTION = "deception", gettext_lazy("I was deceived about it")
        WEAPONIZATION = "weaponization", gettext_lazy("I am being threatened, shamed or coerced")

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    bond = models.ForeignKey(Bond, on_delete=models.CASCADE, related_name="+")
    reporter = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="+")
    side = models.CharField(max_length=1, choices=SIDE_CHOICES)
    revelation = models.ForeignKey(
        Revelation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=15, choices=Kind.choices)
    note_enc = models.BinaryField(null=True, blank=True)
    created_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "bonds_breachreport"

    def __str__(self) -> str:
        return f"report {self.id}"

    @property
    def note_aad(self) -> str:
        return f"breach:{self.id}:note"

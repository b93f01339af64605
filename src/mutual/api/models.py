"""The API's own tables: the rate-limit counters (see :mod:`mutual.api.ratelimit`)."""

from __future__ import annotations

from django.db import models


class RateCounter(models.Model):
    """Requests counted for one rate-limit key in its current fixed window.

    One row per key and window length, reused window after window: an upsert counts a
    request and starts the count again at 1 when a new window begins."""

    #: sha256 (hex) of the window length and the limit key (``token:<id>``,
    #: ``address:<ip>``…): no address or email is stored as such.
    key = models.CharField(primary_key=True, max_length=64)
    #: The window counted: ``int(timestamp // seconds)``.
    window = models.BigIntegerField()
    #: Requests counted in that window, including those refused.
    count = models.PositiveIntegerField()
    #: When that window ends; the cleanup job deletes counters long past it.
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key[:12]}… {self.count} in window {self.window}"

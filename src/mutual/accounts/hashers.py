"""Password hashing: Argon2id with parameters that never fall below the floor of
SECURITY.md (m = 19 MiB, t = 2, p = 1)."""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher

#: The floor every stored hash must reach (memory in KiB).
FLOOR = {"memory_cost": 19 * 1024, "time_cost": 2, "parallelism": 1}


class MutualArgon2Hasher(Argon2PasswordHasher):
    """Argon2id at 19 MiB, two passes, one lane (the OWASP baseline): strong enough, and
    cheap enough that two sign-ins at once do not starve a small server."""

    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1

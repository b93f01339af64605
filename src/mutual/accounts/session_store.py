"""The session engine: Django's database sessions, with only a digest of the key stored.

``SESSION_ENGINE = "mutual.accounts.session_store"``. The cookie carries the session key
as usual; every row of :class:`~mutual.accounts.models.HashedSession` is keyed by
``sha256(key)`` instead, the same digest a device session keeps. Whoever reads the
table (a backup, a stolen dump) learns no key that would open a session, and ending a
device session is deleting the row with its digest (``mutual.accounts.sessions``).

Every place where Django's database backend meets the table through ``session_key``
goes through :func:`hash_key` here: loading, ``exists`` (new keys are checked against
digests), building the row to save, and deleting. ``clear_expired`` filters on the
expiry date only, so Django's own works unchanged (``mutual manage clearsessions``).
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone


def hash_key(session_key: str) -> str:
    """The digest under which a session key is stored (64 hex characters)."""
    return hashlib.sha256(session_key.encode()).hexdigest()


def _suspicious(error: Exception) -> None:
    if isinstance(error, SuspiciousOperation):
        logging.getLogger(f"django.security.{error.__class__.__name__}").warning(str(error))


class SessionStore(DatabaseSessionStore):
    """Database sessions whose rows are keyed by the digest of the session key."""

    @classmethod
    def get_model_class(cls) -> Any:
        # Imported late, as Django does, so that the engine loads before the models.
        from .models import HashedSession

        return HashedSession

    def _get_session_from_db(self) -> Any:
        if self.session_key is None:
            return None
        try:
            return self.model.objects.get(
                session_key=hash_key(self.session_key), expire_date__gt=timezone.now()
            )
        except (self.model.DoesNotExist, SuspiciousOperation) as error:
            _suspicious(error)
            self._session_key = None
            return None

    async def _aget_session_from_db(self) -> Any:
        if self.session_key is None:
            return None
        try:
            return await self.model.objects.aget(
                session_key=hash_key(self.session_key), expire_date__gt=timezone.now()
            )
        except (self.model.DoesNotExist, SuspiciousOperation) as error:
            _suspicious(error)
            self._session_key = None
            return None

    def exists(self, session_key: str) -> bool:
        return bool(self.model.objects.filter(session_key=hash_key(session_key)).exists())

    async def aexists(self, session_key: str) -> bool:
        return bool(await self.model.objects.filter(session_key=hash_key(session_key)).aexists())

    def create_model_instance(self, data: dict[str, Any]) -> Any:
        return self.model(
            session_key=hash_key(self._get_or_create_session_key()),  # type: ignore[attr-defined]
            session_data=self.encode(data),
            expire_date=self.get_expiry_date(),
        )

    async def acreate_model_instance(self, data: dict[str, Any]) -> Any:
        return self.model(
            session_key=hash_key(await self._aget_or_create_session_key()),  # type: ignore[attr-defined]
            session_data=self.encode(data),
            expire_date=await self.aget_expiry_date(),
        )

    def delete(self, session_key: str | None = None) -> None:
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        self.model.objects.filter(session_key=hash_key(session_key)).delete()

    async def adelete(self, session_key: str | None = None) -> None:
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        await self.model.objects.filter(session_key=hash_key(session_key)).adelete()

    def cycle_key(self) -> None:
        """A new key for the same session (a password change does this): the browser's
        entry in the session list, and the mark its session carries, follow the key, so
        the person stays signed in on this browser."""
        from .models import DeviceSession
        from .sessions import DEVICE_MARK

        old = self.session_key
        super().cycle_key()
        new = self.session_key
        if not old or not new or old == new:
            return
        moved = DeviceSession.objects.filter(
            session_key_hash=hash_key(old), revoked_at__isnull=True
        ).update(session_key_hash=hash_key(new))
        if moved and self.get(DEVICE_MARK) == hash_key(old):
            self[DEVICE_MARK] = hash_key(new)

    @classmethod
    def delete_hashed(cls, digests: list[str]) -> int:
        """End the sessions stored under ``digests`` (revocation from the session list)."""
        if not digests:
            return 0
        deleted, _ = cls.get_model_class().objects.filter(session_key__in=digests).delete()
        return int(deleted)

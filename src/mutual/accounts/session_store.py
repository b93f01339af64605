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

**One query for the session and its person.** Every signed-in request reads its session
(a revoked one must be refused on its next request) and then its person. Each row names
the person its data signed in (written with the row, from the data), so loading reads
both at once (:func:`read_session`, a join prepared once per process rather than built
by the ORM for every request). The person read is offered to the authentication backend
for this request alone (:meth:`SessionStore.take_person`,
``mutual.accounts.backends``), which uses it only when the session's data names the
same person; Django's own checks — the person is active, the password-derived hash
still matches — run on it exactly as on a person read apart.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.db import connections, router
from django.utils import timezone

if TYPE_CHECKING:
    from .models import Person

#: The key in a session's data under which it carries the digest of the device session
#: it registered at sign-in (``mutual.accounts.sessions``).
DEVICE_MARK = "mutual_device"


def hash_key(session_key: str) -> str:
    """The digest under which a session key is stored (64 hex characters)."""
    return hashlib.sha256(session_key.encode()).hexdigest()


def _person_id(data: dict[str, Any]) -> Any:
    """Whom the session's data signed in (Django's own key), or ``None``."""
    try:
        return get_user_model()._meta.pk.to_python(data.get(SESSION_KEY))  # type: ignore[union-attr]
    except ValidationError:
        return None


def _suspicious(error: Exception) -> None:
    if isinstance(error, SuspiciousOperation):
        logging.getLogger(f"django.security.{error.__class__.__name__}").warning(str(error))


class _Read:
    """The SQL of :func:`read_session` for one database, and how to make its person."""

    def __init__(self, alias: str) -> None:
        from .models import HashedSession, Person

        connection = connections[alias]
        quote = connection.ops.quote_name
        person, session = Person._meta, HashedSession._meta
        self.fields = person.concrete_fields
        self.names = [field.attname for field in self.fields]
        self.pk_index = self.fields.index(person.pk)  # type: ignore[arg-type]

        def name_of(meta: Any, field: str) -> str:
            return str(quote(meta.get_field(field).column))

        people = ", ".join(f"p.{quote(str(field.column))}" for field in self.fields)
        # Only the models' own table and column names, quoted, are written into the text;
        # the key's digest and the time are parameters.
        self.sql = (
            f"SELECT s.{name_of(session, 'session_data')}, {people} "  # noqa: S608
            f"FROM {quote(session.db_table)} s LEFT JOIN {quote(person.db_table)} p "
            f"ON p.{name_of(person, 'id')} = s.{name_of(session, 'person')} "
            f"WHERE s.{name_of(session, 'session_key')} = %s "
            f"AND s.{name_of(session, 'expire_date')} > %s"
        )
        # What the ORM would do to each value it reads (types SQLite stores as text).
        self.converters: list[tuple[Any, list[Callable[..., Any]]]] = []
        for field in self.fields:
            col = field.get_col(person.db_table)
            found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            self.converters.append((col, found))


@functools.cache
def _read_for(alias: str) -> _Read:
    return _Read(alias)


def read_session(digest: str, *, using: str) -> tuple[str, Person | None] | None:
    """The data of the live session stored under ``digest`` and the person its row names
    (``None`` when it names none, or one who is gone), in one query; ``None`` when there
    is no such session or it expired."""
    from .models import Person

    read = _read_for(using)
    connection = connections[using]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(read.sql, [digest, now])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row[1:])
    if values[read.pk_index] is None:
        return str(row[0]), None
    for i, (column, converters) in enumerate(read.converters):
        for convert in converters:
            values[i] = convert(values[i], column, connection)
    return str(row[0]), Person.from_db(using, read.names, values)


class SessionStore(DatabaseSessionStore):
    """Database sessions whose rows are keyed by the digest of the session key."""

    #: The person the loaded row names, until :meth:`take_person` takes it.
    _person: Person | None = None

    @classmethod
    def get_model_class(cls) -> Any:
        # Imported late, as Django does, so that the engine loads before the models.
        from .models import HashedSession

        return HashedSession

    def _get_session_from_db(self) -> Any:
        self._person = None
        if self.session_key is None:
            return None
        digest = hash_key(self.session_key)
        found = read_session(digest, using=router.db_for_read(self.model))
        if found is None:
            self._session_key = None
            return None
        data, self._person = found
        return self.model(session_key=digest, session_data=data)

    def take_person(self) -> Person | None:
        """The person read with this session (loading it if it is not yet), once: the
        backend may use it for this request's sign-in check and nothing else."""
        self._get_session()  # type: ignore[attr-defined]
        person, self._person = self._person, None
        return person

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
            person_id=_person_id(data),  # type: ignore[misc]
        )

    async def acreate_model_instance(self, data: dict[str, Any]) -> Any:
        return self.model(
            session_key=hash_key(await self._aget_or_create_session_key()),  # type: ignore[attr-defined]
            session_data=self.encode(data),
            expire_date=await self.aget_expiry_date(),
            person_id=_person_id(data),  # type: ignore[misc]
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

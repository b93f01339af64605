"""People, their keys and the traces that only they may see."""

from __future__ import annotations

import uuid
from importlib import import_module
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.dispatch import Signal
from django.utils import timezone

from . import crypto

#: Set on a person by a flow that closes every way in itself once the new password is saved.
WAYS_CLOSED_BY_CALLER = "_mutual_ways_closed_by_caller"
#: Sent with ``person`` and ``at`` when a password was set outside the web's own flows
#: (``mutual manage changepassword``, a shell); ``accounts.signals`` closes every way in.
password_set_elsewhere = Signal()


class PersonManager(BaseUserManager["Person"]):
    use_in_migrations = True

    def create_user(
        self, email: str, password: str | None = None, *, confirmed: bool = True, **extra: Any
    ) -> Person:
        """A person with their address on record (allauth's ``EmailAddress``).

        Accounts made here — by the operator, the demo, the tests — count as confirmed;
        sign-up passes ``confirmed=False``, and the person confirms by the mailed link.
        """
        if not email:
            raise ValueError("an email address is required")
        from allauth.account.models import EmailAddress

        person = self.model(email=self.normalize_email(email).lower(), **extra)
        person.set_password(password)
        person.save(using=self._db)
        EmailAddress.objects.using(self._db).create(
            user=person, email=person.email, primary=True, verified=confirmed
        )
        return person

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> Person:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class Person(AbstractBaseUser, PermissionsMixin):
    """An account holder."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField("name shown to your partner", max_length=60, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    #: Minutes of inactivity after which the screen locks (2–60).
    idle_lock_minutes = models.PositiveSmallIntegerField(default=15)
    #: The country whose support services the person is shown (ISO 3166-1 alpha-2, one
    #: the operator lists in ``MUTUAL_SUPPORT_FILE``); empty: the neutral words on finding
    #: local help. Chosen by the person alone, in their settings. The database's own
    #: default keeps rows written by code of an older schema (a data migration) valid.
    country = models.CharField(max_length=2, blank=True, default="", db_default="")
    #: The language the person chose (one of ``settings.LANGUAGES``); empty: the browser's.
    language = models.CharField(max_length=16, blank=True, default="", db_default="")
    #: The person's time zone, an IANA name (``accounts.zones``): their "today", their
    #: hours for notifications and rhythms, the times their pages show.
    time_zone = models.CharField("time zone", max_length=64, default="UTC", db_default="UTC")
    #: The person's data key, wrapped by the master key. Emptied on deletion.
    wrapped_key = models.BinaryField(null=True, editable=False)

    objects = PersonManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = "person"

    def __str__(self) -> str:
        return self.display_name or self.email.split("@")[0]

    @property
    def name(self) -> str:
        return str(self)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding and not self.wrapped_key:
            self.wrapped_key = crypto.new_wrapped_data_key()
        # A new password set outside the web's own flows (``mutual manage
        # changepassword``, a shell) is a way out too: the web's flows close the ways in
        # themselves, keeping the browser the change was made in (``accounts.adapter``).
        changed_elsewhere = (
            not self._state.adding
            and getattr(self, "_password", None) is not None
            and not getattr(self, WAYS_CLOSED_BY_CALLER, False)
        )
        super().save(*args, **kwargs)
        if changed_elsewhere:
            # Heard in ``accounts.signals``: the change is logged and every way in closed.
            password_set_elsewhere.send(sender=Person, person=self, at=timezone.now())

    def seal(self, text: str, aad: str) -> bytes:
        return crypto.seal_text(self.wrapped_key, text, aad)

    def open(self, blob: bytes | None, aad: str) -> str:
        """The text sealed in ``blob`` with this person's key (``crypto.open_text``); the
        key is unwrapped once for this instance (a person read for one request) and again
        whenever the wrapped key changes."""
        if not self.wrapped_key:
            raise crypto.CryptoError("the key of this text was destroyed")
        opener = self.__dict__.get("_opener")
        if opener is None or opener.wrapped != bytes(self.wrapped_key):
            opener = crypto.Opener(self.wrapped_key)
            self.__dict__["_opener"] = opener
        return opener.open(blob, aad)

    def __getstate__(self) -> dict[str, Any]:
        # The unwrapped key never leaves the instance: not pickled, not copied.
        state = super().__getstate__()
        state.pop("_opener", None)
        return state


class PersonKeys(models.Model):
    """A person's key pair for end-to-end encryption (docs/e2e.md), made on their device.

    The server keeps the public key and the private key only wrapped: by the unwrapping
    key the device derives from the password (with this salt and these Argon2id limits,
    kept per person) and by the recovery key shown once at sign-up. Neither opens here:
    the password and the recovery key never reach the server. Deleted with the person.
    Not in the admin: nobody edits a person's keys by hand.
    """

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, primary_key=True, related_name="keys"
    )
    version = models.PositiveSmallIntegerField(default=1)
    public_key = models.BinaryField(max_length=32)
    wrapped_by_password = models.BinaryField(max_length=72)
    wrapped_by_recovery = models.BinaryField(max_length=72)
    salt = models.BinaryField(max_length=16)
    opslimit = models.PositiveIntegerField()
    memlimit = models.PositiveBigIntegerField()
    made_at = models.DateTimeField()
    #: When fresh keys last replaced older ones (a reset by mail without the recovery
    #: key): the partner is told that this person's key changed.
    replaced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "person's keys"
        verbose_name_plural = "people's keys"

    def __str__(self) -> str:
        return "keys"


class KeyPin(models.Model):
    """A partner's public key as it was first shown to ``holder`` (trust on first use): a
    later key that differs is shown with a warning until ``holder`` has compared the
    safety code with them (docs/e2e.md). Deleted with either person."""

    id = models.BigAutoField(primary_key=True)
    holder = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    about = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    public_key = models.BinaryField(max_length=32)
    pinned_at = models.DateTimeField()

    class Meta:
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["holder", "about"], name="one_key_pin_per_pair")
        ]

    def __str__(self) -> str:
        return "key pin"


class ApiToken(models.Model):
    """A bearer token for the JSON API, stored hashed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="api_tokens")
    label = models.CharField(max_length=80)
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.label} ({self.prefix}…)"


class SecurityEvent(models.Model):
    """The person's own security log: sign-ins, factor changes, exports, sessions."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="security_events")
    kind = models.CharField(max_length=40)
    at = models.DateTimeField(db_index=True)
    #: The address is kept seven days, then erased by the worker.
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-at"]

    def __str__(self) -> str:
        return f"{self.kind} at {self.at:%Y-%m-%d %H:%M}"


class DeviceSession(models.Model):
    """One signed-in browser, for the session list (revoke one or all)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="device_sessions")
    session_key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    user_agent = models.CharField(max_length=300, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"session since {self.created_at:%Y-%m-%d}"


class HashedSession(AbstractBaseSession):
    """A browser session whose key is stored only as its SHA-256 digest.

    The cookie carries the key; this table holds ``sha256(key)`` (the digest that
    :attr:`DeviceSession.session_key_hash` holds too), so a copy of the database gives
    no session to take over. Read and written by ``mutual.accounts.session_store``.
    """

    session_key = models.CharField("session key hash", max_length=64, primary_key=True)
    #: Who signed in with this session: a copy of what its data says, written with it, so
    #: that a request reads the session and the person in one query
    #: (``mutual.accounts.session_store``). Never trusted alone: the person is used only
    #: when the session's data names the same one. No constraint and no cascade: a person
    #: who is gone is simply found by nobody, as before.
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )

    def __str__(self) -> str:
        return "session"

    @classmethod
    def get_session_store_class(cls) -> type[Any]:
        # The store is the configured session engine (``mutual.accounts.session_store``),
        # named by the settings, so that this module never imports it back.
        return import_module(settings.SESSION_ENGINE).SessionStore  # type: ignore[no-any-return]

"""A person's end-to-end keys on the server's side (docs/e2e.md, "Keys follow the person").

The device makes the keys and derives, from the password, an unwrapping key and a sign-in
secret; the server receives the sign-in secret where a password used to go (and hashes it
as a password), the public key, the private key wrapped twice, the salt and the Argon2id
limits. Everything here checks what a device sent and keeps it; nothing here can open it.

* :func:`salt_for` answers the salt lookup that starts a sign-in, in the same shape for an
  address with keys, an address of an account made before keys, and no account at all.
* :func:`keys_from` reads what a device sent (a form's or a JSON body's fields), refusing
  anything malformed, or limits below the floor (``MUTUAL_E2E_LIMITS``).
* :func:`keys_keep` stores a person's first keys (and, for an account moving over, the
  hash of its sign-in secret) in one transaction; :func:`password_rewrap` and
  :func:`keys_replace` change them inside the transaction of a password change or reset.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connections, router, transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext

from mutual.e2e import scheme

from .models import KeyPin, Person, PersonKeys

#: The Argon2id limits of keys made from now on, and the least the server accepts.
INTERACTIVE = {"opslimit": scheme.OPSLIMIT, "memlimit": scheme.MEMLIMIT}
#: How an account made before keys signs in while it moves over (``salt_for``).
MOVE = "move"
#: How it signs in where moving over is turned off (``MUTUAL_E2E_MOVE_OVER``, the tests):
#: with its password, as before keys.
AS_IS = "password"
#: Where a sign-in that moves an account over to keys waits for the sign-in to finish
#: (two-step sign-in included): ``accounts.signals`` keeps the keys then.
MOVE_PENDING = "mutual_e2e_move"
#: A sign-in secret in its text form: 32 bytes, unpadded URL-safe base64.
SECRET_CHARS = 43


class KeysRefused(ValueError):
    """What a device sent cannot be kept; nothing was changed."""


def limits() -> dict[str, int]:
    """The limits new keys are made with, which are also the floor: the interactive ones,
    unless the settings (the tests) lower them."""
    return dict(getattr(settings, "MUTUAL_E2E_LIMITS", INTERACTIVE))


def derived_salt(email: str) -> bytes:
    """A salt for ``email`` made with the server's secret: the same at every lookup, so
    that an address without keys answers like one with keys."""
    mac = salted_hmac("mutual.accounts.keys.salt", email.strip().lower(), algorithm="sha256")
    return mac.digest()[: scheme.SALT_BYTES]


def salt_for(email: str) -> dict[str, Any]:
    """What a device needs to derive its keys for ``email``: the salt and the limits.

    An unknown address gets a salt derived with the server's secret and the limits new
    keys are made with, so it looks like an account with keys. An account made before
    keys gets the same, and ``"legacy": "move"``: its device sends the password one last
    time, with keys made from this salt (docs/e2e.md says what that reveals, and for how
    long)."""
    email = email.strip().lower()
    person = Person.objects.filter(email=email).select_related("keys").first()
    kept = getattr(person, "keys", None) if person is not None else None
    # The same work and the same members, in the same order, whoever asks about whom.
    answer: dict[str, Any] = {
        "version": scheme.VERSION,
        "salt": scheme.b64(derived_salt(email)),
        "opslimit": limits()["opslimit"],
        "memlimit": limits()["memlimit"],
    }
    if kept is not None:
        answer.update(
            version=kept.version,
            salt=scheme.b64(bytes(kept.salt)),
            opslimit=kept.opslimit,
            memlimit=kept.memlimit,
        )
    elif person is not None and person.is_active:
        answer["legacy"] = MOVE if getattr(settings, "MUTUAL_E2E_MOVE_OVER", True) else AS_IS
    return answer


@dataclass(frozen=True)
class KeysIn:
    """What a device sent: any of the parts may be missing, each one checked."""

    salt: bytes | None = None
    opslimit: int | None = None
    memlimit: int | None = None
    public: bytes | None = None
    wrapped_by_password: bytes | None = None
    wrapped_by_recovery: bytes | None = None
    secret: str | None = None

    @property
    def empty(self) -> bool:
        return all(getattr(self, name) is None for name in self.__dataclass_fields__)

    def need(self, *names: str) -> KeysIn:
        missing = [name for name in names if getattr(self, name) is None]
        if missing:
            raise KeysRefused(
                gettext(
                    "Your keys could not be made on this device: Mutual needs JavaScript "
                    "for that. Please turn it on, or try another browser."
                )
            )
        return self


#: The form fields (and JSON members) a device sends, with the bytes each must be.
FIELDS = {
    "salt": ("e2e_salt", scheme.SALT_BYTES),
    "public": ("e2e_public", scheme.PUBLIC_BYTES),
    "wrapped_by_password": ("e2e_wrapped_password", scheme.WRAPPED_BYTES),
    "wrapped_by_recovery": ("e2e_wrapped_recovery", scheme.WRAPPED_BYTES),
}


def _bytes_of(text: str, size: int) -> bytes:
    if len(text) > 200:
        raise KeysRefused(gettext("These keys are not in the form Mutual keeps."))
    try:
        value = scheme.unb64(text)
    except scheme.SchemeError as exc:
        raise KeysRefused(gettext("These keys are not in the form Mutual keeps.")) from exc
    if len(value) != size:
        raise KeysRefused(gettext("These keys are not in the form Mutual keeps."))
    return value


def _limit(text: str, least: int, most: int) -> int:
    try:
        value = int(str(text).strip())
    except ValueError as exc:
        raise KeysRefused(gettext("These keys are not in the form Mutual keeps.")) from exc
    if value < least:
        raise KeysRefused(
            gettext("These keys were made with too little work to keep a password safe.")
        )
    if value > most:
        raise KeysRefused(gettext("These keys ask more work than a phone can give."))
    return value


def keys_from(data: Any) -> KeysIn:
    """Read a device's fields from ``data`` (a ``QueryDict`` or a ``dict``); absent ones
    stay ``None``, present ones must be well formed."""

    def get(name: str) -> str | None:
        value = data.get(name)
        return None if value in (None, "") else str(value)

    parts: dict[str, Any] = {}
    for attr, (name, size) in FIELDS.items():
        text = get(name)
        parts[attr] = None if text is None else _bytes_of(text, size)
    floor = limits()
    ops, mem = get("e2e_opslimit"), get("e2e_memlimit")
    parts["opslimit"] = None if ops is None else _limit(ops, floor["opslimit"], scheme.OPSLIMIT_MAX)
    parts["memlimit"] = None if mem is None else _limit(mem, floor["memlimit"], scheme.MEMLIMIT_MAX)
    secret = get("e2e_secret")
    if secret is not None:
        _bytes_of(secret, scheme.KEY_BYTES)
    parts["secret"] = secret
    return KeysIn(**parts)


def check_secret(text: str) -> str:
    """A sign-in secret as a device sends it, in place of a password."""
    _bytes_of(text, scheme.KEY_BYTES)
    return text


ALL = ("salt", "opslimit", "memlimit", "public", "wrapped_by_password", "wrapped_by_recovery")
PASSWORD_PARTS = ("salt", "opslimit", "memlimit", "wrapped_by_password")


def _assign(keys: PersonKeys, given: KeysIn, names: tuple[str, ...]) -> None:
    for name in names:
        setattr(keys, "public_key" if name == "public" else name, getattr(given, name))


def keys_keep(
    *, person: Person, given: KeysIn, at: datetime, password_hash: str | None = None
) -> PersonKeys:
    """Keep ``person``'s first keys and, when given, the hash of their sign-in secret in
    place of their password's (an account moving over), together or not at all."""
    given.need(*ALL)
    with transaction.atomic():
        if PersonKeys.objects.filter(person=person).exists():
            raise KeysRefused(gettext("This account has its keys already."))
        keys = PersonKeys(person=person, version=scheme.VERSION, made_at=at)
        _assign(keys, given, ALL)
        keys.save()
        if password_hash is not None:
            # Not through ``Person.save``: moving over is no way out, nothing closes.
            Person.objects.filter(pk=person.pk).update(password=password_hash)
            person.password = password_hash
    person.keys = keys
    return keys


def password_rewrap(*, person: Person, given: KeysIn) -> PersonKeys:
    """A password change: the new salt and limits and the private key wrapped by the new
    password's key. The caller stores the new sign-in secret's hash in the same
    transaction."""
    given.need(*PASSWORD_PARTS)
    keys = PersonKeys.objects.select_for_update().get(person=person)
    _assign(keys, given, PASSWORD_PARTS)
    keys.save(update_fields=["salt", "opslimit", "memlimit", "wrapped_by_password"])
    person.keys = keys
    return keys


def keys_replace(*, person: Person, given: KeysIn, at: datetime) -> bool:
    """A reset by mail. With the recovery key the device re-wrapped the same private key
    (no new public key): only the password's part changes. Without it, fresh keys replace
    the old ones, and ``True`` says the key changed (the partner is told). The caller
    stores the new sign-in secret's hash in the same transaction."""
    keys = PersonKeys.objects.select_for_update().filter(person=person).first()
    if keys is not None and (given.public is None or given.public == bytes(keys.public_key)):
        password_rewrap(person=person, given=given)
        return False
    given.need(*ALL)
    changed = keys is not None
    if keys is None:
        keys = PersonKeys(person=person, version=scheme.VERSION, made_at=at)
    _assign(keys, given, ALL)
    if changed:
        keys.made_at, keys.replaced_at = at, at
    keys.save()
    person.keys = keys
    return changed


def the_keys_of(person: Any) -> PersonKeys | None:
    """``person``'s keys, or ``None`` for an account made before keys (or nobody)."""
    if person is None or not getattr(person, "pk", None):
        return None
    try:
        return person.keys  # type: ignore[no-any-return]
    except PersonKeys.DoesNotExist:
        return None


def public_view(keys: PersonKeys, *, recovery: bool = False) -> dict[str, Any]:
    """What the person's own device needs to unwrap their key; the part wrapped by the
    recovery key only for a reset by mail (whoever holds the link and the recovery key)."""
    view = {
        "version": keys.version,
        "public": scheme.b64(bytes(keys.public_key)),
        "wrapped_by_password": scheme.b64(bytes(keys.wrapped_by_password)),
        "salt": scheme.b64(bytes(keys.salt)),
        "opslimit": keys.opslimit,
        "memlimit": keys.memlimit,
    }
    if recovery:
        view["wrapped_by_recovery"] = scheme.b64(bytes(keys.wrapped_by_recovery))
    return view


# ---------------------------------------------------------------------------------------
# A partner's key, pinned on first sight


@dataclass(frozen=True)
class PartnerKey:
    public: str  # the partner's public key now, base64
    changed: bool  # not the one first shown to the holder
    since: datetime | None  # when it changed, as the partner's keys say


def partner_key(*, holder: Person, about: Any, at: datetime) -> PartnerKey | None:
    """``about``'s public key as ``holder`` sees it: pinned the first time, then compared
    with the pin. ``None`` while either has no keys (nothing to compare yet)."""
    theirs = the_keys_of(about)
    if theirs is None or the_keys_of(holder) is None:
        return None
    public = bytes(theirs.public_key)
    pin = KeyPin.objects.filter(holder=holder, about=about).first()
    if pin is None and theirs.replaced_at is not None:
        # Nothing pinned, and they started fresh keys since their first: told, as on the
        # bond's page, until ``holder`` says they compared the code.
        return PartnerKey(scheme.b64(public), True, theirs.replaced_at)
    if pin is None:
        pin, _made = KeyPin.objects.get_or_create(
            holder=holder, about=about, defaults={"public_key": public, "pinned_at": at}
        )
    changed = bytes(pin.public_key) != public
    return PartnerKey(scheme.b64(public), changed, theirs.replaced_at if changed else None)


def partner_key_changed(*, holder: Person, about: Any) -> bool:
    """In one statement, for a page that only warns: whether ``about``'s key is not the
    one pinned for ``holder`` — or, with nothing pinned yet, whether ``about`` has
    started fresh keys since their first. Pins are made where the key is shown
    (:func:`partner_key`), never here.

    Asked on every bond page, so the statement is written once per database rather
    than compiled by the ORM on every read (which cost more than the page's template)."""
    connection = connections[router.db_for_read(PersonKeys)]
    pk = Person._meta.pk
    assert pk is not None
    holder_id, about_id = (pk.get_db_prep_value(p.pk, connection) for p in (holder, about))
    with connection.cursor() as cursor:
        cursor.execute(_changed_sql(connection.alias), [holder_id, about_id, about_id])
        row = cursor.fetchone()
    if row is None:
        return False
    public_key, replaced_at, pinned = row
    if pinned is None:
        return replaced_at is not None
    return bytes(pinned) != bytes(public_key)


@functools.cache
def _changed_sql(alias: str) -> str:
    """The statement of :func:`partner_key_changed`: ``about``'s key, when it was
    replaced, and the key pinned for ``holder`` (``NULL`` when none). Only the models'
    own table and column names are written into the text."""
    quote = connections[alias].ops.quote_name

    def column(model: Any, name: str) -> str:
        return str(quote(model._meta.get_field(name).column))

    keys, pins = quote(PersonKeys._meta.db_table), quote(KeyPin._meta.db_table)
    pinned = (
        f"SELECT p.{column(KeyPin, 'public_key')} FROM {pins} p "  # noqa: S608
        f"WHERE p.{column(KeyPin, 'holder')} = %s AND p.{column(KeyPin, 'about')} = %s"
    )
    return (
        f"SELECT k.{column(PersonKeys, 'public_key')}, k.{column(PersonKeys, 'replaced_at')}, "  # noqa: S608
        f"({pinned}) FROM {keys} k WHERE k.{column(PersonKeys, 'person')} = %s"
    )


def partner_key_accept(*, holder: Person, about: Any, at: datetime) -> bool:
    """``holder`` compared the safety code with ``about``: their key now is the pin."""
    theirs = the_keys_of(about)
    if theirs is None:
        return False
    KeyPin.objects.update_or_create(
        holder=holder,
        about=about,
        defaults={"public_key": bytes(theirs.public_key), "pinned_at": at},
    )
    return True

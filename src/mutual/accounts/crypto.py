"""Encryption at rest: AES-256-GCM under per-person data keys wrapped by a master key.

* Every person has a random 256-bit data key, stored only wrapped (encrypted) by the
  master key, which lives outside the database (``MUTUAL_MASTER_KEY`` or
  ``MUTUAL_MASTER_KEY_FILE``; generated under ``var/`` in development).
* Texts are sealed with the author's data key; the associated data binds each
  ciphertext to its row and field, so a blob cannot be moved to another row.
* Deleting a person deletes their wrapped key: what they wrote can never be decrypted
  again (crypto-shredding).

Blob layout: ``version (1 byte) ‖ nonce (12 bytes) ‖ ciphertext+tag``.
"""

from __future__ import annotations

import base64
import os
import secrets
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VERSION = 1
_NONCE = 12
_WRAP_AAD = b"mutual:data-key"


class CryptoError(Exception):
    """A text could not be decrypted (wrong key, tampered data, or a shredded key)."""


def _decode_key(text: str) -> bytes:
    raw = base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4))
    if len(raw) != 32:
        raise ValueError("the master key must be 32 bytes, base64url-encoded")
    return raw


def generate_master_key() -> str:
    """A new master key, base64url-encoded."""
    return base64.urlsafe_b64encode(AESGCM.generate_key(bit_length=256)).decode().rstrip("=")


@lru_cache(maxsize=1)
def master_key() -> bytes:
    """The master key from the environment, a file, or (development) ``var/master_key``."""
    from django.conf import settings

    value = os.environ.get("MUTUAL_MASTER_KEY")
    if value:
        return _decode_key(value)
    path = os.environ.get("MUTUAL_MASTER_KEY_FILE")
    if path:
        return _decode_key(Path(path).read_text())
    if getattr(settings, "PRODUCTION", False):
        raise RuntimeError("MUTUAL_MASTER_KEY or MUTUAL_MASTER_KEY_FILE must be set")
    generated = Path(settings.VAR_DIR) / "master_key"
    generated.parent.mkdir(parents=True, exist_ok=True)
    if not generated.exists():
        generated.write_text(generate_master_key())
        generated.chmod(0o600)
    return _decode_key(generated.read_text())


def _seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = secrets.token_bytes(_NONCE)
    return bytes([VERSION]) + nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def _open(key: bytes, blob: bytes | memoryview, aad: bytes) -> bytes:
    return _open_with(AESGCM(key), blob, aad)


def _open_with(aead: AESGCM, blob: bytes | memoryview, aad: bytes) -> bytes:
    """The one place any sealed blob is opened (a data key, a text, a secret)."""
    blob = bytes(blob)
    if len(blob) < 1 + _NONCE + 16 or blob[0] != VERSION:
        raise CryptoError("not a sealed text")
    try:
        return aead.decrypt(blob[1 : 1 + _NONCE], blob[1 + _NONCE :], aad)
    except Exception as exc:  # InvalidTag
        raise CryptoError("the text cannot be decrypted") from exc


def new_wrapped_data_key(master: bytes | None = None) -> bytes:
    """A fresh data key, wrapped by the master key."""
    return _seal(master or master_key(), AESGCM.generate_key(bit_length=256), _WRAP_AAD)


def unwrap_data_key(wrapped: bytes | memoryview, master: bytes | None = None) -> bytes:
    return _open(master or master_key(), wrapped, _WRAP_AAD)


def rewrap_data_key(wrapped: bytes | memoryview, old_master: bytes, new_master: bytes) -> bytes:
    """The same data key, wrapped by a new master key (master-key rotation)."""
    return _seal(new_master, unwrap_data_key(wrapped, old_master), _WRAP_AAD)


def seal_text(wrapped_key: bytes | memoryview | None, text: str, aad: str) -> bytes:
    if not wrapped_key:
        raise CryptoError("this person has no data key")
    return _seal(unwrap_data_key(wrapped_key), text.encode("utf-8"), aad.encode("utf-8"))


class Opener:
    """Opens texts sealed under one wrapped data key, unwrapping the key once: a page
    that shows eight texts of one person unwraps their key once, not eight times. Kept
    only as long as its owner (a person read for one request), never in a shared place."""

    __slots__ = ("_aead", "wrapped")

    def __init__(self, wrapped_key: bytes | memoryview) -> None:
        self.wrapped = bytes(wrapped_key)
        self._aead = AESGCM(unwrap_data_key(self.wrapped))

    def open(self, blob: bytes | memoryview | None, aad: str) -> str:
        if blob is None:
            raise CryptoError("no text")
        return _open_with(self._aead, blob, aad.encode("utf-8")).decode("utf-8")


def open_text(
    wrapped_key: bytes | memoryview | None, blob: bytes | memoryview | None, aad: str
) -> str:
    if not wrapped_key:
        raise CryptoError("the key of this text was destroyed")
    if blob is None:
        raise CryptoError("no text")
    return _open(unwrap_data_key(wrapped_key), blob, aad.encode("utf-8")).decode("utf-8")


_MFA_AAD = b"mutual:mfa-secret"


def seal_secret(text: str, master: bytes | None = None) -> str:
    """A small secret (a TOTP key, a recovery-code seed) sealed under the master key, as
    base64url text for a JSON field."""
    blob = _seal(master or master_key(), text.encode("utf-8"), _MFA_AAD)
    return "m1:" + base64.urlsafe_b64encode(blob).decode()


def open_secret(sealed: str, master: bytes | None = None) -> str:
    if not sealed.startswith("m1:"):
        raise CryptoError("not a sealed secret")
    blob = base64.urlsafe_b64decode(sealed[3:].encode())
    return _open(master or master_key(), blob, _MFA_AAD).decode("utf-8")

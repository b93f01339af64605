"""Mutual's end-to-end scheme, version 1: what a person's device does with their words
before anything reaches the server, in Python (PyNaCl). ``static/mutual/e2e.mjs`` is the
same scheme in the browser (libsodium-wrappers-sumo); both use libsodium, and the tests
hold them to the same known-answer vectors and read each other's output.

docs/e2e.md describes the scheme in full. In short:

* **From the password, two keys.** Argon2id stretches the password with the person's
  salt into a seed; BLAKE2b (libsodium's ``crypto_kdf``) derives from the seed a key that
  unwraps the person's private key and, separately, a sign-in secret. Only the sign-in
  secret is sent; the server hashes it as it hashes passwords, and never sees the
  password or the unwrapping key.
* **A key pair per person**, X25519, made on the device. Its private half leaves the
  device only wrapped (XChaCha20-Poly1305): once by the password's key, once by a
  recovery key shown once at sign-up.
* **Each text under its own key.** A fresh key encrypts the text (XChaCha20-Poly1305,
  with what the text is bound to as associated data); a commitment to that key (BLAKE2b
  keyed by it, over the nonce) goes with the ciphertext. AEAD ciphers do not commit to their
  key, so a reader checks the commitment before decrypting: an author cannot later
  release a different key that opens the same ciphertext to other words.
* **Releasing a key** is sealing it to a public key (``crypto_box_seal``): to the
  author's own key at once, to the partner's only when the partner's own commitment is
  on the server.
* **A safety code** from both public keys, the same on both devices, for two people to
  compare in person.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import unicodedata
from dataclasses import dataclass

from nacl import bindings, pwhash
from nacl.exceptions import CryptoError as NaclError
from nacl.public import PrivateKey, PublicKey, SealedBox

VERSION = 1
KEY_BYTES = 32
SALT_BYTES = pwhash.argon2id.SALTBYTES  # 16
NONCE_BYTES = bindings.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES  # 24
#: Argon2id's cost on the device: libsodium's "interactive" limits (2 passes, 64 MiB),
#: what a phone's browser can spend at each sign-in.
OPSLIMIT = pwhash.argon2id.OPSLIMIT_INTERACTIVE
MEMLIMIT = pwhash.argon2id.MEMLIMIT_INTERACTIVE
#: libsodium's least (1 pass, 8 KiB): for tests only; the server refuses keys made with
#: less than its floor (``MUTUAL_E2E_LIMITS``, the interactive limits outside tests).
OPSLIMIT_MIN = pwhash.argon2id.OPSLIMIT_MIN
MEMLIMIT_MIN = pwhash.argon2id.MEMLIMIT_MIN
#: The most a device is asked to spend (libsodium's "sensitive" limits, 4 passes, 1 GiB).
OPSLIMIT_MAX = pwhash.argon2id.OPSLIMIT_SENSITIVE
MEMLIMIT_MAX = pwhash.argon2id.MEMLIMIT_SENSITIVE
#: Sizes of what a device sends: a public key, and a private key wrapped (nonce, key, tag).
PUBLIC_BYTES = 32
WRAPPED_BYTES = NONCE_BYTES + KEY_BYTES + 16
#: ``crypto_kdf`` contexts are eight bytes.
PASSWORD_CONTEXT = "mutualpw"  # noqa: S105 - a label, not a secret
UNWRAP_KEY_ID = 1
SIGN_IN_ID = 2
IDENTITY_AAD = b"mutual:v1:identity"
#: Labels put before what is hashed, so no hash of the scheme stands for another.
COMMIT_LABEL = b"mutual:v1:commit"
SAFETY_LABEL = b"mutual:v1:safety"


class SchemeError(Exception):
    """Something that cannot be opened: wrong key, tampered bytes, a broken commitment."""


def b64(data: bytes) -> str:
    """Bytes as unpadded URL-safe base64, the scheme's text form."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as exc:
        raise SchemeError("not base64") from exc


# ---------------------------------------------------------------------------------------
# From the password, two keys


def kdf(key: bytes, subkey_id: int, context: str, size: int = KEY_BYTES) -> bytes:
    """libsodium's ``crypto_kdf_derive_from_key``: BLAKE2b keyed by ``key``, with the
    subkey's number as salt and the eight-byte context as personalisation."""
    ctx = context.encode("ascii")
    if len(ctx) != 8:
        raise ValueError("a context is eight ASCII characters")
    salt = struct.pack("<Q", subkey_id) + bytes(8)
    return hashlib.blake2b(
        b"", digest_size=size, key=key, salt=salt, person=ctx + bytes(8)
    ).digest()


@dataclass(frozen=True)
class PasswordKeys:
    unwrap: bytes  # never leaves the device
    sign_in: bytes  # sent instead of the password; the server stores a hash of it


def password_keys(
    password: str, salt: bytes, *, opslimit: int = OPSLIMIT, memlimit: int = MEMLIMIT
) -> PasswordKeys:
    """The two keys a password gives with this salt (the password in Unicode NFC, so the
    same characters typed on two keyboards give the same keys), at the person's own
    Argon2id limits (kept with their keys; the interactive ones unless a test says)."""
    if len(salt) != SALT_BYTES:
        raise ValueError(f"a salt is {SALT_BYTES} bytes")
    seed = pwhash.argon2id.kdf(
        KEY_BYTES,
        unicodedata.normalize("NFC", password).encode("utf-8"),
        salt,
        opslimit=opslimit,
        memlimit=memlimit,
    )
    return PasswordKeys(
        unwrap=kdf(seed, UNWRAP_KEY_ID, PASSWORD_CONTEXT),
        sign_in=kdf(seed, SIGN_IN_ID, PASSWORD_CONTEXT),
    )


def new_salt() -> bytes:
    return secrets.token_bytes(SALT_BYTES)


# ---------------------------------------------------------------------------------------
# A person's key pair, and wrapping its private half


@dataclass(frozen=True)
class Identity:
    public: bytes
    private: bytes

    @classmethod
    def new(cls) -> Identity:
        made = PrivateKey.generate()
        return cls(bytes(made.public_key), bytes(made))

    @classmethod
    def of(cls, private: bytes) -> Identity:
        key = PrivateKey(private)
        return cls(bytes(key.public_key), private)


def _aead_seal(key: bytes, plaintext: bytes, aad: bytes, nonce: bytes | None = None) -> bytes:
    nonce = secrets.token_bytes(NONCE_BYTES) if nonce is None else nonce
    sealed = bindings.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, aad, nonce, key)
    return nonce + sealed


def _aead_open(key: bytes, blob: bytes, aad: bytes) -> bytes:
    if len(blob) < NONCE_BYTES + 16:
        raise SchemeError("too short to be sealed")
    try:
        return bindings.crypto_aead_xchacha20poly1305_ietf_decrypt(
            blob[NONCE_BYTES:], aad, blob[:NONCE_BYTES], key
        )
    except NaclError as exc:
        raise SchemeError("cannot be opened with this key") from exc


def wrap_private(private: bytes, key: bytes) -> bytes:
    """The private key sealed by ``key`` (the password's or the recovery key)."""
    return _aead_seal(key, private, IDENTITY_AAD)


def unwrap_private(wrapped: bytes, key: bytes) -> bytes:
    return _aead_open(key, wrapped, IDENTITY_AAD)


def new_recovery_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


#: Crockford's base 32: no I, L, O or U, so nothing reads as something else.
_RECOVERY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_RECOVERY_READS_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def recovery_words(key: bytes) -> str:
    """A recovery key as people write it down: thirteen groups of four characters of
    Crockford's base 32 (52 characters, 260 bits, for a 256-bit key)."""
    number = int.from_bytes(key, "big")
    chars = []
    for _ in range(52):
        number, digit = divmod(number, len(_RECOVERY_ALPHABET))
        chars.append(_RECOVERY_ALPHABET[digit])
    text = "".join(reversed(chars))
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def recovery_key_from(words: str) -> bytes:
    """The key behind :func:`recovery_words`, forgiving case, spaces and dashes."""
    text = "".join(ch for ch in words.upper() if ch not in " -\t\n").translate(_RECOVERY_READS_AS)
    if len(text) != 52 or any(ch not in _RECOVERY_ALPHABET for ch in text):
        raise SchemeError("a recovery key is 52 characters in groups of four")
    number = 0
    for ch in text:
        number = number * len(_RECOVERY_ALPHABET) + _RECOVERY_ALPHABET.index(ch)
    if number >> (8 * KEY_BYTES):
        raise SchemeError("not a recovery key")
    return number.to_bytes(KEY_BYTES, "big")


# ---------------------------------------------------------------------------------------
# Texts, their keys and commitments


@dataclass(frozen=True)
class Sealed:
    """A text as it travels: the ciphertext (nonce first) and the commitment to its key."""

    ciphertext: bytes
    commitment: bytes


def commitment(key: bytes, nonce: bytes) -> bytes:
    """BLAKE2b keyed by the text's key, over a label and the nonce (``crypto_generichash``):
    binds the key to this ciphertext."""
    return hashlib.blake2b(COMMIT_LABEL + nonce, digest_size=32, key=key).digest()


def seal_text(
    text: str, aad: bytes, *, key: bytes | None = None, nonce: bytes | None = None
) -> tuple[Sealed, bytes]:
    """``text`` under a fresh key and nonce (given ones only for known-answer tests); the
    sealed text and its key."""
    key = secrets.token_bytes(KEY_BYTES) if key is None else key
    blob = _aead_seal(key, text.encode("utf-8"), aad, nonce)
    return Sealed(blob, commitment(key, blob[:NONCE_BYTES])), key


def open_text(sealed: Sealed, key: bytes, aad: bytes) -> str:
    """The words, once the key is shown to be the one committed to before."""
    if len(key) != KEY_BYTES or not hmac.compare_digest(
        commitment(key, sealed.ciphertext[:NONCE_BYTES]), sealed.commitment
    ):
        raise SchemeError("this key is not the one committed to")
    return _aead_open(key, sealed.ciphertext, aad).decode("utf-8")


def release(key: bytes, to_public: bytes) -> bytes:
    """A text's key, sealed so that only the holder of ``to_public``'s private key opens it."""
    return bytes(SealedBox(PublicKey(to_public)).encrypt(key))


def receive(released: bytes, me: Identity) -> bytes:
    try:
        return bytes(SealedBox(PrivateKey(me.private)).decrypt(released))
    except NaclError as exc:
        raise SchemeError("this key was not released to you") from exc


# ---------------------------------------------------------------------------------------
# The safety code


def safety_code(public_a: bytes, public_b: bytes) -> str:
    """Twenty-five digits in five groups, the same whoever computes it."""
    low, high = sorted((public_a, public_b))
    digest = hashlib.blake2b(SAFETY_LABEL + low + high, digest_size=20).digest()
    groups = [int.from_bytes(digest[i : i + 4], "big") % 100_000 for i in range(0, 20, 4)]
    return " ".join(f"{g:05d}" for g in groups)

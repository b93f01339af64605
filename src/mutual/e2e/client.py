"""Signing in as a client of the API, the way the browser does (docs/e2e.md): look up the
salt, derive the sign-in secret and the unwrapping key from the password here, send only
the secret, then unwrap the private key here. Used by ``mutual sign-in``; the transport is
passed in (``urllib`` for the command, Django's test client in the tests), so this module
knows nothing of the web.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import scheme

#: ``send(method, path, body)`` → (status, JSON answer); paths under ``/api/v1``.
Send = Callable[[str, str, dict[str, Any] | None], tuple[int, dict[str, Any]]]


class SignInRefused(Exception):
    """The server refused the sign-in, or the keys did not open; the message says why."""


@dataclass(frozen=True)
class SignedIn:
    token: str
    identity: scheme.Identity | None  # None: an account made before keys


def sign_in(
    send: Send, *, email: str, password: str, totp: str | None = None, label: str = "mutual"
) -> SignedIn:
    status, answer = send("POST", "/auth/salt", {"email": email})
    if status != 200:
        raise SignInRefused(str(answer.get("detail", "The salt lookup failed.")))
    if answer.get("legacy"):
        raise SignInRefused(
            "This account was made before keys: sign in once on the web, which makes them."
        )
    derived = scheme.password_keys(
        password,
        scheme.unb64(answer["salt"]),
        opslimit=int(answer["opslimit"]),
        memlimit=int(answer["memlimit"]),
    )
    body: dict[str, Any] = {"email": email, "password": scheme.b64(derived.sign_in), "label": label}
    if totp:
        body["totp"] = totp
    status, created = send("POST", "/auth/tokens", body)
    if status != 201:
        raise SignInRefused(str(created.get("detail", "The sign-in was refused.")))
    token = str(created["token"])
    status, kept = send("GET", "/me/keys", None)
    if status != 200:
        raise SignInRefused(str(kept.get("detail", "Your keys could not be fetched.")))
    try:
        private = scheme.unwrap_private(scheme.unb64(kept["wrapped_by_password"]), derived.unwrap)
    except scheme.SchemeError as exc:
        raise SignInRefused("Your keys did not open with this password.") from exc
    identity = scheme.Identity.of(private)
    if scheme.b64(identity.public) != kept["public"]:
        raise SignInRefused("The key the server holds for you is not the one you made.")
    return SignedIn(token, identity)

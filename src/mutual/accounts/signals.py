"""Receivers that keep the session list and the security log, and that close every way in
when a way out is taken (``accounts.ways_out``), connected in apps.py."""

from __future__ import annotations

from typing import Any

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals as auth_signals
from django.http import HttpRequest
from django.utils import timezone

from mutual.web.security import mark_signed_out

from . import keys, sessions, ways_out
from .models import Person, password_set_elsewhere


def on_signed_in(sender: Any, request: HttpRequest, user: Person, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    at = timezone.now()
    sessions.device_start(request=request, person=user, at=at)
    sessions.record_event(request, user, "signed_in", at=at)
    _move_over(request, user, at)


def _move_over(request: HttpRequest, person: Person, at: Any) -> None:
    """Keep the keys an account made before keys sent with its sign-in (``forms.LoginForm``),
    now that the sign-in is complete, two-step sign-in included; from now on the account
    signs in with its sign-in secret, and the password no longer reaches the server."""
    from django.contrib.auth import HASH_SESSION_KEY

    pending = request.session.pop(keys.MOVE_PENDING, None)
    if not pending or pending.get("person") != str(person.pk):
        return
    if keys.the_keys_of(person) is not None:
        return
    try:
        keys.keys_keep(
            person=person,
            given=keys.keys_from(pending),
            at=at,
            password_hash=pending["password"],
        )
    except keys.KeysRefused:
        return
    # The session was signed with the old password's hash: it stays valid with the new.
    request.session[HASH_SESSION_KEY] = person.get_session_auth_hash()
    sessions.record_event(request, person, "keys_made", at=at)


def on_allauth_signed_in(
    sender: Any, request: HttpRequest, user: Person, response: Any = None, **kwargs: Any
) -> None:
    if response is None or not hasattr(request, "session"):
        return
    key = request.session.session_key
    device = sessions.device_for(key) if key else None
    if device is not None:
        sessions.trust_device(
            response=response, person=user, device_id=device.pk, at=timezone.now()
        )


def on_signed_out(sender: Any, request: HttpRequest, user: Person | None, **kwargs: Any) -> None:
    if request is None:
        return
    mark_signed_out(request)
    key = getattr(getattr(request, "session", None), "session_key", None)
    if user is not None and key:
        # logout() deletes the session itself right after this signal.
        sessions.device_end(key, at=timezone.now())


def on_sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any
) -> None:
    email = str(credentials.get("email", "")).strip().lower()
    person = Person.objects.filter(email=email).first() if email else None
    if person is not None:
        sessions.record_event(request, person, "sign_in_failed", at=timezone.now())


def _confirm_address(person: Person) -> None:
    """A reset link reached the person's address: that confirms it, so an account someone
    else signed up with this address and their own password becomes its owner's."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=person, email__iexact=person.email).update(verified=True)


def _logger(kind: str, *, way_out: str | None = None, totp_only: bool = False) -> Any:
    """A receiver that logs ``kind``; for a way out, it then closes every way in. A reset
    ends this browser's session too (it has none worth keeping); every other way out is
    taken from a signed-in browser, which stays signed in."""

    def receiver(
        sender: Any, request: HttpRequest | None = None, user: Any = None, **kw: Any
    ) -> None:
        if user is None or not isinstance(user, Person):
            return
        at = timezone.now()
        sessions.record_event(request, user, kind, at=at)
        authenticator = kw.get("authenticator")
        if way_out is None or (totp_only and getattr(authenticator, "type", None) != "totp"):
            return
        if way_out == "password_reset":
            _confirm_address(user)
        ways_out.close_every_way_in(
            person=user,
            why=way_out,
            at=at,
            request=request,
            keep_this_browser=way_out != "password_reset",
        )

    receiver.__name__ = f"on_{kind}"
    return receiver


RECEIVERS = [
    (account_signals.password_changed, _logger("password_changed", way_out="password_changed")),
    (account_signals.password_set, _logger("password_set", way_out="password_set")),
    (account_signals.password_reset, _logger("password_reset", way_out="password_reset")),
    (account_signals.email_changed, _logger("email_changed")),
    (account_signals.email_added, _logger("email_added")),
    (account_signals.email_removed, _logger("email_removed")),
    (
        mfa_signals.authenticator_added,
        _logger("factor_added", way_out="totp_turned_on", totp_only=True),
    ),
    (
        mfa_signals.authenticator_removed,
        _logger("factor_removed", way_out="totp_turned_off", totp_only=True),
    ),
    (mfa_signals.authenticator_reset, _logger("recovery_codes_renewed")),
]


def on_password_set_elsewhere(sender: Any, person: Person, at: Any, **kwargs: Any) -> None:
    """A password set outside the web's flows (``mutual manage changepassword``, a shell)
    is a way out too: it is logged, and every session and token ends."""
    sessions.record_event(None, person, "password_changed", at=at)
    ways_out.close_every_way_in(person=person, why="password_changed", at=at)


def connect() -> None:
    password_set_elsewhere.connect(on_password_set_elsewhere, dispatch_uid="mutual.elsewhere")
    auth_signals.user_logged_in.connect(on_signed_in, dispatch_uid="mutual.signed_in")
    auth_signals.user_logged_out.connect(on_signed_out, dispatch_uid="mutual.signed_out")
    auth_signals.user_login_failed.connect(on_sign_in_failed, dispatch_uid="mutual.failed")
    account_signals.user_logged_in.connect(on_allauth_signed_in, dispatch_uid="mutual.trusted")
    for signal, receiver in RECEIVERS:
        signal.connect(receiver, dispatch_uid=f"mutual.{receiver.__name__}")

"""Mutual's account adapter for django-allauth: sign-in throttling with a trusted-device
exemption.

Failed sign-ins are limited per address and per account (``login_failed`` in
``ACCOUNT_RATE_LIMITS``: cool-offs of one and five minutes, never permanent). A browser
that carries the person's trusted-device mark is counted in its own bucket instead
(``login_failed_trusted``), so that someone hammering the account from elsewhere — or
from the same home network — cannot lock its owner out.
"""

from __future__ import annotations

from typing import Any, ClassVar

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from allauth.mfa.adapter import DefaultMFAAdapter
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from mutual.web.client import client_address

from . import crypto, keys
from .backends import SIGN_IN_REFUSED
from .models import WAYS_CLOSED_BY_CALLER, Person
from .sessions import trusted_device_of


class AccountAdapter(DefaultAccountAdapter):
    error_messages: ClassVar[dict[str, Any]] = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": SIGN_IN_REFUSED,
    }

    def set_password(self, user: Any, password: str) -> None:
        """Every web flow that sets a password (change, reset) closes every way in itself,
        from its signal, keeping the browser the change was made in; the flag keeps
        :meth:`Person.save` from closing them a first time without it."""
        setattr(user, WAYS_CLOSED_BY_CALLER, True)
        super().set_password(user, password)

    def post_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> Any:
        """A person with keys passes by the page that opens them on this device
        (``accounts.keys_views``), which then leads on to where they were going."""
        response = super().post_login(request, user, **kwargs)
        if keys.the_keys_of(user) is not None and isinstance(response, HttpResponseRedirect):
            target = response["Location"]
            response["Location"] = f"{reverse('mutual_keys_open')}?{urlencode({'next': target})}"
        return response

    def get_client_ip(self, request: HttpRequest) -> str:
        """The client behind our trusted proxies (``mutual.web.client``), so each
        person's throttle is their own and nobody picks an address by header."""
        address = client_address(request)
        if address is None:
            raise PermissionDenied("Unable to determine client IP address")
        return address

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        email = str(credentials.get("email", "")).strip().lower()
        person = Person.objects.filter(email=email).first() if email else None
        device = trusted_device_of(request, person) if person is not None else None
        if device is None:
            super().pre_authenticate(request, **credentials)
            return
        self._login_failed_rl_usage = ratelimit.consume(
            request, app="allauth.account", action="login_failed_trusted", key=device
        )
        if not self._login_failed_rl_usage:
            raise self.validation_error("too_many_login_attempts")


class MFAAdapter(DefaultMFAAdapter):
    """TOTP keys and recovery-code seeds are stored sealed under the master key, so a
    copy of the database alone cannot produce a second factor."""

    error_messages = {  # noqa: RUF012 (the library's own attribute, extended)
        **DefaultMFAAdapter.error_messages,
        "unverified_email": _(
            "Two-step sign-in can be turned on once your email address is confirmed."
        ),
        "incorrect_code": _(
            "That code does not match. The code changes every 30 seconds: try the one "
            "your app shows now."
        ),
    }

    def encrypt(self, text: str) -> str:
        return crypto.seal_secret(text)

    def decrypt(self, encrypted_text: str) -> str:
        return crypto.open_secret(encrypted_text)

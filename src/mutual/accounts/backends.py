"""Sign-in by email and password: allauth's backend, refusing accounts whose address is
not confirmed yet.

Anyone can sign an address up with a password of their own choosing. If that account
could sign in before its address was confirmed, the answer to "sign up, then sign in"
would tell whether the address had an account already (SECURITY.md 30). So, while
confirmation is required (``ACCOUNT_EMAIL_VERIFICATION = "mandatory"``), an unconfirmed
account answers exactly as a wrong password does, on the web and in the API, after the
same work (the password is checked first). Its owner gets in by following the link that
was mailed at sign-up, or by resetting the password, which confirms the address too.

Finding the signed-in person of a request costs no query of its own: the session store
reads the person with the session (``mutual.accounts.session_store``), and
:func:`signed_in_person` hands it to :meth:`AuthenticationBackend.get_user` for the
length of Django's own check (``django.contrib.auth.get_user``), which still decides.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from allauth.account import app_settings
from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from allauth.account.models import EmailAddress
from django.contrib import auth
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

#: The person read with this request's session, while Django checks the session.
_READ_WITH_SESSION: ContextVar[Any] = ContextVar("mutual_read_with_session", default=None)

#: One answer for every sign-in that fails, whatever the reason: a wrong password, an
#: unknown address, or an account whose address is not confirmed yet.
SIGN_IN_REFUSED = gettext_lazy(
    "The email address or the password is not right. If you signed up a moment ago, "
    "follow the link in the email we sent you first."
)


def is_confirmed(person: Any) -> bool:
    """Whether ``person`` may sign in as far as their address goes."""
    if app_settings.EMAIL_VERIFICATION != app_settings.EmailVerificationMethod.MANDATORY:
        return True
    return bool(EmailAddress.objects.filter(user_id=person.pk, verified=True).exists())


class AuthenticationBackend(AllauthBackend):
    def authenticate(  # type: ignore[override]
        self, request: HttpRequest | None, **credentials: Any
    ) -> Any:
        person = super().authenticate(request, **credentials)
        if person is not None and not is_confirmed(person):
            return None
        return person

    def get_user(self, user_id: Any) -> Any:
        """The person ``user_id`` names: the one read with the session when it is that
        person (no query), otherwise read as Django reads it. Either way only an active
        person is returned (``user_can_authenticate``)."""
        person = _READ_WITH_SESSION.get()
        if person is not None and person.pk == user_id:
            return person if self.user_can_authenticate(person) else None
        return super().get_user(user_id)


@contextmanager
def _read_with_session(person: Any) -> Iterator[None]:
    token = _READ_WITH_SESSION.set(person)
    try:
        yield
    finally:
        _READ_WITH_SESSION.reset(token)


def signed_in_person(request: HttpRequest) -> Any:
    """``django.contrib.auth.get_user(request)`` — the session's person if the session is
    live, names an active person and still carries the hash of their password, otherwise
    ``AnonymousUser`` — with the person read in the session's own query."""
    take = getattr(request.session, "take_person", None)
    with _read_with_session(take() if take is not None else None):
        return auth.get_user(request)

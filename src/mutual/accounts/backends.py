"""Sign-in by email and password: allauth's backend, refusing accounts whose address is
not confirmed yet.

Anyone can sign an address up with a password of their own choosing. If that account
could sign in before its address was confirmed, the answer to "sign up, then sign in"
would tell whether the address had an account already (SECURITY.md 30). So, while
confirmation is required (``ACCOUNT_EMAIL_VERIFICATION = "mandatory"``), an unconfirmed
account answers exactly as a wrong password does, on the web and in the API, after the
same work (the password is checked first). Its owner gets in by following the link that
was mailed at sign-up, or by resetting the password, which confirms the address too.
"""

from __future__ import annotations

from typing import Any

from allauth.account import app_settings
from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from allauth.account.models import EmailAddress
from django.http import HttpRequest

#: One answer for every sign-in that fails, whatever the reason: a wrong password, an
#: unknown address, or an account whose address is not confirmed yet.
SIGN_IN_REFUSED = (
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

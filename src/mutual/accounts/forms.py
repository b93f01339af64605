"""allauth's sign-up and TOTP activation forms, with two promises kept (``ACCOUNT_FORMS``,
``MFA_FORMS`` in settings).

* Sign-up answers a known and a new address alike, with the same work (SECURITY.md 30):
  allauth already answers "check your email" in both cases and mails the owner of a known
  address instead of creating anything; here the password is hashed in both cases too, so
  that the time taken tells nothing either.
* The code typed to turn TOTP on is used up (SECURITY.md 13): allauth checks it against
  the new secret without marking it used, so within the same half-minute it would open
  a second door — a sign-in, a re-authentication, an API token. It is marked used with
  allauth's own replay guard, under the key every other check reads.
"""

from __future__ import annotations

from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.forms import ActivateTOTPForm as AllauthActivateTOTPForm
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest


class SignupForm(AllauthSignupForm):
    def try_save(self, request: HttpRequest) -> Any:
        if self.account_already_exists:
            # The work a new account costs: one run of the password hasher, then nothing
            # is kept (the owner's account and password stay as they are).
            make_password(self.cleaned_data.get("password1") or "")
        return super().try_save(request)


def code_use_up(*, person: Any, code: str) -> bool:
    """Mark ``code`` used for ``person`` in allauth's replay guard; ``False`` if it was
    used already."""
    guard = TOTP(Authenticator(user=person, type=Authenticator.Type.TOTP))
    return bool(guard._mark_code_used(code))


class ActivateTOTPForm(AllauthActivateTOTPForm):
    def clean_code(self) -> str:
        code = str(super().clean_code())
        if not code_use_up(person=self.user, code=code):
            raise get_mfa_adapter().validation_error("incorrect_code")
        return code

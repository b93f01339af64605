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

from allauth.account import forms as account_forms
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.forms import ActivateTOTPForm as AllauthActivateTOTPForm
from allauth.mfa.totp.internal.auth import TOTP
from django import forms
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import keys, zones

#: The words of every account form's fields, in Mutual's voice: (label, help text or None
#: to keep the library's).
WORDS: dict[str, tuple[Any, Any]] = {
    "email": (_("Your email address"), None),
    "login": (_("Your email address"), None),
    "password": (_("Your password"), None),
    "oldpassword": (_("Your password now"), None),
    "password1": (
        _("Choose a password"),
        _(
            "At least 12 characters. A few words that belong together only for you make a "
            "strong one; a very common password is refused."
        ),
    ),
    "password2": (_("The same password once more"), ""),
    "remember": (_("Keep me signed in on this device"), None),
    "code": (_("The six-digit code from your authenticator app"), None),
}


#: Instead of Django's "Enter a valid email address.", on every email field.
NOT_AN_EMAIL = _(
    "This does not look like an email address yet. Write it in full, like name@example.org."
)


class Worded(forms.Form):
    """Gives a form's fields Mutual's words, and no placeholders: a label says it once.
    An email field refuses a malformed address in Mutual's words too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            label, help_text = WORDS.get(name, (None, None))
            if label is not None:
                field.label = label
            if help_text is not None and name != "password" and name != "code":
                field.help_text = help_text
            field.widget.attrs.pop("placeholder", None)
            if isinstance(field, forms.EmailField):
                field.error_messages["invalid"] = NOT_AN_EMAIL


class LoginForm(Worded, account_forms.LoginForm):
    """Sign-in. With keys, the device sends its sign-in secret as the password and
    nothing changes here. An account made before keys moves over (docs/e2e.md): its
    device sends the password one last time with fresh keys and the new sign-in secret;
    once the sign-in is complete they are kept, and the password's hash is replaced by
    the secret's."""

    def clean(self) -> Any:
        cleaned = super().clean()
        person = getattr(self, "user", None)
        if self.errors or person is None or keys.the_keys_of(person) is not None:
            return cleaned
        try:
            given = keys.keys_from(self.data)
        except keys.KeysRefused:
            return cleaned  # a sign-in as before; the keys wait for the next one
        if given.secret is not None and self.request is not None:
            try:
                given.need(*keys.ALL)
            except keys.KeysRefused:
                return cleaned
            self.request.session[keys.MOVE_PENDING] = {
                "person": str(person.pk),
                "password": make_password(given.secret),
                **{name: self.data.get(name) for name, _size in keys.FIELDS.values()},
                "e2e_opslimit": given.opslimit,
                "e2e_memlimit": given.memlimit,
            }
        return cleaned


class ResetPasswordForm(Worded, account_forms.ResetPasswordForm):
    pass


def _refused(form: forms.Form, exc: keys.KeysRefused) -> None:
    form.add_error(None, str(exc))


class ResetPasswordKeyForm(Worded, account_forms.ResetPasswordKeyForm):
    """A reset by mail: the device sends the new sign-in secret and either the same
    private key re-wrapped (it had the recovery key) or fresh keys (it had not)."""

    key_changed = False

    def clean(self) -> Any:
        cleaned = super().clean()
        self.e2e = None
        try:
            given = keys.keys_from(self.data)
            if given.empty and keys.the_keys_of(self.user) is None:
                return cleaned  # an account made before keys, reset without JavaScript
            self.e2e = given.need(*keys.PASSWORD_PARTS)
            if "password1" in self.cleaned_data:
                keys.check_secret(self.cleaned_data["password1"])
        except keys.KeysRefused as exc:
            _refused(self, exc)
        return cleaned

    def save(self) -> None:
        with transaction.atomic():
            if self.e2e is not None:
                self.key_changed = keys.keys_replace(
                    person=self.user, given=self.e2e, at=timezone.now()
                )
            super().save()


class ChangePasswordForm(Worded, account_forms.ChangePasswordForm):
    """A password change. With keys, the device sends the old and the new sign-in
    secrets and the private key re-wrapped by the new password's key, kept in one
    transaction with the new secret's hash. Without keys, as before."""

    def clean(self) -> Any:
        cleaned = super().clean()
        self.e2e = None
        if keys.the_keys_of(self.user) is None:
            return cleaned
        try:
            self.e2e = keys.keys_from(self.data).need(*keys.PASSWORD_PARTS)
            if "password1" in self.cleaned_data:
                keys.check_secret(self.cleaned_data["password1"])
        except keys.KeysRefused as exc:
            _refused(self, exc)
        return cleaned

    def save(self) -> None:
        with transaction.atomic():
            if self.e2e is not None:
                keys.password_rewrap(person=self.user, given=self.e2e)
            super().save()


class ReauthenticateForm(Worded, account_forms.ReauthenticateForm):
    pass


class AddEmailForm(Worded, account_forms.AddEmailForm):
    pass


ANY_CODE = _("The code from your authenticator app, or one of your recovery codes")


class MFAAuthenticateForm(Worded, mfa_forms.AuthenticateForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].label = ANY_CODE


class MFAReauthenticateForm(Worded, mfa_forms.ReauthenticateForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].label = ANY_CODE


class SignupForm(Worded, account_forms.SignupForm):
    #: Filled by the browser (``zone.js``) with its own time zone; changeable later in
    #: settings. Empty or unknown, the account starts on UTC.
    time_zone = forms.CharField(
        required=False,
        max_length=64,
        widget=forms.HiddenInput(attrs={"data-zone-detect": ""}),
    )

    def clean(self) -> Any:
        """The device made the keys and sends its sign-in secret as the password; a
        sign-up without them (no JavaScript) is refused, since the password would
        otherwise reach the server."""
        cleaned = super().clean()
        try:
            self.e2e = keys.keys_from(self.data).need(*keys.ALL)
            if "password1" in self.cleaned_data:
                keys.check_secret(self.cleaned_data["password1"])
        except keys.KeysRefused as exc:
            _refused(self, exc)
        return cleaned

    def custom_signup(self, request: HttpRequest, user: Any) -> None:
        super().custom_signup(request, user)
        keys.keys_keep(person=user, given=self.e2e, at=timezone.now())
        zone = zones.clean(self.cleaned_data.get("time_zone"))
        if zone is not None and zone != user.time_zone:
            user.time_zone = zone
            user.save(update_fields=["time_zone"])

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


class ActivateTOTPForm(Worded, AllauthActivateTOTPForm):
    def clean_code(self) -> str:
        code = str(super().clean_code())
        if not code_use_up(person=self.user, code=code):
            raise get_mfa_adapter().validation_error("incorrect_code")
        return code

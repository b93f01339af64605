"""The pages and answers of end-to-end keys (docs/e2e.md): the salt lookup that starts a
sign-in, the page that opens a person's keys on a device after signing in, the list of
common passwords a device checks a new password against, and the Content-Security-Policy
of the pages that run the scheme."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from allauth.core.internal import ratelimit
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from . import keys
from .models import Person
from .sessions import trusted_device_of

#: What libsodium needs to instantiate its WebAssembly: compiling it, not ``eval``.
WASM = "'wasm-unsafe-eval'"
#: Set on a request whose page includes the scheme (``{% keys_scheme %}``).
RUNS_SCHEME = "_mutual_runs_scheme"


class SchemePagesMiddleware:
    """Adds ``'wasm-unsafe-eval'`` to ``script-src`` on the pages that run the scheme
    (those that rendered ``{% keys_scheme %}``), and on no other; placed after
    django-csp's middleware, which writes the header from what is set here."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, RUNS_SCHEME, False):
            response._csp_update = {"script-src": [WASM]}  # type: ignore[attr-defined]
        return response


#: The salt lookup asked too often (``keys_salt`` in ``ACCOUNT_RATE_LIMITS``).
SALT_LIMITED = gettext_lazy(
    "Mutual has been asked to sign in many times in a short while, from here or with this "
    "address. Please wait a few minutes, then try again."
)


def _salt_allowed(request: HttpRequest, email: str) -> bool:
    """Counted per address of the client and per email address, with allauth's machinery
    and cache, as failed sign-ins are. A browser that carries the account's trusted-device
    mark counts in a bucket of its own instead, so that someone asking about a person's
    address again and again cannot keep that person's own browser out."""
    person = Person.objects.filter(email=email).first() if email else None
    device = trusted_device_of(request, person) if person is not None else None
    if device is not None:
        action, key = "keys_salt_trusted", device
    else:
        action, key = "keys_salt", email
    return bool(ratelimit.consume(request, app="allauth.account", action=action, key=key))


@require_POST
def salt(request: HttpRequest) -> JsonResponse:
    """The salt and limits a device derives its sign-in secret with, for the address it
    posts: the same answer, headers and limits whether the address has an account or not."""
    email = str(request.POST.get("email", ""))[:254].strip().lower()
    if not _salt_allowed(request, email):
        return JsonResponse({"detail": str(SALT_LIMITED)}, status=429)
    return JsonResponse(keys.salt_for(email))


@login_required
@require_GET
def keys_open(request: HttpRequest) -> HttpResponse:
    """After signing in: the device unwraps the private key with what it derived from the
    password (or asks for the password again) and keeps it for this session; an account
    that just moved over is shown its recovery key once. Then on to ``next``."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/bonds/"
    kept = keys.the_keys_of(request.user)
    return render(
        request,
        "account/keys_open.html",
        {"next_url": target, "keys": keys.public_view(kept) if kept is not None else None},
    )


@cache
def _common_passwords() -> bytes:
    listed = CommonPasswordValidator().passwords
    return "\n".join(sorted(listed)).encode("utf-8")


@require_GET
def common_passwords(request: HttpRequest) -> HttpResponse:
    """The list the server used to refuse common passwords with (Django's own), for the
    device to check a new password against before deriving: the password never comes
    here to be checked."""
    response = HttpResponse(_common_passwords(), content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def page_data(person: Any, *, recovery: bool = False) -> dict[str, Any]:
    """What a page that runs the scheme tells the device: the limits new keys are made
    with and, for a person with keys, their public part."""
    kept = keys.the_keys_of(person)
    return {
        "urls": {"salt": reverse("mutual_keys_salt"), "common": reverse("mutual_common_passwords")},
        "limits": keys.limits(),
        "keys": keys.public_view(kept, recovery=recovery) if kept is not None else None,
    }

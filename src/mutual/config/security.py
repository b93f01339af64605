"""Mutual's web armour: response headers, device sessions and the idle lock.

* :class:`SecurityHeadersMiddleware` adds ``Cache-Control: no-store`` to every dynamic
  response (static files are served earlier by WhiteNoise), ``Clear-Site-Data`` to the
  response that signs someone out, and a ``Permissions-Policy`` that turns off every
  powerful browser feature. CSP comes from django-csp (see settings); nosniff, HSTS and
  the referrer policy from Django's ``SecurityMiddleware``.
* :class:`DeviceSessionMiddleware` refuses a session that never registered its device
  at sign-in, refuses a session left idle longer than the owner's idle lock, and keeps
  "last seen" of the owner's own session list (written at most once a minute, with the
  session's last-activity stamp). A session revoked from the session list needs no check
  here: revoking deletes it, so its cookie finds no session and nobody is signed in.
* :class:`QuietExceptionReporterFilter` keeps every submitted field and every local
  variable out of error reports, so that no revelation text reaches a log or a mail.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.views.debug import SafeExceptionReporterFilter

CLEAR_SITE_DATA = '"cache", "cookies", "storage"'
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
#: The session key under which the time of the last request is kept (idle lock).
LAST_ACTIVITY = "mutual_last_activity"
#: How often the "last seen" of a device session is written, at most.
SEEN_EVERY = timedelta(minutes=1)


def mark_signed_out(request: HttpRequest) -> None:
    """Ask for ``Clear-Site-Data`` on the response to this request."""
    request._mutual_signed_out = True  # type: ignore[attr-defined]


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Cache-Control"] = "no-store"
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if getattr(request, "_mutual_signed_out", False):
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response


class DeviceSessionMiddleware:
    """Runs after authentication: the session list and the idle lock, enforced."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refused = self._refuse(request)
        if refused is not None:
            return refused
        return self.get_response(request)

    def _refuse(self, request: HttpRequest) -> HttpResponse | None:
        from mutual.accounts import sessions

        user = getattr(request, "user", None)
        if user is None:
            return None
        signed_in = user.is_authenticated  # loads the session (one query, by key hash)
        key = request.session.session_key
        if not signed_in or not key:
            if key is None and settings.SESSION_COOKIE_NAME in request.COOKIES:
                # The cookie found no session: revoked, signed out elsewhere or expired.
                # Whatever the page, the browser is told to forget what it kept.
                mark_signed_out(request)
            return None
        now = timezone.now()
        # No query: a revoked session no longer exists, and the mark is in the session.
        if not sessions.is_registered(request):
            logout(request)
            mark_signed_out(request)
            return HttpResponseRedirect("/accounts/login/")
        last = request.session.get(LAST_ACTIVITY)
        if isinstance(last, (int, float)):
            idle = now.timestamp() - last
            if idle > user.idle_lock_minutes * 60:
                sessions.record_event(request, user, "idle_lock", at=now)
                logout(request)
                mark_signed_out(request)
                return HttpResponseRedirect("/accounts/login/?locked=1")
        # Written at most once a minute, so that reading a page seldom writes the session;
        # "last seen" of the session list moves with it (one UPDATE by hash, no read).
        if (
            not isinstance(last, (int, float))
            or now.timestamp() - last >= SEEN_EVERY.total_seconds()
        ):
            request.session[LAST_ACTIVITY] = int(now.timestamp())
            sessions.device_seen(key, at=now)
        return None


class QuietExceptionReporterFilter(SafeExceptionReporterFilter):
    """Error reports carry no submitted values, settings or local variables."""

    def get_post_parameters(self, request: HttpRequest | None) -> dict[str, Any]:
        if request is None:
            return {}
        return {key: self.cleansed_substitute for key in request.POST}

    def get_traceback_frame_variables(self, request: Any, tb_frame: Any) -> Any:
        return {name: self.cleansed_substitute for name in tb_frame.f_locals}.items()

    def get_safe_request_meta(self, request: HttpRequest) -> dict[str, Any]:
        return {key: self.cleansed_substitute for key in getattr(request, "META", {})}

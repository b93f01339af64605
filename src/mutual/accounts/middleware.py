"""Who is signed in, device sessions and the idle lock, enforced on every request.

:class:`AuthenticationMiddleware` is Django's, finding the signed-in person without a
query of its own: the person is read with the session
(:func:`mutual.accounts.backends.signed_in_person`).

:class:`PersonMiddleware` refuses a session that never registered its device at sign-in,
refuses a session left idle longer than the owner's idle lock, and keeps "last seen" of
the owner's own session list (written at most once a minute, with the session's
last-activity stamp). A session revoked from the session list needs no check here:
revoking deletes it, so its cookie finds no session and nobody is signed in. It then
shows the page in the person's chosen language and time zone: one middleware for all of
it, rather than three that each looked at the person again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthentication
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject

from mutual.web.security import LAST_ACTIVITY, SEEN_EVERY, mark_signed_out

from . import sessions, zones
from .backends import signed_in_person


def _person(request: HttpRequest) -> Any:
    # The same cache as Django's own ``get_user``, which ``login`` and ``logout`` replace.
    if not hasattr(request, "_cached_user"):
        request._cached_user = signed_in_person(request)  # type: ignore[attr-defined]
    return request._cached_user  # type: ignore[attr-defined]


class AuthenticationMiddleware(DjangoAuthentication):
    """``request.user`` as Django sets it, read through :func:`signed_in_person`."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _person(request))  # type: ignore[assignment]


class PersonMiddleware:
    """Runs after authentication, once for everything a signed-in request carries: the
    session list and the idle lock enforced, then the person's own language and time
    zone for the page. The person was read with the session (one query for both), so
    nothing here queries unless the session is refused or its "last seen" is due."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refused = self._refuse(request)
        if refused is not None:
            return refused
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            timezone.deactivate()
            return self.get_response(request)
        # The language a signed-in person chose wins over the browser's (which
        # ``LocaleMiddleware`` picked).
        chosen = getattr(user, "language", "")
        if (
            chosen
            and chosen != getattr(request, "LANGUAGE_CODE", None)
            and chosen in dict(settings.LANGUAGES)
        ):
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen  # type: ignore[attr-defined]
        # Every page in the person's own time zone (``accounts.zones``): Django's ``|date``
        # and the ``|day`` filters then print their local times and days.
        zone = zones.zone_name(user)
        if zone == settings.TIME_ZONE:
            timezone.deactivate()  # the default zone already
        else:
            timezone.activate(zones.zone_of(user))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

    @staticmethod
    def _refuse(request: HttpRequest) -> HttpResponse | None:
        """The session list and the idle lock: a redirect to sign in when refused."""
        user = getattr(request, "user", None)
        if user is None:
            return None
        signed_in = user.is_authenticated  # loads the session with its person (one query)
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

"""The person's own security pages: sessions, security log, idle lock, export, deletion,
and the quick exit and lock that sign out at once."""

from __future__ import annotations

from typing import Any

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from mutual.web import support
from mutual.web.security import mark_signed_out

from . import services, sessions, ways_out, zones
from .models import ApiToken, Person, SecurityEvent

IDLE_MIN, IDLE_MAX = 2, 60
#: Where the quick exit lands: a neutral, everyday page.
DEFAULT_QUICK_EXIT_URL = "https://www.wikipedia.org/"


def quick_exit_url() -> str:
    return str(getattr(settings, "MUTUAL_QUICK_EXIT_URL", DEFAULT_QUICK_EXIT_URL))


def _person(request: HttpRequest) -> Person:
    user = request.user
    assert isinstance(user, Person)
    return user


@login_required
def security(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    devices = [
        {"device": d, "current": sessions.is_current(d, request)}
        for d in sessions.sessions_for(person=person)
    ]
    # Label and dates only: never the secret, its hash or its prefix.
    tokens = ApiToken.objects.filter(person=person, revoked_at__isnull=True).order_by("-created_at")
    return render(
        request,
        "account/security.html",
        {
            "devices": devices,
            "tokens": list(tokens.values("id", "label", "created_at", "last_used_at")),
            "idle_min": IDLE_MIN,
            "idle_max": IDLE_MAX,
            "idle_choices": [2, 5, 10, 15, 20, 30, 45, 60],
            "countries": support.country_choices(),
            "languages": settings.LANGUAGES,
            "zone_names": zones.names(),
            "local_now": zones.local(timezone.now(), person),
        },
    )


#: Where the country form sends the person back to (a fixed set: nothing is reflected).
COUNTRY_BACK = {"settings": "mutual_security", "support": "safety:support"}


@login_required
@require_POST
def country_set(request: HttpRequest) -> HttpResponse:
    """Keep the country whose support services the person is shown."""
    person = _person(request)
    back = COUNTRY_BACK.get(request.POST.get("back", ""), "mutual_security")
    try:
        code = services.country_set(person=person, country=request.POST.get("country", ""))
    except services.CountryRefused as exc:
        messages.error(request, str(exc))
        return redirect(back)
    if code:
        messages.info(request, gettext("Support pages now show services for your country."))
    else:
        messages.info(request, gettext("Support pages now show how to find help near you."))
    return redirect(back)


#: How each line of the security log reads to its owner.
LOG_LABELS = {
    "signed_in": gettext_lazy("Signed in"),
    "sign_in_failed": gettext_lazy("A sign-in failed"),
    "password_changed": gettext_lazy("Password changed"),
    "password_set": gettext_lazy("Password set"),
    "password_reset": gettext_lazy("Password reset by email"),
    "email_changed": gettext_lazy("Email address changed"),
    "email_added": gettext_lazy("Email address added"),
    "email_removed": gettext_lazy("Email address removed"),
    "factor_added": gettext_lazy("Two-step sign-in added"),
    "factor_removed": gettext_lazy("Two-step sign-in removed"),
    "recovery_codes_renewed": gettext_lazy("New recovery codes"),
    "session_revoked": gettext_lazy("A browser signed out"),
    "sessions_revoked": gettext_lazy("Signed out everywhere"),
    "trust_ended": gettext_lazy("Other browsers no longer trusted"),
    "api_token_created": gettext_lazy("API token made"),
    "api_token_revoked": gettext_lazy("API token turned off"),
    "api_tokens_revoked": gettext_lazy("Every API token turned off"),
    "export": gettext_lazy("Export"),
    "idle_lock": gettext_lazy("Screen locked"),
    "idle_lock_changed": gettext_lazy("Screen lock time changed"),
    "keys_made": gettext_lazy("Your keys were made on your device"),
}


@login_required
def security_log(request: HttpRequest) -> HttpResponse:
    events = SecurityEvent.objects.filter(person=_person(request)).order_by("-at")[:200]
    rows = [
        {
            "label": LOG_LABELS.get(e.kind, e.kind.replace("_", " ").capitalize()),
            "at": e.at,
            "user_agent": e.user_agent,
        }
        for e in events
    ]
    return render(request, "account/security_log.html", {"events": rows})


@login_required
@require_POST
def session_revoke(request: HttpRequest, device_id: Any) -> HttpResponse:
    person = _person(request)
    sessions.session_revoke(person=person, device_id=device_id, at=timezone.now(), request=request)
    messages.info(request, gettext("That session is signed out."))
    return redirect("mutual_security")


@login_required
@require_POST
@reauthentication_required
def sessions_revoke_all(request: HttpRequest) -> HttpResponse:
    """Sign out everywhere, here too: every session and every API token ends, and only
    this browser — which just proved the password — keeps its trusted-device mark."""
    person = _person(request)
    ways_out.close_every_way_in(
        person=person, why="signed_out_everywhere", at=timezone.now(), request=request
    )
    logout(request)
    mark_signed_out(request)
    return HttpResponseRedirect(settings.LOGIN_URL)


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: Any) -> HttpResponse:
    """Revoke one of the person's API tokens; another person's answers 404."""
    token = ways_out.token_revoke(
        person=_person(request), token_id=token_id, at=timezone.now(), request=request
    )
    if token is None:
        raise Http404
    messages.info(
        request, gettext("The token “%(label)s” no longer works.") % {"label": token.label}
    )
    return redirect("mutual_security")


@login_required
@require_POST
def idle_lock_set(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    try:
        minutes = int(request.POST.get("minutes", ""))
    except ValueError:
        minutes = 0
    if not IDLE_MIN <= minutes <= IDLE_MAX:
        messages.error(
            request,
            gettext("Choose between %(low)d and %(high)d minutes.")
            % {"low": IDLE_MIN, "high": IDLE_MAX},
        )
        return redirect("mutual_security")
    Person.objects.filter(pk=person.pk).update(idle_lock_minutes=minutes)
    sessions.record_event(
        request, person, "idle_lock_changed", at=timezone.now(), detail={"minutes": minutes}
    )
    messages.info(
        request,
        gettext("The screen now locks after %(minutes)d minutes without use.")
        % {"minutes": minutes},
    )
    return redirect("mutual_security")


@login_required
@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """The language Mutual speaks to this person on every device; empty: the browser's."""
    person = _person(request)
    chosen = request.POST.get("language", "")
    if chosen and chosen not in dict(settings.LANGUAGES):
        messages.error(request, gettext("Choose one of the languages in the list."))
        return redirect("mutual_security")
    Person.objects.filter(pk=person.pk).update(language=chosen)
    translation.activate(chosen or translation.get_language_from_request(request))
    if chosen:
        messages.info(request, gettext("Mutual now speaks to you in the language you chose."))
    else:
        messages.info(request, gettext("Mutual now follows the language your browser asks for."))
    return redirect("mutual_security")


@login_required
@require_POST
def time_zone_set(request: HttpRequest) -> HttpResponse:
    """Change the person's time zone; a name the system does not know changes nothing."""
    person = _person(request)
    zone = zones.clean(request.POST.get("time_zone"))
    if zone is None:
        messages.error(request, gettext("Choose a time zone from the list."))
        return redirect("mutual_security")
    Person.objects.filter(pk=person.pk).update(time_zone=zone)
    messages.info(
        request, gettext("Mutual now keeps your days and hours in %(zone)s.") % {"zone": zone}
    )
    return redirect("mutual_security")


def _csrf_passes(request: HttpRequest) -> bool:
    """Whether a POST carries this browser's CSRF token (the check Django's middleware
    makes), without answering 403 when it does not."""

    def check(_request: HttpRequest) -> HttpResponse:  # not exempt: the check runs
        return HttpResponse()

    return CsrfViewMiddleware(check).process_view(request, check, (), {}) is None


@csrf_exempt  # checked in the view, so that a failed check still leaves
@require_http_methods(["GET", "POST"])
def quick_exit(request: HttpRequest) -> HttpResponse:
    """Go to a neutral page at once; a POST with the CSRF token also signs out.

    ``device.js`` posts in the background and replaces the page; without JavaScript the
    control is a form that posts. A GET, or a POST without a valid token, signs no one out
    (no other site can end a session) and still leaves: a quick exit never stops at an
    error page."""
    if request.method == "POST" and _csrf_passes(request):
        if request.user.is_authenticated:
            logout(request)
        mark_signed_out(request)
    return HttpResponseRedirect(quick_exit_url())


@require_http_methods(["GET", "POST"])
def lock(request: HttpRequest) -> HttpResponse:
    """The idle lock: a POST (with the CSRF token, as ``device.js`` sends it) signs out,
    notes it in the security log and leads to the sign-in page. A GET changes nothing:
    signed out it leads to the sign-in page, signed in it offers a button that locks."""
    locked = HttpResponseRedirect(f"{settings.LOGIN_URL}?locked=1")
    if request.method == "GET":
        if request.user.is_authenticated:
            return render(request, "account/lock.html")
        return locked
    if request.user.is_authenticated:
        sessions.record_event(request, _person(request), "idle_lock", at=timezone.now())
        logout(request)
    mark_signed_out(request)
    return locked


@login_required
@require_POST
def confirmation_resend(request: HttpRequest) -> HttpResponse:
    """Send the mail that confirms one's address again, from the two-step sign-in page:
    two-step sign-in can be turned on once the address is confirmed (so that no one can
    sign up with another person's address and lock its owner out)."""
    from allauth.account.internal.flows.email_verification import (
        send_verification_email_to_address,
    )
    from allauth.account.models import EmailAddress

    for address in EmailAddress.objects.filter(user=_person(request), verified=False):
        send_verification_email_to_address(request, address)
    messages.info(
        request,
        gettext(
            "A new mail is on its way. Open its link, then come back here to turn on "
            "two-step sign-in."
        ),
    )
    return redirect("mfa_index")


def not_in_mutual(request: HttpRequest) -> HttpResponse:
    """allauth's pages for a way in Mutual does not offer: setting a first password (every
    account has one from sign-up, made with its keys on the device) and signing in by a
    mailed code (sign-in is by password alone). They answer like any address that is not
    there, rather than with a stock page no one should meet."""
    raise Http404

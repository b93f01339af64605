"""The person's own security pages: sessions, security log, idle lock, export, deletion,
and the quick exit and lock that sign out at once."""

from __future__ import annotations

import json
from typing import Any

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from mutual.config.security import mark_signed_out

from . import services, sessions
from .models import Person, SecurityEvent

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
    return render(
        request,
        "account/security.html",
        {
            "devices": devices,
            "idle_min": IDLE_MIN,
            "idle_max": IDLE_MAX,
            "idle_choices": [2, 5, 10, 15, 20, 30, 45, 60],
        },
    )


@login_required
def security_log(request: HttpRequest) -> HttpResponse:
    events = SecurityEvent.objects.filter(person=_person(request)).order_by("-at")[:200]
    return render(request, "account/security_log.html", {"events": events})


@login_required
@require_POST
def session_revoke(request: HttpRequest, device_id: Any) -> HttpResponse:
    person = _person(request)
    sessions.session_revoke(person=person, device_id=device_id, at=timezone.now(), request=request)
    messages.info(request, "That session is signed out.")
    return redirect("mutual_security")


@login_required
@require_POST
def sessions_revoke_all(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    sessions.sessions_revoke_all(person=person, at=timezone.now(), request=request)
    logout(request)
    mark_signed_out(request)
    return HttpResponseRedirect(settings.LOGIN_URL)


@login_required
@require_POST
def idle_lock_set(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    try:
        minutes = int(request.POST.get("minutes", ""))
    except ValueError:
        minutes = 0
    if not IDLE_MIN <= minutes <= IDLE_MAX:
        messages.error(request, f"Choose between {IDLE_MIN} and {IDLE_MAX} minutes.")
        return redirect("mutual_security")
    Person.objects.filter(pk=person.pk).update(idle_lock_minutes=minutes)
    sessions.record_event(
        request, person, "idle_lock_changed", at=timezone.now(), detail={"minutes": minutes}
    )
    messages.info(request, f"The screen now locks after {minutes} minutes without use.")
    return redirect("mutual_security")


@login_required
@reauthentication_required
def export_page(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    at = timezone.now()
    data = services.account_export(person=person, at=at)
    return render(request, "account/export.html", {"data": data})


@login_required
@reauthentication_required
def export_json(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    at = timezone.now()
    data = services.account_export(person=person, at=at)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="mutual-export.json"'
    return response


@login_required
@reauthentication_required(allow_get=True)
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    if request.method == "POST":
        if request.POST.get("confirm") != "delete":
            messages.error(request, "Tick the box to confirm that you want to delete everything.")
            return render(request, "account/delete.html", status=422)
        services.account_delete(person=person, at=timezone.now())
        logout(request)
        mark_signed_out(request)
        return render(request, "account/deleted.html")
    return render(request, "account/delete.html")


@require_http_methods(["GET", "POST"])
def quick_exit(request: HttpRequest) -> HttpResponse:
    """Sign out at once and go to a neutral page. Works without JavaScript."""
    if request.user.is_authenticated:
        logout(request)
    mark_signed_out(request)
    return HttpResponseRedirect(quick_exit_url())


@require_http_methods(["GET", "POST"])
def lock(request: HttpRequest) -> HttpResponse:
    """The idle lock: sign out and show the sign-in page."""
    if request.user.is_authenticated:
        sessions.record_event(request, _person(request), "idle_lock", at=timezone.now())
        logout(request)
    mark_signed_out(request)
    return HttpResponseRedirect(f"{settings.LOGIN_URL}?locked=1")

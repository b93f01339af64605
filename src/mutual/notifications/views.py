"""The notification pages: choices, unsubscribing, a bond's rhythm; and what makes Mutual
installable: the manifest, the service worker and its offline page."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from mutual.accounts.models import Person
from mutual.bonds import guards
from mutual.bonds.errors import Invalid
from mutual.bonds.signals import KINDS

from . import messages as texts
from . import rhythm, selectors, services
from .models import Rhythm

HOURS = list(range(24))
WEEKDAYS = [
    (0, gettext_lazy("Monday")),
    (1, gettext_lazy("Tuesday")),
    (2, gettext_lazy("Wednesday")),
    (3, gettext_lazy("Thursday")),
    (4, gettext_lazy("Friday")),
    (5, gettext_lazy("Saturday")),
    (6, gettext_lazy("Sunday")),
]


def _person(request: HttpRequest) -> Person:
    assert isinstance(request.user, Person)
    return request.user


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    """What Mutual tells the person, and when."""
    person = _person(request)
    error, status = "", 200
    if request.method == "POST":
        post = request.POST
        try:
            services.preferences_set(
                person=person,
                choices={k: post.get(f"kind_{k}", "") for k in KINDS},
                digest_hour=post.get("digest_hour", ""),
                quiet_from=post.get("quiet_from", ""),
                quiet_until=post.get("quiet_until", ""),
                by_mail=post.get("by_mail") == "on",
                by_push=post.get("by_push") == "on",
            )
        except Invalid as exc:
            error, status = exc.message, 422
        else:
            messages.info(request, _("Your choices are saved."))
            return redirect("notifications:settings")
    context = {
        "view": selectors.settings_view(person=person),
        "hours": HOURS,
        "error": error,
        "vapid_public_key": settings.MUTUAL_VAPID_PUBLIC_KEY,
    }
    return render(request, "notifications/settings.html", context, status=status)


@csrf_exempt  # RFC 8058: the mail client posts with no session and no token
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One click stops every notification mail, signed in or not. A GET only asks (a
    link previewer or a scanner must change nothing); the POST does it."""
    person_id = texts.unsubscribe_person_id(token)
    person = Person.objects.filter(pk=person_id).first() if person_id else None
    if person is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        services.mail_stop(person=person)
        return render(request, "notifications/unsubscribe.html", {"done": True})
    return render(request, "notifications/unsubscribe.html", {"token": token})


@login_required
@require_http_methods(["POST"])
def push_subscription(request: HttpRequest) -> JsonResponse:
    """``push.js`` sends this browser's subscription (JSON), or ``{"off": true}``."""
    person = _person(request)
    try:
        body: Any = json.loads(request.body or b"{}")
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return JsonResponse(
            {"detail": _("This browser did not give a usable push address.")}, status=422
        )
    if body.get("off"):
        services.push_unsubscribe(person=person)
        return JsonResponse({"push": "off"})
    keys: dict[str, Any] = body["keys"] if isinstance(body.get("keys"), dict) else {}
    try:
        services.push_subscribe(
            person=person,
            endpoint=str(body.get("endpoint", "")),
            p256dh=str(keys.get("p256dh", "")),
            auth=str(keys.get("auth", "")),
            at=timezone.now(),
        )
    except Invalid as exc:
        return JsonResponse({"detail": exc.message}, status=422)
    return JsonResponse({"push": "on"})


@guards.member_view
@require_http_methods(["GET", "POST"])
def rhythm_page(request: HttpRequest, bond_id: uuid.UUID) -> HttpResponse:
    """Choose how often the bond's rhythm suggests a question, or stop it."""
    bond = guards.bond_or_404(request, bond_id)
    person = _person(request)
    error, status = "", 200
    if request.method == "POST":
        try:
            if request.POST.get("every") == "off":
                rhythm.rhythm_stop(bond=bond, person=person)
                messages.info(request, _("No more suggested questions. You can start again here."))
            else:
                rhythm.rhythm_set(
                    bond=bond,
                    person=person,
                    every=request.POST.get("every", ""),
                    days=request.POST.get("days", ""),
                    weekday=request.POST.get("weekday", ""),
                    hour=request.POST.get("hour", ""),
                    at=timezone.now(),
                )
                messages.info(request, _("Your rhythm is saved."))
            return redirect("notifications:rhythm", bond_id=bond.id)
        except Invalid as exc:
            error, status = exc.message, 422
    current = selectors.rhythm_of(bond=bond)
    context = {
        "current_words": _rhythm_words(current),
        "bond": bond,
        "rhythm": current,
        "every": current.every if current else Rhythm.Every.DAYS,
        "days": current.days if current else 2,
        "weekday": current.weekday if current else 6,
        "hour": current.hour if current else 19,
        "hours": HOURS,
        "weekdays": WEEKDAYS,
        "day_choices": list(range(1, 15)),
        "active": guards.is_active(bond),
        "error": error,
    }
    return render(request, "notifications/rhythm.html", context, status=status)


def _rhythm_words(current: Rhythm | None) -> str:
    if current is None:
        return _("No rhythm yet: questions come only when one of you picks one.")
    hour = f"{current.hour:02d}:00"
    if current.every == Rhythm.Every.DAYS:
        if current.days == 1:
            return _("Right now: a question every day at %(hour)s.") % {"hour": hour}
        return _("Right now: a question every %(days)d days at %(hour)s.") % {
            "days": current.days,
            "hour": hour,
        }
    return _("Right now: a question every %(day)s at %(hour)s.") % {
        "day": dict(WEEKDAYS)[current.weekday],
        "hour": hour,
    }


def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: Mutual installs under its neutral name."""
    body = {
        "name": "Mutual",
        "short_name": "Mutual",
        "start_url": reverse("bonds:home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#fbf7f2",
        "theme_color": "#fbf7f2",
        "icons": [
            {"src": static("notifications/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("notifications/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("notifications/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return HttpResponse(json.dumps(body), content_type="application/manifest+json")


def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from the root so that its scope is the whole site."""
    path = settings.BASE_DIR / "notifications" / "static" / "notifications" / "sw.js"
    if not path.exists():
        raise Http404
    return HttpResponse(path.read_text(), content_type="text/javascript")


@login_required
@never_cache
def waiting(request: HttpRequest) -> HttpResponse:
    """Where every notification's link leads (its address names nothing): after sign-in,
    straight to what waits, in as few steps as there can be."""
    return redirect(selectors.where_waits(person=_person(request), at=timezone.now()))


def offline(request: HttpRequest) -> HttpResponse:
    """The one page the service worker keeps: it holds nothing private."""
    return render(request, "notifications/offline.html")

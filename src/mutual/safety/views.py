"""Web views for withdrawal, private reports, safety mode, pause, resume and leave, and
the "who can see what" page. Thin: parse the form, call one safety service."""

from __future__ import annotations

from typing import Any

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from mutual.accounts import keys
from mutual.accounts.models import Person
from mutual.bonds import guards, rules
from mutual.bonds import selectors as bond_selectors
from mutual.bonds.errors import NotFound, ServiceError
from mutual.bonds.models import Bond
from mutual.web import support

from . import selectors, services
from .models import BreachReport


def _person(request: HttpRequest) -> Person:
    user = request.user
    assert isinstance(user, Person)
    return user


def _partner_name(bond: Bond, person: Person) -> str:
    partner = bond_selectors.partner_of(bond=bond, viewer=person)
    return bond_selectors.display_name(partner) if partner is not None else ""


def _bond_url(bond: Bond) -> str:
    return reverse("bonds:bond", args=[bond.pk])


def _fail(request: HttpRequest, error: ServiceError, to: str) -> HttpResponse:
    if isinstance(error, NotFound):
        raise Http404() from error
    messages.error(request, error.message)
    return redirect(to)


@guards.member_view
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, revelation_id: Any) -> HttpResponse:
    person = _person(request)
    revelation = bond_selectors.revelation_get(id=revelation_id, viewer=person)
    refused = bond_selectors.answer_refusals(
        action=rules.WITHDRAW, revelation=revelation, viewer=person
    )
    if rules.NOT_YOURS in refused:
        raise Http404()
    bond = revelation.exchange.bond
    if request.method == "POST":
        try:
            services.revelation_withdraw(revelation=revelation, person=person, at=timezone.now())
        except ServiceError as error:
            return _fail(request, error, _bond_url(bond))
        messages.info(request, gettext("Your answer is withdrawn. Its words are erased for good."))
        return redirect(_bond_url(bond))
    page = selectors.withdraw_page(revelation=revelation, viewer=person)
    return render(
        request,
        "safety/withdraw.html",
        {"revelation": revelation, "bond": bond, "question": page.question},
    )


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, bond_id: Any) -> HttpResponse:
    person = _person(request)
    bond = guards.bond_or_404(request, bond_id)
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        chosen = request.POST.get("revelation") or None
        own = selectors.reportable_answers(bond=bond, viewer=person)
        revelation = next((r for r in own if str(r.pk) == chosen), None)
        if chosen and revelation is None:
            messages.error(request, gettext("Choose one of your own answers."))
            return redirect("safety:report", bond_id=bond.pk)
        try:
            services.breach_report(
                person=person,
                bond=bond,
                revelation=revelation,
                kind=kind,
                note=request.POST.get("note", ""),
                at=timezone.now(),
            )
        except ServiceError as error:
            return _fail(request, error, reverse("safety:report", args=[bond.pk]))
        if kind == BreachReport.Kind.WEAPONIZATION:
            return redirect("safety:home", bond_id=bond.pk)
        messages.info(
            request, gettext("Thank you for telling us. This stays between you and Mutual.")
        )
        return redirect("safety:home", bond_id=bond.pk)
    return render(
        request,
        "safety/report.html",
        {
            "bond": bond,
            "revelations": selectors.report_page(bond=bond, viewer=person),
            "kinds": BreachReport.Kind.choices,
        },
    )


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Privacy and safety, from the top of every page: the way to each bond's safety
    page, where help is, and the account's own protections."""
    bonds = bond_selectors.bond_list(viewer=_person(request))
    return render(request, "safety/overview.html", {"bonds": bonds})


@login_required
def safety_home(request: HttpRequest, bond_id: Any) -> HttpResponse:
    person = _person(request)
    bond = guards.bond_or_404(request, bond_id)
    page = selectors.safety_page(bond=bond, viewer=person)
    partner = bond_selectors.partner_of(bond=bond, viewer=person)
    partner_key = (
        keys.partner_key(holder=person, about=partner, at=timezone.now()) if partner else None
    )
    return render(
        request,
        "safety/home.html",
        {
            "bond": bond,
            "partner_key": partner_key,
            "side": page.side,
            "partner_name": _partner_name(bond, person),
            "safety_mode": page.safety_mode,
            "reports": page.reports,
            "open_deception": page.open_deception,
            "country": support.for_country(person.country),
        },
    )


@login_required
@require_POST
def key_checked(request: HttpRequest, bond_id: Any) -> HttpResponse:
    """The person compared the safety code with their partner: the partner's key as it is
    now is the one Mutual compares with from here on."""
    person = _person(request)
    bond = guards.bond_or_404(request, bond_id)
    partner = bond_selectors.partner_of(bond=bond, viewer=person)
    if partner is not None and keys.partner_key_accept(
        holder=person, about=partner, at=timezone.now()
    ):
        messages.info(request, _("Thank you. Mutual will tell you if their key changes again."))
    return redirect("safety:home", bond.pk)


@require_http_methods(["GET"])
def support_page(request: HttpRequest) -> HttpResponse:
    """Support, for anyone, signed in or not: what to do in danger, thoughts of self-harm,
    the services the operator lists for the person's country (or how to find local help),
    and what helps when someone tells you something frightening."""
    choices = support.country_choices()
    asked = request.GET.get("country", "").strip().upper()
    signed_in = isinstance(request.user, Person)
    if asked in dict(choices):
        code = asked
    elif signed_in:
        code = request.user.country  # type: ignore[union-attr]
    else:
        code = ""
    return render(
        request,
        "safety/support.html",
        {
            "country": support.for_country(code),
            "code": code,
            "countries": choices,
            "signed_in": signed_in,
        },
    )


def _act(request: HttpRequest, bond_id: Any, action: str) -> HttpResponse:
    person = _person(request)
    bond = guards.bond_or_404(request, bond_id)
    service = {
        "pause": services.bond_pause,
        "resume": services.bond_resume,
        "leave": services.bond_leave,
        "safety_leave": services.safety_mode_leave,
    }[action]
    try:
        service(bond=bond, person=person, at=timezone.now())
    except ServiceError as error:
        return _fail(request, error, reverse("safety:home", args=[bond.pk]))
    words = {
        "pause": gettext("The bond is paused. Nothing new can be added until you resume it."),
        "resume": gettext("The bond is active again."),
        "leave": gettext("You have left the bond. Your partner no longer sees anything you wrote."),
        "safety_leave": gettext("Safety mode is off."),
    }
    messages.info(request, words[action])
    return redirect("safety:home", bond_id=bond.pk)


@login_required
@require_POST
def pause(request: HttpRequest, bond_id: Any) -> HttpResponse:
    return _act(request, bond_id, "pause")


@login_required
@require_POST
def resume(request: HttpRequest, bond_id: Any) -> HttpResponse:
    return _act(request, bond_id, "resume")


@login_required
@require_http_methods(["GET", "POST"])
@reauthentication_required
def leave(request: HttpRequest, bond_id: Any) -> HttpResponse:
    if request.method == "POST":
        return _act(request, bond_id, "leave")
    return render(request, "safety/leave.html", {"bond": guards.bond_or_404(request, bond_id)})


@login_required
@require_POST
def safety_mode_leave(request: HttpRequest, bond_id: Any) -> HttpResponse:
    return _act(request, bond_id, "safety_leave")


@login_required
@require_POST
def deception_confirm(request: HttpRequest, report_id: Any) -> HttpResponse:
    person = _person(request)
    try:
        found = services.deception_confirm(report=report_id, person=person, at=timezone.now())
    except ServiceError as error:
        return _fail(request, error, "/")
    messages.info(request, gettext("Noted. This stays between you and Mutual."))
    return redirect("safety:home", bond_id=found.bond_id)


def who_sees_what(request: HttpRequest) -> HttpResponse:
    """What each person, the partner, strangers and the operator can see, with the
    numbers taken from the running configuration."""
    from django.contrib import admin

    from mutual.accounts import hashers
    from mutual.accounts.views import IDLE_MAX, IDLE_MIN

    hasher = hashers.MutualArgon2Hasher
    admin_models = sorted(str(m._meta.verbose_name_plural) for m in admin.site._registry)
    validators: list[dict[str, Any]] = [dict(v) for v in settings.AUTH_PASSWORD_VALIDATORS]  # type: ignore[call-overload]
    facts: dict[str, Any] = {
        "idle_default": Person._meta.get_field("idle_lock_minutes").default,
        "idle_min": IDLE_MIN,
        "idle_max": IDLE_MAX,
        "reset_minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
        "reauth_minutes": settings.ACCOUNT_REAUTHENTICATION_TIMEOUT // 60,
        "min_password": next(
            (
                v.get("OPTIONS", {}).get("min_length")
                for v in validators
                if v["NAME"].endswith("MinimumLengthValidator")
            ),
            None,
        ),
        "common_check": any(v["NAME"].endswith("CommonPasswordValidator") for v in validators),
        "hasher": settings.PASSWORD_HASHERS[0].rsplit(".", 1)[-1],
        "argon_memory_mib": hasher.memory_cost // 1024,
        "argon_time": hasher.time_cost,
        "argon_lanes": hasher.parallelism,
        "mfa_types": (" " + pgettext("joins the items of a list", "and") + " ").join(
            settings.MFA_SUPPORTED_TYPES
        ),
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        "production": settings.PRODUCTION,
        "hsts": getattr(settings, "SECURE_HSTS_SECONDS", 0),
        "admin_models": admin_models,
        "rate_limits": {
            k: v for k, v in settings.ACCOUNT_RATE_LIMITS.items() if k.startswith("login") and v
        },
    }
    return render(request, "safety/who_sees_what.html", {"facts": facts, "seen": SEEN})


StrOrPromise = str | Promise


def _seen(*words: StrOrPromise) -> dict[str, StrOrPromise]:
    """One thing, and who sees it: you, the partner, anyone else, the server's operator."""
    return dict(zip(("what", "you", "partner", "others", "server"), words, strict=True))


#: Who sees each thing a person writes or gives, in plain words.
SEEN = [
    _seen(
        _("Your answers"),
        _("Always"),
        _("Only once you have both answered, and only until you withdraw it or leave"),
        _("Never"),
        _("Only locked with your own key; never in logs or mails"),
    ),
    _seen(
        _("How you rated a reply"),
        _("Always"),
        _("Never (only a “thank you for hearing me”, if you send one)"),
        _("Never"),
        _("The numbers, never any words"),
    ),
    _seen(
        _("That replying took you effort"),
        _("Always"),
        _("Never"),
        _("Never"),
        _("A yes or no only"),
    ),
    _seen(_("Your trust in your partner"), _("Always"), _("Never"), _("Never"), _("A number")),
    _seen(
        _("Private reports and safety mode"),
        _("Always"),
        _("Never, not even by a change they could notice"),
        _("Never"),
        _("That a report exists; your note only locked with your key"),
    ),
    _seen(
        _("Open depth, closeness and breadth"),
        _("Always"),
        _("Always"),
        _("Never"),
        _("The numbers"),
    ),
    _seen(
        _("How you feel in a check-in"),
        _("Always"),
        _("Once you have both checked in"),
        _("Never"),
        _("Notes only locked with your key"),
    ),
    _seen(
        _("Questions you write"),
        _("Always"),
        _("While you are both in the bond"),
        _("Never"),
        _("Only locked with your own key"),
    ),
]

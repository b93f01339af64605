"""The pages of bonds: the list of one's bonds, a bond's home page and history, saying
ready, stepping back, the opt-in to questions on desire, and picking or writing a
question."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutual import engine
from mutual.accounts import keys
from mutual.web import names
from mutual.web.links import path_to

from .. import forms, guards, onion, selectors, services
from ..errors import Invalid, ServiceError
from ..models import Bond
from .common import back_to_bond, me

member_view = guards.member_view


def home(request: HttpRequest) -> HttpResponse:
    """The landing page; signed in, one's bonds, or straight to the bond when there is
    only one."""
    if request.user.is_authenticated:
        found = list(selectors.bonds_for(viewer=request.user).values_list("pk", flat=True)[:2])
        if len(found) == 1:
            return redirect("bonds:bond", bond_id=found[0])
        return redirect("bonds:list")
    return render(request, "home.html")


#: On "Your bonds": the bonds lived in first, then those waiting for someone, then ended.


@member_view
def bond_list(request: HttpRequest) -> HttpResponse:
    form = forms.BondCreateForm(request.POST or None, initial={"name": me(request).display_name})
    if request.method == "POST" and form.is_valid():
        try:
            bond = services.bond_create(
                creator=me(request),
                kind=form.cleaned_data["kind"],
                name=form.cleaned_data["name"],
                at=timezone.now(),
            )
        except Invalid as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("bonds:invite", bond_id=bond.pk)
    bonds = selectors.bond_list(viewer=request.user)
    status = 422 if request.method == "POST" else 200
    return render(request, "bonds/bond_list.html", {"bonds": bonds, "form": form}, status=status)


TRUST_WORDS = (
    (0.35, "still uncertain"),
    (0.5, "finding its feet"),
    (0.65, "growing"),
    (0.8, "steady"),
    (1.01, "strong"),
)


def trust_words(view: engine.TrustView) -> str:
    if view.alpha + view.beta <= 2.0 + 1e-9:
        return "nothing rated yet"
    return next(words for limit, words in TRUST_WORDS if view.effective < limit)


def _section_links(bond: Bond) -> dict[str, str]:
    args = (bond.pk,)
    return {
        "checkins": path_to("checkins:page", *args),
        "differences": path_to("differences:list", *args),
        "insights": path_to("insights:page", *args),
        "safety": path_to("safety:home", *args),
        "report": path_to("safety:report", *args),
    }


@member_view
def bond_detail(request: HttpRequest, bond_id: UUID) -> HttpResponse:
    """The bond's home: what waits for the viewer and the next step first, then the
    newest exchanges; the numbers are one tap away (:func:`numbers`)."""
    bond = guards.bond_or_404(request, bond_id)
    home_ = selectors.bond_home(bond=bond, viewer=request.user, at=timezone.now(), numbers=False)
    # A partner's key that changed is told here too (docs/e2e.md); one statement.
    partner = home_.partner
    context = {
        "partner_key_changed": partner is not None
        and keys.partner_key_changed(holder=me(request), about=partner),
        "bond": bond,
        "home": home_,
        "next_depth_name": (
            names.depth_name(home_.gate.next_depth) if home_.gate.next_depth is not None else None
        ),
        "desire_mine": getattr(bond, f"desire_{home_.side}"),
        "links": _section_links(bond),
        "left_myself": bond.left_by == home_.side,
        # A bond with both people in it and nothing shared yet is welcomed, not measured.
        "welcome": (
            home_.partner is not None
            and bond.status == Bond.Status.ACTIVE
            and home_.nudges
            and not home_.history
            and not home_.waiting
        ),
        # Nudges stop exactly in safety mode: then the page offers nothing to share or to
        # deepen, only what takes back or steps back, and the way to the safety page.
        "safety_mode": not home_.nudges,
    }
    return render(request, "bonds/bond_home.html", context)


@member_view
def numbers(request: HttpRequest, bond_id: UUID) -> HttpResponse:
    """How the bond is doing, in numbers: how deep, how close and how broad, both ways;
    the viewer's own trust; the onion of what both have shared."""
    bond = guards.bond_or_404(request, bond_id)
    home_ = selectors.bond_home(bond=bond, viewer=request.user, at=timezone.now(), history=False)
    context: dict[str, Any] = {
        "bond": bond,
        "home": home_,
        "safety_mode": not home_.nudges,
        # An ended bond, or one still waiting for the other person, has nothing to measure.
        "measured": home_.partner is not None and bond.status != Bond.Status.ENDED,
    }
    if context["measured"]:
        context.update(
            onion=onion.build(
                cells=home_.cells,
                open_depth=home_.open_depth,
                themes=onion.themes_for(kind=bond.kind, desire=bond.desire_a and bond.desire_b),
            ),
            trust_percent=round(home_.my_trust.effective * 100),
            trust_words=trust_words(home_.my_trust),
            trust_rated=home_.my_trust.alpha + home_.my_trust.beta > 2.0 + 1e-9,
        )
    return render(request, "bonds/numbers.html", context)


@member_view
def history(request: HttpRequest, bond_id: UUID) -> HttpResponse:
    """Every exchange of the bond, newest first, a page at a time."""
    bond = guards.bond_or_404(request, bond_id)
    found = selectors.history_page(bond=bond, viewer=request.user, page=request.GET.get("page", 1))
    context = {
        "bond": bond,
        "page": found.page,
        "items": found.items,
        "hide_waits": found.hide_waits,
    }
    return render(request, "bonds/history.html", context)


@require_POST
@member_view
def ready(request: HttpRequest, bond_id: UUID) -> HttpResponse:
    bond = guards.bond_or_404(request, bond_id)
    form = forms.ReadyForm(request.POST)
    if not form.is_valid():
        return back_to_bond(request, bond, Invalid(gettext("Choose whether you are ready.")))
    try:
        opened = services.readiness_set(
            bond=bond,
            person=me(request),
            ready=form.cleaned_data["ready"],
            at=timezone.now(),
        )
    except ServiceError as exc:
        return back_to_bond(request, bond, exc)
    if opened is not None:
        # Both are ready and the depth opens: a moment, said as one.
        messages.success(
            request,
            _(
                "You are both ready, and {depth} depth is open to you now. Take it gently. "
                "Readiness starts fresh from here: when you want to go further, you each "
                "say so again."
            ).format(depth=names.depth_name(opened)),
            extra_tags="moment",
        )
    elif form.cleaned_data["ready"]:
        messages.success(
            request, _("Noted: you are ready. The next depth opens once you both are.")
        )
    else:
        messages.success(request, _("Noted: you would rather stay at this depth for now."))
    return back_to_bond(request, bond, None)


@require_POST
@member_view
def step_back(request: HttpRequest, bond_id: UUID) -> HttpResponse:
    bond = guards.bond_or_404(request, bond_id)
    try:
        services.bond_step_back(
            bond=bond,
            person=me(request),
            at=timezone.now(),
        )
    except ServiceError as exc:
        return back_to_bond(request, bond, exc)
    messages.success(
        request, gettext("The bond stepped back one depth. Take all the time you need.")
    )
    return back_to_bond(request, bond, None)


@require_POST
@member_view
def desire(request: HttpRequest, bond_id: UUID) -> HttpResponse:
    bond = guards.bond_or_404(request, bond_id)
    form = forms.DesireForm(request.POST)
    if not form.is_valid():
        return back_to_bond(request, bond, Invalid(gettext("Choose yes or no.")))
    try:
        services.desire_opt_in(
            bond=bond,
            person=me(request),
            opt_in=form.cleaned_data["opt_in"],
            at=timezone.now(),
        )
    except ServiceError as exc:
        return back_to_bond(request, bond, exc)
    messages.success(request, gettext("Your choice about questions on desire is saved."))
    return back_to_bond(request, bond, None)


@member_view
def prompts(request: HttpRequest, bond_id: UUID) -> HttpResponse:
    bond = guards.bond_or_404(request, bond_id)
    theme = request.GET.get("theme", "")
    picker = selectors.prompt_picker(bond=bond, viewer=request.user, theme=theme)
    return render(request, "bonds/prompts.html", {"bond": bond, **vars(picker)})


@member_view
def prompt_new(request: HttpRequest, bond_id: UUID) -> HttpResponse:
    bond = guards.bond_or_404(request, bond_id)
    page = selectors.prompt_form(bond=bond, viewer=request.user)
    form = forms.PromptForm(request.POST or None, open_depth=page.open_depth, themes=page.themes)
    if request.method == "POST" and form.is_valid():
        at = timezone.now()
        try:
            prompt = services.prompt_write(
                bond=bond,
                by=me(request),
                at=at,
                **form.cleaned_data,
            )
            exchange = services.exchange_open(
                bond=bond,
                by=me(request),
                prompt=prompt,
                at=at,
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("bonds:exchange", exchange_id=exchange.pk)
    status = 422 if request.method == "POST" else 200
    context = {"bond": bond, "form": form, "safety_mode": page.safety_mode}
    return render(request, "bonds/prompt_new.html", context, status=status)


@require_POST
@member_view
def exchange_open(request: HttpRequest, bond_id: UUID) -> HttpResponse:
    bond = guards.bond_or_404(request, bond_id)
    prompt = selectors.prompt_get(id=request.POST.get("prompt", ""), bond=bond, viewer=request.user)
    try:
        exchange = services.exchange_open(
            bond=bond,
            by=me(request),
            prompt=prompt,
            at=timezone.now(),
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("bonds:prompts", bond_id=bond.pk)
    return redirect("bonds:exchange", exchange_id=exchange.pk)
